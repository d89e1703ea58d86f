"""Warehouse backends: the embedded DuckDB file (default) or a DuckLake catalog, behind one small interface.

`Warehouse.parse(spec, ...)` takes the `--db` / `NEWSETL_DB` setting:

- a path (`warehouse/news.duckdb`): `EmbeddedFile`. Publishing writes a fresh copy and renames it over the
  path (warehouse/swap.py): readers never block a run and a run never blocks readers. Writers are
  serialised by the run lock beside the file (flows/lock.py).
- `ducklake:postgres:<libpq conninfo>` (several hosts) or `ducklake:sqlite:<file>` (several processes on one
  host): `DuckLake`, with the Parquet data under `data_path` (NEWSETL_LAKE_DATA_PATH). Staging stays a local
  DuckDB file; publish is one DuckLake transaction (one snapshot, whose commit message is the run id), taken
  under a catalog-wide lock held only for that short step (a PostgreSQL advisory lock, or an flock beside the
  SQLite catalog). Inside it, staged articles whose content another writer published since this run read the
  warehouse are turned into duplicates first (warehouse/late_duplicates.sql), so concurrent runs never
  publish the same content twice. Readers read a snapshot and never wait.

Every command opens the warehouse through `reader()` (a read-only connection whose default catalog is the
warehouse: the same SQL runs on both backends) or through `read_state` / `publish` / `record_run`.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb

from warehouse.db import HERE, WarehouseBusy, _statements, connect, flock_within, read_sql, sql_string
from warehouse.extensions import load_extension
from warehouse.store import (
    PriorState,
    publish,
    publish_into,
    read_state,
    read_state_from,
    record_run,
    record_run_into,
)

LAKE_PREFIX = "ducklake:"
LAKE_CATALOGS = ("postgres", "sqlite")
LATE_DUPLICATES_SQL = HERE / "late_duplicates.sql"
# Advisory lock key of the publish step (pg_advisory_lock takes a bigint): fixed, so every newsetl agrees.
PUBLISH_LOCK_KEY = int.from_bytes(hashlib.sha256(b"newsetl.publish").digest()[:8], "big", signed=True)


class NotSupported(RuntimeError):
    """The operation needs another backend (time travel on the embedded file)."""


class Warehouse(Protocol):
    @property
    def label(self) -> str: ...  # how the user named it (for messages)

    @property
    def local_path(self) -> Path: ...  # the local stand-in: staging, archive, reports, the run lock beside it

    def exists(self) -> bool: ...

    def reader(self, timeout_s: float = 30.0, at_run: str | None = None) -> duckdb.DuckDBPyConnection: ...

    def read_state(self, timeout_s: float) -> PriorState: ...

    def publish(self, staging: Path, timeout_s: float, memory_limit: str) -> None: ...

    def record_run(self, run_row: dict[str, Any], timeout_s: float,
                   fetches: list[dict[str, Any]] | None = None) -> None: ...


def parse(spec: str | Path, data_path: str | None = None, local_dir: Path | None = None) -> Warehouse:
    """The backend named by a `--db` value (see the module docstring)."""
    text = str(spec)
    if not text.startswith(LAKE_PREFIX):
        return EmbeddedFile(Path(text))
    catalog, _, conninfo = text[len(LAKE_PREFIX):].partition(":")
    if catalog not in LAKE_CATALOGS or not conninfo.strip():
        raise ValueError(f"--db {text!r}: expected ducklake:postgres:<conninfo> or ducklake:sqlite:<file>")
    return DuckLake(catalog, conninfo.strip(), data_path or None, lake_local_path(text, local_dir or Path("warehouse")))


def lake_local_path(spec: str, local_dir: Path) -> Path:
    """Where a DuckLake warehouse keeps its local files on this host: `<local_dir>/lake-<catalog>-<hash>.lake`
    (a name, not a file: staging goes to `.staging/<stem>`, the run lock to `.<name>.lock`, ...)."""
    catalog = spec[len(LAKE_PREFIX):].partition(":")[0]
    digest = hashlib.sha256(spec.encode()).hexdigest()[:10]
    return local_dir / f"lake-{re.sub(r'[^a-z]', '', catalog)}-{digest}.lake"


def as_warehouse(db: Path | Warehouse) -> Warehouse:
    return EmbeddedFile(db) if isinstance(db, Path) else db


@dataclass(frozen=True, slots=True)
class EmbeddedFile:
    """`warehouse/news.duckdb`: a DuckDB file users open with the DuckDB CLI or `read_only=True`."""

    path: Path

    @property
    def label(self) -> str:
        return str(self.path)

    @property
    def local_path(self) -> Path:
        return self.path

    def exists(self) -> bool:
        return self.path.exists()

    def reader(self, timeout_s: float = 30.0, at_run: str | None = None) -> duckdb.DuckDBPyConnection:
        if at_run is not None:
            raise NotSupported("--at-run needs a DuckLake warehouse (ducklake:postgres:... or ducklake:sqlite:...); "
                               "the embedded file keeps no snapshots")
        return connect(self.path, read_only=True, timeout_s=timeout_s)

    def read_state(self, timeout_s: float) -> PriorState:
        return read_state(self.path, timeout_s)

    def publish(self, staging: Path, timeout_s: float, memory_limit: str) -> None:
        publish(self.path, staging, timeout_s, memory_limit)

    def record_run(self, run_row: dict[str, Any], timeout_s: float,
                   fetches: list[dict[str, Any]] | None = None) -> None:
        record_run(self.path, run_row, timeout_s, fetches)


@dataclass(frozen=True, slots=True)
class DuckLake:
    """A DuckLake catalog in PostgreSQL or SQLite with its Parquet files under `data_path`."""

    catalog: str  # postgres | sqlite
    conninfo: str  # libpq connection string, or the SQLite file
    data_path: str | None
    local_path: Path

    @property
    def label(self) -> str:
        return f"{LAKE_PREFIX}{self.catalog}:{self.conninfo}"

    def _attach(self, con: duckdb.DuckDBPyConnection, *, read_only: bool, snapshot: int | None = None,
                use: bool = True) -> None:
        load_extension(con, "ducklake")
        load_extension(con, self.catalog)
        options = []
        if self.data_path:
            options.append("DATA_PATH " + sql_string(self.data_path))
        if read_only:
            options.append("READ_ONLY")
        if snapshot is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
        # ATTACH takes no parameters: the catalog is the user's own --db setting, quoted as a literal.
        # The options are code constants, the quoted data path and an int snapshot: nothing unquoted from input.
        attach = "ATTACH " + sql_string(self.label) + " AS lake" + (" (" + ", ".join(options) + ")" if options else "")
        con.execute(attach)
        if use:
            con.execute("USE lake")

    def attach_as_lake(self, con: duckdb.DuckDBPyConnection, snapshot: int) -> None:
        """Attach this lake read-only as `lake` (at `snapshot`) to another connection, keeping its default."""
        self._attach(con, read_only=True, snapshot=snapshot, use=False)

    def current_snapshot(self) -> int:
        con = self._session(read_only=True)
        try:
            row = con.execute(read_sql("lake_snapshot")).fetchone()
        finally:
            con.close()
        return int(row[0]) if row and row[0] is not None else 0

    def _session(self, *, read_only: bool, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:")
        try:
            self._attach(con, read_only=read_only, snapshot=snapshot)
        except BaseException:
            con.close()
            raise
        return con

    def exists(self) -> bool:
        if self.catalog == "sqlite" and not Path(self.conninfo).exists():
            return False
        try:
            con = self._session(read_only=True)
        except duckdb.Error:
            return False
        try:
            row = con.execute(read_sql("lake_has_runs")).fetchone()
            return bool(row and row[0])
        finally:
            con.close()

    def snapshot_of_run(self, run_id: str) -> int:
        """The snapshot a run committed (its commit message is the run id)."""
        con = self._session(read_only=True)
        try:
            row = con.execute(read_sql("lake_run_snapshot"), [run_id]).fetchone()
        finally:
            con.close()
        if not row or row[0] is None:
            raise NotSupported(f"no snapshot of run {run_id!r} in {self.label} (see `newsetl status` for run ids)")
        return int(row[0])

    def reader(self, timeout_s: float = 30.0, at_run: str | None = None) -> duckdb.DuckDBPyConnection:
        snapshot = self.snapshot_of_run(at_run) if at_run is not None else None
        return self._session(read_only=True, snapshot=snapshot)

    def read_state(self, timeout_s: float) -> PriorState:
        if not self.exists():
            return PriorState()
        con = self._session(read_only=True)
        try:
            return read_state_from(con)
        finally:
            con.close()

    def publish(self, staging: Path, timeout_s: float, memory_limit: str) -> None:
        with self.publish_lock(timeout_s):
            con = self._session(read_only=False)
            try:
                _drop_late_duplicates(con, staging)
                publish_into(con, staging, memory_limit, search_index=False, before_commit=_commit_message_from_stg)
            finally:
                con.close()

    def record_run(self, run_row: dict[str, Any], timeout_s: float,
                   fetches: list[dict[str, Any]] | None = None) -> None:
        with self.publish_lock(timeout_s):
            con = self._session(read_only=False)
            try:
                record_run_into(con, run_row, fetches,
                                before_commit=lambda c: _commit_message(c, str(run_row["run_id"])))
            finally:
                con.close()

    @contextmanager
    def publish_lock(self, timeout_s: float) -> Iterator[None]:
        """One publisher at a time across every host (PostgreSQL) or process (SQLite), for the publish step only."""
        if self.catalog == "postgres":
            with _pg_advisory_lock(self.conninfo, timeout_s):
                yield
        else:
            with _file_lock(Path(f"{self.conninfo}.publish.lock"), timeout_s):
                yield


def _commit_message(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    con.execute(read_sql("lake_commit_message"), [run_id])


def _commit_message_from_stg(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(read_sql("staged_run_id")).fetchone()
    if row and row[0]:
        _commit_message(con, str(row[0]))


def _drop_late_duplicates(con: duckdb.DuckDBPyConnection, staging: Path) -> None:
    """Under the publish lock, before the publish transaction: staged articles whose content another writer
    published since this run read the warehouse become duplicates in the staging file (its own transaction:
    DuckDB writes to one database per transaction)."""
    from warehouse.db import migrate

    migrate(con)  # a first publish: the tables the check reads
    con.execute("ATTACH " + sql_string(str(staging)) + " AS stg")
    try:
        con.execute("BEGIN")
        for stmt in _statements(LATE_DUPLICATES_SQL.read_text(encoding="utf-8")):
            con.execute(stmt)
        con.execute("COMMIT")
    finally:
        con.execute("DETACH stg")


@contextmanager
def _pg_advisory_lock(conninfo: str, timeout_s: float) -> Iterator[None]:
    import psycopg

    # A session of its own: the advisory lock lives as long as this connection, whatever DuckDB's pool does.
    with psycopg.connect(conninfo, autocommit=True) as pg:
        pg.execute("SELECT set_config('lock_timeout', %s, false)", [f"{max(1, int(timeout_s * 1000))}ms"])
        try:
            pg.execute("SELECT pg_advisory_lock(%s)", [PUBLISH_LOCK_KEY])
        except psycopg.errors.LockNotAvailable as exc:
            busy = f"another newsetl run is publishing to this DuckLake (waited {timeout_s:.0f}s)"
            raise WarehouseBusy(busy) from exc
        try:
            yield
        finally:
            pg.execute("SELECT pg_advisory_unlock(%s)", [PUBLISH_LOCK_KEY])


@contextmanager
def _file_lock(path: Path, timeout_s: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not flock_within(fd, timeout_s, delay=0.1, max_delay=0.1):
            raise WarehouseBusy(f"another newsetl run is publishing to this DuckLake "
                                f"(waited {timeout_s:.0f}s for {path})")
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
