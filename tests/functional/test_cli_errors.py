"""The error paths of the read commands and of `serve`: one line on stderr and a non-zero exit, no traceback.

The real CLI in a subprocess against real files (a missing warehouse, a file that is no database, a database
without newsetl's tables, a warehouse another process holds) and a real argument parser.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cli


def one_line_error(r: object) -> str:
    err = r.stderr.strip()  # type: ignore[attr-defined]
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return str(err)


@pytest.mark.parametrize("command", ["status", "quarantine"])
def test_read_commands_without_a_warehouse(command: str, tmp_path: Path) -> None:
    db = tmp_path / "none.duckdb"
    r = run_cli([command, "--db", str(db)], tmp_path / "ph", timeout=120)
    assert r.returncode == 1 and r.stdout == ""
    assert one_line_error(r) == f"no warehouse at {db}: run `newsetl run` first"
    assert not db.exists()  # a read command never creates one


@pytest.mark.parametrize("command", ["status", "quarantine"])
def test_read_commands_on_a_file_that_is_no_database(command: str, tmp_path: Path) -> None:
    db = tmp_path / "junk.duckdb"
    db.write_bytes(b"not a database " * 100)
    r = run_cli([command, "--db", str(db), "--format", "json"], tmp_path / "ph", timeout=120)
    assert r.returncode == 1 and r.stdout == ""
    assert one_line_error(r).startswith(f"cannot open {db}: ")


@pytest.mark.parametrize("command", ["status", "quarantine"])
def test_read_commands_on_a_database_without_newsetl_tables(command: str, tmp_path: Path) -> None:
    db = tmp_path / "other.duckdb"
    duckdb.connect(str(db)).close()
    r = run_cli([command, "--db", str(db)], tmp_path / "ph", timeout=120)
    assert r.returncode == 1 and r.stdout == "" and "Traceback" not in r.stderr
    # DuckDB's own message follows, with its caret under the missing table (several lines, kept whole).
    assert r.stderr.startswith("query failed: Catalog Error: Table with name ") and " does not exist" in r.stderr


def test_status_waits_for_a_busy_warehouse_then_says_who_holds_it(tmp_path: Path) -> None:
    db = tmp_path / "held.duckdb"
    writer = duckdb.connect(str(db))  # this process holds the file's write lock
    try:
        r = run_cli(["status", "--db", str(db)], tmp_path / "ph", timeout=120, NEWSETL_LOCK_TIMEOUT_S="1")
    finally:
        writer.close()
    assert r.returncode == 1 and r.stdout == ""
    assert f"warehouse {db} is locked by" in one_line_error(r)


def test_serve_refuses_a_bad_cron_before_anything_is_registered(tmp_path: Path) -> None:
    r = run_cli(["serve", "--cron", "not a cron", "--db", str(tmp_path / "x.duckdb")], tmp_path / "ph", timeout=120)
    assert r.returncode == 2
    assert one_line_error(r) == "newsetl serve: not a valid cron expression: 'not a cron'"


def test_serve_needs_a_long_lived_prefect_server(tmp_path: Path) -> None:
    r = run_cli(["serve", "--cron", "0 3 * * *", "--db", str(tmp_path / "x.duckdb")], tmp_path / "ph", timeout=120)
    assert r.returncode == 2
    assert one_line_error(r).startswith("newsetl serve: PREFECT_API_URL is not set")
