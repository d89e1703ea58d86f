"""One writer at a time, readers welcome: real `newsetl run` processes racing on one DuckDB file,
an analyst's read-only connection held in another process while a run publishes, and `newsetl sql`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.lock import RunLock
from tests.conftest import ROOT, cli_env, query
from warehouse.db import WarehouseBusy, connect, migrate

SEEDS = ROOT / "seeds"
NEW_ARTICLE = """Harbour council approves new flood barrier

The Portsmouth City Council approved a 40 million pound flood barrier on Tuesday, after two years of debate.

Council leader Gerald Vernon-Jackson said the barrier would protect more than 4,000 homes in Southsea.

The Environment Agency will fund half of the cost, and construction is expected to start in March.
"""


def start_run(home: Path, api: str, db: Path, *inputs: Path, log: Path, **env: str) -> subprocess.Popen[str]:
    args = [a for p in inputs for a in ("--input", str(p))]
    with log.open("w") as fh:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", "flows.cli", "run", *args, "--db", str(db)], cwd=ROOT,
                                env=cli_env(home, PREFECT_API_URL=api, **env), stdout=subprocess.DEVNULL,
                                stderr=fh, text=True)


@pytest.fixture(scope="module")
def race(prefect_api: str, prefect_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A and B start 1 s apart on a new database with the default lock timeout: the later one waits."""
    tmp = tmp_path_factory.mktemp("race")
    db = tmp / "news.duckdb"
    a = start_run(prefect_home, prefect_api, db, SEEDS, log=tmp / "a.log")
    time.sleep(1)
    b = start_run(prefect_home, prefect_api, db, SEEDS, log=tmp / "b.log")
    procs = {"a": a, "b": b}
    rcs = {k: p.wait(timeout=300) for k, p in procs.items()}
    return {"db": db, "rc": rcs, "pid": {k: p.pid for k, p in procs.items()},
            "err": {k: (tmp / f"{k}.log").read_text() for k in procs}, "tmp": tmp}


def test_two_runs_one_second_apart_both_publish_once(race: dict[str, Any]) -> None:
    assert race["rc"]["a"] == 0, race["err"]["a"][-3000:]
    assert race["rc"]["b"] == 0, race["err"]["b"][-3000:]
    db = race["db"]
    runs = query(db, "SELECT status, articles_loaded FROM runs WHERE status = 'published' ORDER BY started_at")
    assert len(runs) == 2
    # The run that waited found everything already published: it loaded nothing new.
    assert runs[0][1] > 0 and runs[1][1] == 0
    total, ids, hashes = query(db, "SELECT count(*), count(DISTINCT article_id), count(DISTINCT content_hash) "
                                   "FROM articles")[0]
    assert total == ids == hashes == runs[0][1]
    # The later run read the warehouse only after the earlier one had published: it waited for the lock.
    def first(log: str, *needles: str) -> float:
        return log_time(next(ln for ln in log.splitlines() if all(n in ln for n in needles)))

    reads = {k: first(race["err"][k], "read-warehouse-state", "Finished") for k in ("a", "b")}
    earlier = min(reads, key=lambda k: reads[k])
    later = "b" if earlier == "a" else "a"
    published = first(race["err"][earlier], "Task run 'publish-", "Finished")
    assert reads[later] >= published, (reads, published)
    # The file opens read-write afterwards (no stale lock, nothing half-written).
    con = duckdb.connect(str(db))
    con.close()


def test_run_with_short_lock_timeout_names_the_holder(
    race: dict[str, Any], prefect_api: str, prefect_home: Path
) -> None:
    # Hold the run lock here (as a running `newsetl run` would) so the timing is deterministic.
    log = race["tmp"] / "busy.log"
    before = query(race["db"], "SELECT count(*) FROM runs")[0][0]
    with RunLock(race["db"], 0, "holder-run-1"):
        t0 = time.monotonic()
        proc = start_run(prefect_home, prefect_api, race["db"], SEEDS, log=log, NEWSETL_LOCK_TIMEOUT_S="2")
        rc = proc.wait(timeout=120)
        assert time.monotonic() - t0 >= 2
    assert rc != 0
    last = log.read_text().strip().splitlines()[-1]
    assert re.search(rf"warehouse is busy: held by newsetl run holder-run-1 \(pid {os.getpid()}, since [^)]+\); "
                     r"waited 2s", last), last
    assert query(race["db"], "SELECT count(*) FROM runs")[0][0] == before  # nothing written


def test_sql_formats_and_read_only(race: dict[str, Any], prefect_home: Path) -> None:
    db = race["db"]
    n = query(db, "SELECT count(*) FROM articles")[0][0]

    def sql(q: str, fmt: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "flows.cli", "sql", q, "--db", str(db), "--format", fmt],
                              cwd=ROOT, env=cli_env(prefect_home), capture_output=True, text=True, timeout=60)

    q = "SELECT count(*) AS n, min(title) AS first_title FROM articles"
    first = query(db, "SELECT min(title) FROM articles")[0][0]
    js = sql(q, "json")
    assert js.returncode == 0, js.stderr
    assert json.loads(js.stdout) == {"n": n, "first_title": first}
    csv_out = sql(q, "csv")
    assert csv_out.stdout.splitlines()[0] == "n,first_title"
    assert csv_out.stdout.splitlines()[1].startswith(f"{n},")
    table = sql(q, "table")
    assert "first_title" in table.stdout and str(n) in table.stdout
    # Read-only: a write is refused and changes nothing.
    bad = sql("DELETE FROM articles", "table")
    assert bad.returncode != 0 and "read-only" in bad.stderr.lower()
    assert query(db, "SELECT count(*) FROM articles")[0][0] == n


READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SELECT count(*) FROM articles").fetchall()
print("holding", flush=True)
sys.stdin.readline()  # the test says when to let go
con.close()
print(f"released {time.time()}", flush=True)
"""


@pytest.fixture
def reader(race: dict[str, Any]) -> Iterator[subprocess.Popen[str]]:
    """Another process holding a read-only connection to the warehouse until told to let go."""
    proc = subprocess.Popen([sys.executable, "-c", READER, str(race["db"])], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def release(proc: subprocess.Popen[str]) -> float:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("\n")
    proc.stdin.flush()
    return float(proc.stdout.readline().split()[1])


def log_time(line: str) -> float:
    return datetime.strptime(line[:12], "%H:%M:%S.%f").timestamp()


def test_reader_holding_the_file_delays_publish_but_run_succeeds(
    race: dict[str, Any], reader: subprocess.Popen[str], prefect_api: str, prefect_home: Path
) -> None:
    extra = race["tmp"] / "extra"
    extra.mkdir()
    (extra / "flood_barrier.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    log = race["tmp"] / "reader_run.log"
    started = time.monotonic()
    run = start_run(prefect_home, prefect_api, race["db"], SEEDS, extra, log=log)
    # Hold for 20 s and at least until the run has validated and is publishing (publish comes right after).
    validated: list[str] = []
    while run.poll() is None and time.monotonic() < started + 240:
        validated = [ln for ln in log.read_text().splitlines() if "validate-staged-batch" in ln and "Finished" in ln]
        if validated and time.monotonic() >= started + 20:
            break
        time.sleep(0.3)
    assert run.poll() is None, f"run ended while the reader held the file: {log.read_text()[-3000:]}"
    time.sleep(2)
    release(reader)
    assert run.wait(timeout=300) == 0, log.read_text()[-3000:]
    published = [ln for ln in log.read_text().splitlines() if "publish-" in ln and "Completed" in ln]
    assert published, log.read_text()[-3000:]
    # Publish waited for the reader: it finished at least ~2 s after validation did.
    assert log_time(published[-1]) - log_time(validated[-1]) >= 1.5
    rows = query(race["db"], "SELECT count(*) FROM articles WHERE source_path LIKE '%flood_barrier.txt'")
    assert rows[0][0] == 1


def test_reader_past_the_timeout_gives_a_clear_error_and_changes_nothing(
    race: dict[str, Any], reader: subprocess.Popen[str]
) -> None:
    db = race["db"]
    t0 = time.monotonic()
    with pytest.raises(WarehouseBusy) as exc:
        connect(db, timeout_s=1.5)
    assert time.monotonic() - t0 >= 1.5
    assert f"warehouse {db} is locked by " in str(exc.value) and "waited 2s" in str(exc.value)
    release(reader)
    con = connect(db, timeout_s=5)  # free again at once
    try:
        assert migrate(con) == []
    finally:
        con.close()


def test_busy_message_names_the_reader_process(race: dict[str, Any], reader: subprocess.Popen[str]) -> None:
    with pytest.raises(WarehouseBusy) as exc:
        connect(race["db"], timeout_s=0.2)
    assert f"(PID {reader.pid})" in str(exc.value)
