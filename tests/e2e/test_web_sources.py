"""Live web sources end to end: the real `newsetl run --sources` against news sites played on loopback.

Four sites on their own loopback addresses (tests/websites.py): robots.txt with Disallow and Crawl-delay,
RSS and Atom feeds, a gzipped news sitemap behind a sitemap index, ETag/Last-Modified with 304s, 429 with
Retry-After, 500 then 200, a redirect chain and loop, huge bodies, a challenge page, a consent wall, a
redirect to a forbidden address and a PDF. Everything is asserted from the warehouse and from the server's
own request log.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED, cli_env, query, table_checksums
from tests.websites import (
    ADDRESSES,
    CANONICAL_PATHS,
    CRAWL_DELAY_S,
    EXPECTED_OUTCOMES,
    RETRY_AFTER_S,
    NewsSite,
    RequestRecord,
    WebServer,
    news_sites,
    politeness_report,
)

BBC = SHARED / "corpus" / "bbc"
DELAY_S = 1.0  # NEWSETL_HOST_DELAY_S default
TOLERANCE_S = 0.05
ENTRY = {"alpha": "/feed.xml", "beta": "/atom.xml", "gamma": "/sitemap_index.xml", "delta": "/feed.xml"}
ALLOW = {"NEWSETL_ALLOW_PRIVATE_HOSTS": "127.0.0.0/8"}


@dataclass
class WebRun:
    proc: subprocess.CompletedProcess[str]
    log: list[RequestRecord]


@dataclass
class Scenario:
    sites: dict[str, NewsSite]
    db: Path
    first: WebRun
    second: WebRun


def _sources_file(path: Path, sites: dict[str, NewsSite]) -> Path:
    text = "".join(f'[[source]]\nname = "{n}"\nurl = "{s.url(ENTRY[n])}"\n\n' for n, s in sites.items())
    path.write_text(text, encoding="utf-8")
    return path


def _run(args: list[str], home: Path, api: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=cli_env(home, PREFECT_API_URL=api, **env))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, prefect_home: Path, prefect_api: str) -> Iterator[Scenario]:
    tmp = tmp_path_factory.mktemp("web")
    sites = {s.name: s for s in news_sites(BBC)}
    sources = _sources_file(tmp / "sources.toml", sites)
    db = tmp / "wh" / "news.duckdb"
    args = ["run", "--sources", str(sources), "--db", str(db)]
    with WebServer(list(sites.values())) as server:
        first = _run(args, prefect_home, prefect_api, **ALLOW)
        first_log = server.log
        server.clear_log()
        second = _run(args, prefect_home, prefect_api, **ALLOW)
        yield Scenario(sites, db, WebRun(first, first_log), WebRun(second, server.log))


def _fetches(db: Path, run: int) -> dict[str, dict[str, Any]]:
    runs = [r[0] for r in query(db, "SELECT run_id FROM runs ORDER BY started_at")]
    rows = query(db, "SELECT url, source, role, outcome, reason, http_status, article_id, etag FROM fetches "
                     "WHERE run_id = ?", [runs[run]])
    keys = ("url", "source", "role", "outcome", "reason", "http_status", "article_id", "etag")
    return {r[0]: dict(zip(keys, r, strict=True)) for r in rows}


def _key(site: NewsSite, path: str) -> str:
    return site.url(path.split("?utm_", 1)[0])


def test_first_run_publishes(scenario: Scenario) -> None:
    assert scenario.first.proc.returncode == 0, scenario.first.proc.stderr[-3000:]
    assert "web: " in scenario.first.proc.stdout


def test_every_url_has_its_outcome(scenario: Scenario) -> None:
    """Each discovered URL gets one fetches row with the expected outcome or reason; nothing else is loaded."""
    rows = _fetches(scenario.db, 0)
    for name, expected in EXPECTED_OUTCOMES.items():
        site = scenario.sites[name]
        for path, outcome in expected.items():
            if name == "delta" and path != ENTRY["delta"]:
                continue  # never discovered: the feed that lists them is disallowed
            row = rows.get(_key(site, path))
            assert row is not None, (name, path, sorted(rows))
            got = row["outcome"] if outcome == "loaded" else row["reason"]
            assert got == outcome, (name, path, row)
    pages = {u for u, r in rows.items() if r["role"] == "page"}
    sources = {u for u, r in rows.items() if r["role"] == "source"}
    assert len(pages) == sum(len(e) for n, e in EXPECTED_OUTCOMES.items() if n != "delta")
    assert len(sources) == 5  # 4 given + gamma's child sitemap


def test_loaded_articles_are_the_sites_articles(scenario: Scenario) -> None:
    rows = query(scenario.db, "SELECT source_path, url, title, source_domain FROM articles")
    expected = {}
    for name, exp in EXPECTED_OUTCOMES.items():
        site = scenario.sites[name]
        for path, outcome in exp.items():
            if outcome == "loaded":
                canonical = CANONICAL_PATHS.get(name, {}).get(path, path)
                expected[_key(site, path)] = site.titles[canonical]
    assert {r[0]: r[2] for r in rows} == expected
    for source_path, url, _title, domain in rows:
        assert url and domain in ADDRESSES.values()
        assert source_path.startswith("http://127.0.0.")
    loaded = {u: r for u, r in _fetches(scenario.db, 0).items() if r["outcome"] == "loaded" and r["role"] == "page"}
    ids = {r[0] for r in query(scenario.db, "SELECT article_id FROM articles")}
    assert {r["article_id"] for r in loaded.values()} == ids


def test_politeness_per_host(scenario: Scenario) -> None:
    log = scenario.first.log
    for name, site in scenario.sites.items():
        records = sorted((r for r in log if r.host == site.address), key=lambda r: r.start)
        assert records and records[0].path == "/robots.txt", (name, [r.path for r in records[:3]])
        gap, concurrent = politeness_report(records, site.address)
        delay = CRAWL_DELAY_S.get(name, DELAY_S)
        assert concurrent == 1, name
        assert gap >= delay - TOLERANCE_S, (name, gap)
        assert all(r.headers.get("user-agent", "").startswith("newsetl/") for r in records)
    paths = [(r.host, r.path) for r in log]
    assert not [p for p in paths if p[1].startswith("/private/")]
    assert [p for h, p in paths if h == ADDRESSES["delta"]] == ["/robots.txt"]
    assert not [r for r in log if r.host == "169.254.169.254"]


def test_retry_after_and_server_errors(scenario: Scenario) -> None:
    beta = [r for r in scenario.first.log if r.host == ADDRESSES["beta"]]
    hits = [r for r in beta if r.path == "/news/beta-3"]
    assert [r.status for r in hits] == [429, 200]
    assert hits[1].start - hits[0].start >= RETRY_AFTER_S - TOLERANCE_S
    assert [r.status for r in beta if r.path == "/news/beta-4"] == [500, 200]


def test_hosts_are_fetched_in_parallel(scenario: Scenario) -> None:
    """The crawl takes about as long as its slowest host's politeness needs, not the sum over hosts."""
    log = scenario.first.log
    per_host = {h: [r for r in log if r.host == h] for h in ADDRESSES.values()}
    bound = max(max(r.start for r in rs) - min(r.start for r in rs) for rs in per_host.values() if rs)
    span = max(r.end for r in log) - min(r.start for r in log)
    total = sum(max(r.start for r in rs) - min(r.start for r in rs) for rs in per_host.values() if rs)
    assert span <= 1.2 * bound + 1.0, (span, bound)
    assert span < 0.75 * total


def test_rerun_is_conditional_and_loads_nothing(scenario: Scenario) -> None:
    second = scenario.second
    assert second.proc.returncode == 0, second.proc.stderr[-3000:]
    log = second.log
    alpha_feed = [r for r in log if r.host == ADDRESSES["alpha"] and r.path == "/feed.xml"]
    assert len(alpha_feed) == 1 and alpha_feed[0].status == 304
    assert alpha_feed[0].headers.get("if-none-match") or alpha_feed[0].headers.get("if-modified-since")
    article_paths = {p.split("?")[0] for e in EXPECTED_OUTCOMES.values() for p, o in e.items() if o == "loaded"}
    assert not [r.path for r in log if r.path in article_paths], "an already published article was fetched again"
    for gone in ("/huge", "/huge-chunked", "/challenge", "/consent", "/loop-a", "/not-html"):
        assert not [r for r in log if r.path == gone], gone  # final failures rest for refetch_failed_after_s
    rows = _fetches(scenario.db, 1)
    assert rows[scenario.sites["alpha"].url("/feed.xml")]["outcome"] == "not_modified"
    assert {r["reason"] for r in rows.values() if r["outcome"] == "skipped"} >= {"already_loaded", "failed_before"}
    assert not [r for r in rows.values() if r["outcome"] == "loaded" and r["role"] == "page"]
    counts = query(scenario.db, "SELECT articles_loaded, fetch_not_modified FROM runs ORDER BY started_at")
    assert counts[1][0] == 0 and counts[1][1] >= 1


def test_status_shows_fetch_counts(scenario: Scenario, prefect_home: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "flows.cli", "status", "--db", str(scenario.db), "--format", "json"],
                         cwd=ROOT, capture_output=True, text=True, env=cli_env(prefect_home), timeout=120)
    assert res.returncode == 0, res.stderr
    runs = [json.loads(line) for line in res.stdout.splitlines()]
    assert runs[-1]["requested"] > 0 and runs[-1]["failed"] >= 7
    table = subprocess.run([sys.executable, "-m", "flows.cli", "status", "--db", str(scenario.db)], cwd=ROOT,
                           capture_output=True, text=True, env=cli_env(prefect_home), timeout=120)
    assert "web sources" in table.stdout and "gamma" in table.stdout


def test_warc_archive_replays(scenario: Scenario) -> None:
    """Every response of the first run is in its WARC file, which newsetl reads back as an input."""
    from flows.settings import Settings
    from flows.steps import StepConfig
    from transforms.warc import parse_warc

    archives = sorted((scenario.db.parent / "archive" / scenario.db.stem).glob("*.warc.gz"))
    assert archives
    articles, _ = parse_warc(archives[0].read_bytes(), str(archives[0]), StepConfig.from_settings(Settings()).limits)
    titles = {a.title for a in articles}
    published = {r[0] for r in query(scenario.db, "SELECT title FROM articles")}
    assert published <= titles


def test_without_allowance_loopback_is_refused(tmp_path: Path, prefect_home: Path, prefect_api: str) -> None:
    sites = {s.name: s for s in news_sites(BBC)}
    sources = _sources_file(tmp_path / "sources.toml", sites)
    db = tmp_path / "news.duckdb"
    with WebServer(list(sites.values())) as server:
        res = _run(["run", "--sources", str(sources), "--db", str(db)], prefect_home, prefect_api)
        log = server.log
    assert log == []
    assert res.returncode == 1 and "every web source failed" in res.stderr.strip().splitlines()[-1]
    rows = query(db, "SELECT outcome, reason FROM fetches")
    assert len(rows) == 4 and set(rows) == {("skipped", "blocked_address")}
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 0


def test_extract_url(tmp_path: Path, prefect_home: Path) -> None:
    sites = {s.name: s for s in news_sites(BBC)}
    alpha, gamma = sites["alpha"], sites["gamma"]
    with WebServer([alpha, gamma]):
        res = subprocess.run(
            [sys.executable, "-m", "flows.cli", "extract", alpha.url("/news/alpha-1"), gamma.url("/challenge")],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
            env=cli_env(prefect_home, **ALLOW, PYTHONPATH=str(ROOT)))
    assert res.returncode == 0, res.stderr[-2000:]
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [d["title"] for d in lines] == [alpha.titles["/news/alpha-1"]]
    assert lines[0]["source_path"] == alpha.url("/news/alpha-1") and lines[0]["entities"]
    assert any("/challenge: challenge_page" in line for line in res.stderr.splitlines())
    assert not list(tmp_path.rglob("*.duckdb"))


def test_bad_sources_file_is_one_line(tmp_path: Path, prefect_home: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nurl = "http://example.org/feed"\nkind = "podcast"\n', encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--sources", str(bad), "--db",
                          str(tmp_path / "w.duckdb")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=cli_env(prefect_home))
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "kind 'podcast'" in res.stderr
    assert not table_exists(tmp_path / "w.duckdb")


def table_exists(db: Path) -> bool:
    return db.exists() and bool(table_checksums(db, ("runs",)))
