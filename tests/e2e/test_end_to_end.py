"""The main job end to end: the real Prefect flow, spaCy model, GX gate and DuckDB file.

One module-scoped warehouse built from seeds/ serves most checks; idempotency and failure tests
build their own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import (
    PUBLISHED_TABLES,
    ROOT,
    SEED_FILE,
    query,
    run_cli,
    seed_expected,
    table_checksums,
    view_definitions,
)
from tests.seed_checks import check_article

CONTRACT_TABLES = {
    "articles": {"article_id", "source_path", "url", "source_domain", "title", "summary", "body", "authors",
                 "published_at", "language", "content_hash", "ingested_at", "run_id"},
    "entities": {"entity_id", "name", "type"},
    "article_entities": {"article_id", "entity_id", "mentions"},
    "figures": {"figure_id", "article_id", "value", "unit", "object", "category", "qualifier", "surface", "sentence"},
    "quarantine": {"source_path", "reason", "detail", "run_id"},
    "runs": {"run_id", "started_at", "finished_at", "status", "files_seen", "articles_loaded", "duplicates",
             "quarantined", "validation_success"},
}


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, prefect_home: Path) -> Path:
    db = tmp_path_factory.mktemp("wh") / "news.duckdb"
    res = run_cli(["run", "--input", str(ROOT / "seeds"), "--db", str(db)], prefect_home)
    assert res.returncode == 0, res.stderr[-3000:]
    return db


def article_from_warehouse(db: Path, source_path: str) -> dict[str, Any]:
    rows = query(db, "SELECT article_id, title, summary, body, text, source_domain FROM articles WHERE source_path = ?",
                 [source_path])
    assert len(rows) == 1, rows
    aid, title, summary, body, text, domain = rows[0]
    ents: dict[str, dict[str, Any]] = {}
    for eid, name, etype, alias, start, end in query(
        db,
        "SELECT e.entity_id, e.name, e.type, m.alias, m.start_offset, m.end_offset FROM entity_mentions m "
        "JOIN entities e USING (entity_id) WHERE m.article_id = ?",
        [aid],
    ):
        ents.setdefault(eid, {"name": name, "type": etype, "mentions": []})["mentions"].append(
            {"text": alias, "start": start, "end": end})
    # article_entities must agree with the mentions.
    for eid, n in query(db, "SELECT entity_id, mentions FROM article_entities WHERE article_id = ?", [aid]):
        assert n == len(ents[eid]["mentions"])
    figures = [
        {"value": v, "qualifier": q, "category": c, "object": o, "surface": s, "start": st, "end": en}
        for v, q, c, o, s, st, en in query(
            db, "SELECT value, qualifier, category, object, surface, start_offset, end_offset FROM figures "
            "WHERE article_id = ?", [aid])
    ]
    return {"title": title, "summary": summary, "body": body, "text": text, "source_domain": domain,
            "entities": list(ents.values()), "figures": figures}


def test_contract_tables_and_views(seeded_db: Path) -> None:
    for table, cols in CONTRACT_TABLES.items():
        have = {r[0] for r in query(seeded_db, "SELECT column_name FROM information_schema.columns "
                                    "WHERE table_schema = 'main' AND table_name = ?", [table])}
        assert cols <= have, (table, cols - have)
    views = view_definitions(seeded_db)
    assert len(views) >= 5
    counts = {name: query(seeded_db, f"SELECT count(*) FROM analytics.{name}")[0][0] for name in views}
    # The seeds quarantine nothing; every other view has rows on them (a view that runs but yields nothing fails).
    assert counts.pop("quarantine_summary", 0) == 0
    assert all(n > 0 for n in counts.values()), counts
    assert counts["article_overview"] == query(seeded_db, "SELECT count(*) FROM articles")[0][0]


def test_seed_article_in_warehouse_meets_gold(seeded_db: Path) -> None:
    art = article_from_warehouse(seeded_db, str(SEED_FILE))
    assert check_article(art, seed_expected()) == []


def test_every_seed_file_accounted(seeded_db: Path) -> None:
    seeds = sorted(str(p) for p in (ROOT / "seeds").rglob("*") if p.is_file())
    files = dict(query(seeded_db, "SELECT source_path, status FROM files"))
    assert sorted(files) == seeds
    run = query(seeded_db, "SELECT files_seen, files_unchanged, files_loaded, files_duplicate, files_quarantined, "
                "validation_success FROM runs ORDER BY started_at DESC LIMIT 1")[0]
    assert run[0] == len(seeds) == run[1] + run[2] + run[3] + run[4]
    assert run[5] is True


def test_extract_meets_gold(newsetl) -> None:  # type: ignore[no-untyped-def]
    res = newsetl("extract", str(SEED_FILE))
    assert res.returncode == 0, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    art = lines[0]
    assert art["source_path"] == str(SEED_FILE)
    assert art["source_id"] is None
    assert check_article(art, seed_expected()) == []


def test_extract_reports_unusable_inputs(newsetl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "junk.html").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (tmp_path / "notes.docx").write_bytes(b"PK")
    res = newsetl("extract", str(tmp_path))
    assert res.returncode == 0
    assert res.stdout == ""
    errs = res.stderr.strip().splitlines()
    reasons = {line.split(": ")[0]: line.split(": ")[1] for line in errs}
    assert reasons == {str(tmp_path / "empty.txt"): "empty", str(tmp_path / "junk.html"): "binary",
                       str(tmp_path / "notes.docx"): "unsupported_type"}


def test_reruns_change_nothing(newsetl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "idem.duckdb"
    sums = []
    for _ in range(3):
        res = newsetl("run", "--input", str(ROOT / "seeds"), "--db", str(db))
        assert res.returncode == 0, res.stderr[-2000:]
        sums.append(table_checksums(db))
    assert sums[0] == sums[1] == sums[2]
    assert query(db, "SELECT count(*) FROM runs")[0][0] == 3


def test_edited_input_replaces_its_article(newsetl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inputs = tmp_path / "in"
    inputs.mkdir()
    art = inputs / "story.txt"
    shutil.copy(SEED_FILE, art)
    db = tmp_path / "edit.duckdb"
    assert newsetl("run", "--input", str(inputs), "--db", str(db)).returncode == 0
    (aid1,) = query(db, "SELECT article_id FROM articles")[0]
    art.write_text(art.read_text(encoding="utf-8").replace("over 1,380 civilians", "over 1,500 civilians"),
                   encoding="utf-8")
    res = newsetl("run", "--input", str(inputs), "--db", str(db))
    assert res.returncode == 0, res.stderr[-2000:]
    rows = query(db, "SELECT article_id, body FROM articles")
    assert len(rows) == 1 and rows[0][0] == aid1 and "1,500" in rows[0][1]
    assert [r[0] for r in query(db, "SELECT value FROM figures WHERE category = 'killed'")] == [1500.0]


def test_failed_validation_publishes_nothing(newsetl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED_FILE, inputs / "first.txt")
    db = tmp_path / "gate.duckdb"
    assert newsetl("run", "--input", str(inputs), "--db", str(db)).returncode == 0
    before, views_before = table_checksums(db), view_definitions(db)
    (inputs / "second.txt").write_text(
        "Flooding Forces Thousands From Homes in Bangladesh\n\n"
        "Floods in northern Bangladesh have displaced about 40,000 people, officials in Dhaka said on Monday.\n\n"
        "The Red Cross said more than 120 villages were under water near the Brahmaputra river.\n",
        encoding="utf-8",
    )
    res = newsetl("run", "--input", str(inputs), "--db", str(db), NEWSETL_MIN_ARTICLES_PER_RUN="1000")
    assert res.returncode != 0
    reason = res.stderr.strip().splitlines()[-1]
    assert reason.startswith("newsetl run not published") and "min_articles_per_run" in reason
    assert table_checksums(db) == before
    assert view_definitions(db) == views_before
    last = query(db, "SELECT status, validation_success, failed_expectations FROM runs ORDER BY started_at DESC "
                 "LIMIT 1")[0]
    assert last[0] == "failed_validation" and last[1] is False
    assert any("min_articles_per_run" in f for f in last[2])
    staged = list((db.parent / ".staging").rglob("*.duckdb"))
    assert staged, "staged data is kept for diagnosis"
    # The next successful run publishes the new article and cleans up the failed run's staging.
    res = newsetl("run", "--input", str(inputs), "--db", str(db))
    assert res.returncode == 0, res.stderr[-2000:]
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 2
    assert not list((db.parent / ".staging").rglob("*.duckdb"))


def test_published_tables_listed(seeded_db: Path) -> None:
    counts = {t: query(seeded_db, f"SELECT count(*) FROM {t}")[0][0] for t in PUBLISHED_TABLES}
    seeds = sum(1 for p in (ROOT / "seeds").rglob("*") if p.is_file())
    assert counts["files"] == seeds and counts["quarantine"] == counts["duplicates"] == 0, counts
    assert counts["articles"] == counts["article_signatures"] >= seeds, counts  # a feed or JSONL file holds several
    assert all(counts[t] > 0 for t in ("entities", "entity_aliases", "article_entities", "entity_mentions",
                                       "figures")), counts
