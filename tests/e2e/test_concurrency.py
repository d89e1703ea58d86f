"""One writer at a time, readers never in the way: real `newsetl run` processes racing on one DuckDB file,
analysts' read-only connections (held, or reconnecting) in other processes while a run publishes (copy-on-
publish: warehouse/swap.py), and `newsetl sql`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

import warehouse.db
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


def has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (Linux: /proc/PID/fd)."""
    target = os.path.realpath(path)
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:
            continue
    return False


def wait_until(done: Callable[[], bool], procs: dict[str, subprocess.Popen[str]], what: str,
               timeout_s: float = 120) -> None:
    """Poll until `done()`; fail at once if one of `procs` exits first (what they waited for never happened)."""
    deadline = time.monotonic() + timeout_s
    while not done():
        exited = {k: p.returncode for k, p in procs.items() if p.poll() is not None}
        assert not exited, f"exited before {what}: {exited}"
        assert time.monotonic() < deadline, f"no {what} within {timeout_s} s"
        time.sleep(0.05)


def waiting_for_lock(proc: subprocess.Popen[str], lock: RunLock) -> Callable[[], bool]:
    # RunLock opens the lock file, then retries flock until its timeout: while the file is open and someone
    # else holds the lock, the process is waiting for it
    return lambda: has_open(proc.pid, lock.path)


@pytest.fixture(scope="module")
def race(prefect_api: str, prefect_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A and B start together on a new database with the default lock timeout while the test holds the run
    lock; once both are waiting for it the test lets go: one takes it, the other waits until that one is done."""
    tmp = tmp_path_factory.mktemp("race")
    db = tmp / "news.duckdb"
    procs: dict[str, subprocess.Popen[str]] = {}
    try:
        with RunLock(db, 0, "test-start-gate") as gate:
            for k in ("a", "b"):
                procs[k] = start_run(prefect_home, prefect_api, db, SEEDS, log=tmp / f"{k}.log")
            wait_until(lambda: all(waiting_for_lock(p, gate)() for p in procs.values()), procs,
                       "both runs wait for the run lock")
        rcs = {k: p.wait(timeout=300) for k, p in procs.items()}
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
    return {"db": db, "rc": rcs, "pid": {k: p.pid for k, p in procs.items()},
            "err": {k: (tmp / f"{k}.log").read_text() for k in procs}, "tmp": tmp}


def test_two_runs_waiting_together_both_publish_once(race: dict[str, Any]) -> None:
    assert race["rc"]["a"] == 0, race["err"]["a"][-3000:]
    assert race["rc"]["b"] == 0, race["err"]["b"][-3000:]
    db = race["db"]
    # In publishing order: both started together, so the one that took the lock first may have started second.
    runs = query(db, "SELECT status, articles_loaded FROM runs WHERE status = 'published' ORDER BY finished_at")
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
    with RunLock(race["db"], 0, "holder-run-1") as held:
        proc = start_run(prefect_home, prefect_api, race["db"], SEEDS, log=log, NEWSETL_LOCK_TIMEOUT_S="2")
        # it waits for the lock (seen holding the lock file open) rather than giving up at once
        wait_until(waiting_for_lock(proc, held), {"run": proc}, "the run waits for the lock")
        rc = proc.wait(timeout=120)
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


POLLER = """
import json, os, sys, time, duckdb
db, mode, stop = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(db, read_only=True) if mode == "held" else None
seen, slowest, started = [], 0.0, []
while True:
    last = os.path.exists(stop)  # the query after the test says stop is the last one
    started.append(time.time())
    t0 = time.monotonic()
    c = con or duckdb.connect(db, read_only=True)
    n = c.execute("SELECT count(*) FROM articles").fetchone()[0]
    if con is None:
        c.close()
    slowest = max(slowest, time.monotonic() - t0)
    if not seen:
        print("reading", flush=True)  # the first query is done
    if not seen or seen[-1] != n:
        seen.append(n)
    if last:
        break
    time.sleep(0.1)
print(json.dumps({"counts": seen, "slowest": slowest, "started": started}), flush=True)
"""


def test_readers_never_block_a_run_nor_wait_for_it(race: dict[str, Any], prefect_api: str, prefect_home: Path) -> None:
    """The acceptance scenario: a read-only session held open (another process) for the whole run, and a reader
    that reconnects for every query, while a run publishes a new article. The run exits 0 without waiting,
    no query takes 2 s, and neither reader ever sees the count go back; the held session keeps its snapshot,
    the reconnecting one sees the new file once it is renamed in."""
    db, tmp = race["db"], race["tmp"]
    before = query(db, "SELECT count(*) FROM articles")[0][0]
    extra = tmp / "extra"
    extra.mkdir()
    (extra / "flood_barrier.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    stop = tmp / "stop-readers"
    readers = {mode: subprocess.Popen([sys.executable, "-c", POLLER, str(db), mode, str(stop)],
                                      stdout=subprocess.PIPE, text=True) for mode in ("held", "reconnecting")}
    try:
        for mode, p in readers.items():  # both are reading before the run starts
            assert p.stdout is not None and p.stdout.readline().strip() == "reading", mode
        log = tmp / "reader_run.log"
        run_start = time.time()
        run = start_run(prefect_home, prefect_api, db, SEEDS, extra, log=log, NEWSETL_LOCK_TIMEOUT_S="5")
        assert run.wait(timeout=300) == 0, log.read_text()[-3000:]
        run_end = time.time()
    finally:
        stop.touch()  # each reader makes one more query, after the run has exited, and reports
    results = {mode: json.loads(p.communicate(timeout=60)[0]) for mode, p in readers.items()}
    assert "Traceback" not in log.read_text()
    after = query(db, "SELECT count(*) FROM articles")[0][0]
    assert after == before + 1
    for mode, r in results.items():
        assert r["counts"] == sorted(r["counts"]) and r["counts"][0] == before, (mode, r["counts"])
        # "slowest" covers the run: queries before it started, while it ran, and after it had exited
        during = [t for t in r["started"] if run_start <= t <= run_end]
        assert r["started"][0] < run_start and during and r["started"][-1] > run_end, (mode, len(during))
        assert r["slowest"] < 2.0, (mode, r["slowest"])
    assert results["held"]["counts"] == [before]  # its snapshot: the file it opened
    assert results["reconnecting"]["counts"] == [before, after]
    # The published file is a whole DuckDB file with no WAL beside it and no copy left over.
    assert not Path(f"{db}.wal").exists()
    assert not list(db.parent.glob(f".{db.name}.publishing-*"))


class StepClock:
    """Stands in for warehouse.db's `time`: a sleep moves the clock on at once, so the retries run to the
    timeout without waiting for it."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_reader_past_the_timeout_gives_a_clear_error_and_changes_nothing(
    race: dict[str, Any], reader: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = race["db"]
    clock, attempts = StepClock(), []
    real_connect = duckdb.connect

    def attempt(*args: Any, **kwargs: Any) -> duckdb.DuckDBPyConnection:
        attempts.append(clock.now)
        return real_connect(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(warehouse.db, "time", clock)
        m.setattr(duckdb, "connect", attempt)
        with pytest.raises(WarehouseBusy) as exc:
            connect(db, timeout_s=1.5)
    # it retried, each attempt refused by the reader's lock, and gave up at the first one past its timeout
    assert len(attempts) > 1 and all(t < 1.5 for t in attempts[:-1]) and attempts[-1] >= 1.5, attempts
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
