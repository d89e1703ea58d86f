"""Reader for JSON Lines (`.jsonl`): one article per line, `{"id", "title", "body"|"text", "url",
"published_at", "authors", "source"}`; only `body`/`text` is required.

A broken line (bad JSON, not an object, no body) becomes a `malformed_record` rejection naming the line;
the good lines still load.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from transforms.decode import decode_bytes
from transforms.feeds import clean_authors, language_code, plausible_iso, title_from_body, to_paragraphs
from transforms.reasons import InputError, Reason
from transforms.records import RawArticle, Rejection
from transforms.text import fix_text
from transforms.urls import domain_of

_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\band\b|&|\|)\s*", re.IGNORECASE)
_DOMAINISH = re.compile(r"^(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:[/:].*)?$", re.IGNORECASE)
# Epoch numbers above this are milliseconds (1e11 s is the year 5138).
_EPOCH_MS = 1e11
_DETAIL_CHARS = 200


def parse_jsonl(data: bytes, source_path: str) -> tuple[list[RawArticle], list[Rejection]]:
    """Each line's article; each unusable line a rejection `malformed_record` with `line N: why`."""
    try:
        decoded = decode_bytes(data, repair=False)  # fields are repaired one by one
    except InputError as exc:
        return [], [Rejection(source_path, exc.reason, exc.detail)]
    articles: list[RawArticle] = []
    rejections: list[Rejection] = []
    seen_keys: set[str] = set()
    # Split on "\n" only: str.splitlines would also cut at U+2028 and friends, legal inside JSON strings.
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        if not line.strip():
            continue
        result = parse_record(line, number, source_path, seen_keys)
        if isinstance(result, Rejection):
            rejections.append(result)
            continue
        if decoded.repaired:
            result.flags.append("encoding_repaired")
        articles.append(result)
    if not articles and not rejections:
        rejections.append(Rejection(source_path, Reason.EMPTY, "no records"))
    return articles, rejections


def _reject(source_path: str, number: int, why: str) -> Rejection:
    return Rejection(source_path, Reason.MALFORMED_RECORD, f"line {number}: {why}"[:_DETAIL_CHARS + 20])


def parse_record(line: str, number: int, source_path: str, seen_keys: set[str]) -> RawArticle | Rejection:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly nested arrays
        return _reject(source_path, number, f"invalid JSON ({str(exc)[:_DETAIL_CHARS]})")
    if not isinstance(record, dict):
        return _reject(source_path, number, f"expected a JSON object, got {type(record).__name__}")
    raw_body = record.get("body")
    if not isinstance(raw_body, str) or not raw_body.strip():
        raw_body = record.get("text")
    if not isinstance(raw_body, str) or not raw_body.strip():
        return _reject(source_path, number, "no body or text")
    body = fix_text("\n\n".join(to_paragraphs(raw_body)))
    if not body.strip():
        return _reject(source_path, number, "body has no text")

    flags: list[str] = []
    title = record.get("title")
    title = fix_text(" ".join(to_paragraphs(title))) if isinstance(title, str) else ""
    if not title.strip():
        title = title_from_body(body)
        flags.append("title_from_body")

    rid = record.get("id")
    valid_id = isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid).strip()
    source_id = str(rid) if valid_id else None
    key = f"id:{source_id}"[:500] if source_id else f"line:{number}"
    if key in seen_keys:  # article ids derive from the key; a repeated id must not collide
        key = f"line:{number}"
    seen_keys.add(key)

    url = record.get("url")
    url = url.strip() if isinstance(url, str) and re.match(r"^https?://\S+$", url.strip(), re.I) else None
    source = record.get("source")
    source_domain = None
    if isinstance(source, str) and _DOMAINISH.match(source.strip()):
        source_domain = domain_of(source)
    if not source_domain and url:
        source_domain = domain_of(url)

    published_at = None
    if record.get("published_at") not in (None, ""):
        published_at = normalise_date(record["published_at"])
        if published_at is None:
            flags.append("invalid_published_at")

    summary = record.get("summary")
    return RawArticle(
        source_path=source_path,
        title=title,
        body=body,
        summary=fix_text(summary.strip()) if isinstance(summary, str) and summary.strip() else None,
        source_id=source_id,
        entry_key=key,
        url=url,
        source_domain=source_domain,
        authors=_authors(record.get("authors", record.get("author"))),
        published_at=published_at,
        language=language_code(record.get("language") or record.get("lang")),
        flags=flags,
    )


def _authors(value: Any) -> list[str]:
    items: list[str] = []
    if isinstance(value, str):
        items = _AUTHOR_SPLIT.split(value)
        # "Jane Doe, John Roe" is two people; "Doe, Jane" is one (a single word each side).
        if len(items) == 1 and "," in value:
            parts = [p.strip() for p in value.split(",")]
            if all(len(p.split()) >= 2 for p in parts):
                items = parts
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, str):
                items.append(v)
            elif isinstance(v, dict) and isinstance(v.get("name"), str):
                items.append(v["name"])
    return clean_authors(items)


def normalise_date(value: Any) -> str | None:
    """ISO 8601 string, RFC 2822 string, or epoch seconds/milliseconds -> ISO 8601 UTC; else None."""
    dt: datetime | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            dt = datetime.fromtimestamp(value / 1000 if abs(value) > _EPOCH_MS else value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and value.strip():
        s = value.strip()
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
        except ValueError:
            try:
                dt = parsedate_to_datetime(s)
            except (TypeError, ValueError, IndexError):
                dt = _dateutil(s)
    if dt is None:
        return None
    return plausible_iso(dt)


def _dateutil(s: str) -> datetime | None:
    # python-dateutil comes with pandas; it reads "15 February 2024 09:30" and similar free forms.
    from dateutil import parser as dateparser

    if not re.search(r"\b(?:1[89]|2\d)\d\d\b", s):
        return None  # without a year dateutil fills in today's: not deterministic, not the publication date
    try:
        return dateparser.parse(s, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
