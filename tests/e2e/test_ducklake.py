"""DuckLake on a real PostgreSQL (tests/pg.py): two `newsetl run` processes on different inputs, started at the
same moment as two hosts (each with its own local folder), publish into one `ducklake:postgres:` warehouse.

Both inputs hold one article with the same content under different paths: both runs read an empty warehouse,
both stage it, and only the publish lock's late duplicate check keeps it from being published twice.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.settings import Settings
from tests import hostile
from tests.conftest import ROOT, cli_env
from warehouse.backend import DuckLake, parse
from warehouse.db import append_rows, migrate

SHARED_TEXT = """Lighthouse keepers return to Skerryvore after forty years

The Northern Lighthouse Board said on Monday that two keepers would live at Skerryvore again from April.

Board chairman Alasdair Munro said the 1844 tower needed daily care that automation could not give it.
"""


def lake_env(home: Path, api: str, tmp: Path, host: str) -> dict[str, str]:
    return cli_env(home, PREFECT_API_URL=api, NEWSETL_LAKE_DATA_PATH=str(tmp / "data") + "/",
                   NEWSETL_LAKE_LOCAL_DIR=str(tmp / host))


def cli(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def lake_rows(lake: DuckLake, sql: str) -> list[tuple[Any, ...]]:
    con = lake.reader()
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def race(pg_cluster: Any, prefect_api: str, prefect_home: Path,
         tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("lake")
    db = "ducklake:postgres:" + pg_cluster.createdb("lake_race")
    pool = hostile.copy_good(tmp / "pool", 16, skip=300)
    inputs = {"a": tmp / "in_a", "b": tmp / "in_b"}
    for i, p in enumerate(pool):
        dest = inputs["a" if i % 2 == 0 else "b"]
        dest.mkdir(exist_ok=True)
        shutil.move(p, dest / p.name)
    (inputs["a"] / "lighthouse.txt").write_text(SHARED_TEXT, encoding="utf-8")
    (inputs["b"] / "lighthouse_copy.txt").write_text(SHARED_TEXT, encoding="utf-8")
    procs = {}
    for host in ("a", "b"):
        log = (tmp / f"{host}.log").open("w")
        procs[host] = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--input", str(inputs[host]),
                                        "--db", db], cwd=ROOT, env=lake_env(prefect_home, prefect_api, tmp, host),
                                       stdout=subprocess.DEVNULL, stderr=log, text=True)
    rcs = {h: p.wait(timeout=600) for h, p in procs.items()}
    return {"db": db, "tmp": tmp, "inputs": inputs, "rc": rcs, "files": len(pool),
            "err": {h: (tmp / f"{h}.log").read_text() for h in procs},
            "lake": parse(db, str(tmp / "data") + "/", tmp / "a"), "home": prefect_home, "api": prefect_api}


def test_concurrent_hosts_both_publish_without_duplicates(race: dict[str, Any]) -> None:
    for host in ("a", "b"):
        assert race["rc"][host] == 0, race["err"][host][-3000:]
        assert "Traceback" not in race["err"][host]
    lake = race["lake"]
    runs = lake_rows(lake, "SELECT run_id, status, started_at, finished_at, articles_loaded FROM runs")
    assert [r[1] for r in runs] == ["published", "published"]
    # The two runs really overlapped: each started before the other finished.
    assert max(r[2] for r in runs) < min(r[3] for r in runs), runs
    total, ids, hashes, paths = lake_rows(lake, "SELECT count(*), count(DISTINCT article_id), "
                                                "count(DISTINCT content_hash), count(DISTINCT source_path) "
                                                "FROM articles")[0]
    assert total == ids == hashes == paths == race["files"] + 1  # every BBC text once, the shared text once
    assert sum(r[4] for r in runs) == total  # the runs' counts add up to what was published
    shared = lake_rows(lake, "SELECT source_path FROM articles WHERE title LIKE 'Lighthouse keepers%'")
    assert len(shared) == 1
    dup = lake_rows(lake, "SELECT source_path, duplicate_of, kind FROM duplicates")
    assert len(dup) == 1 and dup[0][0].endswith(("lighthouse.txt", "lighthouse_copy.txt")) and dup[0][0] != shared[0][0]
    files = dict(lake_rows(lake, "SELECT source_path, status FROM files"))
    assert files[dup[0][0]] == "duplicate"
    # Nothing dangles: every link, mention and figure belongs to a published article.
    orphans = lake_rows(lake, "SELECT (SELECT count(*) FROM article_entities WHERE article_id NOT IN "
                              "(SELECT article_id FROM articles)) + (SELECT count(*) FROM figures WHERE article_id "
                              "NOT IN (SELECT article_id FROM articles))")[0][0]
    assert orphans == 0
    # Each publish is one snapshot whose commit message is its run id.
    messages = {m for (m,) in lake_rows(lake, "SELECT commit_message FROM lake.snapshots() "
                                              "WHERE commit_message IS NOT NULL")}
    assert messages == {r[0] for r in runs}
    parquet = list((race["tmp"] / "data").rglob("*.parquet"))
    assert parquet, "no Parquet file under NEWSETL_LAKE_DATA_PATH"


def test_unchanged_rerun_changes_nothing_and_commands_read_the_lake(race: dict[str, Any]) -> None:
    lake, env = race["lake"], lake_env(race["home"], race["api"], race["tmp"], "a")
    tables = ("articles", "entities", "article_entities", "entity_mentions", "figures", "files", "duplicates")

    def contents() -> dict[str, list[tuple[Any, ...]]]:
        return {t: sorted(map(repr, lake_rows(lake, f"SELECT * FROM {t}"))) for t in tables}  # type: ignore[misc]

    before = contents()
    # The run that published first (both started at the same moment: the earlier run id may publish second).
    first_run = lake_rows(lake, "SELECT commit_message FROM lake.snapshots() WHERE commit_message IS NOT NULL "
                                "ORDER BY snapshot_id LIMIT 1")[0][0]
    rerun = cli(["run", "--input", str(race["inputs"]["a"]), "--db", race["db"]], env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert contents() == before
    assert lake_rows(lake, "SELECT count(*) FROM runs")[0][0] == 3

    out = cli(["sql", "SELECT count(*) AS n FROM articles", "--db", race["db"], "--format", "json"], env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"n": race["files"] + 1}
    # Time travel: as the first publish left it, only that run's articles and runs row.
    old = cli(["sql", "SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM articles) AS n",
               "--db", race["db"], "--at-run", first_run, "--format", "json"], env)
    assert old.returncode == 0, old.stderr
    first_loaded = lake_rows(lake, f"SELECT articles_loaded FROM runs WHERE run_id = '{first_run}'")[0][0]
    assert json.loads(old.stdout) == {"runs": 1, "n": first_loaded}
    write = cli(["sql", "DELETE FROM articles", "--db", race["db"]], env)
    assert write.returncode != 0 and "read" in write.stderr.lower()
    status = cli(["status", "--db", race["db"], "--format", "json"], env)
    assert status.returncode == 0 and len(status.stdout.splitlines()) == 3, status.stderr
    found = cli(["search", "Skerryvore lighthouse keepers", "--db", race["db"], "--format", "json"], env)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout.splitlines()[0])["title"].startswith("Lighthouse keepers")
    report = cli(["report", "--db", race["db"], "--out", str(race["tmp"] / "report.html")], env)
    assert report.returncode == 0, report.stderr
    assert "Lighthouse" in (race["tmp"] / "report.html").read_text(encoding="utf-8") or report.stdout


def test_failed_publish_commits_no_snapshot(race: dict[str, Any]) -> None:
    """A publish that fails at its last statement (the runs row breaks a NOT NULL) leaves no snapshot and none
    of the rows written before it in the same transaction."""
    lake = race["lake"]
    snapshots = lake.current_snapshot()
    staging = race["tmp"] / "broken.duckdb"
    con = duckdb.connect(str(staging))
    migrate(con)
    now = datetime.now(UTC)
    append_rows(con, "articles", [{"article_id": "broken-1", "source_path": "/nowhere/broken.txt", "title": "t",
                                   "body": "b", "text": "t b", "content_hash": "h-broken", "ingested_at": now,
                                   "run_id": "broken-run"}])
    append_rows(con, "files", [{"source_path": "/nowhere/broken.txt", "size": 1, "mtime_ns": 1, "file_hash": "f",
                                "status": "loaded", "articles": 1, "run_id": "broken-run"}])
    con.execute("ALTER TABLE runs ALTER COLUMN status DROP NOT NULL")
    counts = dict.fromkeys(("files_seen", "files_unchanged", "files_loaded", "files_duplicate", "files_quarantined",
                            "articles_loaded", "duplicates", "quarantined"), 1)
    append_rows(con, "runs", [{"run_id": "broken-run", "started_at": now, "status": None, **counts}])
    con.close()
    with pytest.raises(duckdb.Error, match="NOT NULL"):
        lake.publish(staging, 10.0, Settings().publish_memory_limit)
    assert lake.current_snapshot() == snapshots
    assert lake_rows(lake, "SELECT count(*) FROM articles WHERE article_id = 'broken-1'")[0][0] == 0
    assert lake_rows(lake, "SELECT count(*) FROM files WHERE source_path = '/nowhere/broken.txt'")[0][0] == 0
