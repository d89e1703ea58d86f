"""Figures: the numbers in a news text with value, unit, counted object, qualifier, direction and category.

Pure Python token patterns (no parser) so extraction costs a few percent of the NER stage. One regex finds
number candidates (digits or spelled-out words); each candidate then goes through small stages
(transforms.figures.stages): currency before it, scale ("3.5 million", "$2bn"), range ("252 to 287 miles"),
unit, qualifier ("over" -> ">"), category, object ("civilians") and direction ("fell 3%" -> "down"). Named
rules (transforms.figures.rules) drop candidates that are not figures (years, dates, times, ordinals, phone
numbers, identifiers like "5G" or "Section 427", page and list numbers); `explain_figures` says which rule
dropped each number. Word lists and constants are data (transforms/data/figures/); the rules are described in
docs/figures.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from transforms.figures.candidate import Reject
from transforms.figures.context import SentenceIndex
from transforms.figures.lexicon import (
    CATEGORIES,
    CATEGORY_WORDS,
    MONTHS,
    QUALIFIERS_AFTER,
    QUALIFIERS_BEFORE,
)
from transforms.figures.patterns import CANDIDATE
from transforms.figures.post import (
    _degree_scale,
    _one_unit_figures,
    _poll_points,
    _share_bounds,
    _share_events,
    _share_units,
)
from transforms.figures.rules import RULE_NAMES
from transforms.figures.stages import build
from transforms.records import Figure

__all__ = [
    "CANDIDATE",
    "CATEGORIES",
    "CATEGORY_WORDS",
    "MONTHS",
    "QUALIFIERS_AFTER",
    "QUALIFIERS_BEFORE",
    "RULE_NAMES",
    "Decision",
    "explain_figures",
    "extract_figures",
]


@dataclass(slots=True)
class Decision:
    """What became of one number candidate: kept as a figure, or dropped by a named rule."""

    start: int
    end: int
    surface: str  # the candidate's own text (the number as matched)
    kept: bool
    rule: str  # "kept" or the name of the rule that dropped it
    figure: Figure | None = None
    stages: tuple[str, ...] = ()  # kept: the stages that shaped the figure (set its currency, unit, category...)


def _scan(text: str, decisions: list[Decision] | None) -> list[Figure]:
    figures: list[Figure] = []
    sents = SentenceIndex(text)
    pos = 0
    n = len(text)
    while pos < n:
        m = CANDIDATE.search(text, pos)
        if m is None:
            break
        trail: list[str] | None = [] if decisions is not None else None
        fig, nxt = build(text, m, sents, trail)
        if isinstance(fig, Reject):
            if decisions is not None:
                decisions.append(Decision(m.start(), m.end(), m.group(0), False, fig.rule))
        else:
            if figures and fig.start < figures[-1].end:
                # The qualifier or object of a neighbour overlaps; keep offsets disjoint.
                fig.start = figures[-1].end
                while fig.start < fig.end and text[fig.start] == " ":
                    fig.start += 1
                fig.surface = text[fig.start : fig.end]
            figures.append(fig)
            if decisions is not None:
                decisions.append(Decision(m.start(), m.end(), m.group(0), True, "kept", fig, tuple(trail or ())))
        pos = max(nxt, m.end())
    _one_unit_figures(text, figures, sents)
    _share_units(text, figures)
    _share_bounds(text, figures)
    _share_events(text, figures)
    _poll_points(figures)
    _degree_scale(figures)
    return figures


def extract_figures(text: str) -> list[Figure]:
    """All figures in `text`, in order; offsets index `text` and surface == text[start:end]."""
    return _scan(text, None)


def explain_figures(text: str) -> list[Decision]:
    """Every number candidate in `text` with the rule that kept or dropped it, in text order.

    A kept decision carries its figure (after the passes over all figures). Numbers that a kept figure absorbs
    (the end of a range, the cents of "15 dollars 50") are no candidates of their own and do not appear.
    """
    decisions: list[Decision] = []
    _scan(text, decisions)
    return decisions
