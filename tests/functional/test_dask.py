"""The Dask path (NEWSETL_DASK_ADDRESS, prefect-dask) publishes the same tables as the local path.

A real `distributed.LocalCluster` of 2 worker processes runs in the test process; the real CLI runs twice
on the same input files (article ids derive from source paths) into two fresh databases, once locally and
once on the cluster. A scheduler plugin records which tasks the cluster ran, so the test fails if the
Dask run silently took the local path.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from distributed import LocalCluster
from distributed.diagnostics.plugin import SchedulerPlugin

from flows.settings import Settings
from tests.conftest import SHARED, free_port

CORPUS = SHARED / "corpus" / "bbc"
TABLES = ("articles", "entities", "entity_aliases", "article_entities", "entity_mentions", "figures", "duplicates",
          "quarantine", "files")
# Columns that legitimately differ between two runs of the same inputs.
RUN_COLUMNS = {"run_id", "ingested_at", "quarantined_at"}
N_FILES = 60


class TaskRecorder(SchedulerPlugin):
    """Remembers the key of every task that finished on the cluster."""

    def __init__(self) -> None:
        self.finished: list[str] = []

    def transition(self, key: Any, start: str, finish: str, *args: Any, **kwargs: Any) -> None:
        if finish == "memory":
            self.finished.append(str(key))


@pytest.fixture
def dask_cluster() -> Iterator[tuple[str, TaskRecorder]]:
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    recorder = TaskRecorder()
    cluster.scheduler.add_plugin(recorder, name="newsetl-task-recorder")
    try:
        yield cluster.scheduler_address, recorder
    finally:
        cluster.close()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """60 BBC articles (12 per category), plus an exact copy of one (a duplicate) and an empty file (quarantined),
    written once so both runs see the same paths and mtimes."""
    return make_inputs(tmp_path / "inputs")


def make_inputs(folder: Path, per_category: int = N_FILES // 5) -> Path:
    for category in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        (folder / category.name).mkdir(parents=True)
        for src in sorted(category.glob("*.txt"))[:per_category]:
            shutil.copy2(src, folder / category.name / src.name)
    shutil.copy2(folder / "tech" / "001.txt", folder / "tech" / "zz-copy-of-001.txt")
    (folder / "sport" / "zz-empty.txt").write_bytes(b"")
    return folder


def table_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Sorted rows per published table, without the columns that name the run or its time."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in TABLES:
            cols = [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall() if r[0] not in RUN_COLUMNS]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall()
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def test_dask_path_matches_local_path(newsetl, dask_cluster, inputs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    address, recorder = dask_cluster
    n_files = sum(1 for _ in inputs.rglob("*.txt"))
    assert n_files == N_FILES + 2 > Settings().in_process_max_files  # small runs never submit tasks; this one must

    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    local = newsetl("run", "--input", str(inputs), "--db", str(local_db), timeout=300)
    assert local.returncode == 0, local.stderr[-3000:]
    assert recorder.finished == []  # the local run did not touch the cluster

    on_dask = newsetl("run", "--input", str(inputs), "--db", str(dask_db), timeout=300,
                      NEWSETL_DASK_ADDRESS=address)
    assert on_dask.returncode == 0, on_dask.stderr[-3000:]

    # The batch steps really ran on the cluster: both kinds of batch task finished there (prefect-dask keys
    # are "<function name>-<hash>").
    assert any(k.startswith("parse_task-") for k in recorder.finished), recorder.finished
    assert any(k.startswith("nlp_task-") for k in recorder.finished), recorder.finished

    local_rows, dask_rows = table_rows(local_db), table_rows(dask_db)
    assert len(local_rows["articles"]) >= N_FILES * 9 // 10  # a real run, not two empty tables
    assert local_rows["entities"] and local_rows["article_entities"]
    assert local_rows["duplicates"] and local_rows["quarantine"]
    for table in TABLES:
        assert dask_rows[table] == local_rows[table], f"{table} differs between the local and the Dask run"


def test_unreachable_scheduler_fails_at_start_with_one_line(newsetl, inputs: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The Dask failure path at start: nobody listens at NEWSETL_DASK_ADDRESS. The run stops before the flow
    (seconds, not distributed's 30 s connect timeout) with one line on stderr and creates no warehouse."""
    address = f"tcp://127.0.0.1:{free_port()}"
    db = tmp_path / "never.duckdb"
    res = newsetl("run", "--input", str(inputs), "--db", str(db), timeout=120, NEWSETL_DASK_ADDRESS=address)
    assert res.returncode == 2, res.stderr[-2000:]
    assert res.stderr.strip().splitlines() == [
        f"newsetl run: Dask scheduler {address} is unreachable (Connection refused); nothing was run"]
    assert not db.exists()
