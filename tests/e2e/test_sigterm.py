"""A run stopped by SIGTERM (a scheduler stopping it, `kill`, a container shutting down) leaves no process behind:
not its worker pool, not the Prefect server it started for itself. It ends with the signal's status, publishes
nothing, and the next run does the whole work.

The run uses Prefect's local (ephemeral) backend, as `make run` does, so newsetl starts the server itself; before
the fix, Prefect's signal handling skipped the atexit handler that stops it and the server lived on.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil

from tests import hostile
from tests.conftest import ROOT, cli_env, run_cli

FILES = 400  # more than in_process_max_files, so the run starts its worker pool; ~10 s of NLP on 2 cores


def _wait_for_line(proc: subprocess.Popen[str], needle: str, timeout: float) -> list[str]:
    assert proc.stderr is not None
    deadline, seen = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"{needle!r} never appeared; stderr so far:\n{''.join(seen)[-3000:]}")


def test_sigterm_leaves_no_process_and_the_rerun_completes(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    hostile.copy_good(inputs, FILES)
    db = tmp_path / "news.duckdb"
    home = tmp_path / "prefect-home"  # its own home: the ephemeral server creates its database there
    env = cli_env(home)  # no PREFECT_API_URL: the run starts its own Prefect server
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--db", str(db)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_line(proc, "Task run 'parse-files", timeout=180)  # the pool is parsing: NLP comes next
        children = psutil.Process(proc.pid).children(recursive=True)
        commands = [" ".join(c.cmdline()) for c in children]
        assert any("uvicorn" in c and "prefect.server" in c for c in commands), commands
        assert any("forkserver" in c for c in commands), commands
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGTERM, err[-3000:]
    _, alive = psutil.wait_procs(children, timeout=20)
    assert alive == [], [" ".join(p.cmdline()) for p in alive if p.is_running()]

    rerun = run_cli(["run", "--input", str(inputs), "--db", str(db)], home)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        files, runs = con.execute("SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM runs WHERE "
                                  "status = 'published')").fetchone() or (0, 0)
    finally:
        con.close()
    assert (files, runs) == (FILES, 1)  # every input accounted for by the one run that finished
