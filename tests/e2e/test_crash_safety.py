"""Crash safety (issue 9): SIGKILL the whole process group of a running `newsetl run` at random moments.

Before the killed run the warehouse holds 60 published articles; the run adds 40 more (100 in all). Every
kill starts from a fresh copy of that before state, so each one interrupts a real run (reading, extraction,
staging, validation or publishing). After every kill the warehouse opens and its published tables hold exactly
the before or the complete content. Every RERUN_EVERY-th kill (and the last) is followed by an uninterrupted
rerun on the killed database, which must converge to the content of a clean run; NEWSETL_CRASH_RERUN_EACH=1
reruns after every kill (slower). Stale staging files of killed runs are removed by the next publish; the run
lock (flock) dies with its process.

20 kills by default (NEWSETL_CRASH_KILLS overrides), one in each of 20 equal slices of a calibrated clean
run's duration, at a seeded random point inside the slice, so the kills spread over every stage.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests import hostile
from tests.conftest import PUBLISHED_TABLES, ROOT, cli_env

KILLS = int(os.environ.get("NEWSETL_CRASH_KILLS", "20"))
RERUN_EVERY = 1 if os.environ.get("NEWSETL_CRASH_RERUN_EACH") == "1" else 5
SEED = 9
# Columns that legitimately differ between two clean runs of the same inputs.
VOLATILE = {"run_id", "ingested_at", "quarantined_at"}


def content_checksums(db: Path) -> dict[str, str]:
    """Order-independent checksum of each published table's content columns (empty when there is no db)."""
    if not db.exists():
        return {t: "0" for t in PUBLISHED_TABLES}
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        out = {}
        for t in PUBLISHED_TABLES:
            if t not in tables:
                out[t] = "0"
                continue
            cols = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                              "table_name = ? ORDER BY ordinal_position", [t]).fetchall()
                    if c not in VOLATILE]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall()  # t, cols: from the catalog
            out[t] = "0" if not rows else f"{len(rows)}:{hash(tuple(sorted(repr(r) for r in rows)))}"
        return out
    finally:
        con.close()


def copy_db(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".wal"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dest}{suffix}")


@pytest.mark.timeout(2400)  # 20 killed runs and their reruns: past the 600 s default on a loaded machine
def test_sigkill_leaves_before_or_after_and_rerun_converges(tmp_path: Path, prefect_home: Path,
                                                             prefect_api: str) -> None:
    inputs = tmp_path / "in"
    files = hostile.copy_good(inputs, 100, skip=400)
    env = cli_env(prefect_home, PREFECT_API_URL=prefect_api)

    def start(db: Path, *paths: Path) -> subprocess.Popen[str]:
        args = [a for p in paths for a in ("--input", str(p))]
        return subprocess.Popen([sys.executable, "-m", "flows.cli", "run", *args, "--db", str(db)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def finish(proc: subprocess.Popen[str]) -> str:
        out, err = proc.communicate(timeout=300)
        assert "Traceback" not in out + err
        assert proc.returncode == 0, err[-2000:]
        return out

    before_db = tmp_path / "before" / "news.duckdb"
    finish(start(before_db, *files[:60]))
    before = content_checksums(before_db)
    ref_db = tmp_path / "ref" / "news.duckdb"
    copy_db(before_db, ref_db)
    t0 = time.monotonic()
    finish(start(ref_db, inputs))
    duration = time.monotonic() - t0
    complete = content_checksums(ref_db)
    assert complete["articles"] != before["articles"]

    rng = random.Random(SEED)
    moments = [max(0.2, (i + rng.random()) * duration / KILLS) for i in range(KILLS)]
    seen = []
    db = tmp_path / "k" / "news.duckdb"
    for i, at in enumerate(moments):
        if db.parent.exists():
            shutil.rmtree(db.parent)
        copy_db(before_db, db)
        proc = start(db, inputs)
        time.sleep(at)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        state = content_checksums(db)  # opening replays or discards a half-written WAL
        assert state in (before, complete), f"kill {i} at {at:.1f}s left a mixed state"
        seen.append("before" if state == before else "complete")
        if (i + 1) % RERUN_EVERY == 0 or i == len(moments) - 1:
            rerun = start(db, inputs)
            out, err = rerun.communicate(timeout=300)
            assert "Traceback" not in out + err
            # 1: nothing new to publish, when the killed run had already published.
            assert rerun.returncode in (0, 1), err[-2000:]
            assert content_checksums(db) == complete, f"rerun after kill {i} at {at:.1f}s did not converge"
            if rerun.returncode == 0:  # the publish removed every killed run's staging file
                assert not list((db.parent / ".staging").rglob("*.duckdb"))
    print(f"clean run {duration:.1f}s; kills at {[round(m, 1) for m in moments]} -> {seen}")
