"""The .txt reader: title line, paragraphs, source line; a one-line file is a body with a stand-in title."""

from __future__ import annotations

from transforms.articles import build_article
from transforms.plaintext import parse_plaintext


def test_title_then_paragraphs() -> None:
    raw = parse_plaintext("Storm hits coast\n\nAt least 12 people died.\n\nOriginal Source: example.com\n", "a.txt")
    assert raw is not None
    assert (raw.title, raw.body, raw.source_domain) == ("Storm hits coast", "At least 12 people died.", "example.com")
    assert build_article(raw).text == "Storm hits coast\n\nAt least 12 people died."


def test_one_line_file_is_its_own_body() -> None:
    raw = parse_plaintext("Police arrested 23 protesters outside parliament on Monday.\n", "s.txt")
    assert raw is not None and "title_from_body" in raw.flags
    assert raw.body == "Police arrested 23 protesters outside parliament on Monday."
    assert build_article(raw).text == raw.body  # indexed once, not title + body


def test_blank_file_is_not_an_article() -> None:
    assert parse_plaintext("\n \n", "e.txt") is None
