"""A warm process pool for the CPU-heavy batch steps on the local machine.

Prefect's ProcessPoolTaskRunner starts a fresh interpreter per worker that imports Prefect and registers
with the API (measured here: ~35 s to first result under load, ~1 s per task). Instead the flow runs its
batch tasks on Prefect's thread runner, and each task hands its batch to this pool: workers fork from a
clean forkserver that has already imported the pipeline modules, and load the spaCy model once, while the
flow is still discovering inputs. On Dask (NEWSETL_DASK_ADDRESS) no pool is started and the tasks run in
the Dask workers themselves: `dask worker --preload flows.workers` loads the model as a worker starts
(`dask_setup`), and `cluster_lost` tells a lost cluster (fail the run) from a batch that killed its worker.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from flows.settings import Settings

T = TypeVar("T")

_POOL: ProcessPoolExecutor | None = None
_ARGS: tuple[int, str] | None = None
# Taken to start, stop or replace the pool: several task threads can see the same crash at once, and
# exactly one of them may replace the pool (the others then use the new one).
_LOCK = threading.RLock()
# flows.preload (last) loads the model and builds the rule tables in the forkserver, once for all workers.
PRELOAD = ["flows.steps", "transforms.entities", "transforms.figures", "transforms.html", "transforms.feeds",
           "transforms.jsonl", "spacy", "flows.preload"]


def _warm(model: str) -> None:
    # Runs once per worker, before its first batch: a no-op when flows.preload already did it in the forkserver.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from transforms.articles import warm_up

    warm_up(model)


def _noop() -> int:
    return os.getpid()


def start_pool(workers: int, model: str, *, wait: bool = True) -> None:
    """Start (or keep) the pool and warm its workers. Forking the first worker waits until the forkserver has
    preloaded the model and tables (~4 s); with wait=False a thread waits for it, so the caller goes on
    importing the flow meanwhile (measured: the flow began ~3 s later when the CLI waited here)."""
    with _LOCK:
        pool = _start_pool(workers, model)
    if pool is None:
        return
    if wait:
        _spawn(pool, workers)
    else:
        threading.Thread(target=_spawn, args=(pool, workers), name="newsetl-pool-start", daemon=True).start()


def _start_pool(workers: int, model: str) -> ProcessPoolExecutor | None:
    """A new pool (None when the running one fits)."""
    global _POOL, _ARGS
    if _POOL is not None and (workers, model) == _ARGS:
        return None
    stop_pool()
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm, initargs=(model,))
    _ARGS = (workers, model)
    return _POOL


def _spawn(pool: ProcessPoolExecutor, workers: int) -> None:
    """Spawn all workers now, so the model loads while the flow reads its inputs."""
    try:
        for _ in range(workers):
            pool.submit(_noop)
    except RuntimeError:  # stopped meanwhile (shutdown): nothing to warm
        pass


def stop_pool() -> None:
    """Stop the workers and their forkserver (which holds the pre-imported pipeline: ~170 MB)."""
    with _LOCK:
        _stop_pool()


def _stop_pool() -> None:
    global _POOL, _ARGS
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        from multiprocessing import forkserver

        stop_server = getattr(forkserver._forkserver, "_stop", None)  # no public API; a new pool restarts it
        if stop_server is not None:
            stop_server()
    _POOL, _ARGS = None, None


def run_batch(fn: Callable[..., T], *args: Any) -> T:
    """Run fn(*args) in the pool when there is one, else here. A broken pool (a worker was killed) is
    replaced for later batches and the error re-raised, so the caller can isolate the culprit."""
    pool = _POOL
    if pool is None:
        return fn(*args)
    fut: Future[T] = pool.submit(fn, *args)
    try:
        return fut.result()
    except BrokenProcessPool:
        with _LOCK:  # only the first thread to see this pool break replaces it
            if _ARGS is not None and _POOL is pool:
                workers, model = _ARGS
                stop_pool_quietly(pool)
                start_pool(workers, model)
        raise


def stop_pool_quietly(pool: ProcessPoolExecutor) -> None:
    global _POOL, _ARGS
    try:
        pool.shutdown(wait=False, cancel_futures=True)
    finally:
        with _LOCK:
            if _POOL is pool:
                _POOL, _ARGS = None, None


def prewarm_for(inputs: list[Path], db: Path, workers: int, model: str, in_process_max_files: int) -> bool:
    """Start the pool before the flow when a quick scan says the run has real work (more files new or
    changed than Settings.in_process_max_files), so the workers load the model while Prefect and the pipeline
    import. A wrong guess only costs the warm-up: the flow decides again on exact data."""
    from flows.sources import discover

    files, _ = discover(inputs)
    if len(files) <= in_process_max_files:
        return False
    known: dict[str, tuple[int, int]] = {}
    if db.exists():
        import duckdb

        from warehouse.db import read_sql

        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error:  # busy or unreadable: let the flow decide
            return False
        try:
            rows = con.execute(read_sql("prior_files")).fetchall()
            known = {path: (size, mtime) for path, size, mtime, *_ in rows}
        except duckdb.Error:
            known = {}
        finally:
            con.close()
    todo = sum(1 for f in files if known.get(f.path) != (f.size, f.mtime_ns))
    if todo <= in_process_max_files:
        return False
    start_pool(workers, model, wait=False)
    return True


def warm_with(settings: Settings) -> None:
    """Load the saved gazetteer (flows/gazetteer_cache.py) from settings' cache folder, then the model and rule
    tables: the spaCy model settings name."""
    from flows import gazetteer_cache

    gazetteer_cache.install(settings.resolved_cache_dir)
    _warm(settings.spacy_model)


def warm_process() -> None:
    """The start of a process that no caller hands settings to: the pool's forkserver (flows/preload.py, imported
    before any worker forks) and a Dask worker (`dask_setup`). Such a process is its own entry point, so its
    Settings are built here, once, from the NEWSETL_* environment it inherited (the flow's, or the worker host's).
    This only warms caches: every batch still gets the run's own settings as arguments, and a pool worker loads
    the run's model (`start_pool`'s initargs) if it differs."""
    from flows.settings import Settings

    warm_with(Settings())


def dask_setup(worker: Any) -> None:
    """`dask worker --preload flows.workers`: load the spaCy model when the worker starts, not in its first task
    (NEWSETL_SPACY_MODEL names it, as for the flow)."""
    warm_process()


class DaskClusterLost(RuntimeError):
    """The Dask cluster cannot run the run's batches: no worker left to run them, or the scheduler is gone.
    Not a bad input, so the batch is not retried item by item here: the run fails and publishes nothing."""


# Errors that say the cluster, not the batch, failed. A KilledWorker (the same task killed its workers
# `allowed-failures` times) is left out on purpose: that is the signature of an input that kills a process,
# which the flow isolates item by item like a crash in the local pool.
_CLUSTER_ERRORS = {"NoWorkerError", "NoValidWorkerError", "FutureCancelledError", "FuturesCancelledError",
                   "CommClosedError", "CancelledError"}


def cluster_lost(exc: BaseException) -> DaskClusterLost | None:
    """A DaskClusterLost when exc (or its cause) is a cluster failure, else None."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            break
        if type(seen).__name__ in _CLUSTER_ERRORS:
            detail = (str(seen).strip().splitlines() or [""])[0][:200]
            return DaskClusterLost(f"no Dask worker could run a batch ({type(seen).__name__}: {detail})")
        seen = seen.__cause__ or seen.__context__
    return None


def scheduler_problem(address: str, timeout_s: float = 10.0) -> str | None:
    """Why the Dask scheduler at address cannot be reached (one line), or None when it accepts a connection.
    Checked before the flow starts, so an unreachable cluster costs seconds, not distributed's 30 s timeout."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or not parts.port:
        return None  # inproc://, ucx://, ...: let distributed decide
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=timeout_s):
            return None
    except OSError as exc:
        return f"Dask scheduler {address} is unreachable ({exc.strerror or exc})"
