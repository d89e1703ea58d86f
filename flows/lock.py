"""One writer at a time: an advisory lock file beside the warehouse, held for a whole run.

flock is released by the kernel when a process dies, so a killed run never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path
from types import TracebackType

from warehouse.db import flock_within


class LockBusy(RuntimeError):
    pass


# Locks this process holds, by path: a RunLock taken again in the same process (the CLI takes it before a web
# crawl starts, the flow takes it again) nests instead of waiting for itself.
_HELD: dict[str, int] = {}


class RunLock:
    def __init__(self, db: Path, timeout_s: float, run_id: str) -> None:
        self.path = db.parent / f".{db.name}.lock"
        self.timeout_s = timeout_s
        self.run_id = run_id
        self._fh: int | None = None

    def holder(self) -> str:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
            return f"newsetl run {info.get('run_id')} (pid {info.get('pid')}, since {info.get('since')})"
        except (OSError, ValueError):
            return "another newsetl run"

    def __enter__(self) -> RunLock:
        key = str(self.path.resolve())
        if key in _HELD:
            _HELD[key] += 1
            self._nested = True
            return self
        self._nested = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not flock_within(fd, self.timeout_s, delay=0.2, max_delay=2.0):
            who = self.holder()
            os.close(fd)
            raise LockBusy(f"warehouse is busy: held by {who}; waited {self.timeout_s:.0f}s")
        os.ftruncate(fd, 0)
        info = {"run_id": self.run_id, "pid": os.getpid(), "since": time.strftime("%Y-%m-%dT%H:%M:%S")}
        os.write(fd, json.dumps(info).encode())
        self._fh = fd
        _HELD[key] = 1
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        key = str(self.path.resolve())
        if getattr(self, "_nested", False):
            _HELD[key] -= 1
            return
        _HELD.pop(key, None)
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            os.close(self._fh)
            self._fh = None
