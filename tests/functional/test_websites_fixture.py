"""The loopback news websites (tests/websites.py) work: checked with urllib only, not with the project's code."""

from __future__ import annotations

import gzip
import http.client
import math
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.websites import (
    ADDRESSES,
    CANONICAL_PATHS,
    EXPECTED_OUTCOMES,
    HUGE_BYTES,
    METADATA_URL,
    OUTCOMES,
    RETRY_AFTER_S,
    NewsSite,
    RequestInfo,
    RequestRecord,
    Response,
    Site,
    WebServer,
    article_titles,
    news_sites,
    politeness_report,
    site_named,
)

BBC = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "bbc"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects or using a proxy; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=5) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


@pytest.fixture
def web() -> Iterator[tuple[WebServer, dict[str, NewsSite]]]:
    sites = news_sites(BBC)
    with WebServer(sites) as server:
        yield server, {s.name: s for s in sites}


def test_sites_on_their_own_addresses(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    _, sites = web
    assert {name: s.address for name, s in sites.items()} == ADDRESSES
    for name, site in sites.items():
        assert site.base_url == f"http://{ADDRESSES[name]}:{site.port}" and site.port > 0
        assert set(site.expected) == set(EXPECTED_OUTCOMES[name])
        assert set(site.expected.values()) <= set(OUTCOMES)
    assert site_named(sites.values(), "gamma") is sites["gamma"]


def test_robots_txt(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    _, sites = web
    status, headers, body = fetch(sites["alpha"].url("/robots.txt"))
    text = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert "User-agent: *" in text and "Disallow: /private/" in text and "Crawl-delay: 1.5" in text
    assert f"Sitemap: {sites['alpha'].url('/sitemap.xml')}" in text
    assert "Disallow: /\n" in fetch(sites["delta"].url("/robots.txt"))[2].decode()
    assert "Crawl-delay" not in fetch(sites["beta"].url("/robots.txt"))[2].decode()
    gamma_robots = fetch(sites["gamma"].url("/robots.txt"))[2].decode()
    assert f"Sitemap: {sites['gamma'].url('/sitemap_index.xml')}" in gamma_robots


def test_feeds_parse(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    _, sites = web
    alpha = sites["alpha"]
    status, headers, body = fetch(alpha.url("/feed.xml"))
    assert status == 200 and "rss" in headers["content-type"]
    links = [item.findtext("link") for item in ET.fromstring(body).iter("item")]
    assert links == [alpha.url(p) for p in EXPECTED_OUTCOMES["alpha"]]
    assert sum("utm_source=rss" in link for link in links) == 1
    assert sum("/private/" in link for link in links) == 1

    beta = sites["beta"]
    root = ET.fromstring(fetch(beta.url("/atom.xml"))[2])
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [beta.url(p) for p in EXPECTED_OUTCOMES["beta"]]
    assert [e.findtext(f"{ATOM}title") for e in entries] == list(beta.titles.values())

    delta_items = ET.fromstring(fetch(sites["delta"].url("/feed.xml"))[2]).findall("channel/item")
    assert len(delta_items) == 2


def test_gzipped_news_sitemap(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    _, sites = web
    gamma = sites["gamma"]
    index = ET.fromstring(fetch(gamma.url("/sitemap_index.xml"))[2])
    (loc,) = [e.text for e in index.iter(f"{SM}loc")]
    assert loc == gamma.url("/news-sitemap.xml.gz")
    status, headers, body = fetch(loc)
    assert status == 200 and headers["content-type"] in ("application/gzip", "application/x-gzip")
    assert "content-encoding" not in headers
    urlset = ET.fromstring(gzip.decompress(body))
    urls = urlset.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == [gamma.url(p) for p in EXPECTED_OUTCOMES["gamma"]]
    assert all(u.find(f"{NEWS}news/{NEWS}publication_date") is not None for u in urls)


def test_article_page(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    _, sites = web
    alpha = sites["alpha"]
    titles = article_titles(BBC)
    assert titles["alpha"] == alpha.titles and len(titles["gamma"]) == 4
    first_bbc = sorted((BBC / "business").glob("*.txt"))[0].read_text(encoding="utf-8").split("\n")[0].strip()
    assert alpha.titles["/news/alpha-1"] == first_bbc
    status, headers, body = fetch(alpha.url("/news/alpha-2?utm_source=rss&utm_medium=feed"))
    page = body.decode()
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert int(headers["content-length"]) == len(body)
    assert page.count("<p>") >= 2 and "<html lang=en>" in page and "<article><h1>" in page
    canonical = CANONICAL_PATHS["alpha"]["/news/alpha-2?utm_source=rss&utm_medium=feed"]
    assert f'<link rel=canonical href="{alpha.url(canonical)}">' in page and canonical == "/news/alpha-2"
    assert fetch(alpha.url("/nope"))[0] == 404


def test_conditional_get(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    _, sites = web
    for url in (sites["alpha"].url("/news/alpha-1"), sites["alpha"].url("/feed.xml")):
        status, headers, body = fetch(url)
        etag, last_modified = headers["etag"], headers["last-modified"]
        assert status == 200 and body
        status, headers, body = fetch(url, {"If-None-Match": etag})
        assert status == 304 and body == b"" and headers["etag"] == etag
        assert fetch(url, {"If-None-Match": f'"other", W/{etag}'})[0] == 304
        assert fetch(url, {"If-Modified-Since": last_modified})[0] == 304
        assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
        assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": last_modified})[0] == 200
        assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_retry_sequences(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    server, sites = web
    beta = sites["beta"]
    status, headers, _ = fetch(beta.url("/news/beta-3"))
    assert status == 429 and headers["retry-after"] == str(RETRY_AFTER_S)
    assert fetch(beta.url("/news/beta-3"))[0] == 200
    assert fetch(beta.url("/news/beta-4"))[0] == 500
    assert fetch(beta.url("/news/beta-4"))[0] == 200
    server.clear_log()
    assert fetch(beta.url("/news/beta-3"))[0] == 200  # counts survive a plain clear_log
    server.clear_log(reset_counts=True)
    assert fetch(beta.url("/news/beta-3"))[0] == 429


def test_redirects(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    _, sites = web
    gamma = sites["gamma"]
    hops, url = [], gamma.url("/r1")
    for _ in range(5):
        status, headers, _ = fetch(url)
        if status not in (301, 302, 307):
            break
        url = urllib.parse.urljoin(url, headers["location"])
        hops.append(status)
    assert hops == [302, 301, 307] and url == gamma.url("/news/gamma-4") and status == 200
    status, headers, _ = fetch(gamma.url("/loop-a"))
    assert status == 302 and headers["location"] == "/loop-b"
    back = fetch(gamma.url("/loop-b"))[1]["location"]
    assert urllib.parse.urljoin(gamma.url("/loop-b"), back) == gamma.url("/loop-a")
    default = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.raises(urllib.error.HTTPError, match="infinite loop"):
        default.open(gamma.url("/loop-a"), timeout=5)
    assert fetch(gamma.url("/to-metadata"))[1]["location"] == METADATA_URL


def test_hostile_pages(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    _, sites = web
    gamma = sites["gamma"]
    challenge = fetch(gamma.url("/challenge"))
    assert challenge[0] == 200 and b"<title>Just a moment...</title>" in challenge[2]
    assert b"Enable JavaScript and cookies to continue" in challenge[2] and b"_cf_chl_opt" in challenge[2]
    consent = fetch(gamma.url("/consent"))
    assert consent[0] == 200 and b"Accept all" in consent[2] and b"Reject all" in consent[2]
    pdf = fetch(gamma.url("/not-html"))
    assert pdf[1]["content-type"] == "application/pdf" and pdf[2].startswith(b"%PDF")
    for path, length_known in (("/huge", True), ("/huge-chunked", False)):  # headers and a first chunk only
        conn = http.client.HTTPConnection(gamma.address, gamma.port, timeout=5)
        conn.request("GET", path)
        resp = conn.getresponse()
        assert resp.status == 200 and resp.getheader("content-type").startswith("text/html")
        if length_known:
            assert int(resp.getheader("content-length")) >= HUGE_BYTES
        else:
            assert resp.getheader("content-length") is None and resp.getheader("connection") == "close"
        assert resp.read(1024).startswith(b"<!DOCTYPE html>")
        conn.close()


def test_log_records(web: tuple[WebServer, dict[str, NewsSite]]) -> None:
    server, sites = web
    server.clear_log()
    t0 = time.monotonic()
    fetch(sites["alpha"].url("/feed.xml?x=1"), {"X-Test": "yes", "User-Agent": "fixture-test/1"})
    fetch(sites["delta"].url("/robots.txt"))
    request = urllib.request.Request(sites["beta"].url("/atom.xml"), method="HEAD")
    with pytest.raises(urllib.error.HTTPError):
        OPENER.open(request, timeout=5)
    log = server.log  # waits for the last record: the client may read the last byte before the server logs it
    t1 = time.monotonic()
    assert [(r.host, r.method, r.path, r.status) for r in log] == [
        ("127.0.0.2", "GET", "/feed.xml?x=1", 200), ("127.0.0.5", "GET", "/robots.txt", 200),
        ("127.0.0.3", "HEAD", "/atom.xml", 405)]
    first = log[0]
    assert first.port == sites["alpha"].port and first.headers["x-test"] == "yes"
    assert first.headers["user-agent"] == "fixture-test/1" and first.bytes_sent > 0 and not first.aborted
    assert all(t0 <= r.start <= r.end <= t1 for r in log)
    assert server.requests_to(sites["delta"]) == [log[1]] and server.requests_to("127.0.0.3") == [log[2]]
    log.clear()
    assert len(server.log) == 3  # `log` is a copy


def test_delay_and_overlap_on_a_custom_site() -> None:
    # A 1 s delay and a barrier: the two requests overlap even when a loaded machine starts a thread late.
    def counter(info: RequestInfo) -> Response:
        return Response(200, {"Content-Type": "text/plain"}, f"{info.path_only} {info.count}".encode(), delay_s=1.0)

    site = Site("127.0.0.9", {"/slow": counter, "/fixed?v=2": Response(body=b"with query")})
    with WebServer([site]) as server:
        results: list[bytes] = []
        ready = threading.Barrier(2)

        def one() -> None:
            ready.wait(timeout=30)
            results.append(fetch(site.url("/slow"))[2])

        threads = [threading.Thread(target=one) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [b"/slow 0", b"/slow 1"]
        assert fetch(site.url("/fixed?v=2"))[2] == b"with query" and fetch(site.url("/fixed"))[0] == 404
        gap, concurrent = politeness_report(server.requests_to(site)[:2], "127.0.0.9")
        assert concurrent == 2 and gap < 1.0
        assert all(r.end - r.start >= 0.99 for r in server.requests_to(site)[:2])


def test_politeness_report_math() -> None:
    def rec(host: str, start: float, end: float) -> RequestRecord:
        return RequestRecord(host, 80, "GET", "/", {}, start, end, 200)

    records = [rec("a", 0.0, 1.0), rec("a", 2.0, 2.5), rec("a", 2.2, 3.0), rec("a", 2.4, 2.6), rec("a", 3.0, 4.0),
               rec("b", 0.1, 0.2), rec("b", 0.15, 9.0)]
    gap, concurrent = politeness_report(records, "a")
    assert gap == pytest.approx(0.2) and concurrent == 3  # 3.0 starting as 2.2-3.0 ends is no overlap
    assert politeness_report(records, "b") == (pytest.approx(0.05), 2)
    assert politeness_report([rec("c", 1.0, 2.0)], "c") == (math.inf, 1)
    assert politeness_report(records, "none") == (math.inf, 0)
