"""Polite, incremental, accountable fetching of live web sources (feeds, sitemaps, article pages).

- robots.txt is fetched first on every host (through the same politeness gate as every other request),
  honoured for the configured user agent (protego) and cached for the run; its Crawl-delay raises the
  host's delay.
- One request at a time per host, at least `host_delay_s` between the starts of two requests to it; many
  hosts in parallel (one drain thread per host with work queued).
- 429/503 with Retry-After hold the host for that long, then the URL is retried; timeouts, connect errors
  and 5xx are retried with exponential backoff and jitter, a bounded number of times.
- Redirects are followed by hand (at most `max_redirects`), and every hop is checked: http(s) only, the
  host's addresses resolved and refused when not public (unless allowed), robots rules of the hop's host.
- Bodies are streamed and capped after decompression; the content type is checked before the body is read.
- Every response goes to the run's WARC archive; every URL the run discovers gets one `fetches` row.
"""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from flows.archive import WarcArchive
from flows.settings import Settings
from flows.sources import InputFile, WebSource
from transforms.reasons import InputError
from transforms.urls import fetch_key
from transforms.web import (
    GZIP_TYPES,
    HTML_TYPES,
    REDIRECT_STATUSES,
    RETRY_STATUSES,
    XML_TYPES,
    AddressPolicy,
    Listing,
    Outcome,
    PriorWeb,
    Reason,
    SourceKind,
    detect_kind,
    feed_links_in_html,
    feed_listing,
    host_of,
    maybe_gunzip,
    media_type,
    retry_after_seconds,
    robots_url,
    scheme_ok,
    sitemap_listing,
    wall_reason,
)

# Added to every host delay: the server sees a request a little after we send it, and unevenly.
_MARGIN_S = 0.025


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    user_agent: str
    host_delay_s: float
    connect_timeout_s: float
    read_timeout_s: float
    max_response_bytes: int
    retries: int
    max_retry_after_s: float
    addresses: AddressPolicy
    hosts_parallel: int
    max_urls: int
    refetch_failed_after_s: float
    max_redirects: int
    robots_max_bytes: int
    max_retry_runs: int

    @classmethod
    def from_settings(cls, s: Settings) -> FetchPolicy:
        return cls(s.user_agent, s.host_delay_s, s.connect_timeout_s, s.read_timeout_s, s.max_response_bytes,
                   max(0, s.fetch_retries), s.max_retry_after_s, AddressPolicy.parse(s.allow_private_hosts),
                   max(1, s.fetch_hosts_parallel), s.max_urls_per_run, s.refetch_failed_after_s,
                   max(0, s.max_redirects), s.robots_max_bytes, s.max_retry_runs)


@dataclass(slots=True)
class Response:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes = b""


class FetchError(Exception):
    def __init__(self, reason: Reason, detail: str, status: int | None = None, final_url: str | None = None,
                 requested: bool = True) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.status = reason, detail, status
        self.final_url, self.requested = final_url, requested


@dataclass(slots=True)
class FetchedPage:
    """An article page fetched this run, its body spooled to disk until it is parsed."""

    url: str  # canonical URL: the article's source_path
    final_url: str
    file: InputFile


def fetch_row(run_id: str, url: str, source: str, role: str, now: datetime) -> dict[str, Any]:
    return {"run_id": run_id, "url": url, "source": source, "role": role, "final_url": None, "http_status": None,
            "outcome": None, "reason": None, "detail": None, "etag": None, "last_modified": None, "bytes": None,
            "fetched_at": now, "article_id": None, "requests": 0}


class HostGate:
    """Politeness for one host: one request at a time, and `delay` seconds from the end of one request to the
    start of the next (so the server sees at least `delay` between request starts, whatever the time a request
    takes to reach it; spacing starts only, a request that reached a loaded server late could look too close
    to the next one)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.robots_lock = threading.Lock()
        self.next_start = 0.0
        self.last_start = 0.0
        self.robots: Protego | None = None
        self.failure: FetchError | None = None  # robots.txt unreachable: every URL of the host fails so
        self.addresses: list[str] | None = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self.lock:
            wait = self.next_start - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.last_start = time.monotonic()
            self.next_start = self.last_start + self.delay + _MARGIN_S
            try:
                yield
            finally:
                self.next_start = max(self.next_start, time.monotonic() + self.delay + _MARGIN_S)

    def hold(self, seconds: float) -> None:
        """Called inside `turn`: the next request starts no sooner than `seconds` from now."""
        self.next_start = max(self.next_start, time.monotonic() + seconds)


Accept = Callable[[str], bool]


def accept_html(mtype: str) -> bool:
    return not mtype or mtype in HTML_TYPES


def accept_source(mtype: str) -> bool:
    return not mtype or mtype in HTML_TYPES or mtype in XML_TYPES or mtype in GZIP_TYPES or mtype.endswith("+xml") \
        or mtype == "text/plain"


class PoliteClient:
    def __init__(self, policy: FetchPolicy, archive: WarcArchive | None) -> None:
        self.policy = policy
        self.archive = archive
        self.http = httpx.Client(
            follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(policy.read_timeout_s, connect=policy.connect_timeout_s),
            limits=httpx.Limits(max_connections=2 * policy.hosts_parallel,
                                max_keepalive_connections=policy.hosts_parallel),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"})
        self._gates: dict[str, HostGate] = {}
        self._lock = threading.Lock()
        self._local = threading.local()  # requests made by this thread's current job
        self.requests = 0

    def start_job(self) -> None:
        self._local.requests = 0

    @property
    def job_requests(self) -> int:
        return int(getattr(self._local, "requests", 0))

    def close(self) -> None:
        self.http.close()

    def gate(self, host: str) -> HostGate:
        with self._lock:
            g = self._gates.get(host)
            if g is None:
                g = self._gates[host] = HostGate(self.policy.host_delay_s)
            return g

    # ---- the public call ----

    def get(self, url: str, headers: dict[str, str] | None = None, accept: Accept = accept_source) -> Response:
        """GET with every hop checked and counted; raises FetchError with a reason code."""
        current = url
        for hop in range(self.policy.max_redirects + 1):
            self._allowed(current, requested=hop > 0)
            resp = self._with_retries(current, headers if hop == 0 else None, accept)
            if resp.status not in REDIRECT_STATUSES:
                return resp
            location = resp.headers.get("location")
            if not location:
                raise FetchError(Reason.BAD_REDIRECT, f"{resp.status} without Location", resp.status, current)
            current = urljoin(current, location.strip())
        raise FetchError(Reason.TOO_MANY_REDIRECTS, f"more than {self.policy.max_redirects} redirects", None, current)

    # ---- checks before a request ----

    def _allowed(self, url: str, requested: bool) -> None:
        if not scheme_ok(url):
            raise FetchError(Reason.UNSUPPORTED_SCHEME, f"only http(s) is fetched: {url[:200]}", None, url, requested)
        host = host_of(url)
        gate = self.gate(host)
        self._check_address(url, host, gate, requested)
        robots = self._robots(url, gate)
        if not robots.can_fetch(url, self.policy.user_agent):
            raise FetchError(Reason.ROBOTS_DISALLOWED, f"robots.txt of {host} disallows it", None, url, requested)

    def _check_address(self, url: str, host: str, gate: HostGate, requested: bool) -> None:
        if gate.addresses is None:
            port = urlsplit(url).port or (443 if url.lower().startswith("https") else 80)
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                raise FetchError(Reason.DNS_ERROR, f"cannot resolve {host}: {exc}", None, url) from None
            gate.addresses = sorted({str(i[4][0]) for i in infos})
        bad = self.policy.addresses.blocked(host, gate.addresses)
        if bad is not None:
            raise FetchError(Reason.BLOCKED_ADDRESS, f"{host} resolves to non-public address {bad}", None, url,
                             requested)

    def _robots(self, url: str, gate: HostGate) -> Protego:
        with gate.robots_lock:
            if gate.robots is None and gate.failure is None:
                self._load_robots(url, gate)
        if gate.failure is not None:
            f = gate.failure
            raise FetchError(f.reason, f.detail, f.status, url)
        assert gate.robots is not None
        return gate.robots

    def _load_robots(self, url: str, gate: HostGate) -> None:
        target = robots_url(url)
        try:
            resp = self._with_retries(target, None, lambda m: True, cap=self.policy.robots_max_bytes)
            # robots.txt may move (http -> https); same checks, no robots
            for _ in range(self.policy.max_redirects):
                if resp.status not in REDIRECT_STATUSES or not resp.headers.get("location"):
                    break
                target = urljoin(target, resp.headers["location"])
                other = self.gate(host_of(target))
                self._check_address(target, host_of(target), other, True)
                resp = self._with_retries(target, None, lambda m: True, cap=self.policy.robots_max_bytes)
        except FetchError as exc:
            if exc.reason == Reason.TOO_LARGE:
                gate.robots = Protego.parse("")
                return
            gate.failure = FetchError(exc.reason, f"robots.txt: {exc.detail}", exc.status)
            return
        if resp.status >= 500 or resp.status == 429:
            gate.failure = FetchError(Reason.ROBOTS_UNAVAILABLE, f"robots.txt answered {resp.status}", resp.status)
            return
        text = resp.body.decode("utf-8", "replace") if 200 <= resp.status < 300 else ""
        gate.robots = Protego.parse(text)  # 4xx: no rules, everything allowed (RFC 9309)
        delay = gate.robots.crawl_delay(self.policy.user_agent)
        if delay:
            gate.delay = max(gate.delay, min(float(delay), self.policy.max_retry_after_s))
            gate.next_start = max(gate.next_start, time.monotonic() + gate.delay + _MARGIN_S)  # robots.txt has ended

    # ---- requests ----

    def _with_retries(self, url: str, headers: dict[str, str] | None, accept: Accept,
                      cap: int | None = None) -> Response:
        gate = self.gate(host_of(url))
        last: FetchError | None = None
        for attempt in range(self.policy.retries + 1):
            final = attempt == self.policy.retries
            with gate.turn():
                try:
                    resp = self._once(url, headers, accept, self.policy.max_response_bytes if cap is None else cap)
                except (httpx.TimeoutException, TimeoutError) as exc:
                    last = FetchError(Reason.TIMEOUT, f"{type(exc).__name__}: {exc}"[:300], None, url)
                    gate.hold(self._backoff(attempt))
                    continue
                except httpx.ConnectError as exc:
                    last = FetchError(Reason.CONNECT_ERROR, f"{exc}"[:300], None, url)
                    gate.hold(self._backoff(attempt))
                    continue
                except httpx.HTTPError as exc:
                    last = FetchError(Reason.NETWORK_ERROR, f"{type(exc).__name__}: {exc}"[:300], None, url)
                    gate.hold(self._backoff(attempt))
                    continue
                if resp.status not in RETRY_STATUSES or final:
                    return resp
                wait = retry_after_seconds(resp.headers.get("retry-after")) if resp.status in (429, 503) else None
                if wait is not None and wait > self.policy.max_retry_after_s:
                    raise FetchError(Reason.RATE_LIMITED, f"{resp.status} asks to wait {wait:.0f}s "
                                     f"(> max_retry_after_s={self.policy.max_retry_after_s:g})", resp.status, url)
                gate.hold(wait if wait is not None else self._backoff(attempt))
        assert last is not None
        raise last

    def _backoff(self, attempt: int) -> float:
        return max(self.policy.host_delay_s, 0.5) * (2 ** attempt) * random.uniform(1.0, 1.5)

    def _once(self, url: str, headers: dict[str, str] | None, accept: Accept, cap: int) -> Response:
        with self._lock:
            self.requests += 1
        self._local.requests = self.job_requests + 1
        deadline = time.monotonic() + 3 * self.policy.read_timeout_s + self.policy.connect_timeout_s
        with self.http.stream("GET", url, headers=headers or {}) as r:
            out = Response(url, r.status_code, r.headers)
            if 200 <= r.status_code < 300:
                out.body = self._read_body(r, url, accept, cap, deadline)
            self._archive(r, out)
            return out

    def _read_body(self, r: httpx.Response, url: str, accept: Accept, cap: int, deadline: float) -> bytes:
        mtype = media_type(r.headers.get("content-type"))
        if not accept(mtype):
            raise FetchError(Reason.NOT_HTML, f"content type {mtype!r} is not accepted here", r.status_code, url)
        length = r.headers.get("content-length")
        if length and length.isdigit() and not r.headers.get("content-encoding") and int(length) > cap:
            raise FetchError(Reason.TOO_LARGE, f"Content-Length {length} > {cap} bytes", r.status_code, url)
        buf = bytearray()
        for chunk in r.iter_bytes():  # decoded: the cap applies after decompression
            buf += chunk
            if len(buf) > cap:
                raise FetchError(Reason.TOO_LARGE, f"body passed {cap} bytes (after decompression)", r.status_code, url)
            if time.monotonic() > deadline:
                raise FetchError(Reason.TIMEOUT, "the body took too long to arrive", r.status_code, url)
        return bytes(buf)

    def _archive(self, r: httpx.Response, out: Response) -> None:
        if self.archive is None:
            return
        with suppress(OSError):  # the archive is a copy; a full disk there must not fail the fetch
            self.archive.write(out.url, out.status, r.reason_phrase or "", list(r.headers.multi_items()), out.body,
                               request_headers=list(r.request.headers.multi_items()))


@dataclass(slots=True)
class _Job:
    url: str  # as requested
    key: str  # canonical URL (row key)
    source: str
    role: str  # source | page
    kind: SourceKind | None = None


@dataclass(slots=True)
class CrawlResult:
    pages: list[FetchedPage]
    rows: list[dict[str, Any]]
    requests: int
    seconds: float
    source_keys: list[str] = field(default_factory=list)  # the row keys of the sources the run was given


def pages_to_retry(prior: PriorWeb, sources: set[str], max_runs: int) -> list[tuple[str, str]]:
    """(url, source) of the pages of these sources that failed retryably on at most `max_runs` runs in a row
    (Settings.max_retry_runs): another try this run."""
    return [(url, source) for url, source in prior.retry
            if source in sources and prior.failures.get(url, 0) <= max_runs]


class Crawl:
    """One run's crawl: jobs queued per host, drained by one thread per host, rows kept per URL."""

    def __init__(self, policy: FetchPolicy, prior: PriorWeb, spool: Path, run_id: str,
                 archive: WarcArchive | None) -> None:
        self.policy, self.prior, self.spool, self.run_id = policy, prior, spool, run_id
        self.client = PoliteClient(policy, archive)
        self.rows: dict[str, dict[str, Any]] = {}
        self.pages: list[FetchedPage] = []
        self._queues: dict[str, deque[_Job]] = {}
        self._active: set[str] = set()
        self._pending = 0
        self._page_count = 0
        self._cond = threading.Condition()
        self._pool = ThreadPoolExecutor(max_workers=policy.hosts_parallel, thread_name_prefix="newsetl-fetch")
        self.finished = False
        self.result: CrawlResult | None = None

    def next_pages(self, start: int, want: int, wait_s: float) -> list[FetchedPage]:
        """Pages fetched from index `start` on: as soon as `want` are there, `wait_s` has passed with at least
        one, or the crawl is over (then possibly none). Lets parsing and NLP run while the crawl waits on
        politeness delays."""
        deadline = time.monotonic() + wait_s
        with self._cond:
            while not self.finished:
                have = len(self.pages) - start
                if have >= want or (have and time.monotonic() >= deadline):
                    break
                self._cond.wait(timeout=max(0.05, deadline - time.monotonic()) if have else 1.0)
            return self.pages[start:start + max(want, 1)]

    def run(self, sources: list[WebSource]) -> CrawlResult:
        t0 = time.monotonic()
        try:
            for s in sources:
                self.add(s.url, s.name, "page" if s.kind == "page" else "source", s.kind)
            names = {s.name for s in sources}
            for url, source in pages_to_retry(self.prior, names, self.policy.max_retry_runs):
                self.add(url, source, "page")
            with self._cond:
                while self._pending:
                    self._cond.wait()
        finally:
            self._pool.shutdown(wait=True)
            self.client.close()
            with self._cond:
                self.finished = True
                self._cond.notify_all()
        keys = list(dict.fromkeys(fetch_key(s.url) or s.url.strip() for s in sources))
        self.result = CrawlResult(self.pages, list(self.rows.values()), self.client.requests,
                                  time.monotonic() - t0, keys)
        return self.result

    # ---- queueing ----

    def add(self, url: str, source: str, role: str, kind: SourceKind | None = None) -> None:
        key = fetch_key(url) or url.strip()
        with self._cond:
            if key in self.rows:
                return
            row = self.rows[key] = fetch_row(self.run_id, key, source, role, datetime.now(UTC))
            skip = self._skip_reason(url, key, role)
            if skip is not None:
                row.update(outcome=Outcome.SKIPPED.value, reason=skip[0].value, detail=skip[1])
                return
            if role == "page":
                self._page_count += 1
            host = host_of(url)
            self._queues.setdefault(host, deque()).append(_Job(url, key, source, role, kind))
            self._pending += 1
            if host not in self._active:
                self._active.add(host)
                self._pool.submit(self._drain, host)

    def _skip_reason(self, url: str, key: str, role: str) -> tuple[Reason, str] | None:
        if not scheme_ok(url):
            return Reason.UNSUPPORTED_SCHEME, f"only http(s) URLs are fetched: {url[:200]}"
        if key in self.prior.loaded and (role == "page" or urlsplit(key).path not in ("", "/")):
            return Reason.ALREADY_LOADED, "published by an earlier run"
        refused = self.prior.refused.get(key)
        if refused is not None:
            age = (datetime.now(UTC) - refused[1]).total_seconds()
            if age < self.policy.refetch_failed_after_s:
                return Reason.FAILED_BEFORE, f"{refused[0]} {age / 3600:.1f} h ago; tried again after " \
                    f"refetch_failed_after_s={self.policy.refetch_failed_after_s:g}"
        if role == "page" and self._page_count >= self.policy.max_urls:
            return Reason.URL_LIMIT, f"more than max_urls_per_run={self.policy.max_urls} article URLs"
        return None

    def _drain(self, host: str) -> None:
        while True:
            with self._cond:
                queue = self._queues[host]
                if not queue:
                    self._active.discard(host)
                    return
                job = queue.popleft()
            self.client.start_job()
            try:
                self._do(job)
            except FetchError as exc:
                self._failed(job, exc)
            except Exception as exc:  # never let one URL end the crawl: record it
                self._failed(job, FetchError(Reason.NETWORK_ERROR, f"{type(exc).__name__}: {exc}"[:300]))
            finally:
                with self._cond:
                    self._pending -= 1
                    self._cond.notify_all()

    # ---- one job ----

    def _do(self, job: _Job) -> None:
        row = self.rows[job.key]
        etag, modified = self.prior.validators.get(job.key, (None, None))
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        resp = self.client.get(job.url, headers, accept_html if job.role == "page" else accept_source)
        row.update(final_url=resp.url, http_status=resp.status, bytes=len(resp.body),
                   requests=self.client.job_requests,
                   etag=resp.headers.get("etag") or etag, last_modified=resp.headers.get("last-modified") or modified,
                   fetched_at=datetime.now(UTC))
        if resp.status == 304:
            row.update(outcome=Outcome.NOT_MODIFIED.value)
            return
        if not 200 <= resp.status < 300:
            reason = Reason.RATE_LIMITED if resp.status in (429, 503) else Reason.HTTP_STATUS
            raise FetchError(reason, f"HTTP {resp.status}", resp.status, resp.url)
        if job.role == "page":
            self._page(job, resp)
        else:
            self._source(job, resp)

    def _source(self, job: _Job, resp: Response) -> None:
        try:
            body = maybe_gunzip(resp.body, self.policy.max_response_bytes)
        except InputError as exc:  # gunzip_capped's: too_large or bad_gzip, the same codes as fetch reasons
            raise FetchError(Reason(exc.reason.value), exc.detail[:300], resp.status, resp.url) from None
        kind = job.kind or detect_kind(resp.headers.get("content-type"), body)
        if kind == "page":
            if urlsplit(resp.url).path in ("", "/") and self._discover(job, resp, body):
                return
            self._page(job, Response(resp.url, resp.status, resp.headers, body))
            return
        if kind is None:
            raise FetchError(Reason.NOT_A_SOURCE, "neither a feed, a sitemap nor an HTML page", resp.status, resp.url)
        try:
            listing = feed_listing(body, resp.url) if kind == "feed" else sitemap_listing(body, resp.url)
        except ValueError as exc:
            raise FetchError(Reason.NOT_A_SOURCE, f"unreadable {kind}: {exc}"[:300], resp.status, resp.url) from None
        self._enqueue_listing(job, kind, listing)

    def _enqueue_listing(self, job: _Job, kind: SourceKind, listing: Listing) -> None:
        self.rows[job.key].update(outcome=Outcome.LOADED.value, detail=f"{kind}: {len(listing.pages)} pages"
                                  + (f", {len(listing.sitemaps)} sitemaps" if listing.sitemaps else ""))
        for url in listing.sitemaps:
            self.add(url, job.source, "source", "sitemap")
        for url in listing.pages:
            self.add(url, job.source, "page")

    def _discover(self, job: _Job, resp: Response, body: bytes) -> bool:
        """A site's home page as a source: its feed links, else its robots.txt sitemaps."""
        feeds = feed_links_in_html(body.decode("utf-8", "replace"), resp.url)
        robots = self.client.gate(host_of(resp.url)).robots
        sitemaps = [] if feeds or robots is None else list(robots.sitemaps)
        if not feeds and not sitemaps:
            return False
        self.rows[job.key].update(outcome=Outcome.LOADED.value,
                                  detail=f"home page: {len(feeds)} feeds, {len(sitemaps)} sitemaps")
        for url in feeds:
            self.add(url, job.source, "source", "feed")
        for url in sitemaps:
            self.add(url, job.source, "source", "sitemap")
        return True

    def _page(self, job: _Job, resp: Response) -> None:
        if detect_kind(resp.headers.get("content-type"), resp.body) != "page":
            raise FetchError(Reason.NOT_HTML, "the body is not an HTML page", resp.status, resp.url)
        wall = wall_reason(resp.body[:400_000].decode("utf-8", "replace"))
        if wall is not None:
            raise FetchError(wall, "the page is a bot challenge or consent wall, not the article", resp.status,
                             resp.url)
        self.spool.mkdir(parents=True, exist_ok=True)
        path = self.spool / (hashlib.sha1(job.key.encode()).hexdigest()[:20] + ".html")
        path.write_bytes(resp.body)
        row = self.rows[job.key]
        row["role"] = "page"
        with self._cond:
            self.pages.append(FetchedPage(job.key, resp.url, InputFile(str(path), len(resp.body), 0, url=job.key)))
            self._cond.notify_all()

    def _failed(self, job: _Job, exc: FetchError) -> None:
        outcome = Outcome.FAILED if exc.requested else Outcome.SKIPPED
        self.rows[job.key].update(outcome=outcome.value, reason=exc.reason.value, detail=exc.detail[:500],
                                  requests=self.client.job_requests,
                                  http_status=exc.status or self.rows[job.key]["http_status"],
                                  final_url=exc.final_url or self.rows[job.key]["final_url"])


def new_crawl(settings: Settings, prior: PriorWeb, spool: Path, run_id: str) -> Crawl:
    archive = WarcArchive(settings.archive_dir / f"{run_id}.warc.gz") if settings.keep_archive else None
    return Crawl(FetchPolicy.from_settings(settings), prior, spool, run_id, archive)


class CrawlHandle:
    """A crawl running in a thread of its own; its pages can be taken (`crawl.next_pages`) while it runs."""

    def __init__(self, crawl: Crawl, sources: list[WebSource]) -> None:
        self.crawl = crawl
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(sources,), name="newsetl-crawl", daemon=True)
        self.thread.start()

    def _run(self, sources: list[WebSource]) -> None:
        try:
            run_crawl(self.crawl, sources)
        except BaseException as exc:  # surfaced by join(); whoever waits in next_pages is released
            self.error = exc
            with self.crawl._cond:
                self.crawl.finished = True
                self.crawl._cond.notify_all()

    def join(self) -> CrawlResult:
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.crawl.result is not None
        return self.crawl.result


def run_crawl(crawl: Crawl, sources: list[WebSource]) -> CrawlResult:
    try:
        return crawl.run(sources)
    finally:
        if crawl.client.archive is not None:
            crawl.client.archive.close()
