"""Shared fixtures: paths, a CLI runner that runs the real `newsetl` in a subprocess, warehouse readers."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_FILE = ROOT / "seeds" / "000_d89afe0183712226.txt"
SEED_EXPECTED = SHARED / "gold" / "seed_expected.json"
PUBLISHED_TABLES = ("articles", "entities", "entity_aliases", "article_entities", "entity_mentions", "figures",
                    "quarantine", "duplicates", "files", "article_signatures")


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prefect-home")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_prefect_server(home: Path, port: int, log: Path | None = None) -> subprocess.Popen[bytes]:
    """A real `prefect server start` on loopback with its own PREFECT_HOME; waits until healthy. Its output
    goes to `log` when given (kept for a failing test), else nowhere."""
    env = cli_env(home, PREFECT_UI_API_URL=f"http://127.0.0.1:{port}/api")
    out: Any = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT if log else out,
                            start_new_session=True)
    if log is not None:
        out.close()  # the server holds its own copy of the descriptor
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("prefect server exited during start-up")
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError("prefect server did not become healthy in 90 s")


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Prefect server for the session: CLI runs skip the ephemeral server's start-up (~6 s each)."""
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    proc = start_prefect_server(home, port)
    try:
        yield f"http://127.0.0.1:{port}/api"
    finally:
        stop_process_group(proc, 15)


def stop_process_group(proc: subprocess.Popen[Any], timeout: float) -> None:
    """SIGTERM a process started with start_new_session=True and its children; SIGKILL after timeout."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def cli_env(prefect_home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_") and k != "PREFECT_API_URL"}
    env.update({
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def run_cli(args: list[str], prefect_home: Path, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=cli_env(prefect_home, **env),
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def newsetl(prefect_home: Path, prefect_api: str):  # type: ignore[no-untyped-def]
    """Run the real CLI in a subprocess against the session's Prefect server."""

    def _run(*args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
        env.setdefault("PREFECT_API_URL", prefect_api)
        return run_cli(list(args), prefect_home, timeout=timeout, **env)

    return _run


def table_checksums(db: Path, tables: tuple[str, ...] = PUBLISHED_TABLES) -> dict[str, str]:
    """Order-independent content checksum per table."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in tables:
            rows = con.execute(f"SELECT * FROM {t}").fetchall()
            digest = hashlib.sha256("\n".join(sorted(repr(r) for r in rows)).encode()).hexdigest()
            out[t] = f"{len(rows)}:{digest}"
        return out
    finally:
        con.close()


def view_definitions(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT view_name, sql FROM duckdb_views() WHERE schema_name = 'analytics'").fetchall())
    finally:
        con.close()


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def seed_expected() -> dict[str, Any]:
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


# Under CI (`CI` set, as .ci/run does) a test may not skip for want of what `make test` installs or the
# checkout provides: ../shared (corpora, gold sets), Chromium, Playwright. Such a skip becomes a failure.
_CI_MUST_HAVE = re.compile(r"shared|corpus|gold|chromium|playwright|postgresql", re.IGNORECASE)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not (report.skipped and in_ci()) or getattr(report, "wasxfail", None) is not None:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if _CI_MUST_HAVE.search(reason):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where this may not be missing: {reason}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A throwaway PostgreSQL 15 cluster for the session (tests/pg.py); `pg_cluster.createdb(name)` gives a
    conninfo for a fresh database."""
    import shutil
    import tempfile

    from tests.pg import available, throwaway_cluster

    why = available()
    if why:
        pytest.skip(why)
    # Not under pytest's tmp folder: that is private to root, and the cluster runs as the postgres user.
    base = Path(tempfile.mkdtemp(prefix="newsetl-pg-"))
    try:
        with throwaway_cluster(base) as cluster:
            yield cluster
    finally:
        shutil.rmtree(base, ignore_errors=True)
