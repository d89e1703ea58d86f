"""Write-audit-publish against DuckDB: read prior state, stage a run in its own file, publish atomically.

The published file is never opened read-write: a publish writes a fresh copy and renames it over the path
(warehouse/swap.py), so analysts' read-only sessions neither delay a run nor see half of one. The same
steps run on a DuckLake catalog through `publish_into` / `record_run_into` (warehouse/backend.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from transforms.web import FINAL_FAILURES, PriorWeb
from warehouse.db import HERE, _statements, append_rows, connect, migrate, read_sql, sql_string, view_statements
from warehouse.fts import refresh_search_index
from warehouse.swap import replaced_atomically

PUBLISH_SQL = HERE / "publish.sql"
REMOVE_AUDITED_SQL = HERE / "remove_audited.sql"
# The staged tables the gate validates, each read by warehouse/queries/audit_<table>.sql.
AUDITED_TABLES = ("entities", "article_entities", "figures", "articles")


@dataclass(slots=True)
class PriorFile:
    size: int
    mtime_ns: int
    file_hash: str
    status: str


@dataclass(slots=True)
class PriorState:
    files: dict[str, PriorFile] = field(default_factory=dict)
    # (article_id, content_hash, minhash bytes, source_path) of published articles
    signatures: list[tuple[str, str, bytes | None, str]] = field(default_factory=list)
    history: pd.DataFrame | None = None  # language/source_domain of published articles, for drift checks
    web: PriorWeb = field(default_factory=PriorWeb)


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(read_sql("has_table"), [name]).fetchone()
    return bool(row and row[0])


def read_state(db: Path, timeout_s: float) -> PriorState:
    """What earlier runs published: the input inventory and article signatures. Read-only: a publish never
    holds the published file (see warehouse/swap.py), so this waits for no one but an analyst who opened it
    read-write."""
    if not db.exists():
        return PriorState()
    con = connect(db, read_only=True, timeout_s=timeout_s)
    try:
        return read_state_from(con)
    finally:
        con.close()


def read_state_from(con: duckdb.DuckDBPyConnection) -> PriorState:
    """PriorState from a connection whose default catalog is the warehouse (a file or a DuckLake)."""
    state = PriorState()
    if not _has_table(con, "files"):
        return state
    for path, size, mtime, fh, status in con.execute(read_sql("prior_files")).fetchall():
        state.files[path] = PriorFile(size, mtime, fh, status)
    state.signatures = [(r[0], r[1], r[2], r[3]) for r in con.execute(read_sql("prior_signatures")).fetchall()]
    state.history = con.execute(read_sql("prior_history")).df()
    if _has_table(con, "web_resources"):
        state.web = _read_web(con, state)
    return state


def _read_web(con: duckdb.DuckDBPyConnection, state: PriorState) -> PriorWeb:
    web = PriorWeb()
    web.loaded = {p for p, f in state.files.items() if p.startswith(("http://", "https://"))
                  and f.status in ("loaded", "duplicate")}
    final = {r.value for r in FINAL_FAILURES}
    for url, role, source, etag, modified, outcome, reason, failures, when in con.execute(
            read_sql("prior_web")).fetchall():
        if etag or modified:
            web.validators[url] = (etag, modified)
        if outcome == "failed" and reason in final:
            web.refused[url] = (reason, when)
        if failures:
            web.failures[url] = int(failures)
            # Candidates: the crawl retries those that failed on at most Settings.max_retry_runs runs.
            if role == "page" and url not in web.loaded:
                web.retry.append((url, source))
    return web


class StagingArea:
    """A run's staged rows in a DuckDB file of their own beside the warehouse (kept after a failed run);
    memory_limit is Settings.staging_memory_limit."""

    def __init__(self, db: Path, run_id: str, memory_limit: str) -> None:
        self.dir = staging_dir(db)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / f"{run_id}.duckdb"
        self.path.unlink(missing_ok=True)
        # Staged rows wait on disk, not in memory: DuckDB's buffer cache would otherwise keep every page the
        # run wrote (bodies included), and the flow process would grow with the corpus.
        self.con = duckdb.connect(str(self.path), config={"memory_limit": memory_limit})
        migrate(self.con)

    def append(self, table: str, rows: list[dict[str, Any]]) -> int:
        return append_rows(self.con, table, rows)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The staged rows the gate validates. Articles come without their texts (the gate checks the body's
        length), so the audit's memory stays small beside the corpus."""
        # Only the columns the suites read (figures' sentences and surfaces would be most of the memory).
        return {t: self.con.execute(read_sql(f"audit_{t}")).df() for t in AUDITED_TABLES}

    def apply_removals(self, plan: Any) -> None:
        """Carry out the audit's removal plan (expectations.gate.RemovalPlan; see remove_audited.sql)."""
        drop = {f"_drop_{name}": frame for name, frame in plan.frames().items()}
        for name, frame in drop.items():
            self.con.register(name, frame)
        try:
            for stmt in _statements(REMOVE_AUDITED_SQL.read_text(encoding="utf-8")):
                self.con.execute(stmt)
        finally:
            for name in drop:
                self.con.unregister(name)

    def article_paths(self) -> dict[str, str]:
        """Each staged article's source path (to quarantine a failed article under its input)."""
        return dict(self.con.execute(read_sql("staged_article_paths")).fetchall())

    def counts(self) -> dict[str, int]:
        """The run's counters from what staging holds (queries/staged_counts.sql: column -> count)."""
        cur = self.con.execute(read_sql("staged_counts"))
        row = cur.fetchone()
        assert row is not None  # one row of scalar subqueries
        return {d[0]: int(v) for d, v in zip(cur.description, row, strict=True)}

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        row = self.con.execute(sql, params or []).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.con.close()


def staging_dir(db: Path) -> Path:
    return db.parent / ".staging" / db.stem


def publish(db: Path, staging: Path, timeout_s: float, memory_limit: str) -> None:
    """Publish the staging file into a fresh copy of the warehouse and rename it over the path (copy-on-publish,
    warehouse/swap.py): readers are never blocked and see the state before or after, never between."""
    _write_copy(db, timeout_s, lambda con: publish_into(con, staging, memory_limit))


def _write_copy(db: Path, timeout_s: float, write: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Run `write` on a fresh copy of the warehouse, checkpoint it and rename it over the path."""
    with replaced_atomically(db, timeout_s) as copy:
        con = duckdb.connect(str(copy))
        try:
            write(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()


def publish_into(con: duckdb.DuckDBPyConnection, staging: Path, memory_limit: str, *,
                 search_index: bool = True,
                 before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> None:
    """Apply migrations, then publish the staging file, (re)create the views and refresh the search index in one
    transaction on `con`'s default catalog (a DuckDB file or a DuckLake)."""
    # One transaction holds the whole batch: without a cap DuckDB keeps it in memory (measured: +825 MB
    # for 22k articles, +335 MB with the cap, spilling the rest to disk).
    con.execute("SET memory_limit = " + sql_string(memory_limit))
    migrate(con)
    # duckdb 1.5 takes no parameter in ATTACH: the path (the warehouse's own staging file, never input
    # data) is quoted as a SQL string literal.
    con.execute("ATTACH " + sql_string(str(staging)) + " AS stg (READ_ONLY)")
    try:
        con.execute("BEGIN")
        try:
            for stmt in _statements(PUBLISH_SQL.read_text(encoding="utf-8")):
                con.execute(stmt)
            for stmt in view_statements():
                con.execute(stmt)
            if search_index:
                refresh_search_index(con)  # same transaction: the index always matches the published articles
            if before_commit is not None:
                before_commit(con)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    finally:
        con.execute("DETACH stg")


def record_run(db: Path, run_row: dict[str, Any], timeout_s: float,
               fetches: list[dict[str, Any]] | None = None) -> None:
    """Append a run row (and its fetch log) without publishing anything (failed validation or failed run).
    The web state is not advanced: the next run asks for everything again."""
    _write_copy(db, timeout_s, lambda con: record_run_into(con, run_row, fetches))


def record_run_into(con: duckdb.DuckDBPyConnection, run_row: dict[str, Any],
                    fetches: list[dict[str, Any]] | None = None,
                    before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> None:
    migrate(con)
    con.execute("BEGIN")
    try:
        append_rows(con, "fetches", fetches or [])
        append_rows(con, "runs", [run_row])
        if before_commit is not None:
            before_commit(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def cleanup_staging(db: Path, keep: Path | None = None) -> int:
    """Remove staging files of earlier runs (failed or killed); called after a successful publish."""
    removed = 0
    d = staging_dir(db)
    if not d.exists():
        return 0
    for f in d.iterdir():
        if keep is not None and f.name.startswith(keep.name):
            continue
        if f.is_dir():
            shutil.rmtree(f, ignore_errors=True)
        else:
            f.unlink(missing_ok=True)
        removed += 1
    return removed
