"""Loopback news websites for testing a polite live fetcher: real HTTP servers, standard library only.

Every `Site` binds its own `ThreadingHTTPServer` to its own loopback address (127.0.0.2, 127.0.0.3, ...; Linux
routes all of 127.0.0.0/8 to `lo`) on port 0 as soon as it is constructed, so `base_url` is known before serving
and a client's per-host politeness can be checked per address. `WebServer` serves a list of sites, each in a
daemon thread, and keeps a thread-safe log of every request (`RequestRecord`): address, port, method, path with
query, request headers (lower-case keys), `time.monotonic()` when the request line arrived and when the response
was fully written (or the client went away), status and body bytes sent.

Responses always carry Content-Length, except a streamed `Response` without `stream_length`, which is sent with
`Connection: close` and ends at EOF. Only GET is served; any other method gets 405 (`Allow: GET`). Unknown paths
get 404. A route is looked up by the path without its query first, then by the full path with the query. The
servers never write to stderr.

`news_sites(bbc_dir)` builds the four scenario sites (alpha, beta, gamma, delta) from BBC texts; what a polite,
careful client should make of each discovered URL is in `EXPECTED_OUTCOMES` (static) and the article titles in
`article_titles(bbc_dir)` / `NewsSite.titles`. A site can be served once (its socket is closed on exit).
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import html
import itertools
import math
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape as xml_escape

__all__ = [
    "ADDRESSES", "CANONICAL_PATHS", "CRAWL_DELAY_S", "DISCOVERY", "EXPECTED_OUTCOMES", "FIRST_STATUS",
    "HUGE_BYTES", "METADATA_URL", "OUTCOMES", "RETRY_AFTER_S", "NewsSite", "RequestInfo", "RequestRecord",
    "Response", "Route", "Site", "WebServer", "article_titles", "news_sites", "politeness_report", "site_named",
]


# --------------------------------------------------------------------------------------------------- the server


@dataclass
class Response:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay_s: float = 0.0  # sleep before responding (to test timeouts / overlap)
    # Streamed body: a factory called once per request (so a Response can be reused). With `stream_length` the
    # response has that Content-Length; without it, no Content-Length and `Connection: close` (body ends at EOF).
    stream: Callable[[], Iterable[bytes]] | None = None
    stream_length: int | None = None
    close: bool = False  # send `Connection: close` and close the connection after this response


@dataclass(frozen=True)
class RequestInfo:
    """What a callable route sees."""

    method: str
    path: str  # as sent, with the query
    path_only: str  # without the query
    query: str  # after '?', '' if none
    headers: dict[str, str]  # lower-case keys
    count: int  # earlier hits on this site + path_only (since the last reset)
    site: Site


Route = Response | Callable[[RequestInfo], Response]


@dataclass(frozen=True)
class RequestRecord:
    host: str  # the site's bound address, e.g. "127.0.0.2" (not the Host header)
    port: int
    method: str
    path: str  # with the query
    headers: dict[str, str]  # lower-case keys
    start: float  # time.monotonic() when the request line arrived
    end: float  # time.monotonic() when the response was fully written (or the client went away)
    status: int  # 0 if no status line was sent
    bytes_sent: int = 0  # body bytes written
    aborted: bool = False  # the client closed the connection before the response was fully written


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: str, site: Site) -> None:
        self.site = site
        self.web: WebServer | None = None
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__((address, 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestNewsSite/1.0"
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except OSError:
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        start = time.monotonic()
        web = self.server.web
        if web is not None:
            web._begin()
        self._status = 0
        self._sent = 0
        aborted = False
        self.command, self.path, self.request_version = "", "", ""
        self.headers = None  # type: ignore[assignment]  # not the previous request's on a kept-alive connection
        try:
            if len(self.raw_requestline) > 65536:
                self.requestline = ""
                self.send_error(414)
            elif self.parse_request():
                if self.command == "GET":
                    self._get()
                else:
                    self._write(Response(405, {"Allow": "GET", "Content-Type": "text/plain; charset=utf-8"},
                                         b"method not allowed\n"))
                self.wfile.flush()
        except OSError:  # client went away / timed out
            aborted = True
            self.close_connection = True
        finally:
            if web is not None:
                headers = getattr(self, "headers", None)
                web._record(RequestRecord(
                    host=self.server.server_address[0], port=self.server.server_address[1],
                    method=self.command or "", path=self.path or "", headers=_lower_headers(headers),
                    start=start, end=time.monotonic(), status=self._status, bytes_sent=self._sent, aborted=aborted))

    def _get(self) -> None:
        site = self.server.site
        path_only, _, query = self.path.partition("?")
        route = site.routes.get(path_only)
        if route is None:
            route = site.routes.get(self.path)
        if route is None:
            self._write(Response(404, {"Content-Type": "text/html; charset=utf-8"},
                                 b"<html><head><title>Not found</title></head><body><h1>404</h1></body></html>"))
            return
        web = self.server.web
        count = web._count(site, path_only) if web is not None else 0
        if isinstance(route, Response):
            response = route
        else:
            info = RequestInfo(method=self.command, path=self.path, path_only=path_only, query=query,
                               headers=_lower_headers(self.headers), count=count, site=site)
            try:
                response = route(info)
            except Exception as exc:  # a broken route is a test bug: answer 500, say why, stay quiet
                response = Response(500, {"Content-Type": "text/plain; charset=utf-8"},
                                    f"route error: {exc!r}\n".encode())
        self._write(response)

    def _write(self, response: Response) -> None:
        if response.delay_s > 0:
            time.sleep(response.delay_s)
        self.send_response(response.status)
        given = {k.lower() for k in response.headers}
        for name, value in response.headers.items():
            self.send_header(name, value)
        no_body = response.status in (204, 304) or 100 <= response.status < 200
        streamed = response.stream is not None
        if not no_body and "content-length" not in given:
            if streamed and response.stream_length is None:
                if "connection" not in given:
                    self.send_header("Connection", "close")
                self.close_connection = True
            else:
                length = response.stream_length if streamed else len(response.body)
                self.send_header("Content-Length", str(length))
        if response.close and "connection" not in given:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if no_body:
            return
        if response.stream is not None:
            for chunk in response.stream():
                self.wfile.write(chunk)
                self._sent += len(chunk)
        elif response.body:
            self.wfile.write(response.body)
            self._sent += len(response.body)


def _lower_headers(headers: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if headers is None:
        return out
    for name, value in headers.items():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


class Site:
    """One website on its own address. Binds its server socket (port 0) at construction."""

    def __init__(self, address: str, routes: dict[str, Route], *, name: str = "") -> None:
        self.address = address
        self.routes: dict[str, Route] = dict(routes)
        self.name = name or address
        self._httpd = _Server(address, self)
        self.port: int = self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.address}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def __repr__(self) -> str:
        return f"<Site {self.name} {self.base_url} routes={len(self.routes)}>"


class WebServer:
    """Context manager serving every site in a daemon thread; keeps the request log."""

    def __init__(self, sites: Sequence[Site]) -> None:
        self.sites = list(sites)
        self._lock = threading.Condition()
        self._in_flight = 0
        self._log: list[RequestRecord] = []
        self._counts: dict[tuple[str, int, str], int] = {}
        self._threads: list[threading.Thread] = []
        self._started = False

    def start(self) -> WebServer:
        if self._started:
            return self
        self._started = True
        for site in self.sites:
            site._httpd.web = self
            thread = threading.Thread(target=site._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                      name=f"site-{site.name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        for site in self.sites:
            site._httpd.shutdown()
            with site._httpd.connections_lock:
                open_connections = list(site._httpd.connections)
            for conn in open_connections:  # idle keep-alive connections would keep their threads serving
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            site._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads.clear()

    def __enter__(self) -> WebServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # A client can see the last byte of a response before the handler has logged it: readers of the log wait (up
    # to `settle_s`) for requests in flight to be recorded.
    settle_s = 1.0

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no request is in flight (request line read, record not yet logged); False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._in_flight == 0, self.settle_s if timeout is None else timeout)

    @property
    def log(self) -> list[RequestRecord]:
        """A copy of the request log, in the order the responses ended."""
        with self._lock:
            self._lock.wait_for(lambda: self._in_flight == 0, self.settle_s)
            return list(self._log)

    def requests_to(self, site: Site | str) -> list[RequestRecord]:
        """Records for one site (address and port) or, given an address string, for every site on it."""
        with self._lock:
            self._lock.wait_for(lambda: self._in_flight == 0, self.settle_s)
            if isinstance(site, Site):
                return [r for r in self._log if r.host == site.address and r.port == site.port]
            return [r for r in self._log if r.host == site]

    def clear_log(self, *, reset_counts: bool = False) -> None:
        """Forget the log; with reset_counts also the per-path hit counts (so 429-once routes answer 429 again)."""
        with self._lock:
            self._log.clear()
            if reset_counts:
                self._counts.clear()

    def _begin(self) -> None:
        with self._lock:
            self._in_flight += 1

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._log.append(record)
            self._in_flight -= 1
            self._lock.notify_all()

    def _count(self, site: Site, path_only: str) -> int:
        key = (site.address, site.port, path_only)
        with self._lock:
            n = self._counts.get(key, 0)
            self._counts[key] = n + 1
            return n


def politeness_report(records: Iterable[RequestRecord], host: str | Site) -> tuple[float, int]:
    """(minimum gap between request start times, maximum number of overlapping requests) for one host address.

    Fewer than two requests give a gap of math.inf; no requests give (math.inf, 0). Intervals are [start, end):
    a request starting exactly when another ends does not overlap it.
    """
    address = host.address if isinstance(host, Site) else host
    mine = [r for r in records if r.host == address]
    starts = sorted(r.start for r in mine)
    gap = min((b - a for a, b in itertools.pairwise(starts)), default=math.inf)
    events = sorted([(r.start, 1) for r in mine] + [(r.end, -1) for r in mine], key=lambda e: (e[0], e[1]))
    current = peak = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return gap, peak


# -------------------------------------------------------------------------------------------- the news scenario

ADDRESSES: dict[str, str] = {"alpha": "127.0.0.2", "beta": "127.0.0.3", "gamma": "127.0.0.4", "delta": "127.0.0.5"}

OUTCOMES = ("loaded", "robots_disallowed", "too_many_redirects", "too_large", "challenge_page", "consent_wall",
            "blocked_address", "not_html")

# Per site, every URL path (with query, as discovered in its feed or sitemap) -> what a polite, careful client
# should end up with. 'loaded' means an article stored after at most a retry (beta) or a short redirect chain.
EXPECTED_OUTCOMES: dict[str, dict[str, str]] = {
    "alpha": {
        "/news/alpha-1": "loaded",
        "/news/alpha-2?utm_source=rss&utm_medium=feed": "loaded",
        "/news/alpha-3": "loaded",
        "/news/alpha-4": "loaded",
        "/private/alpha-5": "robots_disallowed",
    },
    "beta": {
        "/news/beta-1": "loaded",
        "/news/beta-2": "loaded",
        "/news/beta-3": "loaded",  # 429 + Retry-After: 2 on the first hit, then 200
        "/news/beta-4": "loaded",  # 500 on the first hit, then 200
    },
    "gamma": {
        "/news/gamma-1": "loaded",
        "/news/gamma-2": "loaded",
        "/news/gamma-3": "loaded",
        "/r1": "loaded",  # /r1 -302-> /r2 -301-> /r3 -307-> /news/gamma-4 (3 hops)
        "/loop-a": "too_many_redirects",  # /loop-a -> /loop-b -> /loop-a ...
        "/huge": "too_large",  # 12 MiB HTML with Content-Length
        "/huge-chunked": "too_large",  # 12 MiB HTML, no Content-Length, Connection: close
        "/challenge": "challenge_page",  # 200 Cloudflare-style "Just a moment..." interstitial
        "/consent": "consent_wall",  # 200 cookie consent wall
        "/to-metadata": "blocked_address",  # 302 to http://169.254.169.254/latest/meta-data/
        "/not-html": "not_html",  # 200 application/pdf
    },
    "delta": {  # robots.txt disallows everything: nothing but /robots.txt may be requested
        "/feed.xml": "robots_disallowed",
        "/news/delta-1": "robots_disallowed",
        "/news/delta-2": "robots_disallowed",
    },
}

# Discovered path -> canonical path (the page's <link rel=canonical>) for the loaded URLs whose differ.
CANONICAL_PATHS: dict[str, dict[str, str]] = {
    "alpha": {"/news/alpha-2?utm_source=rss&utm_medium=feed": "/news/alpha-2"},
    "gamma": {"/r1": "/news/gamma-4"},
}
# How each site is found: feeds and sitemaps (paths), from robots.txt Sitemap: lines or given as seeds.
DISCOVERY: dict[str, dict[str, list[str]]] = {
    "alpha": {"feeds": ["/feed.xml"], "sitemaps": ["/sitemap.xml"]},
    "beta": {"feeds": ["/atom.xml"], "sitemaps": []},
    "gamma": {"feeds": [], "sitemaps": ["/sitemap_index.xml", "/news-sitemap.xml.gz"]},
    "delta": {"feeds": ["/feed.xml"], "sitemaps": []},
}
FIRST_STATUS: dict[str, dict[str, int]] = {"beta": {"/news/beta-3": 429, "/news/beta-4": 500}}
RETRY_AFTER_S = 2
CRAWL_DELAY_S: dict[str, float] = {"alpha": 1.5}
METADATA_URL = "http://169.254.169.254/latest/meta-data/"
HUGE_BYTES = 12 * 1024 * 1024  # /huge and /huge-chunked are at least this big

_CATEGORY = {"alpha": "business", "beta": "politics", "gamma": "tech", "delta": "sport"}
_ARTICLES = {  # site -> article paths (canonical), in the order the BBC files are taken (sorted)
    "alpha": ["/news/alpha-1", "/news/alpha-2", "/news/alpha-3", "/news/alpha-4", "/private/alpha-5"],
    "beta": ["/news/beta-1", "/news/beta-2", "/news/beta-3", "/news/beta-4"],
    "gamma": ["/news/gamma-1", "/news/gamma-2", "/news/gamma-3", "/news/gamma-4"],
    "delta": ["/news/delta-1", "/news/delta-2"],
}


@dataclass(frozen=True)
class _Text:
    title: str
    paragraphs: list[str]
    source: Path


def _bbc_texts(bbc_dir: Path, category: str, n: int) -> list[_Text]:
    files = sorted((Path(bbc_dir) / category).glob("*.txt"))[:n]
    if len(files) < n:
        raise FileNotFoundError(f"need {n} BBC texts in {Path(bbc_dir) / category}, found {len(files)}")
    texts = []
    for path in files:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        title = lines[0].strip()
        paragraphs = [p.strip() for p in "\n".join(lines[1:]).split("\n") if p.strip()]
        texts.append(_Text(title, paragraphs, path))
    return texts


def article_titles(bbc_dir: Path) -> dict[str, dict[str, str]]:
    """Site -> canonical article path -> title (alpha's /private/ and all of delta included)."""
    return {
        name: {path: text.title for path, text in zip(paths, _bbc_texts(bbc_dir, _CATEGORY[name], len(paths)),
                                                      strict=True)}
        for name, paths in _ARTICLES.items()
    }


class NewsSite(Site):
    """A scenario site: `titles` maps canonical article paths to titles; `expected` is EXPECTED_OUTCOMES[name]."""

    def __init__(self, name: str, routes: dict[str, Route] | None = None) -> None:
        super().__init__(ADDRESSES[name], routes or {}, name=name)
        self.titles: dict[str, str] = {}
        self.expected: dict[str, str] = EXPECTED_OUTCOMES[name]


def site_named(sites: Iterable[Site], name: str) -> Site:
    for site in sites:
        if site.name == name:
            return site
    raise KeyError(name)


def _http_date(day: int) -> str:
    return email.utils.format_datetime(datetime(2024, 3, day, 9, 30, tzinfo=UTC), usegmt=True)


def _iso_date(day: int) -> str:
    return datetime(2024, 3, day, 9, 30, tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def _conditional(body: bytes, content_type: str, last_modified: str) -> Callable[[RequestInfo], Response]:
    """200 with ETag and Last-Modified; 304 when If-None-Match matches, or (no If-None-Match) If-Modified-Since
    is not older than Last-Modified."""
    etag = _etag(body)
    validators = {"ETag": etag, "Last-Modified": last_modified}
    modified = email.utils.parsedate_to_datetime(last_modified)

    def route(info: RequestInfo) -> Response:
        inm = info.headers.get("if-none-match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            if "*" in tags or etag in tags:
                return Response(304, dict(validators))
        else:
            ims = info.headers.get("if-modified-since")
            if ims is not None:
                try:
                    since = email.utils.parsedate_to_datetime(ims)
                except (TypeError, ValueError):
                    since = None
                if since is not None and since.tzinfo is not None and since >= modified:
                    return Response(304, dict(validators))
        return Response(200, {"Content-Type": content_type, **validators}, body)

    return route


def _article_html(text: _Text, canonical_url: str, day: int) -> bytes:
    title = html.escape(text.title)
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.paragraphs)
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>{title}</title>"
        f'<meta property="og:title" content="{title}">'
        f'<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{_iso_date(day)}">'
        f'<link rel=canonical href="{html.escape(canonical_url)}">'
        "</head><body><header><nav><a href=\"/\">Home</a></nav></header>\n"
        f"<article><h1>{title}</h1>\n<time datetime=\"{_iso_date(day)}\">{day} March 2024</time>\n"
        f"{paragraphs}\n</article>\n<footer>Test news site</footer></body></html>\n"
    ).encode()


def _html(status: int, body: str, **headers: str) -> Response:
    return Response(status, {"Content-Type": "text/html; charset=utf-8", **headers}, body.encode())


def _text(body: str, content_type: str = "text/plain; charset=utf-8") -> Response:
    return Response(200, {"Content-Type": content_type}, body.encode())


def _redirect(status: int, location: str) -> Response:
    return Response(status, {"Location": location, "Content-Type": "text/html; charset=utf-8"},
                    f'<html><body><a href="{html.escape(location)}">moved</a></body></html>'.encode())


def _first_then(first: Response, then: Route) -> Callable[[RequestInfo], Response]:
    def route(info: RequestInfo) -> Response:
        if info.count == 0:
            return first
        return then if isinstance(then, Response) else then(info)

    return route


def _rss(site: Site, title: str, items: list[tuple[str, str, int]]) -> bytes:
    entries = "".join(
        f"<item><title>{xml_escape(t)}</title><link>{xml_escape(site.url(p))}</link>"
        f"<guid isPermaLink=\"false\">{site.name}-{i}</guid><pubDate>{_http_date(d)}</pubDate></item>\n"
        for i, (p, t, d) in enumerate(items, 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{xml_escape(title)}</title><link>{site.base_url}/</link><description>Test feed</description>\n"
        f"{entries}</channel></rss>\n").encode()


def _atom(site: Site, title: str, items: list[tuple[str, str, int]]) -> bytes:
    entries = "".join(
        f'<entry><title>{xml_escape(t)}</title><link rel="alternate" href="{xml_escape(site.url(p))}"/>'
        f"<id>tag:{site.name}.test,2024:{i}</id><updated>{_iso_date(d)}</updated></entry>\n"
        for i, (p, t, d) in enumerate(items, 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f'<title>{xml_escape(title)}</title><id>tag:{site.name}.test,2024:feed</id>'
        f'<updated>{_iso_date(20)}</updated><link rel="self" href="{site.url("/atom.xml")}"/>\n'
        f"{entries}</feed>\n").encode()


_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">127.0.0.4</h1>
<h2 class="h2" id="challenge-running">Checking your browser before accessing 127.0.0.4.</h2>
<noscript><div id="challenge-error-title">Enable JavaScript and cookies to continue</div></noscript>
<div id="challenge-body-text">This process is automatic. Your browser will redirect to your requested content
shortly.</div></div></div>
<script>(function(){window._cf_chl_opt={cvId:'3',cZone:'127.0.0.4',cType:'managed',cRay:'8a1b2c3d4e5f6a7b'};
var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8a1b';
document.getElementsByTagName('head')[0].appendChild(a);})();</script>
<div class="footer">Performance &amp; security by Cloudflare</div></body></html>
"""

_CONSENT = """<!DOCTYPE html><html lang="en"><head><title>Before you continue</title></head>
<body><div class="consent-wall"><h1>Before you continue to Gamma News</h1>
<p>We use cookies and data to deliver and maintain our services and to measure audience engagement.</p>
<form method="post" action="/consent/save"><button name="set" value="accept">Accept all</button>
<button name="set" value="reject">Reject all</button></form>
<a href="/consent/more">More options</a></div></body></html>
"""

_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >>"
        b" endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def _huge_parts() -> tuple[bytes, bytes, bytes, int]:
    head = b"<!DOCTYPE html><html lang=en><head><title>Huge page</title></head><body><article><h1>Huge</h1>\n"
    tail = b"</article></body></html>\n"
    line = b"<p>" + b"This paragraph repeats to make the page far too large to load. " * 15 + b"</p>\n"
    block = line * max(1, 65536 // len(line))
    n_blocks = -(-(HUGE_BYTES - len(head) - len(tail)) // len(block))
    return head, block, tail, n_blocks


def _huge_stream() -> Iterator[bytes]:
    head, block, tail, n_blocks = _huge_parts()
    yield head
    for _ in range(n_blocks):
        yield block
    yield tail


def _huge_length() -> int:
    head, block, tail, n_blocks = _huge_parts()
    return len(head) + n_blocks * len(block) + len(tail)


def news_sites(bbc_dir: Path) -> list[NewsSite]:
    """The four scenario sites alpha, beta, gamma, delta (in that order), bound but not yet served."""
    sites = {name: NewsSite(name) for name in ADDRESSES}
    for name, paths in _ARTICLES.items():
        site = sites[name]
        for day, (path, text) in enumerate(zip(paths, _bbc_texts(bbc_dir, _CATEGORY[name], len(paths)),
                                               strict=True), 1):
            site.titles[path] = text.title
            body = _article_html(text, site.url(path), day)
            site.routes[path] = _conditional(body, "text/html; charset=utf-8", _http_date(day))

    # alpha: Crawl-delay 1.5, /private/ disallowed, RSS with conditional GET, a tracking-param link, a sitemap
    alpha = sites["alpha"]
    alpha.routes["/robots.txt"] = _text(
        f"User-agent: *\nDisallow: /private/\nCrawl-delay: 1.5\n\nSitemap: {alpha.url('/sitemap.xml')}\n")
    feed_items = [(p, alpha.titles[p.partition("?")[0]], i)
                  for i, p in enumerate(EXPECTED_OUTCOMES["alpha"], 1)]
    alpha.routes["/feed.xml"] = _conditional(_rss(alpha, "Alpha News", feed_items),
                                             "application/rss+xml; charset=utf-8", _http_date(20))
    urlset = "".join(f"<url><loc>{alpha.url(p)}</loc><lastmod>{_iso_date(i)}</lastmod></url>\n"
                     for i, p in enumerate(_ARTICLES["alpha"][:4], 1))
    alpha.routes["/sitemap.xml"] = _text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urlset}</urlset>\n", "application/xml")

    # beta: allow all, Atom, one 429-then-200 and one 500-then-200
    beta = sites["beta"]
    beta.routes["/robots.txt"] = _text("User-agent: *\nDisallow:\n")
    beta.routes["/atom.xml"] = _text(
        _atom(beta, "Beta News", [(p, beta.titles[p], i) for i, p in enumerate(_ARTICLES["beta"], 1)]).decode(),
        "application/atom+xml; charset=utf-8")
    beta.routes["/news/beta-3"] = _first_then(
        _html(429, "<html><body><h1>Too Many Requests</h1></body></html>", **{"Retry-After": str(RETRY_AFTER_S)}),
        beta.routes["/news/beta-3"])
    beta.routes["/news/beta-4"] = _first_then(
        _html(500, "<html><body><h1>Internal Server Error</h1></body></html>"), beta.routes["/news/beta-4"])

    # gamma: sitemap index -> gzipped Google news sitemap listing the hostile URLs
    gamma = sites["gamma"]
    gamma.routes["/robots.txt"] = _text(f"User-agent: *\nDisallow:\n\nSitemap: {gamma.url('/sitemap_index.xml')}\n")
    gamma.routes["/sitemap_index.xml"] = _text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<sitemap><loc>{gamma.url('/news-sitemap.xml.gz')}</loc><lastmod>{_iso_date(20)}</lastmod></sitemap>\n"
        "</sitemapindex>\n", "application/xml")
    news_entries = []
    for i, path in enumerate(EXPECTED_OUTCOMES["gamma"], 1):
        title = gamma.titles.get(CANONICAL_PATHS["gamma"].get(path, path), f"Gamma story {path}")
        news_entries.append(
            f"<url><loc>{xml_escape(gamma.url(path))}</loc><news:news><news:publication>"
            "<news:name>Gamma News</news:name><news:language>en</news:language></news:publication>"
            f"<news:publication_date>{_iso_date(i)}</news:publication_date>"
            f"<news:title>{xml_escape(title)}</news:title></news:news></url>\n")
    news_xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
                + "".join(news_entries) + "</urlset>\n")
    gamma.routes["/news-sitemap.xml.gz"] = Response(200, {"Content-Type": "application/x-gzip"},
                                                    gzip.compress(news_xml.encode(), mtime=0))
    gamma.routes["/r1"] = _redirect(302, "/r2")  # relative
    gamma.routes["/r2"] = _redirect(301, gamma.url("/r3"))  # absolute
    gamma.routes["/r3"] = _redirect(307, "/news/gamma-4")
    gamma.routes["/loop-a"] = _redirect(302, "/loop-b")
    gamma.routes["/loop-b"] = _redirect(302, gamma.url("/loop-a"))
    gamma.routes["/huge"] = Response(200, {"Content-Type": "text/html; charset=utf-8"}, stream=_huge_stream,
                                     stream_length=_huge_length())
    gamma.routes["/huge-chunked"] = Response(200, {"Content-Type": "text/html; charset=utf-8"}, stream=_huge_stream)
    gamma.routes["/challenge"] = _html(200, _CHALLENGE.replace("127.0.0.4", gamma.address),
                                       **{"Cache-Control": "private, max-age=0, no-store", "cf-ray": "8a1b2c3d"})
    gamma.routes["/consent"] = _html(200, _CONSENT)
    gamma.routes["/to-metadata"] = _redirect(302, METADATA_URL)
    gamma.routes["/not-html"] = Response(200, {"Content-Type": "application/pdf"}, _PDF)

    # delta: everything disallowed; the feed and articles exist but must never be requested
    delta = sites["delta"]
    delta.routes["/robots.txt"] = _text("User-agent: *\nDisallow: /\n")
    delta.routes["/feed.xml"] = _text(
        _rss(delta, "Delta News", [(p, delta.titles[p], i) for i, p in enumerate(_ARTICLES["delta"], 1)]).decode(),
        "application/rss+xml; charset=utf-8")
    return [sites[name] for name in ADDRESSES]
