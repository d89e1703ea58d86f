"""`newsetl serve` against a real Prefect server: a scheduled deployment, API-triggered runs, one at a time.

The session's `prefect server start` (conftest) is the server; `newsetl serve` runs in its own process
group and is stopped in teardown. Everything is checked through the server's REST API.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.settings import Settings
from tests.conftest import ROOT, cli_env, query, stop_process_group

DEPLOYMENT = "newsetl-scheduled"


def api(base: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(5):
        req = urllib.request.Request(f"{base}{path}", data=data, method=method,
                                     headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read() or b"null")
        except urllib.error.HTTPError as exc:
            # The server answers 503 while its SQLite database is busy (a loaded 2-core machine); try again.
            if exc.code < 500 or attempt == 4:
                raise
        time.sleep(1 + attempt)


def wait_for(fn: Any, timeout: float, what: str, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = fn()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def deployment(base: str) -> dict[str, Any] | None:
    try:
        return api(base, "GET", f"/deployments/name/newsetl-run/{DEPLOYMENT}")  # type: ignore[no-any-return]
    except OSError:  # 404 until registered
        return None


@pytest.fixture(scope="module")
def served(prefect_api: str, prefect_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`newsetl serve --cron "0 3 * * *" --input seeds --db <tmp>` running until the module ends."""
    tmp = tmp_path_factory.mktemp("serve")
    db = tmp / "served.duckdb"
    log = (tmp / "serve.log").open("wb")
    # Poll for runs every 2 s instead of 10 s so the test does not idle.
    env = cli_env(prefect_home, PREFECT_API_URL=prefect_api, PREFECT_RUNNER_POLL_FREQUENCY="2")
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--cron", "0 3 * * *",
                             "--input", str(ROOT / "seeds"), "--db", str(db)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        dep = wait_for(lambda: proc.poll() is None and deployment(prefect_api) or (
            proc.poll() is not None and pytest.fail(f"serve exited: {(tmp / 'serve.log').read_text()[-2000:]}")),
            120, "the deployment to be registered")
        yield {"api": prefect_api, "db": db, "deployment": dep, "proc": proc, "log": tmp / "serve.log"}
    finally:
        stop_process_group(proc, 20)
        log.close()


def test_deployment_has_schedule_parameters_and_limit(served: dict[str, Any]) -> None:
    dep = served["deployment"]
    crons = [s["schedule"].get("cron") for s in dep["schedules"] if s.get("active", True)]
    assert crons == ["0 3 * * *"]
    assert dep["paused"] is False
    params = dict(dep["parameters"])
    settings = params.pop("settings")  # the serving process's whole Settings (flows/settings.py, to_params)
    assert params == {"inputs": [str(ROOT / "seeds")], "db": str(served["db"]), "sources": [], "sources_file": None}
    assert settings["inputs"] == [str(ROOT / "seeds")] and settings["db"] == str(served["db"])
    expected = Settings(inputs=[ROOT / "seeds"], db=served["db"])
    assert Settings.from_params(settings).model_dump() == expected.model_dump()
    limit = dep.get("global_concurrency_limit") or {}
    assert limit.get("limit") == 1 or dep.get("concurrency_limit") == 1, dep


def test_api_triggered_runs_complete_one_at_a_time(served: dict[str, Any]) -> None:
    base, dep_id = served["api"], served["deployment"]["id"]
    runs = [api(base, "POST", f"/deployments/{dep_id}/create_flow_run", {}) for _ in range(2)]
    ids = [r["id"] for r in runs]
    seen: dict[str, set[str]] = {i: set() for i in ids}
    both_running = False

    def first_completed() -> str | None:
        nonlocal both_running
        states = {i: api(base, "GET", f"/flow_runs/{i}")["state"] for i in ids}
        for i, st in states.items():
            seen[i].add(st["name"])
            assert st["type"] not in ("FAILED", "CRASHED"), (st, served["log"].read_text()[-3000:])
        both_running = both_running or all(st["type"] == "RUNNING" for st in states.values())
        done = [i for i, st in states.items() if st["type"] == "COMPLETED"]
        return done[0] if done else None

    done = wait_for(first_completed, 150, "a served flow run to complete")
    other = next(i for i in ids if i != done)
    # Concurrency limit 1: the second run was held back (never running alongside the first).
    assert not both_running
    assert "Running" not in seen[other] or "AwaitingConcurrencySlot" in seen[other], seen

    arts = api(base, "POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [done]}}})
    summary = [a for a in arts if a["key"] == "newsetl-run-summary"]
    assert summary and "published" in summary[0]["data"], arts
    result = api(base, "GET", f"/flow_runs/{done}")
    assert result["deployment_id"] == dep_id
    n = query(served["db"], "SELECT count(*) FROM articles")[0][0]
    assert n > 0


def test_progress_logs_without_a_terminal_and_summary_fits_one_screen() -> None:
    import io
    import logging

    from flows.pipeline import RunSummary
    from flows.progress import RunProgress, print_summary, summary_lines

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    log = logging.getLogger("newsetl-test-progress")
    log.addHandler(Collect())
    log.setLevel(logging.INFO)
    with RunProgress(log) as progress:  # stderr under pytest is not a terminal: log lines only
        assert progress.bar is False
        progress.start_files(5)
        progress.advance(5, 7)
        progress.stage("validate")
    assert records == ["progress: 5/5 files, 7 articles staged", "stage: validate"]

    s = RunSummary("r1", status="failed_validation", reason="batch.min_articles_per_run failed", seconds=3.2,
                   failure_details=[f"`e{i}` (row): detail" for i in range(30)])
    lines = summary_lines(s)
    assert lines[0] == "run r1: FAILED_VALIDATION in 3.2s" and len(lines) <= 16
    out = io.StringIO()
    print_summary(s, out)  # not a terminal: the CLI's one-line summary is enough
    assert out.getvalue() == ""
