"""The polite client alone (flows.fetch.Crawl) against small loopback sites: limits, retries, robots rules,
redirect checks and conditional requests, asserted from the server's request log."""

from __future__ import annotations

import gzip
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flows.fetch import Crawl, CrawlResult, FetchPolicy
from flows.settings import Settings
from flows.sources import WebSource
from tests.websites import RequestInfo, Response, Site, WebServer, politeness_report
from transforms.web import PriorWeb

PAGE = ("<html><head><title>A story</title></head><body><article><h1>A story</h1>"
        + "<p>The council approved the plan on Tuesday after a long debate about the cost of the bridge.</p>" * 30
        + "</article></body></html>").encode()
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _crawl(sources: list[str], tmp: Path, prior: PriorWeb | None = None, **overrides: Any) -> CrawlResult:
    settings = Settings(**{"allow_private_hosts": "127.0.0.0/8", "host_delay_s": 0.2, **overrides})
    crawl = Crawl(FetchPolicy.from_settings(settings), prior or PriorWeb(), tmp / "spool", "t", None)
    return crawl.run([WebSource(u, "test", "page") for u in sources])


def _rows(result: CrawlResult) -> dict[str, dict[str, Any]]:
    return {r["url"].rsplit("/", 1)[-1]: r for r in result.rows}


def _endless() -> Iterator[bytes]:
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    yield b"<html><body>"
    yield from itertools.repeat(chunk)


def _site(address: str, routes: dict[str, Any]) -> Site:
    return Site(address, {"/robots.txt": Response(200, {"Content-Type": "text/plain"}, b"User-agent: *\n"
                                                  b"Disallow: /private/\n"), **routes})


def test_bodies_are_capped_while_streaming(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<html><body>" + b"0" * (40 * 1024 * 1024))
    site = _site("127.0.0.6", {
        "/endless": Response(200, HTML, stream=_endless),
        "/bomb": Response(200, {**HTML, "Content-Encoding": "gzip"}, bomb),
        "/ok": Response(200, HTML, PAGE),
    })
    with WebServer([site]) as server:
        result = _crawl([site.url(p) for p in ("/endless", "/bomb", "/ok")], tmp_path, max_response_bytes=1 << 20)
        log = server.log
    rows = _rows(result)
    assert rows["endless"]["reason"] == "too_large" and rows["bomb"]["reason"] == "too_large"
    assert "after decompression" in rows["bomb"]["detail"]
    assert [p.url for p in result.pages] == [site.url("/ok")]
    endless = next(r for r in log if r.path == "/endless")
    assert endless.aborted  # the client hung up: an endless body never fills memory


def test_timeouts_are_retried_with_backoff_then_fail(tmp_path: Path) -> None:
    site = _site("127.0.0.7", {"/slow": Response(200, HTML, PAGE, delay_s=2.0)})
    with WebServer([site]) as server:
        result = _crawl([site.url("/slow")], tmp_path, read_timeout_s=0.3, fetch_retries=2)
        server.wait_idle(5)
        hits = [r for r in server.log if r.path == "/slow"]
    assert _rows(result)["slow"]["reason"] == "timeout"
    assert len(hits) == 3  # one try and two retries, bounded
    gaps = [b.start - a.start for a, b in itertools.pairwise(hits)]
    assert gaps[1] > gaps[0]  # exponential backoff


def test_long_retry_after_fails_without_waiting(tmp_path: Path) -> None:
    site = _site("127.0.0.8", {"/busy": Response(429, {"Retry-After": "3600"}),
                               "/down": Response(503, {})})
    with WebServer([site]) as server:
        result = _crawl([site.url("/busy"), site.url("/down")], tmp_path, fetch_retries=2)
        log = server.log
    rows = _rows(result)
    assert rows["busy"]["reason"] == "rate_limited" and rows["down"]["reason"] == "rate_limited"
    assert len([r for r in log if r.path == "/busy"]) == 1
    assert len([r for r in log if r.path == "/down"]) == 3
    # Not waited for: the 3600 s Retry-After would outlast the test's timeout; the refusal says why at once.
    assert "Retry-After" in rows["busy"]["detail"] or "3600" in rows["busy"]["detail"], rows["busy"]["detail"]


def test_robots_unavailable_refuses_the_host(tmp_path: Path) -> None:
    site = Site("127.0.0.9", {"/robots.txt": Response(500, {}), "/a": Response(200, HTML, PAGE)})
    with WebServer([site]) as server:
        result = _crawl([site.url("/a")], tmp_path, fetch_retries=1)
        paths = [r.path for r in server.log]
    assert _rows(result)["a"]["reason"] == "robots_unavailable"
    assert set(paths) == {"/robots.txt"}


def test_missing_robots_allows_everything(tmp_path: Path) -> None:
    site = Site("127.0.0.10", {"/a": Response(200, HTML, PAGE)})
    with WebServer([site]) as server:
        result = _crawl([site.url("/a")], tmp_path)
        paths = [r.path for r in server.log]
    assert paths == ["/robots.txt", "/a"] and len(result.pages) == 1


def test_every_redirect_hop_is_checked(tmp_path: Path) -> None:
    site = _site("127.0.0.11", {
        "/to-ftp": Response(302, {"Location": "ftp://127.0.0.11/x"}),
        "/to-private": Response(301, {"Location": "/private/secret"}),
        "/to-loopback": Response(302, {"Location": "http://127.0.0.1:9/x"}),
        "/private/secret": Response(200, HTML, PAGE),
    })
    with WebServer([site]) as server:
        result = _crawl([site.url(p) for p in ("/to-ftp", "/to-private", "/to-loopback")], tmp_path,
                        allow_private_hosts="127.0.0.11")
        paths = [r.path for r in server.log]
    rows = _rows(result)
    assert rows["to-ftp"]["reason"] == "unsupported_scheme"
    assert rows["to-private"]["reason"] == "robots_disallowed"
    assert rows["to-loopback"]["reason"] == "blocked_address"
    assert "/private/secret" not in paths and all(r["outcome"] == "failed" for r in rows.values())


def test_conditional_request_and_304(tmp_path: Path) -> None:
    def page(info: RequestInfo) -> Response:
        if info.headers.get("if-none-match") == '"v1"':
            return Response(304, {"ETag": '"v1"'})
        return Response(200, {**HTML, "ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"}, PAGE)

    site = _site("127.0.0.12", {"/p": page})
    with WebServer([site]) as server:
        first = _crawl([site.url("/p")], tmp_path)
        row = _rows(first)["p"]
        prior = PriorWeb(validators={row["url"]: (row["etag"], row["last_modified"])})
        second = _crawl([site.url("/p")], tmp_path, prior)
        hits = [r for r in server.log if r.path == "/p"]
    assert row["etag"] == '"v1"' and row["last_modified"].startswith("Tue, 01 Dec 2026")
    assert hits[1].headers["if-none-match"] == '"v1"'
    assert hits[1].headers["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    assert _rows(second)["p"]["outcome"] == "not_modified" and second.pages == []


def test_one_request_at_a_time_per_host_with_parallel_hosts(tmp_path: Path) -> None:
    sites = [_site(f"127.0.0.{20 + i}", {f"/{n}": Response(200, HTML, PAGE, delay_s=0.05) for n in "abcde"})
             for i in range(3)]
    with WebServer(sites) as server:
        _crawl([s.url(f"/{n}") for n in "abcde" for s in sites], tmp_path, host_delay_s=0.3)
        log = server.log
    for s in sites:
        gap, concurrent = politeness_report(log, s.address)
        assert concurrent == 1 and gap >= 0.3 - 0.05
    # Hosts in parallel: each host's stretch of requests (first start to last end, ~1.5 s) overlaps every other
    # host's; crawled one host after another, the stretches would follow each other without overlap.
    stretch = {s.address: (min(r.start for r in log if r.host == s.address),
                           max(r.end for r in log if r.host == s.address)) for s in sites}
    for (a0, a1), (b0, b1) in itertools.combinations(stretch.values(), 2):
        assert a0 < b1 and b0 < a1, stretch
