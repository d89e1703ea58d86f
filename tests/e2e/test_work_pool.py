"""`newsetl deploy --pool NAME` against a real Prefect server, run by a real `prefect worker start`.

The session's `prefect server start` (conftest) is the server. `newsetl deploy` creates the process work pool
and a deployment of the flow from this checkout (no git, no image); a `prefect worker start --pool NAME
--type process` in its own process group picks up a run triggered with `prefect deployment run`, runs the
flow in a subprocess of its own, and the run publishes into the warehouse named at deploy time.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, cli_env, query, stop_process_group
from tests.e2e.test_serve import api, wait_for

POOL = "newsetl-test-pool"
DEPLOYMENT = "newsetl-pool-test"


@pytest.fixture(scope="module")
def deployed(prefect_api: str, prefect_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("pool") / "pool.duckdb"
    env = cli_env(prefect_home, PREFECT_API_URL=prefect_api)
    res = subprocess.run([sys.executable, "-m", "flows.cli", "deploy", "--pool", POOL, "--name", DEPLOYMENT,
                          "--input", str(ROOT / "seeds"), "--db", str(db)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr[-3000:]
    assert f"deployment newsetl-run/{DEPLOYMENT} (" in res.stdout and f"--pool {POOL} --type process" in res.stdout
    dep = api(prefect_api, "GET", f"/deployments/name/newsetl-run/{DEPLOYMENT}")
    return {"api": prefect_api, "db": db, "deployment": dep, "env": env}


@pytest.fixture(scope="module")
def worker(deployed: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    log_path = tmp_path_factory.mktemp("pool-worker") / "worker.log"
    env = {**deployed["env"], "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_WORKER_PREFETCH_SECONDS": "5"}
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "worker", "start", "--pool", POOL,
                                 "--type", "process", "--name", "newsetl-test-worker"],
                                cwd="/", env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield log_path
    finally:
        stop_process_group(proc, 20)


def test_deploy_creates_a_process_pool_and_a_deployment_from_local_source(deployed: dict[str, Any]) -> None:
    base, dep = deployed["api"], deployed["deployment"]
    pool = api(base, "GET", f"/work_pools/{POOL}")
    assert pool["type"] == "process"
    assert dep["work_pool_name"] == POOL
    assert dep["entrypoint"] == "flows/deployed.py:newsetl_run_deployed"
    assert dep["pull_steps"] and "set_working_directory" in repr(dep["pull_steps"]) and str(ROOT) in repr(
        dep["pull_steps"])  # the checkout itself: nothing cloned or built
    assert dep["parameters"]["inputs"] == [str(ROOT / "seeds")] and dep["parameters"]["db"] == str(deployed["db"])
    assert dep["job_variables"]["env"]["PYTHONPATH"] == str(ROOT)


def test_worker_runs_a_triggered_deployment_and_it_publishes(deployed: dict[str, Any], worker: Path) -> None:
    base = deployed["api"]
    res = subprocess.run([str(Path(sys.executable).parent / "prefect"), "deployment", "run",
                          f"newsetl-run/{DEPLOYMENT}"], env=deployed["env"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    runs = api(base, "POST", "/flow_runs/filter",
               {"deployments": {"id": {"any_": [deployed["deployment"]["id"]]}}})
    assert len(runs) == 1
    run_id = runs[0]["id"]

    def finished() -> dict[str, Any] | None:
        fr = api(base, "GET", f"/flow_runs/{run_id}")
        assert fr["state"]["type"] not in ("FAILED", "CRASHED", "CANCELLED"), (fr["state"], worker.read_text()[-3000:])
        return fr if fr["state"]["type"] == "COMPLETED" else None

    fr = wait_for(finished, 150, "the work-pool flow run to complete", every=1)
    assert fr["work_pool_name"] == POOL
    assert "newsetl-test-worker" in worker.read_text()  # this worker, not some other, ran it
    published = query(deployed["db"], "SELECT count(*) FROM runs WHERE status = 'published' AND flow_run_id = ?",
                      [run_id])[0][0]
    assert published == 1
    assert query(deployed["db"], "SELECT count(*) FROM articles")[0][0] > 0
