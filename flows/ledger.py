"""A run's bookkeeping in one place: which inputs and URLs it saw, what became of each, and its counts.

The flow hands the ledger what happened (refused inputs, parse outcomes, the crawl, the audit, the staged
counts); the ledger keeps the `files`, `quarantine`, `duplicates`, `fetches` and `runs` rows and the run's
counters, and hands the rows back for the flow to stage. It does no I/O (no database, no files but a stat of a
refused input), so each step can be tested alone. Every input file and every URL ends in exactly one row with
an outcome, so nothing is lost silently.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flows.fetch import CrawlResult
from flows.sources import InputFile
from flows.steps import FileOutcome
from transforms.dedup import DuplicateIndex, from_bytes
from transforms.reasons import Reason as QReason
from transforms.records import Article, Rejection
from transforms.web import Outcome, Reason
from warehouse.store import PriorState

# Failures worth another try on the next run (the page may be back); others are final until the URL changes.
RETRYABLE = frozenset((Reason.TIMEOUT, Reason.CONNECT_ERROR, Reason.NETWORK_ERROR, Reason.HTTP_STATUS,
                       Reason.RATE_LIMITED, Reason.ROBOTS_UNAVAILABLE, Reason.DNS_ERROR))


@dataclass
class RunSummary:
    run_id: str
    status: str = "running"  # published | failed_validation | failed
    reason: str = ""
    files_seen: int = 0
    files_unchanged: int = 0
    files_loaded: int = 0
    files_duplicate: int = 0
    files_quarantined: int = 0
    articles_loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    entities: int = 0
    figures: int = 0
    urls_seen: int = 0
    fetch_requested: int = 0  # URLs requested (each counted once, whatever its retries and redirects)
    fetch_requests: int = 0  # HTTP requests made, robots.txt, retries and redirect hops included
    fetch_not_modified: int = 0
    fetch_failed: int = 0
    fetch_skipped: int = 0
    fetch_seconds: float = 0.0
    fetch_by_source: list[dict[str, Any]] = field(default_factory=list)
    validation_success: bool | None = None
    failed_expectations: list[str] = field(default_factory=list)
    failure_details: list[str] = field(default_factory=list)  # markdown lines: expectation, detail, samples
    docs_index: str | None = None
    report_path: str | None = None
    top_entities: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return self.status == "published"


class RunLedger:
    def __init__(self, run_id: str, started: datetime) -> None:
        self.run_id = run_id
        self.started = started
        self.summary = RunSummary(run_id)
        self.quarantine_rows: list[dict[str, Any]] = []
        self.file_rows: list[dict[str, Any]] = []
        self.fetches: dict[str, dict[str, Any]] = {}
        self.source_keys: list[str] = []

    # ---- inputs ----

    def quarantine(self, rej: Rejection, entry_key: str | None = None) -> None:
        self.quarantine_rows.append({"source_path": rej.source_path, "entry_key": entry_key, "reason": rej.reason,
                                     "detail": rej.detail[:2000], "run_id": self.run_id,
                                     "quarantined_at": self.started})

    def inputs(self, files: list[InputFile], refused: list[Rejection], prior: PriorState) -> list[InputFile]:
        """Account for discovered local inputs; returns the files to process (new or changed)."""
        s = self.summary
        s.files_seen = len(files) + sum(1 for r in refused if r.reason != QReason.MISSING)
        todo: list[InputFile] = []
        for f in files:
            p = prior.files.get(f.path)
            if p is not None and p.size == f.size and p.mtime_ns == f.mtime_ns:
                s.files_unchanged += 1
            else:
                todo.append(f)
        for rej in refused:
            if rej.reason == QReason.MISSING:
                continue
            if rej.source_path in prior.files:  # refused the same way before; nothing new to record
                s.files_unchanged += 1
                continue
            self.quarantine(rej)
            s.files_quarantined += 1
            size, mtime = _stat(rej.source_path)
            self._file_row(rej.source_path, size, mtime, "", "quarantined", 0)
        return todo

    def attach(self, rows: dict[str, dict[str, Any]]) -> None:
        """Share the running crawl's rows: fetched pages are parsed (and their rows completed) while it goes on."""
        self.fetches = rows

    def crawl_done(self, result: CrawlResult) -> None:
        self.fetches = {r["url"]: r for r in result.rows}
        self.source_keys = result.source_keys
        self.summary.fetch_requests = result.requests
        self.summary.fetch_seconds = round(result.seconds, 3)

    def file_done(self, outcome: FileOutcome, loaded: int, dups: int, article_ids: list[str]) -> None:
        s = self.summary
        for rej in outcome.rejections:
            self.quarantine(rej)
        status = "loaded" if loaded else "duplicate" if dups else "quarantined"
        s.files_loaded += status == "loaded"
        s.files_duplicate += status == "duplicate"
        s.files_quarantined += status == "quarantined"
        s.duplicates += dups
        f = outcome.file
        self._file_row(f.source_path, f.size, f.mtime_ns, outcome.file_hash, status, loaded)
        if f.url:
            self._page_done(f.url, status, article_ids, outcome.rejections)

    def unchanged(self, outcome: FileOutcome) -> None:
        self.summary.files_unchanged += 1
        row = self.fetches.get(outcome.file.url or "")
        if row is not None:
            row.update(outcome=Outcome.NOT_MODIFIED.value, reason=Reason.SAME_CONTENT.value,
                       detail="same bytes as the version already processed")

    def _page_done(self, url: str, status: str, article_ids: list[str], rejections: list[Rejection]) -> None:
        row = self.fetches.get(url)
        if row is None:
            return
        if status == "loaded":
            row.update(outcome=Outcome.LOADED.value, article_id=article_ids[0] if article_ids else None)
        elif status == "duplicate":
            row.update(outcome=Outcome.DUPLICATE.value)
        else:
            first = rejections[0] if rejections else Rejection(url, QReason.NOT_AN_ARTICLE, "no article in the page")
            row.update(outcome=Outcome.FAILED.value, reason=first.reason, detail=first.detail[:500])

    def _file_row(self, path: str, size: int, mtime: int, fhash: str, status: str, articles: int) -> None:
        self.file_rows.append({"source_path": path, "size": size, "mtime_ns": mtime, "file_hash": fhash,
                               "status": status, "articles": articles, "run_id": self.run_id})

    # ---- dedup of a parsed chunk ----

    def dedup(self, parsed: list[FileOutcome], index: DuplicateIndex
              ) -> tuple[list[Article], list[dict[str, Any]], list[dict[str, Any]]]:
        """Fresh articles, their signature rows and the duplicate rows of a parsed chunk."""
        fresh: list[Article] = []
        sigs: list[dict[str, Any]] = []
        dup_rows: list[dict[str, Any]] = []
        for outcome in parsed:
            if outcome.unchanged:
                self.unchanged(outcome)
                continue
            loaded: list[str] = []
            dups = 0
            for art, sig_bytes in zip(outcome.articles, outcome.signatures, strict=True):
                sig = from_bytes(sig_bytes)
                match = index.check(art.content_hash, sig)
                if match is not None:
                    dups += 1
                    dup_rows.append({"source_path": art.source_path, "entry_key": art.entry_key,
                                     "duplicate_of": match.duplicate_of, "kind": match.kind,
                                     "similarity": match.similarity, "run_id": self.run_id})
                    continue
                index.add(art.article_id, art.content_hash, sig)
                fresh.append(art)
                sigs.append({"article_id": art.article_id, "content_hash": art.content_hash, "minhash": sig_bytes})
                loaded.append(art.article_id)
            self.file_done(outcome, len(loaded), dups, loaded)
        return fresh, sigs, dup_rows

    # ---- audit ----

    def apply_audit(self, result: Any, article_paths: dict[str, str]) -> None:
        """Quarantine the rows the gate failed (an article under its source path, from `article_paths`) and
        mark the pages whose article its removal plan takes out."""
        for rf in result.row_failures:
            path = article_paths.get(rf.key, rf.key) if rf.table == "articles" else rf.key
            self.quarantine(Rejection(str(path), rf.expectation, f"{rf.table} {rf.key}: {rf.value}"[:2000]))
        removed = result.plan.articles
        for row in self.fetches.values():
            if row["outcome"] == Outcome.LOADED.value and row["article_id"] in removed:
                row.update(outcome=Outcome.FAILED.value, reason=Reason.VALIDATION.value, article_id=None,
                           detail="the article failed a row-level expectation (see quarantine)")

    def take_input_rows(self) -> dict[str, list[dict[str, Any]]]:
        """The quarantine and file rows gathered since the last call, by table, to stage (before and after
        the audit)."""
        rows = {"quarantine": self.quarantine_rows, "files": self.file_rows}
        self.quarantine_rows, self.file_rows = [], []
        return rows

    def fetch_rows(self, prior: PriorState) -> dict[str, list[dict[str, Any]]]:
        """The fetch log and the next run's web state, by table, to stage once after the audit had its say."""
        return {"fetches": list(self.fetches.values()), "web_resources": self.web_resources(prior)}

    def web_resources(self, prior: PriorState) -> list[dict[str, Any]]:
        """Latest state per URL for the next run: validators, and failures that earn another try."""
        out = []
        for r in self.fetches.values():
            if not r["requests"]:
                continue
            retry = r["outcome"] == Outcome.FAILED.value and r["reason"] in RETRYABLE
            failures = (prior.web.failures.get(r["url"], 0) + 1) if retry else 0
            out.append({"url": r["url"], "role": r["role"], "source": r["source"], "etag": r["etag"],
                        "last_modified": r["last_modified"], "http_status": r["http_status"],
                        "outcome": r["outcome"], "reason": r["reason"], "failures": failures,
                        "fetched_at": r["fetched_at"], "run_id": self.run_id})
        return out

    def recount(self, staged: dict[str, int]) -> None:
        """The counters from what staging holds after the audit (`StagingArea.counts`)."""
        s = self.summary
        s.articles_loaded, s.quarantined = staged["articles"], staged["quarantine"]
        s.entities, s.figures = staged["entities"], staged["figures"]
        s.files_loaded, s.files_duplicate = staged["files_loaded"], staged["files_duplicate"]
        s.files_quarantined = staged["files_quarantined"]
        self.count_fetches()

    def count_fetches(self) -> None:
        s = self.summary
        rows = list(self.fetches.values())
        s.urls_seen = len(rows)
        s.fetch_requested = sum(1 for r in rows if r["requests"])
        s.fetch_not_modified = sum(1 for r in rows if r["outcome"] == Outcome.NOT_MODIFIED.value)
        s.fetch_failed = sum(1 for r in rows if r["outcome"] == Outcome.FAILED.value)
        s.fetch_skipped = sum(1 for r in rows if r["outcome"] == Outcome.SKIPPED.value)
        by: dict[str, dict[str, Any]] = {}
        for r in rows:
            d = by.setdefault(r["source"], {"source": r["source"], "urls": 0, "requested": 0, "loaded": 0,
                                            "not_modified": 0, "duplicate": 0, "skipped": 0, "failed": 0,
                                            "reasons": {}})
            d["urls"] += 1
            d["requested"] += bool(r["requests"])
            d[r["outcome"] or "failed"] += 1
            if r["reason"]:
                d["reasons"][r["reason"]] = d["reasons"].get(r["reason"], 0) + 1
        s.fetch_by_source = sorted(by.values(), key=lambda d: d["source"])

    def sources_failed(self) -> str | None:
        """When every web source the run was given failed or was refused, why (else None)."""
        rows = [self.fetches[k] for k in self.source_keys if k in self.fetches]
        if not rows or any(r["outcome"] not in (Outcome.FAILED.value, Outcome.SKIPPED.value) for r in rows):
            return None
        if all(r["reason"] == Reason.ALREADY_LOADED.value for r in rows):
            return None
        why = "; ".join(f"{r['url']}: {r['reason']}" for r in rows[:5]) + (" ..." if len(rows) > 5 else "")
        return f"every web source failed ({why})"

    def apply_result(self, result: Any) -> None:
        s = self.summary
        s.validation_success = bool(result.success)
        s.failed_expectations = list(result.failed_names)
        s.failure_details = [
            f"`{f.expectation}` ({f.kind}): {f.detail}"
            + (f"; sample values: {', '.join(repr(v)[:80] for v in f.sample_values[:5])}" if f.sample_values else "")
            for f in result.failed
        ] + [f"`{rf.expectation}` (row, quarantined): {rf.table} {rf.key} = {rf.value[:80]!r}"
             for rf in result.row_failures[:20]]
        s.docs_index = str(result.docs_index) if result.docs_index else None

    def run_row(self, status: str, reason: str | None, flow_run_id: str | None,
                stage_seconds: dict[str, float]) -> dict[str, Any]:
        s = self.summary
        return {"run_id": self.run_id, "flow_run_id": flow_run_id, "started_at": self.started,
                "finished_at": datetime.now(UTC), "status": status, "files_seen": s.files_seen,
                "files_unchanged": s.files_unchanged, "files_loaded": s.files_loaded,
                "files_duplicate": s.files_duplicate, "files_quarantined": s.files_quarantined,
                "articles_loaded": s.articles_loaded, "duplicates": s.duplicates, "quarantined": s.quarantined,
                "validation_success": s.validation_success, "failed_expectations": s.failed_expectations,
                "reason": reason, "stage_seconds": json.dumps({k: round(v, 3) for k, v in stage_seconds.items()}),
                "urls_seen": s.urls_seen, "fetch_requested": s.fetch_requested, "fetch_requests": s.fetch_requests,
                "fetch_not_modified": s.fetch_not_modified, "fetch_failed": s.fetch_failed,
                "fetch_skipped": s.fetch_skipped}


def _stat(path: str) -> tuple[int, int]:
    try:
        st = os.lstat(path)
        return st.st_size, st.st_mtime_ns
    except OSError:
        return 0, 0
