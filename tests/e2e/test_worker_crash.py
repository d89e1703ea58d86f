"""A pool worker killed in the middle of a real `newsetl run`: the run recovers and publishes everything.

The kill is real (SIGKILL to one of the worker processes the forkserver started), so the pool breaks under
whatever batch is in flight. The batch task catches that inside itself (no Prefect traceback), the flow
re-runs the batch item by item and replaces the pool for the next batches; no input is blamed for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests import hostile
from tests.conftest import ROOT, cli_env, query

N_FILES = 150  # well over in_process_max_files: the pool is used
LOADED_RSS = 200 * 2**20  # a worker this big has loaded the spaCy model


def pool_workers(run_pid: int) -> list[psutil.Process]:
    """The pool's workers: the children of the run's forkserver process."""
    out: list[psutil.Process] = []
    for child in psutil.Process(run_pid).children():
        try:
            if "forkserver" in " ".join(child.cmdline()):
                out.extend(child.children())
        except psutil.Error:
            continue
    return out


def kill_a_busy_worker(proc: subprocess.Popen[str], deadline_s: float) -> bool:
    """SIGKILL one loaded worker once it has worked a little; False when the run ended first."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end and proc.poll() is None:
        for w in pool_workers(proc.pid):
            try:
                if w.memory_info().rss > LOADED_RSS and sum(w.cpu_times()[:2]) > 2.0:
                    os.kill(w.pid, signal.SIGKILL)
                    return True
            except psutil.Error:
                continue
        time.sleep(0.1)
    return False


def test_killed_worker_is_recovered_without_a_traceback(tmp_path: Path, prefect_home: Path,
                                                         prefect_api: str) -> None:
    inputs = tmp_path / "in"
    files = hostile.copy_good(inputs, N_FILES, skip=100)
    db = tmp_path / "wh" / "news.duckdb"
    env = cli_env(prefect_home, PREFECT_API_URL=prefect_api, NEWSETL_WORKERS="2")
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--db", str(db)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        killed = kill_a_busy_worker(proc, deadline_s=240)
        out, err = proc.communicate(timeout=400)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert killed, "the run ended before a worker could be killed"
    assert proc.returncode == 0, err
    assert "Traceback" not in out + err, err
    assert "retrying it item by item" in out + err, err
    [(seen, loaded, dup, quarantined)] = query(db, "SELECT files_seen, files_loaded, files_duplicate, "
                                                   "files_quarantined FROM runs")
    assert (seen, quarantined) == (len(files), 0)  # the crash was no input's fault: nothing quarantined for it
    assert loaded + dup == len(files)
