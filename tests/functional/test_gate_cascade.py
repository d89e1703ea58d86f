"""A failing entity row and a failing link row, injected into a real staging file, leave nothing dangling.

The staged rows go through the real GX audit (expectations.gate.audit), the staging area applies the audit's
removal plan (the same call the flow makes) and the real publish step writes a real DuckDB file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from expectations.gate import BatchStats, GateThresholds, RemovalPlan, audit
from flows.settings import Settings
from warehouse.store import StagingArea, publish

NOW = datetime(2026, 12, 1, tzinfo=UTC)
BODY = "Angela Merkel met Jonas Gahr Store in Oslo. " * 5


def _article(aid: str, path: str) -> dict[str, Any]:
    return {"article_id": aid, "source_path": path, "title": f"Title {aid}", "body": BODY, "text": BODY,
            "content_hash": f"h-{aid}", "language": "en", "source_domain": "example.org", "word_count": 40,
            "ingested_at": NOW, "run_id": "r1"}


def _link(aid: str, eid: str, mentions: int) -> dict[str, Any]:
    return {"article_id": aid, "entity_id": eid, "mentions": mentions, "first_offset": 0, "in_title": False,
            "in_summary": False, "surface_forms": [eid]}


def _mention(aid: str, eid: str) -> dict[str, Any]:
    return {"article_id": aid, "entity_id": eid, "alias": eid, "start_offset": 0, "end_offset": 5}


def _stage(staging: StagingArea) -> None:
    staging.append("articles", [_article("a1", "/in/one.txt"), _article("a2", "/in/two.txt")])
    staging.append("files", [
        {"source_path": p, "size": 1, "mtime_ns": 1, "file_hash": p, "status": "loaded", "articles": 1,
         "run_id": "r1"} for p in ("/in/one.txt", "/in/two.txt")])
    staging.append("entities", [
        {"entity_id": "merkel", "name": "Angela Merkel", "type": "person"},
        {"entity_id": "oslo", "name": "Oslo", "type": "location"},
        # fails entities.type_allowed: the entity goes, with its link and its mentions
        {"entity_id": "bogus", "name": "Bogus", "type": "SPACESHIP"},
        # only the failing link below refers to it: it must not be published on its own
        {"entity_id": "store", "name": "Jonas Gahr Store", "type": "person"},
        # fails entities.latitude_in_range (the geo columns are audited too)
        {"entity_id": "atlantis", "name": "Atlantis", "type": "location", "country_code": "GR", "latitude": 123.0,
         "longitude": 25.0},
    ])
    links = [_link("a1", "merkel", 2), _link("a2", "oslo", 1), _link("a1", "bogus", 1),
             _link("a1", "atlantis", 1), _link("a2", "store", 0)]  # mentions 0 fails article_entities.mentions_positive
    staging.append("article_entities", links)
    staging.append("entity_mentions", [_mention(r["article_id"], r["entity_id"]) for r in links])
    staging.append("article_signatures", [{"article_id": a, "content_hash": f"h-{a}", "minhash": None}
                                          for a in ("a1", "a2")])


def _dangling(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    checks = {
        "links without entity": "SELECT count(*) FROM article_entities l "
                                "WHERE l.entity_id NOT IN (SELECT entity_id FROM entities)",
        "links without article": "SELECT count(*) FROM article_entities l "
                                 "WHERE l.article_id NOT IN (SELECT article_id FROM articles)",
        "mentions without link": "SELECT count(*) FROM entity_mentions m WHERE NOT EXISTS (SELECT 1 FROM "
                                 "article_entities l WHERE l.article_id = m.article_id AND l.entity_id = m.entity_id)",
        "entities without link": "SELECT count(*) FROM entities e "
                                 "WHERE e.entity_id NOT IN (SELECT entity_id FROM article_entities)",
        "aliases without entity": "SELECT count(*) FROM entity_aliases a "
                                  "WHERE a.entity_id NOT IN (SELECT entity_id FROM entities)",
    }
    return {name: con.execute(sql).fetchone()[0] for name, sql in checks.items()}  # type: ignore[index]


def test_failing_entity_and_link_rows_leave_nothing_dangling(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    staging = StagingArea(db, "r1", Settings().staging_memory_limit)
    _stage(staging)
    result = audit(staging.frames(), BatchStats(files_new=2, files_quarantined=0, articles_new=2),
                   GateThresholds.from_settings(Settings()), tmp_path / "reports", "r1", now=NOW, docs=False)
    assert result.success, result.reason()
    assert sorted((f.table, f.key, f.expectation) for f in result.row_failures) == [
        ("article_entities", "a2/store", "article_entities.mentions_positive"),
        ("entities", "atlantis", "entities.latitude_in_range"),
        ("entities", "bogus", "entities.type_allowed"),
    ]
    assert result.plan == RemovalPlan(
        entities=frozenset({"bogus", "atlantis", "store"}),
        links=frozenset({("a1", "bogus"), ("a1", "atlantis"), ("a2", "store")}))
    staging.apply_removals(result.plan)
    assert staging.counts() == {"articles": 2, "quarantine": 0, "entities": 2, "figures": 0, "files_loaded": 2,
                                "files_duplicate": 0, "files_quarantined": 0}
    staging.close()
    publish(db, staging.path, 5, Settings().publish_memory_limit)

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert _dangling(con) == dict.fromkeys(_dangling(con), 0)
        assert sorted(r[0] for r in con.execute("SELECT entity_id FROM entities").fetchall()) == ["merkel", "oslo"]
        assert sorted(con.execute("SELECT article_id, entity_id FROM entity_mentions").fetchall()) == [
            ("a1", "merkel"), ("a2", "oslo")]
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    finally:
        con.close()


def test_an_edited_article_takes_its_last_link_to_an_entity_with_it(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    for run, entity in (("r1", ("merkel", "Angela Merkel", "person")), ("r2", ("oslo", "Oslo", "location"))):
        staging = StagingArea(db, run, Settings().staging_memory_limit)
        staging.append("articles", [_article("a1", "/in/one.txt")])
        staging.append("files", [{"source_path": "/in/one.txt", "size": 1, "mtime_ns": 1, "file_hash": run,
                                  "status": "loaded", "articles": 1, "run_id": run}])
        staging.append("entities", [dict(zip(("entity_id", "name", "type"), entity, strict=True))])
        staging.append("article_entities", [_link("a1", entity[0], 1)])
        staging.append("entity_mentions", [_mention("a1", entity[0])])
        staging.close()
        publish(db, staging.path, 5, Settings().publish_memory_limit)
    con = duckdb.connect(str(db), read_only=True)
    try:
        # The second run re-read /in/one.txt, which now names only Oslo: Merkel has no article left.
        assert con.execute("SELECT entity_id FROM entities").fetchall() == [("oslo",)]
        assert _dangling(con) == dict.fromkeys(_dangling(con), 0)
    finally:
        con.close()


def test_a_failing_article_takes_its_rows_and_leaves_its_file_quarantined(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    staging = StagingArea(db, "r1", Settings().staging_memory_limit)
    _stage(staging)
    short = {**_article("a3", "/in/three.txt"), "body": "Short text.", "text": "Angela Merkel\n\nShort text."}
    staging.append("articles", [short])
    staging.append("files", [{"source_path": "/in/three.txt", "size": 1, "mtime_ns": 1, "file_hash": "x",
                              "status": "loaded", "articles": 1, "run_id": "r1"}])
    staging.append("entities", [{"entity_id": "only3", "name": "Angela Merkel II", "type": "person"}])
    staging.append("article_entities", [_link("a3", "merkel", 1), _link("a3", "only3", 1)])
    staging.append("entity_mentions", [_mention("a3", "merkel"), _mention("a3", "only3")])
    staging.append("figures", [{"figure_id": "f3", "article_id": "a3", "value": 2.0, "surface": "two",
                                "category": "other", "qualifier": "=",
                                "sentence": "two", "start_offset": 0, "end_offset": 3}])
    staging.append("article_signatures", [{"article_id": "a3", "content_hash": "h-a3", "minhash": None}])
    result = audit(staging.frames(), BatchStats(files_new=3, files_quarantined=0, articles_new=3),
                   GateThresholds.from_settings(Settings()), tmp_path / "reports", "r1", now=NOW, docs=False)
    assert ("articles", "a3", "articles.body_length_within_bounds") in {(f.table, f.key, f.expectation)
                                                          for f in result.row_failures}
    assert result.plan.articles == {"a3"} and result.plan.figures == {"f3"}
    assert {("a3", "merkel"), ("a3", "only3")} <= result.plan.links and "only3" in result.plan.entities
    assert staging.article_paths()["a3"] == "/in/three.txt"
    staging.apply_removals(result.plan)
    counts = staging.counts()
    staging.close()
    assert (counts["articles"], counts["figures"], counts["files_loaded"], counts["files_quarantined"]) == (2, 0, 2, 1)
    publish(db, staging.path, timeout_s=5, memory_limit=Settings().publish_memory_limit)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert _dangling(con) == dict.fromkeys(_dangling(con), 0)
        assert con.execute("SELECT count(*) FROM article_signatures WHERE article_id = 'a3'").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM figures").fetchone() == (0,)
        assert con.execute("SELECT status FROM files WHERE source_path = '/in/three.txt'").fetchone() == (
            "quarantined",)
        assert sorted(r[0] for r in con.execute("SELECT entity_id FROM entities").fetchall()) == ["merkel", "oslo"]
    finally:
        con.close()
