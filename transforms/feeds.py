"""Reader for RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and CDF feeds (`.xml`, `.rss`, `.atom`): each entry an article.

Safety first: the document's DTD is scanned before any parser builds a tree, and a feed that declares an
external entity, an entity referring to other entities (billion laughs) or an oversized one is refused as
`unsafe_xml`. feedparser (lenient, handles the many broken feeds in the wild) then only ever sees data
that has passed that check, and is given a byte stream, never a string it could take for a file name.

Also home to the small helpers the JSON Lines reader shares: HTML to paragraphs, a title from the body,
dates to ISO 8601 and language codes.
"""

from __future__ import annotations

import html
import io
import json
import re
import time
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.parsers import expat

from transforms.decode import decode_bytes
from transforms.reasons import InputError, Reason
from transforms.records import RawArticle, Rejection
from transforms.text import fix_text
from transforms.urls import domain_of

# An internal entity longer than this is treated as an expansion attack (quadratic blow-up); real feeds
# declare at most short aliases such as `<!ENTITY nbsp "&#160;">`.
MAX_ENTITY_CHARS = 512

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
_WS = re.compile(r"[ \t\r\n\f\v]+")
# Block elements end a paragraph; dropped elements (code, embeds, forms, captions) are never text
# (transforms/data/feed_html.json).
_FEED_HTML = json.loads((Path(__file__).with_name("data") / "feed_html.json").read_text(encoding="utf-8"))
_BLOCKS: frozenset[str] = frozenset(_FEED_HTML["block_elements"]["tags"])
_DROP: frozenset[str] = frozenset(_FEED_HTML["dropped_elements"]["tags"])
_PARA = "\u2029"
# Trailing boilerplate feed generators append to every entry.
_BOILERPLATE = re.compile(
    r"^(?:the post .{1,300} appeared first on .{1,200}"
    r"|(?:continue|keep) reading.{0,80}|read (?:more|the (?:full|rest of the) (?:story|article)).{0,80}"
    r"|(?:share|tweet) (?:this|on \w+).{0,40}|\[?(?:…|\.\.\.)\]?|view (?:full )?article.{0,40}"
    r"|this (?:article|entry) was (?:originally )?(?:posted|published) .{0,200})$",
    re.IGNORECASE,
)
# The document's first element (after the XML declaration, comments and DOCTYPE), and the feed roots.
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_FEED_ROOTS = {"rss", "rdf", "feed", "channel"}
_HTML_TAG = re.compile(r"</?(?:p|br|div|span|a|b|i|em|strong|ul|ol|li|h[1-6]|img|table|blockquote)\b[^>]*>",
                       re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z\"“‘(])")
TITLE_MAX_WORDS = 12


class _Unsafe(Exception):
    pass


class _DtdDone(Exception):
    pass


# --- safety ------------------------------------------------------------------------------------------------

def unsafe_xml_reason(xml: bytes) -> str | None:
    """Why this document must not be parsed (external or expanding entities), or None when it is safe.

    expat reads only the prolog here (stopped at the first element), with external DTDs and parameter
    entities never loaded; each entity declaration is judged before anything could expand it.
    """
    if not _ENTITY_DECL.search(xml):
        return None
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(name: str, is_param: int, value: str | None, base: str | None, sysid: str | None,
                  pubid: str | None, notation: str | None) -> None:
        kind = "parameter entity" if is_param else "entity"
        if sysid or pubid or notation:
            raise _Unsafe(f"external {kind} {name!r} -> {(sysid or pubid or notation or '')[:200]!r}")
        if value is not None and ("&" in value or "%" in value):
            raise _Unsafe(f"{kind} {name!r} refers to other entities (expansion bomb)")
        if value is not None and len(value) > MAX_ENTITY_CHARS:
            raise _Unsafe(f"{kind} {name!r} is {len(value)} characters long (expansion attack)")

    def on_external(*_args: Any) -> int:
        raise _Unsafe("external entity reference")

    def on_element(*_args: Any) -> None:
        raise _DtdDone

    parser.EntityDeclHandler = on_entity
    parser.ExternalEntityRefHandler = on_external
    parser.StartElementHandler = on_element
    try:
        parser.Parse(xml, True)
    except _Unsafe as exc:
        return str(exc)
    except _DtdDone:
        return None
    except (expat.ExpatError, ValueError) as exc:
        # Not well-formed before the root element, yet it declares entities: a lenient parser might still
        # honour them, so refuse rather than guess.
        return f"entity declarations in a document that is not well-formed XML ({exc})"
    return None


# --- text helpers (shared with the JSON Lines reader) ---------------------------------------------------

def looks_like_html(text: str) -> bool:
    return bool(_HTML_TAG.search(text))


class _TextCollector(HTMLParser):
    """One pass over the markup, no tree: text outside dropped elements, a paragraph mark at block edges.

    Streaming rather than BeautifulSoup because tree surgery there is quadratic in nesting depth (100,000
    nested <div>s took minutes); this is linear whatever the structure.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: dict[str, int] = {}
        self.structured = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.skipping[tag] = self.skipping.get(tag, 0) + 1
        elif tag in _BLOCKS or tag == "br":
            self.structured = True
            self.parts.append(_PARA)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS or tag == "br":  # <br/>, <hr/>: no content, only the break
            self.structured = True
            self.parts.append(_PARA)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            if self.skipping.get(tag):
                self.skipping[tag] -= 1
        elif tag in _BLOCKS or tag == "br":
            self.parts.append(_PARA)

    def handle_data(self, data: str) -> None:
        if not any(self.skipping.values()):
            self.parts.append(data)


def html_to_paragraphs(markup: str) -> list[str]:
    """Entry HTML to clean text paragraphs: scripts, embeds and captions dropped, blocks split at ends."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    text = "".join(collector.parts)
    if not collector.structured:
        # Markup without any block structure ("text &amp; more\n\nnext"): blank lines still end paragraphs.
        text = re.sub(r"\n[ \t\r\f\v]*\n\s*", _PARA, text)
    return _clean_paragraphs(text.split(_PARA))


def text_to_paragraphs(text: str) -> list[str]:
    """Plain text: blank lines separate paragraphs; single newlines inside one are line wraps.
    Character references (`&amp;`) are read, since such text was HTML-escaped on its way."""
    if "&" in text:
        text = html.unescape(text)
    return _clean_paragraphs(re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")))


def _clean_paragraphs(parts: list[str]) -> list[str]:
    paras = [_WS.sub(" ", p).strip() for p in parts]
    paras = [p for p in paras if p]
    while paras and _BOILERPLATE.match(paras[-1]):
        paras.pop()
    return paras


def to_paragraphs(value: str, is_html: bool | None = None) -> list[str]:
    if is_html is None:
        is_html = looks_like_html(value)
    return html_to_paragraphs(value) if is_html else text_to_paragraphs(value)


def title_from_body(body: str) -> str:
    """A stand-in headline: the first sentence, or its first ~12 words when the sentence runs long."""
    first = body.strip().split("\n", 1)[0]
    sentence = _SENTENCE_END.split(first, 1)[0].strip()
    words = sentence.split()
    if len(words) > TITLE_MAX_WORDS:
        return " ".join(words[:TITLE_MAX_WORDS]) + " …"
    return sentence


def language_code(value: object) -> str | None:
    """`en-US`, `EN`, `en_gb` -> `en`; anything else -> None (detection fills it in later)."""
    if not isinstance(value, str):
        return None
    m = _LANG.match(value.strip())
    return m.group(1).lower() if m else None


def plausible_iso(dt: datetime) -> str | None:
    """ISO 8601 in UTC, or None for dates no news item has (before 1900, more than a day ahead)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)  # no offset given: read as UTC, the common feed/API convention
    try:
        dt = dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    if dt.year < 1900 or dt > datetime.now(UTC) + timedelta(days=1):
        return None
    return dt.isoformat(timespec="seconds")


def clean_authors(names: list[str]) -> list[str]:
    """Repaired, cleaned, de-duplicated author names in their original order."""
    out: list[str] = []
    for n in names:
        cleaned = clean_author(fix_text(n))
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out


def clean_author(name: str) -> str | None:
    name = _WS.sub(" ", name).strip()
    name = re.sub(r"^(?:by|written by|posted by)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\s*\(?[\w.+-]+@[\w-]+\.[\w.-]+\)?\s*", " ", name).strip(" ,;()")
    return name or None


# --- the reader -----------------------------------------------------------------------------------------

def parse_feed(data: bytes, source_path: str) -> tuple[list[RawArticle], list[Rejection]]:
    """Every entry of an RSS/Atom/CDF feed as a RawArticle; unusable entries and files as rejections."""
    try:
        decoded = decode_bytes(data, repair=False)  # fields are repaired one by one
    except InputError as exc:
        return [], [Rejection(source_path, exc.reason, exc.detail)]
    # Hand the parser UTF-8 and say so, whatever the original declaration claimed.
    text = _XML_DECL.sub("", decoded.text.lstrip("\ufeff"), count=1)
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n' + text.lstrip()).encode("utf-8")
    reason = unsafe_xml_reason(xml)
    if reason:
        return [], [Rejection(source_path, Reason.UNSAFE_XML, reason)]

    import feedparser

    try:
        parsed = feedparser.parse(
            io.BytesIO(xml),  # a stream: feedparser opens a bytes/str argument as a file path if it can
            response_headers={"content-type": "application/xml; charset=utf-8"},
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except (RecursionError, MemoryError) as exc:
        return [], [Rejection(source_path, Reason.MALFORMED_FEED, f"feed parser gave up: {type(exc).__name__}")]
    bozo = bool(parsed.get("bozo"))
    problem = f"{type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}" if bozo else ""
    entries = parsed.get("entries") or []
    if not entries:
        root = _ROOT.search(xml)
        root_name = root.group(1).decode("ascii", "replace") if root else ""
        if not parsed.get("version") and root_name.split(":")[-1].lower() not in _FEED_ROOTS:
            why = problem[:300] if problem else f"root element <{root_name[:40]}>"
            return [], [Rejection(source_path, Reason.MALFORMED_FEED, f"not an RSS/Atom feed: {why}")]
        kind = parsed.get("version") or "feed"
        return [], [Rejection(source_path, Reason.EMPTY_FEED, f"{kind} without entries")]

    feed = parsed.get("feed") or {}
    feed_lang = language_code(feed.get("language"))
    feed_domain = _http_domain(feed.get("link"))
    articles: list[RawArticle] = []
    rejections: list[Rejection] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        key = _entry_key(entry, index, seen)
        result = _entry_article(entry, key, source_path, feed_lang, feed_domain)
        if isinstance(result, Rejection):
            rejections.append(result)
            continue
        if bozo:
            result.flags.append("malformed_feed_recovered")
        if decoded.repaired:
            result.flags.append("encoding_repaired")
        articles.append(result)
    return articles, rejections


def _entry_key(entry: Any, index: int, seen: set[str]) -> str:
    key = next((v.strip() for v in (entry.get("id"), entry.get("link")) if isinstance(v, str) and v.strip()),
               f"entry:{index}")
    key = key[:500]
    if key in seen:  # article ids derive from the key, so two entries must never share one
        key = f"{key}#{index}"
    seen.add(key)
    return key


def _detail_text(detail: Any, value: Any) -> tuple[str, bool]:
    """(value, is_html) of a feedparser text construct."""
    kind = (detail or {}).get("type", "") if isinstance(detail, dict) else ""
    return (value if isinstance(value, str) else ""), ("html" in kind)


def _entry_article(entry: Any, key: str, source_path: str, feed_lang: str | None,
                   feed_domain: str | None) -> RawArticle | Rejection:
    raw_title, title_html = _detail_text(entry.get("title_detail"), entry.get("title"))
    title = " ".join(to_paragraphs(raw_title, title_html or None)) if raw_title else ""

    body_paras: list[str] = []
    for content in entry.get("content") or []:
        value, is_html = _detail_text(content, content.get("value"))
        paras = to_paragraphs(value, is_html or None) if value else []
        if sum(map(len, paras)) > sum(map(len, body_paras)):
            body_paras = paras
    raw_summary, summary_html = _detail_text(entry.get("summary_detail"), entry.get("summary"))
    summary_paras = to_paragraphs(raw_summary, summary_html or None) if raw_summary else []
    summary: str | None = None
    if sum(map(len, summary_paras)) > sum(map(len, body_paras)):
        body_paras = summary_paras
    elif summary_paras:
        summary = " ".join(summary_paras)

    body = fix_text("\n\n".join(body_paras))
    title = fix_text(title)
    flags: list[str] = []
    if not body.strip():
        if title.strip():
            return Rejection(source_path, Reason.NOT_AN_ARTICLE, f"entry {key}: headline only, no body text")
        return Rejection(source_path, Reason.EMPTY_ENTRY, f"entry {key}: no title or text")
    if not title.strip():
        title = title_from_body(body)
        flags.append("title_from_body")

    url = _http_url(entry.get("link"))
    lang = None
    for detail in (entry.get("content") or [None])[0], entry.get("summary_detail"), entry.get("title_detail"):
        if isinstance(detail, dict) and (lang := language_code(detail.get("language"))):
            break
    return RawArticle(
        source_path=source_path,
        title=title,
        body=body,
        summary=fix_text(summary) if summary and summary != body else (body_paras[0] if body_paras else None),
        entry_key=key,
        url=url,
        source_domain=(domain_of(url) if url else None) or feed_domain,
        authors=_authors(entry),
        published_at=_entry_date(entry),
        language=lang or feed_lang,
        flags=flags,
    )


def _http_url(value: Any) -> str | None:
    if isinstance(value, str) and re.match(r"^https?://[^\s/]+", value.strip(), re.IGNORECASE):
        return value.strip()
    return None


def _http_domain(value: Any) -> str | None:
    url = _http_url(value)
    return domain_of(url) if url else None


def _authors(entry: Any) -> list[str]:
    listed = [a["name"] for a in entry.get("authors") or []
              if isinstance(a, dict) and isinstance(a.get("name"), str)]
    raw = entry.get("author")
    # One author: take the raw string. feedparser's split of "email (Name)" cuts long mail domains
    # ("ple (Tomasz Nowak"); clean_author drops the address itself.
    names = [raw] if len(listed) <= 1 and isinstance(raw, str) and raw.strip() else listed
    return clean_authors(names)


def _entry_date(entry: Any) -> str | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(field)
        if isinstance(t, time.struct_time):
            try:
                return plausible_iso(datetime(*t[:6], tzinfo=UTC))  # feedparser gives UTC
            except (ValueError, OverflowError):
                continue
    return None
