"""Start a run's crawl as soon as the command line has its settings, before Prefect and the pipeline are up.

A `newsetl run` spends seconds importing Prefect and starting its ephemeral server before the flow body runs
(measured here: 5 s on a quiet machine, far more on a loaded one); a crawl is mostly politeness waits, so
starting it first takes that time off the run. The crawl then belongs to the run: the CLI holds the run's
lock from here (the flow takes it again, nested), the run id is chosen here, and the flow picks the crawl up
with `take()`, reporting it as its `fetch-web-sources` task. When the warehouse is busy nothing starts early:
the flow waits for the lock and crawls itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flows.fetch import CrawlHandle, new_crawl
from flows.lock import LockBusy, RunLock
from flows.settings import Settings
from flows.sources import load_sources
from warehouse.db import WarehouseBusy
from warehouse.store import staging_dir


@dataclass
class EarlyCrawl:
    run_id: str
    started: datetime
    handle: CrawlHandle
    lock: RunLock

    def release(self) -> None:
        self.lock.__exit__(None, None, None)


_EARLY: dict[str, EarlyCrawl] = {}


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def start(settings: Settings) -> EarlyCrawl | None:
    """Take the run lock without waiting and start the crawl; None when the warehouse is busy."""
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    lock = RunLock(settings.db, 0.0, run_id)
    try:
        lock.__enter__()
    except LockBusy:
        return None
    try:
        prior = settings.warehouse.read_state(0.0)
    except (WarehouseBusy, OSError):
        lock.__exit__(None, None, None)
        return None
    crawl = new_crawl(settings, prior.web, staging_dir(settings.db) / f"{run_id}.pages", run_id)
    early = EarlyCrawl(run_id, started, CrawlHandle(crawl, load_sources(settings.sources, settings.sources_file)),
                       lock)
    _EARLY[_key(settings.db)] = early
    return early


def take(db: Path) -> EarlyCrawl | None:
    """The crawl started early for this warehouse, once (the flow that runs next owns it)."""
    return _EARLY.pop(_key(db), None)


def _key(db: Path) -> str:
    return str(db.resolve())
