"""Reader for web archives (`.warc`, `.warc.gz`): each 2xx HTML response record is a saved web page.

Pure: bytes in, (articles, rejections) out. Records are read with warcio's ArchiveIterator; a gzipped
archive is decompressed here first, member by member and never past max_decompressed_bytes, keeping what
came before a truncated or corrupt member. Requests, metadata, warcinfo, revisits and non-HTML responses
are not articles: they are skipped without a rejection and counted in WarcScan.skipped.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from transforms.html import parse_html
from transforms.reasons import Reason
from transforms.records import RawArticle, Rejection
from transforms.urls import domain_of

if TYPE_CHECKING:
    from transforms.ingest import ParseLimits

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body")
_MAX_KEY = 500


@dataclass(slots=True)
class WarcScan:
    articles: list[RawArticle] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    html_responses: int = 0  # 2xx HTML responses, whether they became articles or rejections
    skipped: Counter[str] = field(default_factory=Counter)  # "request", "response:non_html", "response:404", ...


def parse_warc(data: bytes, source_path: str, limits: ParseLimits) -> tuple[list[RawArticle], list[Rejection]]:
    """Articles from the archive's 2xx HTML responses; rejections for pages html refuses, oversized
    payloads, a damaged archive (`malformed_warc`, after what was read before it) or no HTML at all (`empty`)."""
    scan = scan_warc(data, source_path, limits)
    return scan.articles, scan.rejections


def scan_warc(data: bytes, source_path: str, limits: ParseLimits) -> WarcScan:
    scan = WarcScan()
    cap = limits.max_decompressed_bytes
    problem: Rejection | None = None
    if data[:2] == _GZIP_MAGIC:
        data, problem = _gunzip_partial(data, cap, source_path)
    try:
        _scan_records(data, source_path, limits, scan)
    except _Damaged as exc:
        problem = problem or Rejection(source_path, Reason.MALFORMED_WARC, str(exc)[:500])
    if problem is not None:
        scan.rejections.append(problem)
    elif not scan.html_responses:
        scan.rejections.append(Rejection(source_path, Reason.EMPTY, "no HTML response records in the WARC archive"))
    return scan


class _Damaged(Exception):
    """The archive cannot be read past this point (truncated, corrupt, not a WARC)."""


def _records(data: bytes) -> Iterator[tuple[int, int, Any]]:
    """(index, byte offset, record) for warcio's records, each drained once the caller is done with it;
    _Damaged where they stop making sense.

    warcio ends the iteration quietly on a record cut inside its headers (it takes the EOFError for the
    end of the file), so after the last record the rest of the input must be blank.
    """
    it = ArchiveIterator(io.BytesIO(data), check_digests=False)
    end = 0
    index = 0
    while True:
        try:
            record = next(it)
        except StopIteration:
            break
        except Exception as exc:  # hostile bytes: warcio raises ArchiveLoadFailed, AttributeError, ValueError...
            raise _Damaged(f"unreadable WARC record after byte {end}: {type(exc).__name__}: {exc}".strip()) from exc
        if record.format == "warc" and not isinstance(record.raw_stream, LimitReader):
            # Content-Length is mandatory; without it the header block was cut short (or never valid).
            raise _Damaged(f"WARC record at byte {end} has no valid Content-Length")
        yield index, end, record
        _drain(record, index, end)
        try:
            it.read_to_end()
        except Exception as exc:
            raise _Damaged(f"unreadable WARC record at byte {end}: {type(exc).__name__}: {exc}".strip()) from exc
        end = it.offset
        index += 1
    if data[end:].strip():
        raise _Damaged(f"{len(data) - end} bytes after the last complete record (at byte {end}) are not a "
                       f"readable WARC record (truncated?)")


def _drain(record: Any, index: int, offset: int) -> None:
    """Read the rest of the record's block; _Damaged when the archive ends before its Content-Length."""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    if isinstance(stream, LimitReader) and stream.limit > 0:
        uri = record.rec_headers.get_header("WARC-Target-URI") or f"record {index}"
        raise _Damaged(f"archive ends inside the {record.rec_type} record for {uri} (at byte {offset}): "
                       f"{stream.limit} bytes of its block missing")


def _scan_records(data: bytes, source_path: str, limits: ParseLimits, scan: WarcScan) -> None:
    cap = limits.max_decompressed_bytes
    keys: set[str] = set()
    for index, offset, record in _records(data):
        uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
        kind = record.rec_type or "unknown"
        if kind != "response" or record.http_headers is None:
            scan.skipped[kind] += 1
            continue
        status = _status(record.http_headers.get_statuscode())
        if not 200 <= status < 300:
            scan.skipped[f"response:{status or 'bad_status'}"] += 1
            continue
        ctype = (record.http_headers.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
        if ctype and ctype not in _HTML_TYPES:
            scan.skipped["response:non_html"] += 1
            continue
        try:
            payload = record.content_stream().read(cap + 1)
        except Exception as exc:  # a broken chunked/gzip/br/deflate body: warcio and the codecs raise many types
            scan.html_responses += 1
            scan.rejections.append(Rejection(source_path, Reason.MALFORMED_RECORD,
                                             f"{uri}: undecodable content encoding: {type(exc).__name__}: {exc}"))
            continue
        _drain(record, index, offset)  # before parsing: a record cut short is never read as a (shorter) page
        if not ctype and not _looks_like_html(payload):
            scan.skipped["response:non_html"] += 1
            continue
        scan.html_responses += 1
        if len(payload) > cap:
            scan.rejections.append(Rejection(source_path, Reason.TOO_LARGE, f"{uri}: payload decompresses to more "
                                                                      f"than {cap} bytes"))
            continue
        if len(payload) > limits.max_html_bytes:
            scan.rejections.append(Rejection(source_path, Reason.TOO_LARGE, f"{uri}: {len(payload)} bytes > "
                                             f"max_html_bytes={limits.max_html_bytes} for one HTML page"))
            continue
        result = parse_html(payload, source_path)
        del payload
        if isinstance(result, Rejection):
            scan.rejections.append(Rejection(source_path, result.reason, f"{uri}: {result.detail}"))
            continue
        _attach(result, uri, index, keys)
        scan.articles.append(result)


def _attach(article: RawArticle, uri: str, index: int, keys: set[str]) -> None:
    key = (uri or f"record:{index}")[:_MAX_KEY]
    if key in keys:  # article ids derive from the key: two captures of one URL must not share one
        key = f"{key}#{index}"
    keys.add(key)
    article.entry_key = key
    if uri:
        article.url = uri
    article.source_domain = domain_of(article.url) if article.url else None


def _status(code: str) -> int:
    try:
        return int(code)
    except (TypeError, ValueError):
        return 0


def _looks_like_html(payload: bytes) -> bool:
    head = payload[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<!doctype html") or any(tag in head for tag in _HTML_SNIFF)


def _gunzip_partial(data: bytes, cap: int, source_path: str) -> tuple[bytes, Rejection | None]:
    """All gzip members decompressed (a .warc.gz holds one per record), at most cap bytes; on a truncated
    or corrupt member, or past the cap, what came before it and the Rejection that stopped it."""
    out = io.BytesIO()
    view = memoryview(data)
    pos = 0
    while pos < len(view) and view[pos:pos + 2] == _GZIP_MAGIC:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        fed = pos
        try:
            while not d.eof:
                if d.unconsumed_tail:
                    chunk: bytes | memoryview = d.unconsumed_tail
                elif fed < len(view):
                    chunk = view[fed:fed + (1 << 16)]
                    fed += len(chunk)
                else:
                    return out.getvalue(), Rejection(source_path, Reason.MALFORMED_WARC,
                                                     f"gzip stream truncated after {out.tell()} decompressed bytes")
                out.write(d.decompress(chunk, cap + 1 - out.tell()))
                if out.tell() > cap:
                    # The record cut at the cap is dropped by the reader (it ends before its Content-Length).
                    return out.getvalue()[:cap], Rejection(source_path, Reason.TOO_LARGE,
                                                           f"decompresses to more than {cap} bytes")
        except zlib.error as exc:
            return out.getvalue(), Rejection(source_path, Reason.MALFORMED_WARC,
                                             f"corrupt gzip member at byte {pos}: {exc}")
        pos = fed - len(d.unused_data)
    if data[pos:].strip(b"\0\r\n \t"):
        return out.getvalue(), Rejection(source_path, Reason.MALFORMED_WARC,
                                         f"{len(data) - pos} bytes of non-gzip data after the last gzip member")
    return out.getvalue(), None
