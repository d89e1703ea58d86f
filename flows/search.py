"""`newsetl search`: BM25 full-text search over published articles, as a table, CSV or JSON Lines."""

from __future__ import annotations

from typing import TextIO

import duckdb

from flows.query import write_rows
from flows.settings import Settings
from warehouse.db import WarehouseBusy
from warehouse.extensions import ExtensionMissing
from warehouse.fts import NoSearchIndex, highlight, search

COLUMNS = ["article_id", "title", "score", "snippet"]


def run_search(settings: Settings, query: str, limit: int, fmt: str, out: TextIO, err: TextIO) -> int:
    warehouse = settings.warehouse
    if not warehouse.exists():
        print(f"no warehouse at {settings.db_label}: run `newsetl run` first", file=err)
        return 1
    try:
        hits, terms = search(warehouse, query, limit, timeout_s=min(settings.lock_timeout_s, 30))
    except (WarehouseBusy, NoSearchIndex, ExtensionMissing) as exc:
        print(str(exc), file=err)
        return 1
    except duckdb.Error as exc:
        print(f"search failed: {exc}", file=err)
        return 1
    if fmt != "table":
        write_rows(COLUMNS, [(h.article_id, h.title, h.score, h.snippet) for h in hits], fmt, out)
        return 0
    if not hits:
        print(f"no published article matches {query!r}", file=err)
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Snippets are the point of the table: wrapped, never cut (write_rows cuts cells at 60 characters).
    table = Table("#", "score", "article_id", "title", "snippet")
    for i, h in enumerate(hits, 1):
        # Text, not markup: a title such as "[bold] claims" is shown as written.
        table.add_row(str(i), f"{h.score:.3f}", h.article_id, Text(h.title), Text(highlight(h.snippet, terms)))
    Console(file=out, width=200, highlight=False).print(table)
    return 0
