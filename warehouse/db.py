"""DuckDB connections, the migration runner, view definitions and Arrow loads.

SQL lives in `.sql` files beside this module; Python binds values as parameters and never formats
input data into SQL. Identifiers (table names) come only from this code.
"""

from __future__ import annotations

import fcntl
import functools
import re
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

HERE = Path(__file__).resolve().parent
MIGRATIONS_DIR = HERE / "migrations"
VIEWS_DIR = HERE / "views"

# Tables a run stages and publishes; names are code constants, never input data.
DATA_TABLES = ("articles", "entities", "article_entities", "entity_mentions", "figures")
LEDGER_TABLES = ("quarantine", "duplicates", "files", "article_signatures")
_LOCK_HINTS = ("lock", "Conflicting", "already open", "being used by another process")


class WarehouseBusy(RuntimeError):
    """The database file is held by another process longer than the timeout allows."""


class DiskFull(RuntimeError):
    """No space left on the device while staging or publishing: the run stops, nothing published changes."""


_DISK_FULL_HINTS = ("No space left on device", "Disk quota exceeded", "File too large")


def disk_full(exc: BaseException) -> DiskFull | None:
    """A DiskFull with a one-line reason when `exc` (or what caused it) is ENOSPC / EDQUOT / EFBIG, else None.
    DuckDB reports it as an IOException whose message carries the OS's text, Python as OSError's errno."""
    import errno

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DiskFull):
            return seen
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            where = f" ({seen.filename})" if seen.filename else ""
            return DiskFull(f"disk_full: {seen.strerror}{where}")
        if isinstance(seen, duckdb.Error) and any(h in str(seen) for h in _DISK_FULL_HINTS):
            first = str(seen).strip().splitlines()[0] if str(seen).strip() else type(seen).__name__
            return DiskFull(f"disk_full: {first[:300]}")
        seen = seen.__cause__ or seen.__context__
    return None


def connect(path: Path, *, read_only: bool = False, timeout_s: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting with backoff while another process holds its lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_s
    delay = 0.1
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if not any(h in msg for h in _LOCK_HINTS):
                raise
            if time.monotonic() >= deadline:
                holder = re.search(r"held in (.+?\(PID \d+\))", msg) or re.search(r"held in (\S+)", msg)
                who = holder.group(1) if holder else "another process"
                raise WarehouseBusy(f"warehouse {path} is locked by {who} (waited {timeout_s:.0f}s)") from exc
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)


def flock_within(fd: int, timeout_s: float, delay: float, max_delay: float) -> bool:
    """Take an exclusive flock on `fd`, retrying (sleep `delay`, growing 1.5x up to `max_delay`) until
    `timeout_s` has passed; False when another process still holds it."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 1.5, max_delay)


def sql_string(value: str) -> str:
    """A SQL string literal (single quotes doubled), for the statements DuckDB takes no parameter in (LOAD,
    ATTACH): only for paths this code chose (package files, staging files), never for input values."""
    return "'" + value.replace("'", "''") + "'"


@functools.cache
def read_sql(name: str, folder: str = "queries") -> str:
    """One named statement from warehouse/<folder>/ (default queries/), read once: `name` and `folder` are
    code-chosen, values are bound as `?` parameters."""
    return (HERE / folder / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")


def _statements(sql: str) -> list[str]:
    # Our .sql files hold `;`-terminated statements with no `;` or `--` inside string literals.
    body = "\n".join(re.sub(r"--.*$", "", line) for line in sql.splitlines())
    return [s.strip() for s in body.split(";") if s.strip()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply numbered migrations not yet recorded; each in its own transaction. Returns the applied names."""
    con.execute(read_sql("schema_migrations"))
    done = {r[0] for r in con.execute(read_sql("applied_migrations")).fetchall()}
    applied = []
    for f in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        version = int(f.name[:3])
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            for stmt in _statements(f.read_text(encoding="utf-8")):
                con.execute(stmt)
            con.execute(read_sql("record_migration"), [version, f.name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(f.name)
    return applied


def view_statements() -> list[str]:
    """CREATE OR REPLACE VIEW statements for the analytics schema, in file order."""
    stmts = [read_sql("analytics_schema")]
    for f in sorted(VIEWS_DIR.glob("*.sql")):
        stmts.extend(_statements(f.read_text(encoding="utf-8")))
    return stmts


def arrow_schema(con: duckdb.DuckDBPyConnection, table: str) -> pa.Schema:
    return con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema  # table: code constant


def append_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> int:
    """Append rows through one Arrow table (never row by row). `table` is a code constant."""
    if not rows:
        return 0
    schema = arrow_schema(con, table)
    cols = {name: [r.get(name) for r in rows] for name in schema.names}
    batch = pa.Table.from_pydict(cols, schema=schema)
    con.register("_newsetl_batch", batch)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _newsetl_batch")
    finally:
        con.unregister("_newsetl_batch")
    return len(rows)
