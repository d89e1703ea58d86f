"""Dispatch a file's bytes to the reader for its kind; every outcome is articles or rejections.

Pure: the caller reads the bytes (with size limits) and passes them in.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import dataclass, field

from transforms.decode import decode_bytes
from transforms.plaintext import parse_plaintext
from transforms.reasons import InputError, Reason
from transforms.records import RawArticle, Rejection

SUPPORTED_EXTENSIONS = {".txt": "text", ".html": "html", ".htm": "html", ".xml": "feed", ".rss": "feed",
                        ".atom": "feed", ".jsonl": "jsonl", ".warc": "warc"}


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """The readers' byte limits; no defaults here: flows.steps builds them from Settings."""

    max_decompressed_bytes: int  # gzip (and WARC payload) expansion cap
    max_html_bytes: int  # one HTML page (a saved file or a WARC payload)


@dataclass(slots=True)
class ParseResult:
    articles: list[RawArticle] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def kind_of(name: str) -> tuple[str | None, bool]:
    """(kind, gzipped) from a file name: `a.html.gz` -> ("html", True); unsupported -> (None, ...)."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for ext, kind in SUPPORTED_EXTENSIONS.items():
        if lower.endswith(ext):
            return kind, gz
    return None, gz


_NUL_PADDING = re.compile(rb"\0*\Z")


def gunzip_capped(data: bytes, cap: int) -> bytes:
    """Decompress gzip data, refusing to expand past `cap` bytes (a gzip bomb never fills memory).

    Reads every member of a multi-member file (`cat a.gz b.gz` is valid gzip); trailing NUL padding is ignored.
    Raises InputError: `too_large` past the cap, `bad_gzip` for data that is not (complete) gzip.
    """
    try:
        return _gunzip(data, cap)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(Reason.BAD_GZIP, f"not a valid gzip file: {exc}") from None


def _gunzip(data: bytes, cap: int) -> bytes:
    out = io.BytesIO()
    view = memoryview(data)
    step = 1 << 16
    pos = 0
    while True:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        fed = pos
        while not d.eof:
            if d.unconsumed_tail:
                chunk: bytes | memoryview = d.unconsumed_tail
            elif fed < len(view):
                chunk = view[fed:fed + step]
                fed += len(chunk)
            else:
                raise gzip.BadGzipFile("truncated gzip stream")
            # max_length >= 1 here: out never passes cap without raising below (0 would mean unlimited).
            out.write(d.decompress(chunk, cap + 1 - out.tell()))
            if out.tell() > cap:
                raise InputError(Reason.TOO_LARGE, f"decompresses to more than {cap} bytes")
        pos = fed - len(d.unused_data)
        if _NUL_PADDING.match(data, pos):  # no copy of the rest: many tiny members must stay linear
            return out.getvalue()


def parse_file(data: bytes, source_path: str, name: str, limits: ParseLimits) -> ParseResult:
    kind, gz = kind_of(name)
    if kind is None:
        return ParseResult(rejections=[Rejection(source_path, Reason.UNSUPPORTED_TYPE,
                                                 f"unsupported file type: {name}")])
    if kind == "warc":  # gunzips itself (capped, member by member, keeping the records before damage)
        from transforms.warc import parse_warc

        articles, rejections = parse_warc(data, source_path, limits)
        return ParseResult(articles, rejections)
    if gz:
        try:
            data = gunzip_capped(data, limits.max_decompressed_bytes)
        except InputError as exc:
            return ParseResult(rejections=[Rejection(source_path, exc.reason, exc.detail)])
    if not data.strip():
        return ParseResult(rejections=[Rejection(source_path, Reason.EMPTY, "file is empty or whitespace only")])
    if kind == "text":
        return _parse_text(data, source_path)
    if kind == "html":
        from transforms.html import parse_html

        if len(data) > limits.max_html_bytes:
            return ParseResult(rejections=[Rejection(source_path, Reason.TOO_LARGE, f"{len(data)} bytes > "
                                                     f"max_html_bytes={limits.max_html_bytes} for one HTML page")])
        return _one(parse_html(data, source_path), source_path)
    if kind == "feed":
        from transforms.feeds import parse_feed

        articles, rejections = parse_feed(data, source_path)
        return ParseResult(articles, rejections)
    from transforms.jsonl import parse_jsonl

    articles, rejections = parse_jsonl(data, source_path)
    return ParseResult(articles, rejections)


def _one(result: RawArticle | Rejection, source_path: str) -> ParseResult:
    if isinstance(result, Rejection):
        return ParseResult(rejections=[result])
    return ParseResult(articles=[result])


def _parse_text(data: bytes, source_path: str) -> ParseResult:
    try:
        decoded = decode_bytes(data)
    except InputError as exc:
        return ParseResult(rejections=[Rejection(source_path, exc.reason, exc.detail)])
    if not decoded.text.strip():
        return ParseResult(rejections=[Rejection(source_path, Reason.EMPTY, "no text after decoding")])
    article = parse_plaintext(decoded.text, source_path)
    if article is None:
        return ParseResult(rejections=[Rejection(source_path, Reason.NOT_AN_ARTICLE, "no title and body found")])
    if decoded.repaired:
        article.flags.append("encoding_repaired")
    return ParseResult(articles=[article])
