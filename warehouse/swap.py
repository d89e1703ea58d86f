"""Copy-on-publish for the embedded warehouse: write a fresh copy beside the file, then rename it over the path.

A DuckDB file opened read-write is locked against every other process, readers included; opened read-only it
is locked against writers. So a publish never opens `news.duckdb` itself: it copies it to
`.news.duckdb.publishing-<pid>` in the same folder, publishes into the copy, checkpoints and closes it (no
`.wal` is left), fsyncs it and `os.replace`s it over the path (atomic on POSIX), then fsyncs the folder.
A reader that had the old file open keeps reading the old inode (its snapshot) until it reconnects; a reader
that opens the path afterwards gets the new file. Nobody ever sees half a publish, and nobody waits.

Writers are serialised by the run lock (flows/lock.py), so one copy at a time exists; a copy left by a killed
run is removed by the next publish.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.db import DiskFull, disk_full

_COPY_CHUNK = 1 << 30


def scratch_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.publishing-{os.getpid()}")


def remove_stale_copies(path: Path) -> int:
    """Copies (and their WAL) left by killed publishes; call only while holding the run lock."""
    removed = 0
    for f in path.parent.glob(f".{path.name}.publishing-*"):
        f.unlink(missing_ok=True)
        removed += 1
    return removed


def copy_file(src: Path, dest: Path) -> None:
    """Copy with copy_file_range (in-kernel; a reflink on filesystems that share extents, e.g. XFS or btrfs),
    falling back to shutil where the kernel or filesystem refuses it."""
    with src.open("rb") as fin, dest.open("wb") as fout:
        size = os.fstat(fin.fileno()).st_size
        try:
            left = size
            while left > 0:
                n = os.copy_file_range(fin.fileno(), fout.fileno(), min(left, _COPY_CHUNK))
                if n == 0:
                    break
                left -= n
            if left == 0:
                return
        except OSError as exc:
            if disk_full(exc):
                raise
        fin.seek(0)
        fout.seek(0)
        fout.truncate()
        shutil.copyfileobj(fin, fout, 1 << 20)


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _checkpoint_wal(path: Path, timeout_s: float) -> None:
    """A `.wal` beside the published file (someone wrote to it read-write) is folded into it first: a copy of
    the file alone would lose it, and a stale WAL beside a renamed file would be replayed onto the wrong one."""
    from warehouse.db import connect

    con = connect(path, timeout_s=timeout_s)
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()


@contextmanager
def replaced_atomically(path: Path, timeout_s: float = 30.0, *, writers_locked: bool = True) -> Iterator[Path]:
    """Yield a private copy of `path` (a new, empty path when there is none yet) to write into; when the block
    ends normally the copy replaces `path` atomically, otherwise it is removed and `path` is untouched.
    The block must close every connection to the copy before it ends. `writers_locked=False` (a cache several
    processes may rebuild at once): other processes' copies are left alone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if writers_locked:
        remove_stale_copies(path)
    if Path(f"{path}.wal").exists():
        _checkpoint_wal(path, timeout_s)
    tmp = scratch_path(path)
    wal = Path(f"{tmp}.wal")
    try:
        if path.exists():
            copy_file(path, tmp)
        yield tmp
        if wal.exists():  # every connection closed: DuckDB checkpoints on close, so this is not expected
            con = duckdb.connect(str(tmp))
            con.execute("CHECKPOINT")
            con.close()
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync(path.parent, directory=True)
    except BaseException as exc:
        for f in (tmp, wal):
            with contextlib.suppress(OSError):
                f.unlink(missing_ok=True)
        full = disk_full(exc)
        if full is not None and full is not exc:
            raise full from exc
        raise


__all__ = ["DiskFull", "copy_file", "remove_stale_copies", "replaced_atomically", "scratch_path"]
