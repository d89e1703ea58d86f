"""The figure stages one by one, the rules' Reject reasons, the one category vocabulary and the rule docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from expectations.ranges import FIGURE_CATEGORIES, FIGURE_RANGES
from expectations.suites import figures_suite
from transforms.figures import CATEGORIES, RULE_NAMES, explain_figures, extract_figures
from transforms.figures import stages as st
from transforms.figures.candidate import Candidate, Reject
from transforms.figures.context import SentenceIndex
from transforms.figures.lexicon import EVENT_WORDS, MEASURE_CATEGORIES
from transforms.figures.patterns import CANDIDATE
from transforms.units import KIND_CATEGORY

ROOT = Path(__file__).resolve().parents[2]


def _candidate(text: str, at: str) -> Candidate:
    """The candidate for the number starting at the first occurrence of `at`, after the number stage."""
    m = CANDIDATE.search(text, text.index(at))
    assert m is not None
    c = st.number(text, m, SentenceIndex(text))
    assert isinstance(c, Candidate), c
    return c


def _run(text: str, at: str, upto: st.Stage) -> Candidate:
    """The candidate after every stage up to and including `upto`."""
    c = _candidate(text, at)
    for stage in st.STAGES:
        r = stage(text, c)
        assert isinstance(r, Candidate), r
        if stage is upto:
            return r
    raise AssertionError("stage not in STAGES")


# --- single stages --------------------------------------------------------------------------------------


def test_number_stage_parses_spelled_and_digits() -> None:
    assert _candidate("about two and a half years", "two").num.value == 2.5
    assert _candidate("some 1,234.5 tonnes", "1,234").num.value == 1234.5


def test_sign_stage() -> None:
    c = _run("It fell to -5 overnight", "5", st.sign)
    assert c.num.value == -5 and c.span_start == "It fell to -5 overnight".index("-")
    c = _run("plus or minus 2.5 points", "2.5", st.sign)
    assert c.num.value == 2.5  # a margin, not a negative number


def test_currency_and_scale_stages() -> None:
    c = _run("It raised $2bn last year", "2", st.currency)
    assert c.currency_code == "USD" and c.value == 0.0  # the scale comes in its own stage
    r = st.scale("It raised $2bn last year", c)
    assert isinstance(r, Candidate) and r.value == 2e9 and r.num.scaled


def test_range_stage_joins_both_ends_and_keeps_change_apart() -> None:
    c = _run("between 20 and 30 miles", "20", st.range_)
    assert (c.value, c.range_end, c.unit and c.unit.code) == (20, 30, "mile")
    c = _run("shares rose from 150 to 230", "150", st.range_)
    assert c.range_end is None  # a start and an end, not a range


def test_unit_stage_feet_and_inches() -> None:
    c = _run("He is 6ft 2in tall", "6", st.unit)
    assert c.unit is not None and c.unit.code == "ft" and c.value == pytest.approx(6 + 2 / 12)


def test_qualifier_stage() -> None:
    assert _run("more than 40 people", "40", st.qualifier).qualifier == ">"
    assert _run("50 or more people", "50", st.qualifier).qualifier == ">="
    assert _run("£6.7bn over four years", "four", st.qualifier).qualifier == "="  # a span, not a bound


def test_category_object_and_direction_stages() -> None:
    text = "Police said 12 protesters were arrested after prices rose 3% on Monday."
    assert _run(text, "12", st.object_).category == "arrested"
    assert _run(text, "12", st.object_).obj_text == "protesters"
    assert _run(text, "3", st.category).category == "percent"
    assert _run(text, "3", st.direction).direction == "up"


# --- rules and their reasons ----------------------------------------------------------------------------


RULE_CASES = [
    ("at four o'clock sharp", "four", "spelled_clock_time"),
    ("the COVID-19 crisis", "19", "identifier"),
    ("back in '94 they", "94", "short_year"),
    ("at 10:30 today", "30", "after_colon_or_point"),
    ("browser.[43] said", "43", "footnote"),
    ("at 10am today", "10", "clock_time"),
    ("from 1130 to 1215 GMT", "1130", "clock_time_range"),
    ("Steps:\n1) mix them", "1", "list_marker"),
    ("finished 5th overall", "5", "ordinal"),
    ("born 12/03/2004 in", "12", "slash_date"),
    ("in 1.2.3 it", "1.2", "dotted_digits"),
    ("call 0161 496 0000 now", "0161", "phone_number"),
    ("agent 007 returns", "007", "leading_zero"),
    ("they won 3-1 at home", "3", "score"),
    ("several hundred people", "hundred", "vague_scale"),
    ("a 4K display", "4", "resolution"),
    ("the new 5G network", "5", "letter_suffix"),
    ("It happened in 2004.", "2004", "year"),
    ("the 2004-05 season", "2004", "year"),
    ("on May 4 they", "4", "date"),
    ("at 10 Downing Street", "10", "street_number"),
    ("the top 10 songs", "10", "rank"),
    ("met at 1330 there", "1330", "clock_at"),
    ("the lead on 59 minutes", "59", "match_minute"),
    ("8.5 cases per 100,000 people", "100,000", "rate_base"),
    ("rapper 50 Cent said", "50", "currency_name"),
    ("see page 5 of it", "5", "list_number"),
    ("runs Windows 10 now", "10", "name_before"),
    ("the Six Nations final", "Six", "spelled_name"),
    ("episode part two was", "two", "spelled_list"),
    ("a multi-million pound deal", "million", "multi_size"),
    ("one of the best", "one", "bare_one"),
]


@pytest.mark.parametrize(("text", "number", "rule"), RULE_CASES)
def test_each_rule_names_itself(text: str, number: str, rule: str) -> None:
    decisions = [d for d in explain_figures(text) if d.start == text.index(number)]
    assert [(d.kept, d.rule) for d in decisions] == [(False, rule)]


def test_every_rule_has_a_case() -> None:
    cases = {rule for _, _, rule in RULE_CASES}
    assert cases == set(RULE_NAMES)


def test_reject_carries_rule_and_resume_offset() -> None:
    text = "the COVID-19 crisis"
    m = CANDIDATE.search(text)
    assert m is not None
    r = st.number(text, m, SentenceIndex(text))
    assert r == Reject("identifier", text.index("19") + 2)


def test_explain_keeps_and_drops_in_text_order() -> None:
    text = "In 2004, more than 40 people were killed on page 5."
    got = [(d.surface, d.kept, d.rule) for d in explain_figures(text)]
    assert got == [("2004", False, "year"), ("40", True, "kept"), ("5", False, "list_number")]
    kept = [d.figure for d in explain_figures(text) if d.kept]
    assert kept == extract_figures(text)
    # a kept number names the stages that shaped it: "more than" (qualifier), "people ... killed" (object, which
    # sets the event category); "40" has no currency or unit stage to name
    stages = {d.surface: d.stages for d in explain_figures(text)}
    assert {"qualifier", "object"} <= set(stages["40"]) and not {"currency", "unit"} & set(stages["40"])
    assert stages["2004"] == () and set(stages["40"]) <= {s.__name__.rstrip("_") for s in st.STAGES}


# --- one category vocabulary ----------------------------------------------------------------------------


def test_category_vocabulary_covers_extractor_ranges_and_units() -> None:
    assert FIGURE_CATEGORIES == CATEGORIES
    assert set(FIGURE_RANGES) <= set(CATEGORIES)
    assert set(KIND_CATEGORY.values()) <= set(MEASURE_CATEGORIES)
    assert len(set(CATEGORIES)) == len(CATEGORIES)


def test_extractor_writes_only_vocabulary_categories() -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts.append((ROOT / "tests" / "data" / "news_figures.jsonl").read_text(encoding="utf-8"))
    seen = {f.category for t in texts for f in extract_figures(t)}
    assert seen <= set(CATEGORIES), seen - set(CATEGORIES)
    assert {"count", "money", "percent", "killed"} <= seen


def test_event_counts_view_lists_the_event_categories() -> None:
    sql = (ROOT / "warehouse" / "views" / "030_figures.sql").read_text(encoding="utf-8")
    view = sql[sql.index("analytics.event_counts") :]
    listed = re.findall(r"'([a-z_]+)'", view[view.index(" IN (") : view.index(")", view.index(" IN ("))])
    assert listed == list(EVENT_WORDS)


def test_category_allowed_expectation_uses_the_vocabulary() -> None:
    check = next(c for c in figures_suite().checks if c.name == "figures.category_allowed")
    assert check.expectation == "ExpectColumnValuesToBeInSet"
    assert check.kwargs["value_set"] == list(CATEGORIES)


# --- docs -----------------------------------------------------------------------------------------------


def _documented_rules() -> list[str]:
    doc = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Rules that drop a number") :]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"(?m)^- `([a-z_]+)`:", section)


def test_docs_list_every_rule_and_only_rules() -> None:
    documented = _documented_rules()
    assert len(documented) == len(set(documented))
    assert set(documented) == {*RULE_NAMES, "not_a_number"}


def test_docs_list_every_stage() -> None:
    doc = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Stages") : doc.index("## Rules that drop a number")]
    listed = re.findall(r"(?m)^\| `([a-z_]+)` \|", section)
    assert listed == ["number", *(s.__name__ for s in st.STAGES)]
