"""Read-only queries for analysts (`newsetl sql`, `status`, `quarantine`), as table, CSV or JSON."""

from __future__ import annotations

import contextlib
import csv
import json
from typing import Any, TextIO

import duckdb

from flows.settings import Settings
from warehouse.backend import NotSupported
from warehouse.db import WarehouseBusy, read_sql  # read_sql: the named queries of warehouse/queries/
from warehouse.extensions import ExtensionMissing, load_extension


def run_query(settings: Settings, query: str, fmt: str, out: TextIO, err: TextIO,
              params: list[Any] | None = None, at_run: str | None = None) -> int:
    """Run a read-only query on the warehouse (a file or a DuckLake; `at_run`: as that run left it)."""
    warehouse = settings.warehouse
    if not warehouse.exists():
        print(f"no warehouse at {settings.db_label}: run `newsetl run` first", file=err)
        return 1
    try:
        con = warehouse.reader(min(settings.lock_timeout_s, 30), at_run=at_run)
    except (WarehouseBusy, NotSupported) as exc:
        print(str(exc), file=err)
        return 1
    except duckdb.Error as exc:
        print(f"cannot open {settings.db_label}: {exc}", file=err)
        return 1
    with contextlib.suppress(ExtensionMissing):
        load_extension(con, "fts")  # so `analytics.search(...)` works here too
    try:
        cur = con.execute(query, params or [])
        cols = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as exc:
        print(f"query failed: {exc}", file=err)
        return 1
    finally:
        con.close()
    write_rows(cols, rows, fmt, out)
    return 0


def _cell(v: Any) -> str:
    if v is None:
        return ""
    s = str(v)
    return s if len(s) <= 60 else s[:57] + "..."


def write_rows(cols: list[str], rows: list[tuple[Any, ...]], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        for r in rows:
            out.write(json.dumps(dict(zip(cols, r, strict=True)), default=str, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(cols)
        w.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table(*cols)
        for r in rows:
            t.add_row(*(_cell(v) for v in r))
        Console(file=out, width=200).print(t)


def sources_table(settings: Settings, out: TextIO) -> None:
    """Per web source, the last run's fetch outcomes (`newsetl status`); nothing when no web run happened."""
    try:
        con = settings.warehouse.reader(min(settings.lock_timeout_s, 30))
    except (WarehouseBusy, duckdb.Error):
        return
    try:
        cur = con.execute(read_sql("status_sources"))
        cols = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error:  # a warehouse from before web sources: no fetches table
        return
    finally:
        con.close()
    if rows:
        out.write("web sources (last run of each):\n")
        write_rows(cols, rows, "table", out)
