"""The Prefect backend a run uses: its own ephemeral server when nothing names one (and nothing of it is left
after the run), the server a Prefect profile names when there is one. newsetl spawns the ephemeral server
before its imports and points the flow's client at it, so these are the two paths it must get right."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from tests.conftest import ROOT, query, run_cli


def _flow_run_id(db: Path) -> str:
    rows = query(db, "SELECT flow_run_id FROM runs WHERE status = 'published'")
    assert len(rows) == 1 and rows[0][0], rows
    return str(rows[0][0])


def _servers_of(home: Path) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if "uvicorn" in " ".join(p.info["cmdline"] or []) and p.environ().get("PREFECT_HOME") == str(home):
                found.append(p)
        except psutil.Error:
            continue
    return found


def test_ephemeral_run_starts_its_own_server_and_leaves_none(tmp_path: Path) -> None:
    home, db = tmp_path / "prefect-home", tmp_path / "news.duckdb"
    res = run_cli(["run", "--input", str(ROOT / "seeds"), "--db", str(db)], home)  # no PREFECT_API_URL anywhere
    assert res.returncode == 0, res.stderr[-3000:]
    _flow_run_id(db)  # the flow ran under a Prefect server: its flow run id is recorded
    assert "View at" not in res.stderr  # the temporary server has no UI: no link to nowhere
    deadline = time.monotonic() + 20
    while _servers_of(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _servers_of(home) == []


def test_a_profile_naming_a_server_is_used(tmp_path: Path, prefect_api: str) -> None:
    home, db = tmp_path / "prefect-home", tmp_path / "news.duckdb"
    home.mkdir()
    (home / "profiles.toml").write_text(f'active = "team"\n\n[profiles.team]\nPREFECT_API_URL = "{prefect_api}"\n')
    res = run_cli(["run", "--input", str(ROOT / "seeds"), "--db", str(db)], home)
    assert res.returncode == 0, res.stderr[-3000:]
    flow_run = _flow_run_id(db)
    try:
        with urllib.request.urlopen(f"{prefect_api}/flow_runs/{flow_run}", timeout=10) as r:
            body = json.load(r)
    except urllib.error.HTTPError as exc:  # 404: the run went to an ephemeral server instead
        raise AssertionError(f"flow run {flow_run} is not on the profile's server ({exc.code})") from exc
    assert body["state"]["type"] == "COMPLETED"
    assert _servers_of(home) == []  # no ephemeral server was started beside it (or it is gone)
