"""The figure rules' word lists, qualifier phrases, categories and calibrated constants, loaded once from
`transforms/data/figures/*.json` (each group there says why it exists) and `transforms/data/months.json`."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """One data file of transforms/data/figures (or transforms/data for a shared one) as parsed JSON."""
    path = DATA / "figures" / name if (DATA / "figures" / name).exists() else DATA / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def words(group: str) -> frozenset[str]:
    """A word group of words.json."""
    return frozenset(load("words.json")[group]["words"])


def alternation(group: str, key: str = "alternatives") -> str:
    """A regex alternation built from a group of patterns.json, in the file's order."""
    return "|".join(load("patterns.json")[group][key])


def _qualifiers(group: str) -> dict[str, str]:
    return dict(load("qualifiers.json")[group]["map"])


_MONTH_DATA = load("months.json")
MONTHS = frozenset(_MONTH_DATA["months"]) | frozenset(_MONTH_DATA["abbreviations"])
FULL_MONTHS: tuple[str, ...] = tuple(_MONTH_DATA["months"])

QUALIFIERS_BEFORE = _qualifiers("before")
QUALIFIERS_AFTER_PHRASES = _qualifiers("after")  # "50 or more"
QUALIFIERS_AFTER_CLAUSE = _qualifiers("after_clause_end")  # "... 15 years at least"
QUALIFIERS_AFTER = {**QUALIFIERS_AFTER_PHRASES, **QUALIFIERS_AFTER_CLAUSE}
SYMBOLS = _qualifiers("symbols")
A_UNIT = load("qualifiers.json")["a_unit"]

_CATEGORIES = load("categories.json")
EVENT_WORDS: dict[str, tuple[str, ...]] = {c: tuple(g["words"]) for c, g in _CATEGORIES["events"].items()}
# Event categories keyed by the words found around the number (GDELT-style counts).
CATEGORY_WORDS: dict[str, str] = {w: cat for cat, ws in EVENT_WORDS.items() for w in ws}
# Events whose parts ("including 17 foreigners") are the same event.
PART_SHARING_EVENTS = frozenset(c for c, g in _CATEGORIES["events"].items() if g["shares_parts"])
MEASURE_CATEGORIES: tuple[str, ...] = tuple(_CATEGORIES["measures"]["categories"])
# Every value figures.category may take: what the extractor writes, the SQL view and the expectations read.
CATEGORIES: tuple[str, ...] = MEASURE_CATEGORIES + tuple(EVENT_WORDS)
OBJECT_NOUNS = frozenset(_CATEGORIES["object_nouns"]["words"])

UP_WORDS = words("up_words")
DOWN_WORDS = words("down_words")
LIST_WORDS = words("list_words")
CAP_OK = words("cap_ok")
DETERMINERS = words("determiners")
SENT_ABBREV = words("sentence_abbreviations")
OBJECT_STOP = words("object_stop") | (frozenset(CATEGORY_WORDS) - OBJECT_NOUNS) | UP_WORDS | DOWN_WORDS

_CONSTANTS = load("constants.json")
RACE_DISTANCES = frozenset(float(v) for v in _CONSTANTS["race_distances"]["values"])
RATIO_BASES = frozenset(float(v) for v in _CONSTANTS["ratio_bases"]["values"])
DENOMINATOR_DIGITS = frozenset(int(v) for v in _CONSTANTS["denominator_digits"]["values"])
MAX_SCI_EXPONENT = int(_CONSTANTS["max_sci_exponent"]["value"])
QUAL_MAX_WORDS = max(len(k.split()) for k in QUALIFIERS_BEFORE)
SPELLED_LIST_WORDS = words("spelled_list_words")
DIRECTION_SKIP = words("direction_skip")
CHANGE_VERBS_EXTRA = words("change_verbs_extra")
OBJECT_END_WORDS = words("object_end")
PLURAL_MODIFIERS = words("plural_modifiers")
IRREGULAR_PLURALS = words("irregular_plurals")
WHEN_WORDS = words("when_words")
AGE_GROUPS = words("age_groups")
FRACTION_HEDGES = words("fraction_hedges")
HALF_OF_PERIOD = words("half_of_period")
DISTANCE_EVENTS = words("distance_events")
SCORE_WORDS_AFTER = words("score_words_after")
SCORE_WORDS_BEFORE = words("score_words_before")
AGE_SUBJECTS = words("age_subjects")
AGE_VERBS = words("age_verbs")
RISE_INTRANSITIVE = words("rise_intransitive")
SUM_VERBS = words("sum_verbs")
NOT_A_CEILING_BEFORE = SUM_VERBS | RISE_INTRANSITIVE
RAISE_VERBS = words("raise_verbs")
PERIODS = words("periods")
OVER_BOUND_BEFORE = words("over_bound_before")
OVER_TOPIC_WORDS = words("over_topic_words")
DEAD_BODY_WORDS = words("dead_body_words")
LIVES_BEFORE = words("lives_before")
BARE_SCALES = words("bare_scales")
VAGUE_BEFORE = words("vague_before")
TEST_RESULT_WORDS = words("test_result_words")
START_OK = words("start_ok")
TEMPERATURE_CODES = words("temperature_codes")
WEIGHT_VERBS: tuple[str, ...] = tuple(load("words.json")["weight_verbs"]["words"])
COUNT_UNIT_AS_WRITTEN = words("count_unit_as_written")
COUNT_UNIT_NOT_NOUNS = words("count_unit_not_nouns")
COUNT_NOUN_STOPS = words("count_noun_stops")
