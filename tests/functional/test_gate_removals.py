"""Rows the gate removes take their dependents with them (the flow applies the audit's cleaned frames)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import SEED_FILE, query, run_cli


def test_removed_article_leaves_no_orphans(tmp_path: Path, prefect_home: Path, prefect_api: str) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED_FILE, inputs / SEED_FILE.name)
    # The body is 11 characters: below min_body_chars, so the gate removes the article (row level).
    (inputs / "short.txt").write_text("Angela Merkel visits Oslo\n\nShort text.\n", encoding="utf-8")
    db = tmp_path / "news.duckdb"
    res = run_cli(["run", "--input", str(inputs), "--db", str(db)], prefect_home, PREFECT_API_URL=prefect_api)
    assert res.returncode == 0, res.stderr[-2000:]
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 1
    short = str(inputs / "short.txt")
    assert query(db, "SELECT reason FROM quarantine WHERE source_path = ?", [short])
    assert query(db, "SELECT status FROM files WHERE source_path = ?", [short]) == [("quarantined",)]
    orphans = query(db, "SELECT name FROM entities e WHERE NOT EXISTS "
                        "(SELECT 1 FROM article_entities a WHERE a.entity_id = e.entity_id)")
    assert orphans == []
    names = {r[0] for r in query(db, "SELECT name FROM entities")}
    assert "Angela Merkel" not in names
    for table in ("article_entities", "entity_mentions", "figures", "article_signatures"):
        dangling = query(db, f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
                             "(SELECT 1 FROM articles a WHERE a.article_id = t.article_id)")
        assert dangling == [(0,)], table
