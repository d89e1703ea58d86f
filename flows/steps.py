"""Batch steps shared by the Prefect flow and `newsetl extract`: read + parse files, annotate articles.

Plain functions over batches; the flow wraps them in tasks, `extract` calls them directly. Each runs
well in a worker process: the spaCy model is loaded once per process and reused.

Limits live here: a per-file time limit (SIGALRM in a main thread, an asynchronous exception from a
watchdog elsewhere), a cap on article length before any costly step, and `parse_isolated`, which re-runs
files one by one in a throw-away worker process so a file that kills its process is quarantined alone.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context

from flows.settings import Settings
from flows.sources import InputFile, file_hash, read_bytes
from transforms.articles import annotate, build_article
from transforms.dedup import signature, to_bytes
from transforms.ingest import ParseLimits, kind_of, parse_file
from transforms.reasons import Reason
from transforms.records import Article, Rejection
from transforms.urls import domain_of

# UTF-8 needs at most 4 bytes a character: a plain-text file larger than this many times the body limit
# cannot produce an acceptable article, so it is refused before decoding (a 50 MB .txt costs nothing).
_MAX_BYTES_PER_CHAR = 4


@dataclass(slots=True)
class FileOutcome:
    file: InputFile
    file_hash: str = ""
    unchanged: bool = False
    articles: list[Article] = field(default_factory=list)
    signatures: list[bytes] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StepConfig:
    """A view of the Settings fields the worker steps need (small and picklable); no defaults of its own:
    every field has the name and meaning of a Settings field and is copied from it."""

    max_file_bytes: int
    max_decompressed_bytes: int
    max_html_bytes: int
    max_nlp_chars: int
    max_batch_chars: int
    spacy_model: str
    nlp_batch_size: int
    max_body_chars: int
    file_timeout_s: float

    @classmethod
    def from_settings(cls, s: Settings) -> StepConfig:
        return cls(**{name: getattr(s, name) for name in cls.__dataclass_fields__})

    @property
    def limits(self) -> ParseLimits:
        return ParseLimits(max_decompressed_bytes=self.max_decompressed_bytes, max_html_bytes=self.max_html_bytes)


class FileTimeout(BaseException):
    """Raised into a file's processing when it overruns the time limit. A BaseException, so that a reader's
    `except Exception` fallback cannot swallow it and carry on past the deadline."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with FileTimeout after `seconds` (0 or less: no limit).

    In the main thread a SIGALRM timer interrupts even a blocking call; elsewhere a watchdog thread raises
    the exception asynchronously, which takes effect at the next Python bytecode. Neither can stop a C
    loop that never returns to Python; `parse_isolated` bounds those by killing its worker process.
    """
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread():
        def on_alarm(signum: int, frame: object) -> None:
            raise FileTimeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    target = threading.get_ident()
    done = threading.Event()

    def watchdog() -> None:
        if not done.wait(seconds):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(FileTimeout))

    w = threading.Thread(target=watchdog, name="newsetl-file-timeout", daemon=True)
    w.start()
    try:
        yield
    finally:
        done.set()
        w.join()


def parse_files(files: list[InputFile], cfg: StepConfig, prior_hashes: dict[str, str] | None = None,
                with_signatures: bool = True) -> list[FileOutcome]:
    """Read and parse each file. A file whose bytes hash like its prior version is marked unchanged.
    One bad file never fails the batch: any error or overrun becomes a rejection against that file."""
    prior_hashes = prior_hashes or {}
    limits = cfg.limits
    out: list[FileOutcome] = []
    for f in files:
        res = FileOutcome(f)
        out.append(res)
        try:
            with time_limit(cfg.file_timeout_s):
                _parse_one(f, res, cfg, limits, prior_hashes, with_signatures)
        except FileTimeout:
            _reject(res, Rejection(f.source_path, Reason.TIMEOUT,
                                   f"processing took longer than {cfg.file_timeout_s:g}s"))
        except Exception as exc:  # failure isolation: report against the input, keep the batch going
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            _reject(res, Rejection(f.source_path, Reason.PARSE_ERROR, tb[:500]))
    return out


def _reject(res: FileOutcome, rej: Rejection) -> None:
    res.articles.clear()
    res.signatures.clear()
    res.unchanged = False
    res.rejections.append(rej)


def _parse_one(f: InputFile, res: FileOutcome, cfg: StepConfig, limits: ParseLimits,
               prior_hashes: dict[str, str], with_signatures: bool) -> None:
    data = read_bytes(f, cfg.max_file_bytes)
    if isinstance(data, Rejection):
        res.rejections.append(data)
        return
    res.file_hash = file_hash(data)
    if prior_hashes.get(f.source_path) == res.file_hash:
        res.unchanged = True
        return
    name = f.path.rsplit("/", 1)[-1]
    kind, gz = kind_of(name)
    if kind == "text" and not gz and len(data) > _MAX_BYTES_PER_CHAR * cfg.max_body_chars:
        res.rejections.append(Rejection(f.source_path, Reason.TOO_LONG, f"text file of {len(data)} bytes holds "
                                        f"more than max_body_chars={cfg.max_body_chars} characters"))
        return
    parsed = parse_file(data, f.source_path, name, limits)
    del data
    res.rejections.extend(parsed.rejections)
    for raw in parsed.articles:
        # Checked before cleaning, hashing and MinHash, whose cost grows with the text.
        if len(raw.body) > cfg.max_body_chars:
            res.rejections.append(Rejection(f.source_path, Reason.TOO_LONG,
                                            f"entry {raw.entry_key or raw.source_id or 1}: body of "
                                            f"{len(raw.body)} chars exceeds max_body_chars={cfg.max_body_chars}"))
            continue
        if f.url:  # a fetched page: its URL is known even when the page does not name itself
            raw.url = raw.url or f.url
            raw.source_domain = raw.source_domain or domain_of(f.url)
        art = build_article(raw)
        if not art.body.strip() and not art.title.strip():
            res.rejections.append(Rejection(f.source_path, Reason.EMPTY, "no text in article"))
            continue
        res.articles.append(art)
        if with_signatures:
            # MinHash holds a (shingles x permutations) matrix: the first max_nlp_chars characters bound its
            # memory (a 2M-char body would need ~1 GB) and still identify a copy.
            res.signatures.append(to_bytes(signature((art.body or art.title)[:cfg.max_nlp_chars])))


ParseFn = Callable[[list[InputFile], StepConfig, dict[str, str]], list[FileOutcome]]


def parse_isolated(files: list[InputFile], cfg: StepConfig, prior_hashes: dict[str, str] | None = None,
                   fn: ParseFn | None = None) -> list[FileOutcome]:
    """Parse files one at a time in a separate worker process (after a worker pool crashed on the batch).

    A file whose processing kills the worker (segfault, out-of-memory kill, abort) is quarantined as
    `worker_crash`; one that overruns twice the time limit (stuck in C code) as `timeout`, and its worker
    is killed. Either way a fresh worker takes the remaining files.
    """
    fn = fn or _parse_plain
    prior_hashes = prior_hashes or {}
    limit = cfg.file_timeout_s * 2 + 30 if cfg.file_timeout_s > 0 else None
    out: list[FileOutcome] = []
    pool: ProcessPoolExecutor | None = None
    try:
        for f in files:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
            try:
                out.extend(pool.submit(fn, [f], cfg, prior_hashes).result(timeout=limit))
                continue
            except BrokenProcessPool as exc:
                rej = Rejection(f.source_path, Reason.WORKER_CRASH,
                                f"the worker process died parsing this file: {exc}"[:500])
            except FutureTimeout:
                rej = Rejection(f.source_path, Reason.TIMEOUT, f"worker stuck for more than {limit:g}s; killed")
            _kill(pool)
            pool = None
            out.append(FileOutcome(f, rejections=[rej]))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return out


def _parse_plain(files: list[InputFile], cfg: StepConfig, prior_hashes: dict[str, str]) -> list[FileOutcome]:
    return parse_files(files, cfg, prior_hashes)


def _kill(pool: ProcessPoolExecutor) -> None:
    for proc in list(getattr(pool, "_processes", {}).values()):  # no public API to kill a stuck worker
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def annotate_articles(articles: list[Article], cfg: StepConfig) -> list[Article]:
    """Entities and figures for a batch, with the process's cached NER model."""
    from transforms.entities import load_ner

    if articles:
        annotate(articles, load_ner(cfg.spacy_model), cfg.max_nlp_chars, cfg.nlp_batch_size, cfg.max_batch_chars)
    return articles
