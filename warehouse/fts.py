"""Full-text search (DuckDB fts, BM25) over published articles: the index follows each publish.

`refresh_search_index` runs inside publish's transaction (DuckDB builds an fts index transactionally:
`PRAGMA create_fts_index(..., overwrite=1)` inside BEGIN ... ROLLBACK leaves the previous index as it was),
so the index always matches the published articles and a failed publish leaves both untouched.
`search` is the reader: read-only, short, and it never holds the file longer than one query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from warehouse.db import HERE, _statements, connect, read_sql
from warehouse.extensions import load_extension

SEARCH_SQL = HERE / "search.sql"


class NoSearchIndex(RuntimeError):
    """The warehouse has no search index yet (nothing published with this version)."""


@dataclass(slots=True)
class SearchHit:
    article_id: str
    title: str
    score: float
    snippet: str


def refresh_search_index(con: duckdb.DuckDBPyConnection, *, staged: bool = True) -> bool:
    """(Re)build the BM25 index and the analytics.search macros when needed; returns whether it rebuilt.

    Call inside the publish transaction, after the articles are written, with the staging area attached as
    `stg` (`staged=False`: rebuild unconditionally, e.g. on a warehouse published before search existed).
    """
    load_extension(con, "fts")
    if staged:
        row = con.execute(read_sql("search_needs_rebuild")).fetchone()  # only when the articles changed
        if not (row and row[0]):
            return False
    for stmt in _statements(SEARCH_SQL.read_text(encoding="utf-8")):
        con.execute(stmt)
    return True


def search(db: Any, query: str, limit: int = 10, timeout_s: float = 30.0) -> tuple[list[SearchHit], list[str]]:
    """Published articles matching `query`, best first, and the query's terms (for highlighting). `db` is a
    file path or a warehouse.backend.Warehouse; a DuckLake is searched through its local index cache."""
    from warehouse.backend import DuckLake, as_warehouse

    warehouse = as_warehouse(db) if isinstance(db, Path) else db
    path = lake_search_cache(warehouse) if isinstance(warehouse, DuckLake) else warehouse.local_path
    con = connect(path, read_only=True, timeout_s=timeout_s)
    try:
        load_extension(con, "fts")
        try:
            terms_row = con.execute(read_sql("search_terms"), [query]).fetchone()
        except duckdb.CatalogException as exc:
            raise NoSearchIndex(f"no search index in {db}: publish a run (`newsetl run`) to build it") from exc
        rows = con.execute(read_sql("search_hits"), [query, int(limit)]).fetchall()
    finally:
        con.close()
    terms = list(terms_row[0]) if terms_row and terms_row[0] else []
    return [SearchHit(r[0], r[1], float(r[2]), r[3] or "") for r in rows], terms


def lake_search_cache(lake: Any) -> Path:
    """DuckLake has no fts index: the BM25 index of a DuckLake warehouse is built in a local DuckDB file
    (`<lake_local_dir>/.search/<name>.duckdb`) from the lake's articles at its current snapshot, and rebuilt
    (copy-on-publish, so concurrent searches never wait) when a later snapshot exists. The first search after
    a publish pays the build (as the embedded file's publish does); later ones read the cache."""
    from warehouse.swap import replaced_atomically

    cache = lake.local_path.parent / ".search" / f"{lake.local_path.stem}.duckdb"
    snapshot = lake.current_snapshot()
    if cache.exists():
        con = connect(cache, read_only=True, timeout_s=30)
        try:
            row = con.execute(read_sql("search_cache_snapshot")).fetchone()
        except duckdb.Error:
            row = None
        finally:
            con.close()
        if row and row[0] == snapshot:
            return cache
    with replaced_atomically(cache, writers_locked=False) as copy:
        copy.unlink(missing_ok=True)  # built afresh, not on the old cache
        con = duckdb.connect(str(copy))
        try:
            lake.attach_as_lake(con, snapshot)
            con.execute(read_sql("search_cache_articles"))
            con.execute("DETACH lake")
            con.execute(read_sql("analytics_schema"))
            load_extension(con, "fts")
            for stmt in _statements(SEARCH_SQL.read_text(encoding="utf-8")):
                con.execute(stmt)
            con.execute(read_sql("search_cache_mark"), [snapshot])
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return cache


def highlight(snippet: str, terms: list[str], left: str = "«", right: str = "»") -> str:
    """Mark the words of `snippet` that start with one of `terms` (letters only, as the index reads them)."""
    if not terms:
        return snippet
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                         + r")[a-z]*", re.IGNORECASE)
    return pattern.sub(lambda m: f"{left}{m.group(0)}{right}", snippet)
