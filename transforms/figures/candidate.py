"""The record a number carries through the stages, and the verdict of a rule that drops it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.figures.context import Num, SentenceIndex
from transforms.units import UnitMatch


@dataclass(slots=True, frozen=True)
class Reject:
    """A number that is not a figure: the rule that said so, and the offset where the scan resumes."""

    rule: str
    resume: int


@dataclass(slots=True)
class Candidate:
    """One number on its way to a figure. Each stage reads what the stages before it set and fills its own part."""

    m: re.Match[str]  # the CANDIDATE match
    sents: SentenceIndex
    num: Num  # the parsed number (value and span of its digits or words)
    # number, sign, currency, scale
    span_start: int = 0  # start of the figure's text so far (sign, currency prefix)
    currency_code: str | None = None
    negative_paren: bool = False  # "revenue is ($99.99)"
    odd: bool = False  # "40-odd calls"
    value: float = 0.0
    end: int = 0
    # range and unit
    range_end: float | None = None
    range_conn: str = ""
    unit: UnitMatch | None = None
    unit_first: UnitMatch | None = None  # the unit right after the first number of a range
    two_sided: bool = False  # "more than 10 and less than 20"
    ratio: bool = False  # "one in five"
    # neighbours and qualifier
    qual: tuple[str, int] | None = None  # qualifier phrase before the figure and where it starts
    prev: tuple[tuple[str, int], ...] = ()  # two words before span_start, nearest first
    prev1: str = ""
    nxt: tuple[tuple[str, int, int], ...] = ()  # two words after end
    nxt1: str = ""
    qualifier: str = "="
    surf_start: int = 0
    unit_end: int = 0
    age_group_end: int | None = None  # "the over-65s"
    # unit code, category, object, direction
    code: str | None = None
    kind: str | None = None
    category: str = "count"
    obj_text: str | None = None
    direction: str | None = None
