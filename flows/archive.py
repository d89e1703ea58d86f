"""Keep every fetched HTTP response in a gzipped WARC file (warcio's WARCWriter, one gzip member per record).

The payload stored is the body as the fetcher handed it over, after transfer and content decoding; so the
record's HTTP headers are rewritten to match it: Content-Encoding and Transfer-Encoding are dropped (their
values kept as X-Archive-Orig-* headers) and Content-Length is the stored body's length. Any WARC reader,
`transforms.warc` included, then reads the payload as is.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

# Headers describing an encoding the stored body no longer has, or a length it may no longer have.
_DECODED_AWAY = ("content-encoding", "transfer-encoding")
_RECOMPUTED = ("content-length",)


class WarcArchive:
    """Append-only WARC.gz archive of HTTP responses; safe to share between fetch threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._fh: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._records = 0
        self._closed = False

    @property
    def records(self) -> int:
        """Response records written by this instance (request and warcinfo records not counted)."""
        return self._records

    def write(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes,
              request_headers: list[tuple[str, str]] | None = None, fetched_at: datetime | None = None) -> None:
        """One `response` record for `url`, and a `request` record concurrent to it when request_headers given."""
        warc_date = _warc_date(fetched_at or datetime.now(UTC))
        http_headers = StatusAndHeaders(f"{status} {reason or _phrase(status)}", _consistent(headers, len(body)),
                                        protocol="HTTP/1.1")
        with self._lock:
            writer = self._open()
            response = writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                                 http_headers=http_headers,
                                                 warc_headers_dict={"WARC-Date": warc_date})
            if request_headers is None:
                writer.write_record(response)
            else:
                request = writer.create_warc_record(
                    url, "request", payload=BytesIO(b""), length=0,
                    http_headers=StatusAndHeaders(f"GET {_request_target(url)} HTTP/1.1", list(request_headers),
                                                  is_http_request=True),
                    warc_headers_dict={"WARC-Date": warc_date})
                # Sets WARC-Concurrent-To on the request and writes response, then request.
                writer.write_request_response_pair(request, response)
            assert self._fh is not None
            self._fh.flush()
            self._records += 1

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._fh is not None:
                self._fh.close()
                self._fh = None
                self._writer = None

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _open(self) -> WARCWriter:
        """The writer, opening the file (append mode) on first use. Caller holds the lock."""
        if self._closed:
            raise ValueError(f"WARC archive {self.path} is closed")
        if self._writer is None:
            fh = open(self.path, "ab")  # noqa: SIM115 -- kept open until close()
            writer = WARCWriter(fh, gzip=True)
            if fh.tell() == 0:
                writer.write_record(writer.create_warcinfo_record(
                    self.path.name, {"software": "newsetl", "format": "WARC File Format 1.0"}))
            self._fh, self._writer = fh, writer
        return self._writer


def _consistent(headers: list[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, value in headers:
        low = name.lower()
        if low in _DECODED_AWAY:
            out.append((f"X-Archive-Orig-{name}", value))
        elif low not in _RECOMPUTED:
            out.append((name, value))
    out.append(("Content-Length", str(length)))
    return out


def _warc_date(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(dt))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path
