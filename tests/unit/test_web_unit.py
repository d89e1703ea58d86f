"""The pure parts of live sources: kinds, listings, walls, addresses, Retry-After, URL keys, sources files."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from flows.sources import SourcesFileError, load_sources
from tests.conftest import SHARED
from transforms.urls import fetch_key
from transforms.web import (
    AddressPolicy,
    Reason,
    detect_kind,
    feed_links_in_html,
    feed_listing,
    maybe_gunzip,
    retry_after_seconds,
    sitemap_listing,
    wall_reason,
)

SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_detect_kind_by_root_then_type() -> None:
    assert detect_kind("text/xml", b'<?xml version="1.0"?>\n<!-- c --><rss version="2.0">') == "feed"
    assert detect_kind("application/octet-stream", b"<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert detect_kind(None, f"<urlset {SITEMAP_NS}>".encode()) == "sitemap"
    assert detect_kind(None, f"<sitemapindex {SITEMAP_NS}>".encode()) == "sitemap"
    assert detect_kind("text/html", b"<!doctype html><html>") == "page"
    assert detect_kind("application/json", b"{}") is None


def test_sitemap_listing_index_news_and_entities() -> None:
    index = f'<sitemapindex {SITEMAP_NS}><sitemap><loc>/news.xml.gz</loc></sitemap></sitemapindex>'.encode()
    got = sitemap_listing(index, "https://example.org/sitemap.xml")
    assert got.sitemaps == ["https://example.org/news.xml.gz"] and got.pages == []
    news = (f'<urlset {SITEMAP_NS} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            "<url><loc> https://example.org/a </loc><news:news><news:title>A</news:title></news:news></url>"
            "<url><loc>https://example.org/b</loc></url></urlset>").encode()
    assert sitemap_listing(gzip.decompress(gzip.compress(news)), "https://example.org/").pages == [
        "https://example.org/a", "https://example.org/b"]
    bomb = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<urlset><url><loc>https://x.org/&b;</loc></url></urlset>")
    pages = sitemap_listing(bomb, "https://x.org/").pages
    assert all("aaaaaaaaaa" not in p for p in pages)  # never expanded


def test_feed_listing_and_unsafe_feed() -> None:
    data = (Path(__file__).resolve().parents[2] / "seeds" / "sample_feed.xml").read_bytes()
    links = feed_listing(data, "https://example.org/").pages
    assert links and all(u.startswith("https://") for u in links)
    with pytest.raises(ValueError):
        feed_listing(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
                     "https://example.org/")


def test_home_page_feed_links() -> None:
    html = ('<html><head><link rel="alternate" type="application/rss+xml" href="/rss">'
            "<link rel='stylesheet' href='/s.css'><link rel=alternate type=application/atom+xml href=atom.xml>")
    assert feed_links_in_html(html, "https://example.org/") == ["https://example.org/rss",
                                                               "https://example.org/atom.xml"]


def test_walls_are_recognised_but_real_articles_are_not() -> None:
    challenge = "<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing</body>"
    assert wall_reason(challenge) == Reason.CHALLENGE_PAGE
    consent = "<html><head><title>Before you continue to News</title></head><body>We use cookies. Accept all</body>"
    assert wall_reason(consent) == Reason.CONSENT_WALL
    text = (SHARED / "corpus" / "bbc" / "business" / "001.txt").read_text(encoding="utf-8", errors="replace")
    article = ("<html><head><title>Story</title></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in text.split("\n") if p.strip()) + "</article><form><div class='g-recaptcha'></div>"
        "<p>This site uses cookies.</p></form></body></html>")
    assert len(text.split()) > 300
    assert wall_reason(article) is None


def test_address_policy() -> None:
    strict = AddressPolicy.parse("")
    for bad in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "224.0.0.1", "::1", "fe80::1",
                "::ffff:10.0.0.1", "100.64.0.1", "0.0.0.0", "240.0.0.1"):
        assert strict.blocked("h", [bad]) is not None, bad
    assert strict.blocked("h", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]) is None
    assert strict.blocked("h", ["93.184.216.34", "10.0.0.1"]) == "10.0.0.1"  # any bad address refuses the host
    allow = AddressPolicy.parse("127.0.0.0/8, intranet.local ,10.0.0.5")
    assert allow.blocked("x", ["127.0.0.9"]) is None and allow.blocked("intranet.local", ["10.9.9.9"]) is None
    assert allow.blocked("x", ["10.0.0.5"]) is None and allow.blocked("x", ["10.0.0.6"]) == "10.0.0.6"


def test_retry_after() -> None:
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_fetch_key_keeps_scheme_drops_tracking() -> None:
    assert fetch_key("HTTP://Example.ORG:80/a?utm_source=x&b=2&a=1#top") == "http://example.org/a?a=1&b=2"
    assert fetch_key("https://www.example.org") == "https://www.example.org/"
    assert fetch_key("ftp://example.org/x") is None


def test_gzip_cap() -> None:
    assert maybe_gunzip(b"plain", 10) == b"plain"
    with pytest.raises(ValueError):
        maybe_gunzip(gzip.compress(b"x" * 1000), 100)


def test_sources_file(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text('[[source]]\nurl = "https://a.example/rss"\nname = "A"\nkind = "feed"\n\n'
                 '[[source]]\nurl = "https://b.example/"\n', encoding="utf-8")
    got = load_sources(["https://c.example/sitemap.xml"], f)
    assert [(s.url, s.name, s.kind) for s in got] == [("https://c.example/sitemap.xml", "c.example", None),
                                                      ("https://a.example/rss", "A", "feed"),
                                                      ("https://b.example/", "b.example", None)]
    for text, msg in (("[[source]]\nname = 'x'\n", "has no url"), ("source = 1\n", "[[source]]"),
                      ("[[source\n", "not valid TOML")):
        f.write_text(text, encoding="utf-8")
        with pytest.raises(SourcesFileError, match=msg.replace("[", r"\[").replace("]", r"\]")):
            load_sources([], f)
    with pytest.raises(SourcesFileError, match="cannot read"):
        load_sources([], tmp_path / "missing.toml")


def test_host_gate_spaces_the_next_request_from_the_end_of_the_last() -> None:
    # A slow request (or one that reached the server late) must not shorten the gap the server sees: the next
    # request waits `delay` after the previous one ended, not after it started. (A lower bound: sleep never
    # returns early, so this cannot pass by luck or fail on a slow machine.)
    import time

    from flows.fetch import HostGate

    gate = HostGate(0.2)
    with gate.turn():
        time.sleep(0.3)  # longer than the delay: spacing from starts alone would not wait at all
    ended = time.monotonic()
    with gate.turn():
        started = time.monotonic()
    assert started - ended >= 0.2
