"""JSON Lines reader (transforms/jsonl.py): one article per line; broken lines quarantined, good ones load."""

from __future__ import annotations

import json
from pathlib import Path

from transforms.jsonl import normalise_date, parse_jsonl

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _lines(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records).encode()


def test_sample_records() -> None:
    articles, rejections = parse_jsonl((SEEDS / "sample_records.jsonl").read_bytes(), "sample_records.jsonl")
    assert rejections == []
    port, run = articles
    assert (port.source_id, port.entry_key) == ("ntr-5521", "id:ntr-5521")
    assert port.title == "Port of Rotterdam handles record 14.5 million containers"
    assert port.body.count("\n\n") == 1
    assert port.published_at == "2024-02-15T08:30:00+00:00"
    assert port.authors == ["Eva de Jong"]
    assert port.source_domain == "news.example.org"
    # "text" instead of "body", no title, an RFC 2822 date, authors as one string.
    assert run.body.startswith("Kenyan runner Faith Kipyegon")
    assert run.title.startswith("Kenyan runner Faith Kipyegon set a world record") and "title_from_body" in run.flags
    assert run.published_at == "2024-07-07T20:15:00+00:00"
    assert run.authors == ["Samuel Otieno", "Marie Laurent"]


def test_broken_lines_are_quarantined_and_good_lines_load() -> None:
    data = _lines({"id": 1, "body": "Floods hit Dhaka."}, "{broken", "[1, 2]", {"title": "no body"},
                  "", {"id": 2, "text": "Talks resumed in Geneva."}, '{"body": "x", "n": ' + "[" * 50_000)
    articles, rejections = parse_jsonl(data, "f.jsonl")
    assert [a.source_id for a in articles] == ["1", "2"]
    assert [r.reason for r in rejections] == ["malformed_record"] * 4
    assert [r.detail.split(":")[0] for r in rejections] == ["line 2", "line 3", "line 4", "line 7"]
    assert "no body" in rejections[2].detail


def test_escaped_html_entities_in_json_strings_survive() -> None:
    # ftfy on the raw line would turn &quot; into " and break the JSON; fields are repaired one by one.
    data = _lines('{"title": "He said &quot;no&quot;", '
                  '"body": "Chancellor Olaf Scholz said &quot;no&quot; in Berlin."}')
    [a], rejections = parse_jsonl(data, "f.jsonl")
    assert rejections == []
    assert a.title == 'He said "no"'
    assert a.body == 'Chancellor Olaf Scholz said "no" in Berlin.'


def test_line_separator_inside_a_string_is_not_a_line_break() -> None:
    [a], rejections = parse_jsonl(_lines({"body": "First part\u2028second part in Lima."}), "f.jsonl")
    assert rejections == [] and "Lima" in a.body


def test_hostile_title_is_kept_verbatim() -> None:
    title = "'); DROP TABLE articles;--"
    [a], _ = parse_jsonl(_lines({"title": title, "body": "Bobby Tables visited Boston."}), "f.jsonl")
    assert a.title == title


def test_repeated_ids_get_distinct_keys() -> None:
    articles, _ = parse_jsonl(_lines({"id": "x", "body": "One in Oslo."}, {"id": "x", "body": "Two in Rome."}), "f")
    assert [a.entry_key for a in articles] == ["id:x", "line:2"]
    assert [a.source_id for a in articles] == ["x", "x"]


def test_cp1252_jsonl_without_replacement_characters() -> None:
    data = '{"title": "Zoë’s café", "body": "Zoë Brontë paid €5 for a “latte” in Montréal."}'.encode("cp1252")
    [a], _ = parse_jsonl(data, "f.jsonl")
    assert a.title == "Zoë’s café"
    assert "\ufffd" not in a.body and "€5" in a.body


def test_authors_shapes() -> None:
    recs = [{"body": "b text here.", "authors": a} for a in
            (["A. One", {"name": "B Two"}], "By Carla Diaz, Ana Ruiz", "Doe, Jane", None, 7)]
    got = [a.authors for a in parse_jsonl(_lines(*recs), "f")[0]]
    assert got == [["A. One", "B Two"], ["Carla Diaz", "Ana Ruiz"], ["Doe, Jane"], [], []]


def test_dates() -> None:
    assert normalise_date("2024-02-15T09:30:00+01:00") == "2024-02-15T08:30:00+00:00"
    assert normalise_date("2024-02-15T09:30:00Z") == "2024-02-15T09:30:00+00:00"
    assert normalise_date("2024-02-15") == "2024-02-15T00:00:00+00:00"
    assert normalise_date("Thu, 15 Feb 2024 09:30:00 GMT") == "2024-02-15T09:30:00+00:00"
    assert normalise_date("15 February 2024 09:30") == "2024-02-15T09:30:00+00:00"
    assert normalise_date(1707989400) == "2024-02-15T09:30:00+00:00"
    assert normalise_date(1707989400000) == "2024-02-15T09:30:00+00:00"
    bad: object
    for bad in ("yesterday", "next tuesday", "0019-01-01", "2999-01-01", True, [], "99999999999999999999"):
        assert normalise_date(bad) is None
    [a], _ = parse_jsonl(_lines({"body": "Text in Quito.", "published_at": "soon"}), "f")
    assert a.published_at is None and "invalid_published_at" in a.flags


def test_html_body_is_cleaned() -> None:
    [a], _ = parse_jsonl(_lines({"body": "<p>Rain in Accra.</p><script>x()</script><p>Roads closed.</p>"}), "f")
    assert a.body == "Rain in Accra.\n\nRoads closed."


def test_nothing_usable() -> None:
    assert parse_jsonl(b"\n\n  \n", "f")[1][0].reason == "empty"
    assert parse_jsonl(b"\x00\x01\x02" * 100, "f")[1][0].reason == "binary"


def test_a_title_made_from_the_body_is_not_indexed_twice(tmp_path: Path) -> None:
    """A record with only `text` gets a stand-in title, but `text` (what offsets index) holds each sentence once,
    so a figure or entity in the first sentence is not reported twice."""
    from transforms.articles import build_article
    from transforms.figures import extract_figures

    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"id": "1", "text": "The central bank cut its rate by 25 basis points."}) + "\n")
    articles, _ = parse_jsonl(src.read_bytes(), str(src))
    art = build_article(articles[0])
    assert art.title and "title_from_body" in art.flags
    assert art.text == "The central bank cut its rate by 25 basis points."
    assert [f.value for f in extract_figures(art.text)] == [25]
