"""WARC archives: flows.archive.WarcArchive writes them, transforms.warc reads them back (real warcio, real files).

BBC texts are wrapped in simple article pages and archived next to a JSON response and a 404; the reader
and the real `newsetl extract` CLI get exactly the three pages back. A truncated archive keeps what came
before the cut plus one malformed_warc rejection, and eight threads writing at once leave every record readable.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from flows.archive import WarcArchive
from flows.settings import Settings
from flows.steps import StepConfig
from tests.conftest import ROOT, SHARED, cli_env
from transforms.ingest import kind_of, parse_file
from transforms.records import Rejection
from transforms.urls import canonical_url
from transforms.warc import parse_warc, scan_warc

BBC = SHARED / "corpus" / "bbc"
BBC_FILES = ("business/001.txt", "politics/001.txt", "tech/001.txt")
LIMITS = StepConfig.from_settings(Settings()).limits
HTML = [("Content-Type", "text/html; charset=utf-8")]

pytestmark = pytest.mark.skipif(not BBC.is_dir(), reason="shared corpus not present")


def _bbc(rel: str) -> tuple[str, bytes]:
    """(title, page bytes): a BBC text as <article><h1>title</h1><p>...</p></article>."""
    raw = (BBC / rel).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    title, *paras = [line.strip() for line in text.splitlines() if line.strip()]
    t = html.escape(title)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    page = (f"<html><head><title>{t}</title></head><body><article><h1>{t}</h1>{body}</article>"
            f"</body></html>")
    return title, page.encode("utf-8")


def _url(rel: str) -> str:
    return f"https://www.bbc.co.uk/news/{rel.replace('/', '-').removesuffix('.txt')}"


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    """3 HTML responses (one with a request record, one as fetched with gzip/chunked), 1 JSON, 1 404."""
    path = tmp_path / "crawl" / "2024" / "fetch.warc.gz"
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    with WarcArchive(path) as archive:
        for i, rel in enumerate(BBC_FILES):
            _title, page = _bbc(rel)
            headers = HTML + ([("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"),
                               ("Content-Length", "17")] if i == 1 else [])
            archive.write(_url(rel), 200, "OK", headers, page,
                          request_headers=[("Host", "www.bbc.co.uk"), ("User-Agent", "newsetl")] if i == 0 else None,
                          fetched_at=when)
        archive.write("https://api.example.com/data.json", 200, "OK", [("Content-Type", "application/json")],
                      b'{"title": "not an article"}')
        archive.write("https://www.bbc.co.uk/news/missing", 404, "Not Found", HTML, _bbc(BBC_FILES[0])[1])
        assert archive.records == 5
    return path


def test_archive_records_are_consistent(archive_path: Path) -> None:
    records = []
    with open(archive_path, "rb") as fh:
        for rec in ArchiveIterator(fh, check_digests="raise"):
            records.append((rec.rec_type, rec.rec_headers, rec.http_headers, rec.content_stream().read()))
    assert [r[0] for r in records] == ["warcinfo", "response", "request", "response", "response", "response",
                                       "response"]
    response, request = records[1], records[2]
    assert request[1].get_header("WARC-Concurrent-To") == response[1].get_header("WARC-Record-ID")
    assert request[1].get_header("WARC-Target-URI") == _url(BBC_FILES[0])
    assert request[2].protocol == "GET" and request[2].statusline == "/news/business-001 HTTP/1.1"
    assert response[1].get_header("WARC-Date") == "2024-05-01T12:00:00Z"
    decoded = records[3]  # given as gzip + chunked: stored decoded, headers rewritten to match
    http = decoded[2]
    assert http.get_header("Content-Encoding") is None and http.get_header("Transfer-Encoding") is None
    assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert http.get_header("Content-Length") == str(len(decoded[3]))
    assert decoded[3] == _bbc(BBC_FILES[1])[1]
    assert records[-1][2].get_statuscode() == "404"


def test_parse_warc_returns_the_three_pages(archive_path: Path) -> None:
    data = archive_path.read_bytes()
    articles, rejections = parse_warc(data, str(archive_path), LIMITS)
    assert rejections == []
    assert [(a.url, a.entry_key, a.title) for a in articles] == [(_url(rel), _url(rel), _bbc(rel)[0])
                                                                for rel in BBC_FILES]
    assert {a.source_domain for a in articles} == {"bbc.co.uk"}
    assert all(a.source_path == str(archive_path) and len(a.body) > 500 for a in articles)
    scan = scan_warc(data, str(archive_path), LIMITS)
    assert dict(scan.skipped) == {"warcinfo": 1, "request": 1, "response:non_html": 1, "response:404": 1}
    # The same through the dispatcher, and uncompressed as a plain .warc.
    assert kind_of("fetch.warc.gz") == ("warc", True) and kind_of("fetch.WARC") == ("warc", False)
    via_ingest = parse_file(data, str(archive_path), archive_path.name, LIMITS)
    assert [a.entry_key for a in via_ingest.articles] == [a.entry_key for a in articles]
    plain = parse_file(gzip.decompress(data), "x.warc", "x.warc", LIMITS)
    assert [a.title for a in plain.articles] == [a.title for a in articles] and plain.rejections == []


def test_cli_extract_reads_the_archive(archive_path: Path, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "extract", str(archive_path)], cwd=ROOT,
                          env=cli_env(tmp_path / "prefect-home"), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    # The pipeline canonicalises urls (https, no www.); the entry key keeps the archived URI.
    assert [(d["url"], d["title"]) for d in lines] == [(canonical_url(_url(rel)), _bbc(rel)[0]) for rel in BBC_FILES]
    assert {d["source_domain"] for d in lines} == {"bbc.co.uk"}
    assert all(d["source_path"] == str(archive_path) and d["entities"] for d in lines)


def _offsets(data: bytes) -> list[tuple[str, int]]:
    """(record type, offset in the file) of every record."""
    it = ArchiveIterator(io.BytesIO(data))
    out = []
    for rec in it:
        out.append((rec.rec_type, it.get_record_offset()))
    return out


def test_truncated_archive_keeps_what_came_before(archive_path: Path) -> None:
    data = archive_path.read_bytes()
    plain = gzip.decompress(data)
    whole = parse_warc(data, "x", LIMITS)[0]
    # Cut 50 bytes into the third page's record (warcinfo, response, request, response, response), both ways.
    assert [t for t, _ in _offsets(data)][:5] == ["warcinfo", "response", "request", "response", "response"]
    cases = {"gz": data[:_offsets(data)[4][1] + 50], "plain": plain[:_offsets(plain)[4][1] + 50]}
    for name, cut in cases.items():
        articles, rejections = parse_warc(cut, f"cut.{name}", LIMITS)
        assert [r.reason for r in rejections] == ["malformed_warc"], (name, rejections)
        assert [(a.url, a.body) for a in articles] == [(a.url, a.body) for a in whole[:2]], name
    # Cut inside the second page's payload: the first page only, never a shortened second one.
    second = plain.index(b"<p>", plain.index(_url(BBC_FILES[1]).encode()))
    articles, rejections = parse_warc(plain[:second + 200], "mid", LIMITS)
    assert [a.url for a in articles] == [_url(BBC_FILES[0])]
    assert [r.reason for r in rejections] == ["malformed_warc"] and "missing" in rejections[0].detail
    assert parse_warc(b"WARC/1.0\r\nnot a record", "g", LIMITS)[1][0].reason == "malformed_warc"
    assert parse_warc(b"\x1f\x8b\x08garbage", "g", LIMITS)[1][0].reason == "malformed_warc"


def test_no_html_and_too_large(tmp_path: Path) -> None:
    path = tmp_path / "api.warc.gz"
    with WarcArchive(path) as archive:
        archive.write("https://api.example.com/a", 200, "OK", [("Content-Type", "application/json")], b"{}")
        archive.write("https://www.example.com/gone", 410, "Gone", HTML, b"<html><body>gone</body></html>")
    empty = Rejection(str(path), "empty", "no HTML response records in the WARC archive")
    assert parse_warc(path.read_bytes(), str(path), LIMITS) == ([], [empty])
    assert parse_warc(b"", str(path), LIMITS) == ([], [empty])
    big = tmp_path / "big.warc"
    with WarcArchive(big) as archive:  # not gzip-named, still gzip content: sniffed
        archive.write("https://www.example.com/big", 200, "OK", [], _bbc(BBC_FILES[0])[1])  # no content type
    articles, rejections = parse_warc(big.read_bytes(), str(big), replace(LIMITS, max_decompressed_bytes=1 << 20))
    assert len(articles) == 1 and rejections == []
    articles, rejections = parse_warc(gzip.decompress(big.read_bytes()), str(big),
                                      replace(LIMITS, max_decompressed_bytes=1000))
    assert articles == [] and [r.reason for r in rejections] == ["too_large"]
    articles, rejections = parse_warc(big.read_bytes(), str(big), replace(LIMITS, max_decompressed_bytes=1000))
    assert articles == [] and [r.reason for r in rejections] == ["too_large"]


def test_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "threads.warc.gz"
    archive = WarcArchive(path)
    assert not path.exists()  # opened on first write
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def fetcher(t: int) -> None:
        try:
            barrier.wait()
            for i in range(20):
                archive.write(f"https://example.com/{t}/{i}", 200, "OK", [("Content-Type", "text/plain")],
                              f"thread {t} record {i} ".encode() * 50, request_headers=[("X-T", str(t))])
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=fetcher, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    archive.close()
    assert errors == [] and archive.records == 160
    seen = set()
    for rec in ArchiveIterator(io.BytesIO(path.read_bytes()), check_digests="raise"):
        if rec.rec_type == "response":
            uri = rec.rec_headers.get_header("WARC-Target-URI")
            t, i = uri.rsplit("/", 2)[-2:]
            assert rec.content_stream().read() == f"thread {t} record {i} ".encode() * 50
            seen.add(uri)
    assert len(seen) == 160
    with pytest.raises(ValueError):
        archive.write("https://example.com/late", 200, "OK", [], b"x")
