"""warehouse/backend.py and warehouse/swap.py on real DuckDB files and a real DuckLake (SQLite catalog)."""

from __future__ import annotations

import errno
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.settings import Settings
from warehouse.backend import DuckLake, EmbeddedFile, NotSupported, parse
from warehouse.db import DiskFull, disk_full
from warehouse.store import StagingArea
from warehouse.swap import replaced_atomically

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_parse_names_each_backend(tmp_path: Path) -> None:
    assert parse("warehouse/news.duckdb") == EmbeddedFile(Path("warehouse/news.duckdb"))
    pg = parse("ducklake:postgres:host=/tmp/s port=5432 dbname=news", "/data/", tmp_path)
    assert isinstance(pg, DuckLake) and pg.catalog == "postgres" and pg.conninfo == "host=/tmp/s port=5432 dbname=news"
    assert pg.data_path == "/data/" and pg.local_path.parent == tmp_path
    assert pg.local_path.name.startswith("lake-postgres-")
    lite = parse("ducklake:sqlite:/x/cat.sqlite", None, tmp_path)
    assert isinstance(lite, DuckLake) and lite.conninfo == "/x/cat.sqlite" and lite.local_path != pg.local_path
    for bad in ("ducklake:mysql:host=x", "ducklake:postgres:", "ducklake:"):
        with pytest.raises(ValueError, match="ducklake:postgres:<conninfo>"):
            parse(bad)


def test_settings_keep_a_conninfo_whole_through_the_flow_parameters(tmp_path: Path) -> None:
    spec = "ducklake:postgres:postgresql://etl@db.internal//news?sslmode=disable"  # a Path would fold the //
    s = Settings(db=spec, lake_local_dir=tmp_path)
    assert s.lake == spec and s.db_label == spec and s.db.parent == tmp_path
    again = Settings.from_params(s.to_params())
    assert again.lake == spec and again.warehouse == s.warehouse
    assert Settings.from_params(s.to_params(), db="other.duckdb").warehouse == EmbeddedFile(Path("other.duckdb"))


def test_copy_replaces_atomically_or_not_at_all(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    held = duckdb.connect(str(db), read_only=True)  # a reader of the old file, open throughout
    with pytest.raises(RuntimeError, match="boom"), replaced_atomically(db) as copy:
        c = duckdb.connect(str(copy))
        c.execute("INSERT INTO t VALUES (2)")
        c.close()
        raise RuntimeError("boom")
    assert not list(tmp_path.glob(".news.duckdb.publishing-*"))
    with replaced_atomically(db) as copy:
        c = duckdb.connect(str(copy))
        c.execute("INSERT INTO t VALUES (3)")
        c.close()
    assert held.execute("SELECT sum(x) FROM t").fetchone() == (1,)  # its snapshot: the old inode
    held.close()
    fresh = duckdb.connect(str(db), read_only=True)
    assert fresh.execute("SELECT sum(x) FROM t").fetchone() == (4,)
    fresh.close()
    assert not Path(f"{db}.wal").exists() and not list(tmp_path.glob(".news.duckdb.publishing-*"))


def test_disk_full_is_recognised_in_os_and_duckdb_errors() -> None:
    full = disk_full(OSError(errno.ENOSPC, "No space left on device", "/mnt/news.duckdb"))
    assert isinstance(full, DiskFull) and str(full) == "disk_full: No space left on device (/mnt/news.duckdb)"
    wrapped = RuntimeError("publish failed")
    wrapped.__cause__ = duckdb.IOException('IO Error: Could not write file "/mnt/x.duckdb": No space left on device')
    assert str(disk_full(wrapped)).startswith("disk_full: IO Error: Could not write file")
    assert disk_full(OSError(errno.EACCES, "Permission denied")) is None
    assert disk_full(duckdb.IOException("IO Error: Cannot open file")) is None


def _stage(local: Path, run_id: str, files: dict[str, str]) -> StagingArea:
    """A staging area with one article per file: {source_path: text}."""
    st = StagingArea(local, run_id, Settings().staging_memory_limit)
    for i, (path, text) in enumerate(files.items()):
        aid = f"{run_id}-{i}"
        st.append("articles", [{"article_id": aid, "source_path": path, "title": text[:20], "body": text,
                                "text": text, "content_hash": f"h-{text}", "ingested_at": NOW, "run_id": run_id}])
        st.append("article_signatures", [{"article_id": aid, "content_hash": f"h-{text}", "minhash": None}])
        st.append("files", [{"source_path": path, "size": len(text), "mtime_ns": 1, "file_hash": f"f-{path}",
                             "status": "loaded", "articles": 1, "run_id": run_id}])
    counts: dict[str, Any] = {"files_seen": len(files), "files_unchanged": 0, "files_loaded": len(files),
                              "files_duplicate": 0, "files_quarantined": 0, "articles_loaded": len(files),
                              "duplicates": 0, "quarantined": 0}
    st.append("runs", [{"run_id": run_id, "started_at": NOW, "status": "published", **counts}])
    st.close()
    return st


def test_ducklake_sqlite_late_duplicate_and_time_travel(tmp_path: Path) -> None:
    lake = parse(f"ducklake:sqlite:{tmp_path / 'cat.sqlite'}", str(tmp_path / "data") + "/", tmp_path / "host")
    assert isinstance(lake, DuckLake) and not lake.exists()
    # Two runs that both read the empty lake, both staging "same text" (under different paths).
    a = _stage(lake.local_path, "run-a", {"/in/a1.txt": "alpha text", "/in/shared.txt": "same text"})
    b = _stage(lake.local_path, "run-b", {"/in/b1.txt": "beta text", "/in/shared_copy.txt": "same text"})
    lake.publish(a.path, 5.0, Settings().publish_memory_limit)
    lake.publish(b.path, 5.0, Settings().publish_memory_limit)
    con = lake.reader()
    try:
        arts = con.execute("SELECT source_path FROM articles ORDER BY 1").fetchall()
        dups = con.execute("SELECT source_path, duplicate_of, kind FROM duplicates").fetchall()
        files = dict(con.execute("SELECT source_path, status FROM files").fetchall())
        runs = dict(con.execute("SELECT run_id, articles_loaded FROM runs").fetchall())
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM articles")
    finally:
        con.close()
    assert arts == [("/in/a1.txt",), ("/in/b1.txt",), ("/in/shared.txt",)]
    assert dups == [("/in/shared_copy.txt", "run-a-1", "exact")]
    assert files["/in/shared_copy.txt"] == "duplicate" and runs == {"run-a": 2, "run-b": 1}
    old = lake.reader(at_run="run-a")
    try:
        assert old.execute("SELECT count(*) FROM articles").fetchone() == (2,)
        assert old.execute("SELECT count(*) FROM analytics.run_history").fetchone() == (1,)
    finally:
        old.close()
    with pytest.raises(NotSupported, match="no snapshot of run"):
        lake.reader(at_run="no-such-run")
    with pytest.raises(NotSupported, match="DuckLake"):
        EmbeddedFile(tmp_path / "x.duckdb").reader(at_run="run-a")
