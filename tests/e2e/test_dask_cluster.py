"""NLP on a Dask cluster of separate processes on separate (simulated) hosts.

The real `dask scheduler` and `dask worker` CLIs run as their own process groups: the scheduler, a real
`prefect server start` and the `newsetl run` process on the gateway of a bridge, one worker on each of two
network namespaces (tests/dask_hosts.py; loopback addresses 127.0.x.y when namespaces cannot be made here,
which the test output says). Checked:

- the cluster run publishes the same tables as a local run of the same inputs, and its batch tasks ran on
  workers of both hosts (by worker address);
- a worker killed (SIGKILL) while it runs an NLP batch: the scheduler runs its tasks again on the surviving
  worker and the run publishes the same tables;
- every worker killed mid-run (the scheduler fails unrunnable tasks after `no-workers-timeout`): the run
  exits non-zero with a one-line reason naming the cluster, and publishes nothing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, query
from tests.dask_hosts import DaskCluster, HostNetwork, prefect_server, process_env
from tests.functional.test_dask import N_FILES, TABLES, make_inputs, table_rows


@pytest.fixture(scope="module")
def lan() -> Iterator[HostNetwork]:
    with HostNetwork(2) as net:
        print(f"simulated hosts: {net.describe()}")
        yield net


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cluster-prefect-home")


@pytest.fixture(scope="module")
def api(lan: HostNetwork, home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Prefect server on the gateway: the workers in the namespaces report their task runs to it."""
    with prefect_server(home, lan.gateway, tmp_path_factory.mktemp("prefect-log") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_inputs(tmp_path_factory.mktemp("cluster-inputs") / "inputs")


@pytest.fixture(scope="module")
def local_rows(inputs: Path, home: Path, api: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    res = newsetl_run(inputs, db, home, api, None)
    assert res.returncode == 0, res.stderr[-3000:]
    rows = table_rows(db)
    assert len(rows["articles"]) >= N_FILES * 9 // 10 and rows["entities"] and rows["duplicates"]
    return rows


def cluster(lan: HostNetwork, home: Path, api: str, logs: Path, **scheduler_env: str) -> DaskCluster:
    return DaskCluster(lan, per_host=1, logs=logs, env=process_env(home, api), scheduler_env=scheduler_env)


def newsetl_run(inputs: Path, db: Path, home: Path, api: str, address: str | None,
                background: bool = False) -> Any:
    extra = {"NEWSETL_DASK_ADDRESS": address} if address else {}
    argv = [sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--db", str(db)]
    env = process_env(home, api, NEWSETL_REPORT_AFTER_RUN="false", **extra)
    if background:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def batch_tasks(finished: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # prefect-dask keys are "<function name>-<hash>"
    return [(k, w) for k, w in finished if k.startswith(("parse_task-", "nlp_task-"))]


def test_cluster_run_matches_local_run_and_uses_both_hosts(lan: HostNetwork, home: Path, api: str, inputs: Path,
                                                           local_rows: dict[str, Any], tmp_path: Path) -> None:
    with cluster(lan, home, api, tmp_path / "logs") as c:
        addresses = c.worker_addresses()
        res = newsetl_run(inputs, tmp_path / "dask.duckdb", home, api, c.address)
        assert res.returncode == 0, res.stderr[-3000:] + c.log_tail("host1-w1")
        ran = batch_tasks(c.finished())
    # Each worker listens on its own host's address.
    assert {addresses[f"{h.name}-w1"].split("://")[1].rsplit(":", 1)[0] for h in lan.hosts} == \
        {h.address for h in lan.hosts}
    used = {w for _, w in ran}
    assert used == set(addresses.values()), (used, addresses)  # both hosts ran batches
    assert any(k.startswith("nlp_task-") for k, _ in ran) and any(k.startswith("parse_task-") for k, _ in ran)
    rows = table_rows(tmp_path / "dask.duckdb")
    for table in TABLES:
        assert rows[table] == local_rows[table], f"{table} differs between the local and the cluster run"


def _wait_processing(c: DaskCluster, worker: str, run: subprocess.Popen[str], timeout: float) -> None:
    from distributed import Client

    address = c.worker_addresses()[worker]
    deadline = time.monotonic() + timeout
    with Client(c.address, timeout=20, set_as_default=False) as client:
        while time.monotonic() < deadline:
            keys = client.run_on_scheduler(_processing_on, address=address)
            if any(k.startswith("nlp_task-") for k in keys):
                return
            assert run.poll() is None, f"the run ended before {worker} got an NLP batch: {run.communicate()}"
            time.sleep(0.2)
    raise AssertionError(f"{worker} ran no NLP batch within {timeout:.0f}s")


def _processing_on(dask_scheduler: Any, address: str) -> list[str]:
    ws = dask_scheduler.workers.get(address)
    return [str(ts.key) for ts in ws.processing] if ws is not None else []


def test_killed_worker_mid_run_is_replaced_by_the_other(lan: HostNetwork, home: Path, api: str, inputs: Path,
                                                         local_rows: dict[str, Any], tmp_path: Path) -> None:
    with cluster(lan, home, api, tmp_path / "logs") as c:
        addresses = c.worker_addresses()
        run = newsetl_run(inputs, tmp_path / "dask.duckdb", home, api, c.address, background=True)
        try:
            _wait_processing(c, "host2-w1", run, 180)
            c.kill_worker("host2-w1")
            out, err = run.communicate(timeout=300)
        finally:
            if run.poll() is None:
                run.kill()
        assert run.returncode == 0, err[-3000:]
        ran = batch_tasks(c.finished())
    assert {w for _, w in ran} <= set(addresses.values())
    assert any(w == addresses["host1-w1"] and k.startswith("nlp_task-") for k, w in ran)
    rows = table_rows(tmp_path / "dask.duckdb")
    for table in TABLES:
        assert rows[table] == local_rows[table], f"{table} differs after a worker was killed"


def test_all_workers_lost_mid_run_fails_with_one_line_and_publishes_nothing(
        lan: HostNetwork, home: Path, api: str, inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "dask.duckdb"
    with cluster(lan, home, api, tmp_path / "logs", DASK_DISTRIBUTED__SCHEDULER__NO_WORKERS_TIMEOUT="5s") as c:
        run = newsetl_run(inputs, db, home, api, c.address, background=True)
        try:
            _wait_processing(c, "host1-w1", run, 180)
            for name, _ in c.workers:
                c.kill_worker(name)
            out, err = run.communicate(timeout=240)
        finally:
            if run.poll() is None:
                run.kill()
    assert run.returncode != 0, out[-2000:] + err[-4000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith("newsetl run failed: DaskClusterLost: ") and c.address in last, err[-3000:]
    published = query(db, "SELECT count(*) FROM runs WHERE status = 'published'")[0][0] if db.exists() else 0
    articles = query(db, "SELECT count(*) FROM articles")[0][0] if db.exists() else 0
    assert (published, articles) == (0, 0)
