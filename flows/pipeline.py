"""The `newsetl run` Prefect flow: discover -> parse -> dedup -> extract -> stage -> validate -> publish.

Tasks work on batches of files/articles (never one task per article). CPU-heavy batches run in worker
processes (or on Dask); the flow process keeps the stateful parts: duplicate index, staging, publish.
"""

from __future__ import annotations

import contextvars
import os
import threading
import time
from asyncio import CancelledError
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context

from flows.early import EarlyCrawl, new_run_id
from flows.early import take as take_early
from flows.fetch import CrawlHandle, CrawlResult, new_crawl
from flows.ledger import RunLedger, RunSummary
from flows.lock import RunLock
from flows.progress import RunProgress, print_summary
from flows.settings import Settings
from flows.sources import InputFile, discover, load_sources
from flows.steps import FileOutcome, StepConfig, annotate_articles, parse_files, parse_isolated
from flows.workers import cluster_lost, run_batch, start_pool, stop_pool
from transforms.dedup import DuplicateIndex, from_bytes
from transforms.reasons import Reason
from transforms.records import Article, Rejection
from transforms.tables import to_rows
from warehouse.db import DiskFull, WarehouseBusy, disk_full
from warehouse.store import PriorState, StagingArea, cleanup_staging, staging_dir

T = TypeVar("T")
# How long a chunk of fetched pages waits for more before it goes to parsing.
_PAGE_WAIT_S = 3.0


def _ramped_chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Chunks of `size`, the first ones smaller (size/8, /4, /2): the workers get their first extraction
    after parsing a few dozen files instead of a whole chunk (measured: ~2 s sooner on 400-file chunks).
    Chunks stay in input order, so dedup and every result are the same as with even chunks."""
    start, step = 0, max(1, size // 8)
    while start < len(items):
        yield list(items[start:start + step])
        start += step
        step = min(max(1, size), step * 2)


def _split(items: list[T], parts: int) -> list[list[T]]:
    """Contiguous pieces: gathered back in order, they keep the input order, so dedup meets the files in
    input order and the copy kept of a duplicate pair never depends on chunk or piece sizes."""
    parts = max(1, min(parts, len(items)))
    n = len(items)
    return [items[i * n // parts:(i + 1) * n // parts] for i in range(parts)] if items else []


def _balance(articles: list[Article], parts: int) -> list[list[Article]]:
    """Cut a batch into at most `parts` pieces of about equal text length (NER time follows length): longest
    first, each to the lightest piece. Deterministic for the same batch."""
    parts = max(1, min(parts, len(articles)))
    pieces: list[list[Article]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for art in sorted(articles, key=lambda a: len(a.text), reverse=True):
        i = loads.index(min(loads))
        pieces[i].append(art)
        loads[i] += len(art.text) + 200  # + a fixed cost per article
    return [p for p in pieces if p]


def _retry_unless_busy(task: Any, task_run: Any, state: Any) -> bool:
    """Retry transient I/O errors; a busy warehouse already waited lock_timeout_s inside connect()."""
    return not isinstance(getattr(state, "data", None), WarehouseBusy) and "WarehouseBusy" not in (state.message or "")


# Retries only on the steps that touch the warehouse file (I/O); transforms are deterministic.
@task(name="read-warehouse-state", retries=2, retry_delay_seconds=2, retry_condition_fn=_retry_unless_busy,
      cache_policy=NO_CACHE)
def read_prior_state(warehouse: Any, timeout_s: float) -> PriorState:
    return warehouse.read_state(timeout_s)  # read-only; a publish never holds what it reads (backend.py)


@task(name="discover-inputs", cache_policy=NO_CACHE)
def discover_inputs(inputs: list[Path]) -> tuple[list[InputFile], list[Rejection]]:
    return discover(inputs)


@task(name="fetch-web-sources", cache_policy=NO_CACHE)
def fetch_task(handle: CrawlHandle) -> CrawlResult:
    """The crawl (running in its own thread since the run started): this task spans it in the UI."""
    return handle.join()


class WorkerCrashed:
    """What a batch task returns when a pool worker died under it: caught inside the task, so Prefect logs
    no traceback for a failure the flow recovers from (`_Guarded` re-runs the batch item by item)."""

    def __init__(self, exc: BaseException) -> None:
        self.detail = f"{type(exc).__name__}: {exc}"[:300]


@task(name="parse-files", cache_policy=NO_CACHE)
def parse_task(files: list[InputFile], cfg: StepConfig,
               prior_hashes: dict[str, str]) -> list[FileOutcome] | WorkerCrashed:
    try:
        return run_batch(parse_files, files, cfg, prior_hashes)
    except BrokenProcessPool as exc:
        return WorkerCrashed(exc)


@task(name="extract-entities-figures", cache_policy=NO_CACHE)
def nlp_task(articles: list[Article], cfg: StepConfig) -> list[Article] | WorkerCrashed:
    try:
        return run_batch(annotate_articles, articles, cfg)
    except BrokenProcessPool as exc:
        return WorkerCrashed(exc)


@task(name="validate-staged-batch", cache_policy=NO_CACHE)
def audit_task(staging: StagingArea, summary: RunSummary, settings: Settings, prior: PriorState) -> Any:
    from expectations.gate import BatchStats, GateThresholds, audit

    thresholds = GateThresholds.from_settings(settings)
    files_new = summary.files_seen - summary.files_unchanged
    stats = BatchStats(files_new=files_new, files_quarantined=summary.files_quarantined,
                       articles_new=summary.articles_loaded, files_duplicate=summary.files_duplicate)
    try:
        return audit(staging.frames(), stats, thresholds, settings.resolved_reports_dir, summary.run_id,
                     prior.history)
    except Exception as exc:  # a full disk (Data Docs, staging) is the run's one-line reason, not a task failure
        full = disk_full(exc)
        if full is None:
            raise
        return full


@task(name="publish", retries=2, retry_delay_seconds=5, retry_condition_fn=_retry_unless_busy, cache_policy=NO_CACHE)
def publish_task(warehouse: Any, staging_path: Path, timeout_s: float, memory_limit: str) -> DiskFull | None:
    """Publish (copy-on-publish or one DuckLake commit); a full disk comes back as a value, raised by the flow."""
    try:
        warehouse.publish(staging_path, timeout_s, memory_limit)
    except Exception as exc:
        full = disk_full(exc)
        if full is None:
            raise
        return full
    return None


@contextmanager
def _disk_full_ends_run(ledger: RunLedger, stage_dir: Path, warehouse: Any, timeout_s: float,
                        log: Any) -> Iterator[None]:
    """No space left while staging or publishing: the run ends `failed` with a one-line reason (no traceback),
    nothing published changes (copy-on-publish drops its copy; a DuckLake commit never happened), and its
    partial staging file is removed to give the space back. The next run after space is freed converges."""
    try:
        yield
    except Exception as exc:
        full = disk_full(exc)
        if full is None:
            raise
        summary = ledger.summary
        summary.status, summary.reason = "failed", str(full)
        for f in stage_dir.glob(f"{ledger.run_id}.duckdb*"):
            f.unlink(missing_ok=True)
        try:
            warehouse.record_run(ledger.run_row("failed", summary.reason, _flow_run_id(), {}), timeout_s)
        except Exception as again:  # with the disk still full this fails too: the runs row is simply missing
            log.warning("run %s: its runs row was not recorded either (%s)", ledger.run_id, type(again).__name__)
        log.error("run %s stopped: %s; nothing was published", ledger.run_id, summary.reason)


class StageTimer:
    """Wall seconds per stage, as seen from the flow process (waits include queued worker time)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - t0)


def _submit(fn: Any, batches: list[Any], *args: Any, in_process: bool) -> list[Any]:
    """Start a batch task over sub-batches on the flow's task runner (or run it here, for small runs)."""
    if in_process:
        return [_Done(fn(b, *args)) for b in batches]
    return [_Guarded(fn, b, args) for b in batches]


class _Guarded:
    """A sub-batch submitted to the worker pool. If its worker crashed (segfault, OOM kill: the pool breaks
    and every pending future fails), the sub-batch is re-run by the task's fallback, item by item, so the
    input that kills a process is quarantined alone (`worker_crash`) and the run continues."""

    def __init__(self, fn: Any, batch: Any, args: tuple[Any, ...]) -> None:
        self.batch, self.args = batch, args
        self.fallback: Any = {"parse-files": parse_isolated, "extract-entities-figures": annotate_articles}.get(fn.name)
        self.future: Any = None
        self.error: Exception | None = None
        try:
            self.future = fn.submit(batch, *args)
        except Exception as exc:  # the pool is already broken by an earlier crash
            self.error = exc

    def result(self) -> Any:
        try:
            if self.error is not None:
                raise self.error
            value = self.future.result()
        except (Exception, CancelledError) as exc:  # a Dask future cancelled by a lost scheduler: CancelledError
            lost = cluster_lost(exc)
            if lost is not None:  # the cluster failed, not the batch: fail the run, publish nothing
                raise lost from exc
            if self.fallback is None:
                raise
            return self._retry(f"{type(exc).__name__}: {str(exc)[:200]}")
        if isinstance(value, WorkerCrashed):
            if self.fallback is None:
                raise RuntimeError(f"a worker died on a batch: {value.detail}")
            return self._retry(value.detail)
        return value

    def _retry(self, why: str) -> Any:
        get_run_logger().warning("worker failed on a batch of %d (%s); retrying it item by item", len(self.batch), why)
        return self.fallback(self.batch, *self.args)


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def _gather(futures: list[Any]) -> list[Any]:
    return [f.result() for f in futures]


def _preimport_gate() -> None:
    try:
        import great_expectations  # noqa: F401

        import expectations.docs  # noqa: F401
    except Exception:  # the gate imports (and reports) it properly later
        pass


@contextmanager
def _pool_stopped() -> Iterator[None]:
    try:
        yield
    finally:
        stop_pool()


def run_pipeline(settings: Settings, workers: int) -> RunSummary:
    log = get_run_logger()
    early = take_early(settings.db) if settings.has_web_sources else None
    started = early.started if early else datetime.now(UTC)
    run_id = early.run_id if early else new_run_id(started)
    ledger = RunLedger(run_id, started)
    summary = ledger.summary
    timer = StageTimer()
    db = settings.db
    cfg = StepConfig.from_settings(settings)
    warehouse = settings.warehouse
    with RunLock(db, settings.lock_timeout_s, run_id), \
            _disk_full_ends_run(ledger, staging_dir(db), warehouse, settings.lock_timeout_s, log), \
            RunProgress(log) as progress, _pool_stopped():
        prior = read_prior_state(warehouse, settings.lock_timeout_s)
        files, refused = discover_inputs(settings.inputs)
        for rej in refused:
            if rej.reason == Reason.MISSING:
                log.warning("input %s does not exist", rej.source_path)
        todo = ledger.inputs(files, refused, prior)
        staging = StagingArea(db, run_id, settings.staging_memory_limit)
        crawl = _start_crawl(settings, prior, staging, ledger, early) if settings.has_web_sources else None
        log.info("run %s: %d inputs, %d unchanged, %d to process%s", run_id, summary.files_seen,
                 summary.files_unchanged, len(todo), " and the pages of the web sources" if crawl else "")
        _extract_and_stage(todo, crawl, prior, ledger, staging, settings, cfg, workers, timer, progress)
        if crawl is not None:
            ledger.crawl_done(crawl.join())
            timer.add("fetch", ledger.summary.fetch_seconds)
            _log_fetches(log, ledger.summary)
        # The workers are done: free their memory (the model, twice) before validation and publish need theirs.
        stop_pool()
        _stage_rows(staging, ledger.take_input_rows())

        progress.stage("validate")
        with timer("validate"):
            result = _validate(staging, summary, settings, prior)
        _apply_audit(result, ledger, staging, prior)
        _publish_or_record(result, ledger, staging, settings, timer, progress, log)
    summary.seconds = (datetime.now(UTC) - started).total_seconds()
    summary.stage_seconds = {k: round(v, 3) for k, v in timer.seconds.items()}
    _artifact(summary)
    print_summary(summary)
    return summary


class _CrawlThread:
    """The crawl's Prefect task, waited on in a thread of its own: the flow parses and extracts the pages
    fetched so far while the crawl waits on politeness delays."""

    def __init__(self, handle: CrawlHandle) -> None:
        self.crawl = handle.crawl
        self.result: CrawlResult | None = None
        self.error: BaseException | None = None
        ctx = contextvars.copy_context()  # the flow run's context: the task run is recorded under it
        self.thread = threading.Thread(target=ctx.run, args=(self._run, handle), name="newsetl-fetch-task",
                                       daemon=True)
        self.thread.start()

    def _run(self, handle: CrawlHandle) -> None:
        try:
            self.result = fetch_task(handle)
        except BaseException as exc:
            self.error = exc

    def join(self) -> CrawlResult:
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _start_crawl(settings: Settings, prior: PriorState, staging: StagingArea, ledger: RunLedger,
                 early: EarlyCrawl | None) -> _CrawlThread:
    """Start the crawl (or take the one the CLI started); `_extract_and_stage` then starts the NLP workers and
    the GX import beside it, as for any run with more than a few files."""
    if early is not None:
        handle = early.handle
    else:
        crawl = new_crawl(settings, prior.web, staging.dir / f"{ledger.run_id}.pages", ledger.run_id)
        handle = CrawlHandle(crawl, load_sources(settings.sources, settings.sources_file))
    ledger.attach(handle.crawl.rows)
    return _CrawlThread(handle)


def _chunk_stream(todo: list[InputFile], crawl: _CrawlThread | None, size: int,
                  ledger: RunLedger) -> Iterator[list[InputFile]]:
    """Local inputs in chunks of `size`, then the crawl's pages as they arrive (a chunk waits at most a few
    seconds for more pages, so NLP follows the crawl closely)."""
    yield from _ramped_chunks(todo, size)
    if crawl is None:
        return
    taken = 0
    while True:
        pages = crawl.crawl.next_pages(taken, size, _PAGE_WAIT_S)
        if not pages:
            return
        taken += len(pages)
        ledger.summary.files_seen += len(pages)
        yield [p.file for p in pages]


def _log_fetches(log: Any, s: RunSummary) -> None:
    log.info("fetch: %d URLs, %d requested (%d HTTP requests), %d not modified, %d skipped, %d failed in %.1fs",
             s.urls_seen, s.fetch_requested, s.fetch_requests, s.fetch_not_modified, s.fetch_skipped,
             s.fetch_failed, s.fetch_seconds)


def _refresh_report(settings: Settings, summary: RunSummary, log: Any) -> None:
    """Regenerate the HTML report and read the top entities for the artifact; never fails the run."""
    try:
        from flows.report import top_entities_and_places, write_report

        with_report = write_report(settings.warehouse, settings.resolved_reports_dir / "report.html",
                                   cache_dir=settings.resolved_cache_dir)
        summary.report_path = str(with_report.resolve())
        summary.top_entities = top_entities_and_places(settings.warehouse, 20)
    except Exception as exc:  # the data is published; a report problem is only a warning
        log.warning("could not write the report: %s: %s", type(exc).__name__, exc)


def _validate(staging: StagingArea, summary: RunSummary, settings: Settings, prior: PriorState) -> Any:
    if summary.files_seen == summary.files_unchanged:
        # Nothing new was staged: there is nothing to validate and nothing to publish but the run's rows.
        from expectations.gate import AuditResult

        return AuditResult(success=True, frames={}, row_failures=[], failed=[], docs_index=None)
    result = audit_task(staging, summary, settings, prior)
    if isinstance(result, DiskFull):
        raise result
    return result


def _stage_rows(staging: StagingArea, rows: dict[str, list[dict[str, Any]]]) -> None:
    for table, table_rows in rows.items():
        staging.append(table, table_rows)


def _apply_audit(result: Any, ledger: RunLedger, staging: StagingArea, prior: PriorState) -> None:
    """The gate's removal plan applied to staging and its failures to the ledger; then the ledger's rows are
    staged and its counters taken from what staging holds."""
    ledger.apply_audit(result, staging.article_paths() if result.row_failures else {})
    if result.plan:
        staging.apply_removals(result.plan)
    _stage_rows(staging, ledger.take_input_rows())
    _stage_rows(staging, ledger.fetch_rows(prior))
    ledger.recount(staging.counts())
    ledger.apply_result(result)


def _publish_or_record(result: Any, ledger: RunLedger, staging: StagingArea, settings: Settings,
                       timer: StageTimer, progress: RunProgress, log: Any) -> None:
    summary, db, warehouse = ledger.summary, settings.db, settings.warehouse
    unreachable = ledger.sources_failed()
    if result.success and unreachable and not summary.articles_loaded:
        staging.close()
        summary.status, summary.reason = "failed", unreachable
        warehouse.record_run(ledger.run_row("failed", unreachable, _flow_run_id(), timer.seconds),
                             settings.lock_timeout_s, list(ledger.fetches.values()))
        log.error(unreachable)
        return
    if result.success:
        staging.append("runs", [ledger.run_row("published", None, _flow_run_id(), timer.seconds)])
        staging.close()
        progress.stage("publish")
        with timer("publish"):
            full = publish_task(warehouse, staging.path, settings.lock_timeout_s, settings.publish_memory_limit)
        if full is not None:
            raise full
        summary.status = "published"
        cleanup_staging(db)
        if settings.report_after_run:
            _refresh_report(settings, summary, log)
        return
    fetches = list(ledger.fetches.values())
    staging.close()
    summary.status = "failed_validation"
    summary.reason = result.reason()
    warehouse.record_run(ledger.run_row("failed_validation", summary.reason, _flow_run_id(), timer.seconds),
                         settings.lock_timeout_s, fetches)
    log.error("%s (staged data kept in %s)", summary.reason, staging.path)


def _extract_and_stage(todo: list[InputFile], crawl: _CrawlThread | None, prior: PriorState, ledger: RunLedger,
                       staging: StagingArea, settings: Settings, cfg: StepConfig, workers: int, timer: StageTimer,
                       progress: RunProgress) -> None:
    """Parse, dedup, extract and stage the inputs to process, chunk by chunk, as a software pipeline."""
    in_process = crawl is None and len(todo) <= settings.in_process_max_files
    if not in_process and not settings.dask_address:
        start_pool(workers, settings.spacy_model)
    if not in_process:
        # GX takes ~2 s to import; do it while the workers extract instead of after.
        threading.Thread(target=_preimport_gate, name="preimport-gx", daemon=True).start()
    progress.start_files(len(todo))
    chunks = _chunk_stream(todo, crawl, settings.batch_files, ledger)
    line = _ChunkLine(chunks, _duplicate_index(todo, prior, settings), prior, ledger, staging, cfg, timer,
                      progress, workers, in_process)
    line.run()


class _ChunkLine:
    """Software pipeline over chunks, so the workers never wait for the flow process: parsing runs two chunks
    ahead, and chunk k+1's extraction is queued before chunk k's results are gathered and staged. Each stage
    is cut into several pieces per worker, which the pool hands out as workers free up (a slow piece no longer
    idles the other worker); extraction pieces are balanced by text length so the last chunk ends evenly. At
    most ~4 chunks are in flight: memory stays bounded."""

    def __init__(self, chunks: Iterator[list[InputFile]], index: DuplicateIndex, prior: PriorState,
                 ledger: RunLedger, staging: StagingArea, cfg: StepConfig, timer: StageTimer,
                 progress: RunProgress, workers: int, in_process: bool) -> None:
        self.chunks, self.index, self.prior, self.ledger, self.staging = chunks, index, prior, ledger, staging
        self.cfg, self.timer, self.progress, self.in_process = cfg, timer, progress, in_process
        self.pieces = workers if in_process else 2 * workers
        self.nlp_pieces = workers if in_process else 4 * workers
        self.parsing: deque[tuple[list[Any], int]] = deque()
        self.extracting: deque[tuple[list[Any], list[dict[str, Any]], list[dict[str, Any]], int]] = deque()
        self.staged_entities: set[str] = set()
        self.log = get_run_logger()

    def run(self) -> None:
        self.submit_parse()
        self.submit_parse()
        while self.parsing:
            futures, n_files = self.parsing.popleft()
            with self.timer("parse (wait)"):
                parsed = [o for batch in _gather(futures) for o in batch]
            with self.timer("dedup"):
                fresh, sigs, dup_rows = self.ledger.dedup(parsed, self.index)
            del parsed
            with self.timer("extract (wait)"):
                futures = _submit(nlp_task, _balance(fresh, self.nlp_pieces), self.cfg, in_process=self.in_process)
            self.extracting.append((futures, sigs, dup_rows, n_files))
            del fresh
            if len(self.extracting) > 1:
                self.stage_next()
            self.submit_parse()
        while self.extracting:
            self.stage_next()

    def submit_parse(self) -> None:
        chunk = next(self.chunks, None)
        if chunk is None:
            return
        hashes = {f.source_path: self.prior.files[f.source_path].file_hash for f in chunk
                  if f.source_path in self.prior.files}
        with self.timer("parse (wait)"):
            futures = _submit(parse_task, _split(chunk, self.pieces), self.cfg, hashes, in_process=self.in_process)
        self.parsing.append((futures, len(chunk)))

    def stage_next(self) -> None:
        futures, sigs, dup_rows, n_files = self.extracting.popleft()
        with self.timer("extract (wait)"):
            annotated = [a for batch in _gather(futures) for a in batch]
        stage_start = time.perf_counter()
        rows = to_rows(annotated, self.ledger.run_id, self.ledger.started)
        # An entity seen in an earlier chunk of this run is already staged; stage each id once.
        rows["entities"] = [e for e in rows["entities"] if e["entity_id"] not in self.staged_entities]
        self.staged_entities.update(e["entity_id"] for e in rows["entities"])
        _stage_rows(self.staging, {**rows, "article_signatures": sigs, "duplicates": dup_rows})
        self.ledger.summary.articles_loaded += len(annotated)
        self.timer.add("stage", time.perf_counter() - stage_start)
        self.log.info("batch staged: %d articles, %d duplicates", len(annotated), len(dup_rows))
        self.progress.advance(n_files, len(annotated))


def _duplicate_index(todo: list[InputFile], prior: PriorState, settings: Settings) -> DuplicateIndex:
    index = DuplicateIndex(settings.near_duplicate_threshold)
    todo_paths = {f.source_path for f in todo}
    for aid, chash, sig, src in prior.signatures:
        if src not in todo_paths:  # articles of re-processed files are about to be replaced
            index.add(aid, chash, from_bytes(sig) if sig else None)
    return index


def _flow_run_id() -> str | None:
    try:
        ctx = get_run_context()
        fr = getattr(ctx, "flow_run", None)
        return str(fr.id) if fr else None
    except Exception:
        return None


def _web_markdown(s: RunSummary) -> str:
    if not s.urls_seen:
        return ""
    lines = ["## Web sources", "",
             f"{s.urls_seen} URLs, {s.fetch_requested} requested ({s.fetch_requests} HTTP requests, "
             f"{s.fetch_seconds:.1f} s), {s.fetch_not_modified} not modified, {s.fetch_skipped} skipped, "
             f"{s.fetch_failed} failed.", "",
             "| source | URLs | requested | loaded | not modified | duplicate | skipped | failed | reasons |",
             "|---|---|---|---|---|---|---|---|---|"]
    for d in s.fetch_by_source:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(d["reasons"].items()))
        lines.append(f"| {d['source']} | {d['urls']} | {d['requested']} | {d['loaded']} | {d['not_modified']} | "
                     f"{d['duplicate']} | {d['skipped']} | {d['failed']} | {reasons} |")
    return "\n".join(lines) + "\n"


def _artifact(s: RunSummary) -> None:
    failed = "\n".join(f"- {d}" for d in s.failure_details) or "- none"
    md = f"""# newsetl run `{s.run_id}`: **{s.status}**

| inputs seen | unchanged | loaded | duplicate | quarantined |
|---|---|---|---|---|
| {s.files_seen} | {s.files_unchanged} | {s.files_loaded} | {s.files_duplicate} | {s.files_quarantined} |

Articles loaded: **{s.articles_loaded}**, duplicates: {s.duplicates}, quarantine rows: {s.quarantined},
entities linked: {s.entities}, figures: {s.figures}.

Validation: **{"passed" if s.validation_success else "FAILED"}**. Failed expectations:
{failed}

{_web_markdown(s)}
{("Reason: " + s.reason) if s.reason else ""}
{("Data Docs: `" + s.docs_index + "`") if s.docs_index else ""}
{("Report: [" + s.report_path + "](file://" + s.report_path + ")") if s.report_path else ""}
"""
    try:
        create_markdown_artifact(key="newsetl-run-summary", markdown=md, description=f"newsetl run {s.run_id}")
        if s.top_entities:
            create_table_artifact(key="newsetl-top-entities", table=s.top_entities,
                                  description=f"newsetl run {s.run_id}: top entities and places")
        if s.fetch_by_source:
            rows = [{**{k: v for k, v in d.items() if k != "reasons"},
                     "reasons": ", ".join(f"{k} {v}" for k, v in sorted(d["reasons"].items()))}
                    for d in s.fetch_by_source]
            create_table_artifact(key="newsetl-run-fetches", table=rows,
                                  description=f"newsetl run {s.run_id}: URLs per web source")
    except Exception as exc:  # an artifact must never fail the run
        get_run_logger().warning("could not create run artifact: %s", exc)


@flow(name="newsetl-run", log_prints=True)
def newsetl_run(inputs: list[str] | None = None, db: str | None = None, sources: list[str] | None = None,
                sources_file: str | None = None, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Ingest every supported file under the inputs and every web source, extract, stage, validate, publish.

    `settings` is the entry point's Settings as JSON (`Settings.to_params`), rebuilt here once; the four
    named parameters (a deployment's editable defaults) override it when given."""
    built = Settings.from_params(settings, inputs=inputs or None, db=db or None, sources=sources or None,
                                 sources_file=sources_file or None)
    workers = built.workers or os.cpu_count() or 1
    summary = run_pipeline(built, workers)
    if not summary.published and _deployment_id() is not None:
        # A scheduled or UI-triggered run has no exit status: one that did not publish shows as Failed.
        raise RunNotPublished(f"newsetl run {summary.run_id} not published: {summary.reason or summary.status}")
    return asdict(summary)


class RunNotPublished(RuntimeError):
    """A deployment run that ended without publishing (its artifact says why)."""


def _deployment_id() -> str | None:
    try:
        fr = getattr(get_run_context(), "flow_run", None)
        return str(fr.deployment_id) if fr is not None and fr.deployment_id else None
    except Exception:
        return None


def task_runner_for(settings: Settings) -> Any:
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=settings.dask_address)
    from prefect.task_runners import ThreadPoolTaskRunner

    # Threads only dispatch: the batches run in flows.workers' process pool (see its docstring). Enough of them
    # for every piece the chunk pipeline keeps in flight (2 chunks parsing + 2 extracting,
    # 2 + 4 pieces per worker).
    return ThreadPoolTaskRunner(max_workers=12 * (settings.workers or os.cpu_count() or 1))
