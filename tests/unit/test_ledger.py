"""The run's bookkeeping (flows/ledger.py) alone: no database, no server, no files but the ones it stats."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from expectations.gate import AuditResult, RemovalPlan, RowFailure
from flows.ledger import RunLedger
from flows.sources import InputFile
from flows.steps import FileOutcome
from transforms.reasons import Reason
from transforms.records import Rejection
from transforms.web import Outcome
from warehouse.store import PriorFile, PriorState

ROOT = Path(__file__).resolve().parents[2]
STARTED = datetime(2026, 12, 6, tzinfo=UTC)


def _fetch_row(url: str, article_id: str | None) -> dict[str, object]:
    return {"url": url, "role": "page", "source": "https://example.org/feed", "outcome": Outcome.LOADED.value,
            "reason": None, "detail": None, "article_id": article_id, "requests": 1, "etag": None,
            "last_modified": None, "http_status": 200, "fetched_at": STARTED}


def test_the_ledger_does_no_database_work() -> None:
    tree = ast.parse((ROOT / "flows" / "ledger.py").read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.startswith(("duckdb", "warehouse.db", "warehouse.backend")) for m in imported), imported
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    db_calls = {"execute", "sql", "scalar", "fetchall", "fetchone", "register", "keep_audited", "apply_removals"}
    assert not calls & db_calls, calls & db_calls


def test_inputs_sort_new_changed_unchanged_and_refused(tmp_path: Path) -> None:
    same, changed, new = (str(tmp_path / n) for n in ("same.txt", "changed.txt", "new.txt"))
    prior = PriorState(files={same: PriorFile(10, 1, "h1", "loaded"), changed: PriorFile(10, 1, "h2", "loaded"),
                              "/gone/before.bin": PriorFile(0, 0, "", "quarantined")})
    ledger = RunLedger("r1", STARTED)
    files = [InputFile(same, 10, 1), InputFile(changed, 11, 2), InputFile(new, 5, 3)]
    refused = [Rejection("/in/x.bin", Reason.UNSUPPORTED_TYPE, "no reader"),
               Rejection("/gone/before.bin", Reason.UNSUPPORTED_TYPE, "no reader"),
               Rejection("/in/missing", Reason.MISSING, "does not exist")]
    todo = ledger.inputs(files, refused, prior)
    assert [f.path for f in todo] == [changed, new]
    s = ledger.summary
    assert (s.files_seen, s.files_unchanged, s.files_quarantined) == (5, 2, 1)
    rows = ledger.take_input_rows()
    assert [(r["source_path"], r["reason"]) for r in rows["quarantine"]] == [("/in/x.bin", "unsupported_type")]
    assert [(r["source_path"], r["status"]) for r in rows["files"]] == [("/in/x.bin", "quarantined")]
    assert ledger.take_input_rows() == {"quarantine": [], "files": []}  # handed over once


def test_the_audit_quarantines_under_the_source_path_and_fails_the_removed_page() -> None:
    ledger = RunLedger("r1", STARTED)
    ledger.attach({"https://example.org/a": _fetch_row("https://example.org/a", "a1"),
                   "https://example.org/b": _fetch_row("https://example.org/b", "a2")})
    result = AuditResult(
        success=True, frames={}, docs_index=None, failed=[],
        row_failures=[RowFailure("articles", "a1", "articles.body_length", "11"),
                      RowFailure("entities", "e9", "entities.type_allowed", "SPACESHIP")],
        plan=RemovalPlan(articles=frozenset({"a1"}), entities=frozenset({"e9"})))
    ledger.apply_audit(result, {"a1": "https://example.org/a", "a2": "https://example.org/b"})
    rows = ledger.take_input_rows()["quarantine"]
    assert [(r["source_path"], r["reason"]) for r in rows] == [
        ("https://example.org/a", "articles.body_length"), ("e9", "entities.type_allowed")]
    fetches = ledger.fetch_rows(PriorState())["fetches"]
    assert [(r["url"], r["outcome"], r["reason"], r["article_id"]) for r in fetches] == [
        ("https://example.org/a", "failed", "validation", None), ("https://example.org/b", "loaded", None, "a2")]


def test_counts_come_from_what_staging_holds() -> None:
    ledger = RunLedger("r1", STARTED)
    ledger.file_done(FileOutcome(InputFile("/in/a.txt", 1, 1), "h"), loaded=1, dups=0, article_ids=["a1"])
    ledger.recount({"articles": 3, "quarantine": 1, "entities": 7, "figures": 2, "files_loaded": 2,
                    "files_duplicate": 1, "files_quarantined": 1})
    s = ledger.summary
    assert (s.articles_loaded, s.quarantined, s.entities, s.figures) == (3, 1, 7, 2)
    assert (s.files_loaded, s.files_duplicate, s.files_quarantined) == (2, 1, 1)
    row = ledger.run_row("published", None, None, {"parse": 1.25})
    assert (row["run_id"], row["articles_loaded"], row["stage_seconds"]) == ("r1", 3, '{"parse": 1.25}')
