"""Every quarantine Reason can be produced: each member comes out of the real reader or step for one input.

Functional (not unit): `worker_crash` needs a worker process that dies.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import replace
from pathlib import Path

import pytest

from flows.settings import Settings
from flows.sources import InputFile, discover, read_bytes
from flows.steps import StepConfig, parse_files, parse_isolated
from tests import hostile
from transforms.ingest import parse_file
from transforms.reasons import Reason
from transforms.records import Rejection

CFG = StepConfig.from_settings(Settings())
LIMITS = CFG.limits
ARTICLE = "Floods in Dhaka\n\n" + hostile.GOOD_BODY
RSS = '<rss version="2.0"><channel><title>t</title>{}</channel></rss>'


def reasons_of(data: bytes, name: str, limits: object = LIMITS) -> list[str]:
    return [r.reason for r in parse_file(data, f"/in/{name}", name, limits).rejections]  # type: ignore[arg-type]


READER_CASES: dict[Reason, tuple[bytes, str]] = {
    Reason.EMPTY: (b"  \n\t\n", "a.txt"),
    Reason.BINARY: (b"\x00\x01\x02\x03binary\x00\xff" * 50, "a.txt"),
    Reason.BAD_GZIP: (b"this is not gzip at all", "a.txt.gz"),
    Reason.UNSUPPORTED_TYPE: (b"%PDF-1.4", "a.pdf"),
    Reason.MALFORMED_FEED: (b"<html><body><p>not a feed</p></body></html>", "a.xml"),
    Reason.UNSAFE_XML: (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
                        b'<rss version="2.0"><channel><item><title>&e;</title></item></channel></rss>', "a.rss"),
    Reason.EMPTY_FEED: (RSS.format("").encode(), "a.rss"),
    Reason.EMPTY_ENTRY: (RSS.format("<item><guid>g1</guid></item>").encode(), "a.rss"),
    Reason.MALFORMED_RECORD: (b"{not json\n", "a.jsonl"),
    Reason.MALFORMED_HTML: (b"<!-- only a comment -->", "a.html"),
    Reason.MALFORMED_WARC: (b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ncut short", "a.warc"),
    Reason.NOT_AN_ARTICLE: (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "a.html"),
}


@pytest.mark.parametrize("reason", list(READER_CASES))
def test_reader_produces(reason: Reason) -> None:
    data, name = READER_CASES[reason]
    assert reasons_of(data, name) == [reason]


def test_gzip_past_the_cap_is_too_large_and_a_page_past_max_html_bytes_too() -> None:
    small = replace(LIMITS, max_decompressed_bytes=1000, max_html_bytes=1000)
    assert reasons_of(gzip.compress(b"a" * 5000), "a.txt.gz", small) == [Reason.TOO_LARGE]
    assert reasons_of(b"<p>" + b"x" * 2000 + b"</p>", "a.html", small) == [Reason.TOO_LARGE]


def test_discovery_produces_missing_outside_input_and_unsupported(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (tmp_path / "secret.txt").write_text("outside")
    (inputs / "link.txt").symlink_to(tmp_path / "secret.txt")
    (inputs / "notes.docx").write_bytes(b"PK")
    _, refused = discover([inputs, tmp_path / "nope"])
    assert {Path(r.source_path).name: r.reason for r in refused} == {
        "link.txt": Reason.OUTSIDE_INPUT, "notes.docx": Reason.UNSUPPORTED_TYPE, "nope": Reason.MISSING}


def test_reading_produces_unreadable_and_too_large(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    [f], _ = discover([tmp_path])
    too_large = read_bytes(f, max_bytes=10)
    assert isinstance(too_large, Rejection) and too_large.reason == Reason.TOO_LARGE
    os.unlink(f.path)  # vanished between discovery and reading
    gone = read_bytes(f, max_bytes=1 << 20)
    assert isinstance(gone, Rejection) and gone.reason == Reason.UNREADABLE


def test_steps_produce_too_long_timeout_and_parse_error(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text(ARTICLE)
    (tmp_path / "slow.html").write_text("<html><body>" + "<p>Some paragraph text here.</p>" * 200_000 + "</body>")
    files, _ = discover([tmp_path])
    by_name = {Path(f.path).name: f for f in files}
    [long] = parse_files([by_name["long.txt"]], replace(CFG, max_body_chars=50))
    assert [r.reason for r in long.rejections] == [Reason.TOO_LONG]
    [slow] = parse_files([by_name["slow.html"]], replace(CFG, file_timeout_s=0.3))
    assert [r.reason for r in slow.rejections] == [Reason.TIMEOUT]
    # A path open() refuses with ValueError (not OSError): the step's isolation reports it against the file.
    [bug] = parse_files([InputFile(str(tmp_path / "nul\0.txt"), 10, 0)], CFG)
    assert [r.reason for r in bug.rejections] == [Reason.PARSE_ERROR]


def test_a_dead_worker_produces_worker_crash(tmp_path: Path) -> None:
    (tmp_path / "x_CRASH.txt").write_text(ARTICLE)
    files, _ = discover([tmp_path])
    [out] = parse_isolated(files, CFG, {}, fn=hostile.crash_on_marker)  # type: ignore[arg-type]
    assert [r.reason for r in out.rejections] == [Reason.WORKER_CRASH]


def test_every_member_has_a_case_here() -> None:
    covered = set(READER_CASES) | {Reason.TOO_LARGE, Reason.MISSING, Reason.OUTSIDE_INPUT, Reason.UNSUPPORTED_TYPE,
                                   Reason.UNREADABLE, Reason.TOO_LONG, Reason.TIMEOUT, Reason.PARSE_ERROR,
                                   Reason.WORKER_CRASH}
    assert covered == set(Reason)
