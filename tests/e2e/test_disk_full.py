"""A full disk (issue 17, item 5): the warehouse on a real 40 MB tmpfs that fills up during a run.

Mounting needs root (the suite runs as root here and on CI); where mount is refused the test skips and says
why. The filesystem is filled by a filler file that leaves just enough room for the run to start: once with
about half the warehouse's size free (the run stages, then the copy-on-publish runs out of space), once with
almost nothing (staging runs out). Each time: non-zero exit, a one-line `disk_full` reason, no traceback,
the published tables unchanged. Then the filler goes and a rerun converges to a clean run's content.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import hostile
from tests.conftest import ROOT, cli_env
from tests.e2e.test_crash_safety import content_checksums, copy_db


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mnt)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a 40 MB tmpfs here ({done.stderr.strip() or 'mount refused'})")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(fs: Path, leave: int) -> Path:
    """A filler file that leaves `leave` bytes free on `fs`."""
    filler = fs / "filler.bin"
    st = os.statvfs(fs)
    size = st.f_bavail * st.f_frsize - leave
    with filler.open("wb") as f:
        chunk = b"\0" * (1 << 20)
        while size > 0:
            f.write(chunk[:min(size, len(chunk))])
            size -= len(chunk)
    return filler


def test_full_disk_fails_cleanly_and_rerun_converges(small_fs: Path, tmp_path: Path, prefect_home: Path,
                                                     prefect_api: str) -> None:
    inputs = tmp_path / "in"
    files = hostile.copy_good(inputs, 60, skip=500)
    env = cli_env(prefect_home, PREFECT_API_URL=prefect_api, NEWSETL_REPORT_AFTER_RUN="false")

    def run(db: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
        args = [a for p in paths for a in ("--input", str(p))]
        return subprocess.run([sys.executable, "-m", "flows.cli", "run", *args, "--db", str(db)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)

    db = small_fs / "news.duckdb"
    first = run(db, *files[:20])
    assert first.returncode == 0, first.stderr[-3000:]
    before = content_checksums(db)
    ref = tmp_path / "ref" / "news.duckdb"
    copy_db(db, ref)
    clean = run(ref, inputs)
    assert clean.returncode == 0, clean.stderr[-3000:]
    complete = content_checksums(ref)
    assert complete["articles"] != before["articles"]

    size = db.stat().st_size
    for leave in (size // 2, 64 * 1024):  # publish's copy runs out, then staging does
        filler = fill(small_fs, leave)
        failed = run(db, inputs)
        out = failed.stdout + failed.stderr
        assert failed.returncode != 0, out[-3000:]
        assert "Traceback" not in out, out[-5000:]
        last = failed.stderr.strip().splitlines()[-1]
        assert last.startswith("newsetl run not published: disk_full:"), (leave, last)
        print(f"left {leave} bytes free: {last}")
        assert content_checksums(db) == before, f"a full disk (left {leave} bytes) changed published tables"
        assert not list(small_fs.glob(".news.duckdb.publishing-*"))  # the failed copy is gone
        filler.unlink()

    rerun = run(db, inputs)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "Traceback" not in rerun.stdout + rerun.stderr
    assert content_checksums(db) == complete
    shutil.rmtree(small_fs / ".staging", ignore_errors=True)
