"""Passes over all the figures of a text once each is built: what one figure tells about its neighbours
("45 and 50 mg", "more than $40m (£22m)", "killing 19, including 17 foreigners") and figures without a number
("more than a month")."""

from __future__ import annotations

import bisect

from transforms.figures.context import SentenceIndex
from transforms.figures.lexicon import PART_SHARING_EVENTS, QUALIFIERS_BEFORE
from transforms.figures.patterns import (
    _A_UNIT,
    _A_UNIT_CODE,
    _CONJ_GAP,
    _CONVERSION_GAP,
    _NOT_POLL_WORDS,
    _PART_OF_BEFORE,
    _POLL_WORDS,
)
from transforms.records import Figure
from transforms.units import KIND_CATEGORY, match_unit


def _degree_scale(figures: list[Figure]) -> None:
    """ "Seville hit 46C, while Lisbon reached 44.9 degrees": bare degrees take the scale used in the sentence."""
    scales = {f.sentence: f.unit for f in figures if f.unit in ("celsius", "fahrenheit")}
    for f in figures:
        if f.unit == "degree" and f.sentence in scales:
            f.unit = scales[f.sentence]

def _poll_points(figures: list[Figure]) -> None:
    """ "up three points" in a poll, "a swing of 1.5 points": points of a percentage are percentage points."""
    for f in figures:
        if (
            f.unit == "point"
            and abs(f.value) < 100
            and _POLL_WORDS.search(f.sentence)
            and not _NOT_POLL_WORDS.search(f.sentence)
        ):
            f.unit, f.category = "percentage point", "percent"

def _one_unit_figures(text: str, figures: list[Figure], sents: SentenceIndex) -> None:
    """ "more than a month", "nearly a decade", "over a year ago": one unit with a bound is a figure."""
    for m in _A_UNIT.finditer(text):
        if any(f.start < m.end() and m.start() < f.end for f in figures):
            continue
        word = m.group(2).lower()
        code, value = _A_UNIT_CODE.get(word, (None, 1.0))
        um = match_unit(text, m.start(2))
        if code is None and (um is None or um.end != m.end()):
            continue
        code = code or (um.code if um else None)
        kind = um.kind if um else "duration"
        qual = QUALIFIERS_BEFORE.get(m.group(1).lower(), "=")
        sent_start, sent_end = sents.bounds(m.start())
        fig = Figure(
            value=value,
            unit=code,
            object=None,
            category=KIND_CATEGORY.get(kind, "quantity"),
            qualifier=qual,
            surface=text[m.start() : m.end()],
            start=m.start(),
            end=m.end(),
            sentence=text[sent_start:sent_end].strip(),
        )
        bisect.insort(figures, fig, key=lambda f: f.start)

def _share_events(text: str, figures: list[Figure]) -> None:
    """ "killing at least 19 people, including 17 foreigners": a part of an event count is the same event."""
    for f, g in zip(figures, figures[1:], strict=False):
        if (
            f.category in PART_SHARING_EVENTS
            and g.category == "count"
            and g.sentence == f.sentence
            and _PART_OF_BEFORE.search(text, max(0, g.start - 16), g.start)
        ):
            g.category = f.category

def _share_bounds(text: str, figures: list[Figure]) -> None:
    """ "more than $40m (£22m)", "above 110F (43.3C)": a conversion in brackets states the same bound."""
    for f, g in zip(figures, figures[1:], strict=False):
        if (
            f.qualifier != "="
            and g.qualifier == "="
            and f.unit is not None
            and g.unit is not None
            and f.category == g.category
            and _CONVERSION_GAP.fullmatch(text, f.end, g.start)
        ):
            g.qualifier = f.qualifier

def _share_units(text: str, figures: list[Figure]) -> None:
    """ "45 and 50 mg", "two or three days", "5, 10 and 20 km": a bare number joined to a measured one shares
    its unit. Right to left so that a list inherits from its last member."""
    for i in range(len(figures) - 2, -1, -1):
        f, g = figures[i], figures[i + 1]
        if (
            f.unit is None
            and g.unit is not None
            and f.category in ("count", "fraction")
            and f.object is None
            and f.range_end is None
            and f.direction == g.direction
            and text[g.start].isalnum()  # "5 and $6": a currency sign belongs to its own number
            and (
                _CONJ_GAP.fullmatch(text, f.end, g.start)
                # "from 10 to 15C" (a start and an end after a change verb)
                or (text[f.end : g.start] == " to " and text[max(0, f.start - 5) : f.start].lower() == "from ")
            )
            # "27 million, or 50%": ", or" after a lone number restates it (an apposition), not a list.
            and not (
                "," in text[f.end : g.start]
                and "or" in text[f.end : g.start]
                and not (i > 0 and _CONJ_GAP.fullmatch(text, figures[i - 1].end, f.start))
            )
        ):
            f.unit = g.unit
            f.category = g.category
    # "aged 19 and 22": ages listed after "aged" are all ages.
    for f, g in zip(figures, figures[1:], strict=False):
        if (
            f.category == "age"
            and g.unit is None
            and g.category == "count"
            and g.object is None
            and g.range_end is None
            and _CONJ_GAP.fullmatch(text, f.end, g.start)
        ):
            g.unit, g.category = f.unit, "age"
