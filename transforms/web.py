"""Pure helpers for live web sources: what a response is, the URLs it lists, whether a 2xx page is really a
bot challenge or consent wall, which addresses may be contacted, and how long `Retry-After` asks to wait.

No network and no clock here: the fetcher in `flows/fetch.py` does the I/O and passes bytes and headers in.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

import lxml.etree

from transforms.ingest import gunzip_capped

CHALLENGES_PATH = Path(__file__).with_name("data") / "web_challenges.json"

SourceKind = Literal["feed", "sitemap", "page"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("feed", "sitemap", "page")


class Outcome(StrEnum):
    """What became of one URL in a run (`fetches.outcome`)."""

    LOADED = "loaded"  # fetched and used: an article published, or a feed/sitemap read
    NOT_MODIFIED = "not_modified"  # 304 to a conditional request (or the same bytes as before): nothing parsed
    DUPLICATE = "duplicate"  # fetched, but the article duplicates one already published
    SKIPPED = "skipped"  # never requested, by policy (robots, address, already loaded, limits)
    FAILED = "failed"  # requested, and no usable response came back


class Reason(StrEnum):
    """Why a URL was skipped or failed (`fetches.reason`); the README's table lists them all (checked by
    tests/unit/test_docs.py). Kept apart from transforms.reasons.Reason, the quarantine reasons: these
    describe a URL and a network exchange; a fetched page that yields no article carries a quarantine reason."""

    ROBOTS_DISALLOWED = "robots_disallowed"
    ROBOTS_UNAVAILABLE = "robots_unavailable"  # robots.txt answered 5xx: the host is treated as disallowed
    BLOCKED_ADDRESS = "blocked_address"
    ALREADY_LOADED = "already_loaded"
    UNSUPPORTED_SCHEME = "unsupported_scheme"
    INVALID_URL = "invalid_url"
    URL_LIMIT = "url_limit"
    DNS_ERROR = "dns_error"
    CONNECT_ERROR = "connect_error"
    TIMEOUT = "timeout"
    NETWORK_ERROR = "network_error"
    HTTP_STATUS = "http_status"
    RATE_LIMITED = "rate_limited"  # 429/503 asking for a wait longer than max_retry_after_s, or retries used up
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BAD_REDIRECT = "bad_redirect"
    NOT_HTML = "not_html"
    NOT_A_SOURCE = "not_a_source"  # a feed/sitemap URL whose body is neither
    BAD_GZIP = "bad_gzip"
    CHALLENGE_PAGE = "challenge_page"
    CONSENT_WALL = "consent_wall"
    SAME_CONTENT = "same_content"
    FAILED_BEFORE = "failed_before"  # failed for good on a recent run (refetch_failed_after_s)
    VALIDATION = "validation"  # the page's article failed a row-level expectation (see `quarantine`)


# Failures that another request soon would only repeat: such URLs rest for `refetch_failed_after_s`.
FINAL_FAILURES = frozenset((Reason.TOO_LARGE, Reason.TOO_MANY_REDIRECTS, Reason.BAD_REDIRECT, Reason.NOT_HTML,
                            Reason.CHALLENGE_PAGE, Reason.CONSENT_WALL, Reason.BLOCKED_ADDRESS, Reason.NOT_A_SOURCE,
                            Reason.BAD_GZIP, Reason.UNSUPPORTED_SCHEME))


HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml")
XML_TYPES = ("application/xml", "text/xml", *FEED_TYPES)
GZIP_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")
REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))
RETRY_STATUSES = frozenset((500, 502, 503, 504, 429))


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def looks_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def maybe_gunzip(data: bytes, cap: int) -> bytes:
    """A gzipped body (sitemap.xml.gz served as application/gzip) decompressed within `cap`; else as is."""
    return gunzip_capped(data, cap) if looks_gzip(data) else data


_ROOT_TAG = re.compile(rb"<(?!\?|!)([A-Za-z_][\w:.-]*)")


def root_tag(data: bytes) -> str:
    """The first element's local name (`rss`, `feed`, `urlset`, `sitemapindex`, `html`), lower case."""
    m = _ROOT_TAG.search(data[:4096])
    return m.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower() if m else ""


def detect_kind(content_type: str | None, body: bytes) -> SourceKind | None:
    """A response's kind from its root element, then its media type; None when it is neither."""
    root = root_tag(body)
    if root in ("rss", "feed", "rdf", "channel"):
        return "feed"
    if root in ("urlset", "sitemapindex"):
        return "sitemap"
    if root == "html" or media_type(content_type) in HTML_TYPES:
        return "page"
    if media_type(content_type) in FEED_TYPES:
        return "feed"
    return None


@dataclass(slots=True)
class Listing:
    """What a feed or sitemap points to: article pages, and (for a sitemap index) more sitemaps."""

    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


_SAFE_XML = dict(resolve_entities=False, no_network=True, huge_tree=False, recover=True, load_dtd=False)


def sitemap_listing(data: bytes, base_url: str) -> Listing:
    """URLs of a `urlset` (Google news sitemaps included) or a `sitemapindex`; entities are never resolved."""
    parser = lxml.etree.XMLParser(**_SAFE_XML)  # type: ignore[arg-type]
    try:
        root = lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise ValueError(f"unreadable sitemap XML: {exc}") from exc
    out = Listing()
    if root is None:
        return out
    index = lxml.etree.QName(root).localname.lower() == "sitemapindex"
    for loc in root.iter("{*}loc", "loc"):
        parent = loc.getparent()
        kind = lxml.etree.QName(parent).localname.lower() if parent is not None else ""
        url = (loc.text or "").strip()
        if not url or kind not in ("url", "sitemap"):
            continue
        (out.sitemaps if index or kind == "sitemap" else out.pages).append(urljoin(base_url, url))
    return out


def feed_listing(data: bytes, base_url: str) -> Listing:
    """Entry links of an RSS/Atom feed (feedparser, given a byte stream); DTD attacks refused first."""
    import io

    import feedparser

    from transforms.feeds import unsafe_xml_reason

    unsafe = unsafe_xml_reason(data)
    if unsafe:
        raise ValueError(f"unsafe XML: {unsafe}")
    parsed = feedparser.parse(io.BytesIO(data))
    out = Listing()
    for entry in parsed.entries:
        link = entry.get("link") or _alternate_link(entry)
        if link:
            out.pages.append(urljoin(base_url, link.strip()))
    return out


def _alternate_link(entry: dict) -> str | None:  # type: ignore[type-arg]
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    guid = entry.get("id") or ""
    return guid if guid.startswith(("http://", "https://")) else None


_FEED_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")


def feed_links_in_html(html: str, base_url: str) -> list[str]:
    """`<link rel="alternate" type="application/rss+xml" href=...>` of a home page: its feeds."""
    out: list[str] = []
    for tag in _FEED_LINK.findall(html[:200_000]):
        attrs = {k.lower(): v.strip("'\"") for k, v in _ATTR.findall(tag)}
        if "alternate" in attrs.get("rel", "").lower() and attrs.get("type", "").lower() in FEED_TYPES and \
                attrs.get("href"):
            out.append(urljoin(base_url, attrs["href"]))
    return list(dict.fromkeys(out))


@dataclass(slots=True)
class PriorWeb:
    """What earlier runs published about web URLs: validators, article URLs loaded, failures to retry."""

    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    loaded: set[str] = field(default_factory=set)
    failures: dict[str, int] = field(default_factory=dict)  # runs in a row a page failed retryably
    retry: list[tuple[str, str]] = field(default_factory=list)  # (url, source) of pages to try again
    refused: dict[str, tuple[str, datetime]] = field(default_factory=dict)  # url -> (final failure, when)


# ---- challenge pages and consent walls ----

@dataclass(frozen=True, slots=True)
class _WallRules:
    max_visible_words: int
    titles: dict[Reason, tuple[str, ...]]
    markers: dict[Reason, tuple[str, ...]]


@functools.cache
def _wall_rules() -> _WallRules:
    raw = json.loads(CHALLENGES_PATH.read_text(encoding="utf-8"))
    kinds = (Reason.CHALLENGE_PAGE, Reason.CONSENT_WALL)
    return _WallRules(int(raw["max_visible_words"]),
                      {k: tuple(raw[k.value]["titles"]) for k in kinds},
                      {k: tuple(raw[k.value]["markers"]) for k in kinds})


_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_INVISIBLE = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,4000}>")
_SCAN_CHARS = 400_000


def wall_reason(html: str) -> Reason | None:
    """`challenge_page` or `consent_wall` for a 2xx page that is not the article; None for a real page.

    A marker alone is not enough (articles carry captcha widgets and cookie banners): the page must also
    be short on visible text, as interstitials are."""
    head = html[:_SCAN_CHARS]
    lower = head.casefold()
    rules = _wall_rules()
    m = _TITLE.search(head)
    title = (m.group(1) if m else "").strip().casefold()
    found = [kind for kind in rules.markers
             if any(title.startswith(t) for t in rules.titles[kind]) or any(k in lower for k in rules.markers[kind])]
    if not found:
        return None
    visible = _TAG.sub(" ", _INVISIBLE.sub(" ", head))
    if len(visible.split()) > rules.max_visible_words:
        return None
    return found[0]


# ---- addresses ----

@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which hosts may resolve to non-public addresses: `NEWSETL_ALLOW_PRIVATE_HOSTS` parsed."""

    names: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def parse(cls, spec: str | None) -> AddressPolicy:
        names: set[str] = set()
        nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in (spec or "").split(","):
            item = item.strip().lower()
            if not item:
                continue
            try:
                nets.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                names.add(item.rstrip("."))
        return cls(frozenset(names), tuple(nets))

    def blocked(self, host: str, addresses: list[str]) -> str | None:
        """None when every address may be contacted; else the first refused address."""
        if host.lower().rstrip(".") in self.names:
            return None
        for text in addresses:
            ip = ipaddress.ip_address(text.split("%", 1)[0])
            if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
                ip = ip.ipv4_mapped
            if _public(ip) or any(ip in net for net in self.networks):
                continue
            return str(ip)
        return None


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
                                 or ip.is_private or ip.is_unspecified)


# ---- URLs and headers ----

def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def scheme_ok(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def robots_url(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}/robots.txt"


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds from now: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
