"""Full-text search: the BM25 index follows each publish and nothing else.

The end-to-end part builds a warehouse with the real CLI (`newsetl run`) from BBC texts, then searches it with
`newsetl search`; the in-process part checks the index's transaction behaviour and the extension loader.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SHARED, run_cli
from warehouse.db import migrate, view_statements
from warehouse.extensions import ExtensionMissing, extension_path, load_extension
from warehouse.fts import highlight, refresh_search_index, search

BBC = SHARED / "corpus" / "bbc"
FIRST = [(cat, f"{i:03d}") for cat in ("business", "entertainment", "politics", "sport", "tech") for i in range(1, 7)]
# Rare words of one article each (checked against the file below, so a corpus change fails loudly).
TROJAN = ("tech", "003", "Bankash trojan anti-spyware", "Microsoft seeking spyware trojan")
DUBLIN = ("sport", "007", "Bupa Ireland Turnbull Dublin", "O'Sullivan commits to Dublin race")
FOX = ("politics", "007", "Liam Fox qualms", "Fox attacks Blair's Tory 'lies'")


def copy_bbc(dest: Path, items: list[tuple[str, str]]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for cat, num in items:
        shutil.copy(BBC / cat / f"{num}.txt", dest / f"{cat}_{num}.txt")


def search_json(db: Path, prefect_home: Path, q: str, limit: int = 5) -> list[dict[str, Any]]:
    res = run_cli(["search", q, "--db", str(db), "--limit", str(limit), "--format", "json"], prefect_home,
                  timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory, prefect_home: Path, prefect_api: str) -> dict[str, Any]:
    if not BBC.is_dir():
        pytest.skip(f"BBC corpus not found at {BBC}")
    for cat, num, words, title in (TROJAN, DUBLIN, FOX):
        text = (BBC / cat / f"{num}.txt").read_text(encoding="latin-1")
        assert text.startswith(title) and all(w.lower() in text.lower() for w in words.split()), (cat, num)
    base = tmp_path_factory.mktemp("search")
    inputs, db = base / "in", base / "news.duckdb"
    copy_bbc(inputs, FIRST)
    res = run_cli(["run", "--input", str(inputs), "--db", str(db)], prefect_home, PREFECT_API_URL=prefect_api)
    assert res.returncode == 0, res.stderr[-3000:]
    return {"inputs": inputs, "db": db, "api": prefect_api}


@pytest.mark.slow
def test_rare_phrase_finds_its_article_first(corpus_run: dict[str, Any], prefect_home: Path) -> None:
    hits = search_json(corpus_run["db"], prefect_home, TROJAN[2])
    assert hits and hits[0]["title"] == TROJAN[3], hits
    assert hits[0]["score"] > 0 and [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert "trojan" in hits[0]["snippet"].lower()
    assert set(hits[0]) == {"article_id", "title", "score", "snippet"}

    table = run_cli(["search", TROJAN[2], "--db", str(corpus_run["db"]), "--limit", "3"], prefect_home, timeout=120)
    assert table.returncode == 0, table.stderr
    assert "«trojan»" in table.stdout and TROJAN[3] in table.stdout

    csv_out = run_cli(["search", TROJAN[2], "--db", str(corpus_run["db"]), "--format", "csv"], prefect_home,
                      timeout=120)
    assert csv_out.stdout.splitlines()[0] == "article_id,title,score,snippet"


@pytest.mark.slow
def test_second_run_is_found_and_failed_run_changes_nothing(corpus_run: dict[str, Any], prefect_home: Path) -> None:
    db, inputs, api = corpus_run["db"], corpus_run["inputs"], corpus_run["api"]
    assert all(h["title"] != DUBLIN[3] for h in search_json(db, prefect_home, DUBLIN[2]))

    copy_bbc(inputs, [DUBLIN[:2]])
    res = run_cli(["run", "--input", str(inputs), "--db", str(db)], prefect_home, PREFECT_API_URL=api)
    assert res.returncode == 0, res.stderr[-3000:]
    hits = search_json(db, prefect_home, DUBLIN[2])
    assert hits[0]["title"] == DUBLIN[3], hits
    assert search_json(db, prefect_home, TROJAN[2])[0]["title"] == TROJAN[3]

    queries = [TROJAN[2], DUBLIN[2], FOX[2], "election campaign", "profits"]
    before = {q: search_json(db, prefect_home, q, limit=10) for q in queries}
    copy_bbc(inputs, [FOX[:2]])
    failed = run_cli(["run", "--input", str(inputs), "--db", str(db)], prefect_home, PREFECT_API_URL=api,
                     NEWSETL_MIN_ARTICLES_PER_RUN="1000")
    assert failed.returncode != 0 and "min_articles_per_run" in failed.stderr, failed.stderr[-2000:]
    after = {q: search_json(db, prefect_home, q, limit=10) for q in queries}
    for q in queries:
        assert after[q] == before[q], (q, [(a, b) for a, b in zip(after[q], before[q], strict=False) if a != b])
    assert all(h["title"] != FOX[3] for h in after[FOX[2]])

    # The same inputs published later are found: the failed run left nothing behind that blocks them.
    res = run_cli(["run", "--input", str(inputs), "--db", str(db)], prefect_home, PREFECT_API_URL=api)
    assert res.returncode == 0, res.stderr[-3000:]
    assert search_json(db, prefect_home, FOX[2])[0]["title"] == FOX[3]


@pytest.mark.slow
def test_sql_users_get_the_macro(corpus_run: dict[str, Any], prefect_home: Path) -> None:
    res = run_cli(["sql", f"SELECT title FROM analytics.search('{TROJAN[2]}', n := 1)", "--db",
                   str(corpus_run["db"]), "--format", "json"], prefect_home, timeout=120)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout.splitlines()[0]) == {"title": TROJAN[3]}


# --- in process ---------------------------------------------------------------------------------------------

def _warehouse(path: Path, titles: dict[str, str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    migrate(con)
    for stmt in view_statements():
        con.execute(stmt)
    _add(con, titles)
    return con


def _add(con: duckdb.DuckDBPyConnection, titles: dict[str, str]) -> None:
    now = datetime.now(UTC)
    for aid, text in titles.items():
        con.execute("INSERT INTO articles (article_id, source_path, title, body, text, content_hash, ingested_at, "
                    "run_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'r')", [aid, aid, text.split(".")[0], text, text, aid, now])


def test_failed_publish_keeps_the_old_index(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = _warehouse(db, {"a1": "Glaciers retreat. The glacier lost ice.", "a2": "Markets rally. Stocks rose."})
    con.execute("BEGIN")
    assert refresh_search_index(con, staged=False)
    con.execute("COMMIT")
    # A publish that fails after rebuilding the index rolls it back with the articles.
    con.execute("BEGIN")
    _add(con, {"a3": "Volcano erupts. Lava reached the glacier."})
    refresh_search_index(con, staged=False)
    con.execute("ROLLBACK")
    con.close()
    hits, terms = search(db, "glacier volcano")
    assert [h.article_id for h in hits] == ["a1"]
    assert {"glacier", "volcano"} <= set(terms)
    assert highlight(hits[0].snippet, terms).startswith("«Glaciers» retreat")


def test_unchanged_publish_does_not_rebuild(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", {"a1": "Glaciers retreat. The glacier lost ice."})
    stg = tmp_path / "stg.duckdb"
    s = duckdb.connect(str(stg))
    migrate(s)
    s.close()
    con.execute(f"ATTACH '{stg}' AS stg (READ_ONLY)")
    assert refresh_search_index(con)  # no index yet: built
    assert not refresh_search_index(con)  # nothing staged: left alone
    con.close()


def test_stopwords_only_query_finds_nothing(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", {"a1": "The cat sat. It was the mat."})
    refresh_search_index(con, staged=False)
    con.close()
    assert search(tmp_path / "w.duckdb", "the it was") == ([], [])


def test_extension_loaded_by_path_or_named_when_missing() -> None:
    path = extension_path("fts")
    assert path.is_file() and path.name == "fts.duckdb_extension"
    con = duckdb.connect()
    load_extension(con, "fts")
    assert con.execute("SELECT stem('running', 'porter')").fetchone() == ("run",)
    with pytest.raises(ExtensionMissing, match="duckdb-extension-nosuch"):
        extension_path("nosuch")
