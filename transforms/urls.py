"""URL canonicalisation and source domains."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the reader; dropping them makes copies of a story share one URL
# (transforms/data/urls.json).
_TRACKING = json.loads((Path(__file__).with_name("data") / "urls.json").read_text(encoding="utf-8"))
_TRACKING_PREFIXES: tuple[str, ...] = tuple(_TRACKING["tracking_prefixes"]["prefixes"])
_TRACKING_KEYS: frozenset[str] = frozenset(_TRACKING["tracking_keys"]["keys"])


def domain_of(url_or_domain: str) -> str | None:
    """`www.newarab.com`, `https://www.newarab.com/x` -> `newarab.com`."""
    s = url_or_domain.strip()
    if not s:
        return None
    if "://" not in s:
        s = "http://" + s
    try:
        host = urlsplit(s).hostname or ""
    except ValueError:
        return None
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme/host, no `www.`, no fragment, no tracking parameters, no trailing slash."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if host.startswith("www."):
        host = host[4:]
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_KEYS
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def fetch_key(url: str) -> str | None:
    """The identity of a URL to fetch (a fetched article's source_path): courlan's normalisation (lower-case
    host, default port dropped, parameters sorted), without fragment or tracking parameters. Unlike
    `canonical_url` it keeps the scheme and `www.`, so the key is still a URL that answers."""
    from courlan import normalize_url

    try:
        parts = urlsplit(normalize_url(url.strip()))
    except (ValueError, TypeError):
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_KEYS]
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", urlencode(query), ""))
