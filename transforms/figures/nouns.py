"""The unit of a count: the counted noun, singular and lower-case ("13,000 workers" -> "worker").

News annotators (CQE's NewsQuant, GDELT's typed counts) give a count of things its noun as the unit. The noun
is the first plural noun within four words after the number, past modifiers ("41 trapped workers", "350 million
monthly users", "33,000 Boeing machinists"), or the noun of a compound modifier ("a 72-room hotel" -> "room").
A bare number ("killing at least 22"), a rate ("8.5 per 100,000 people") or a part ("60 of his 85 cattle")
keeps none: a preposition, an auxiliary or a pronoun ends the search.
"""

from __future__ import annotations

import re
from functools import lru_cache

import inflect

from transforms.figures.lexicon import COUNT_NOUN_STOPS, COUNT_UNIT_AS_WRITTEN, COUNT_UNIT_NOT_NOUNS, IRREGULAR_PLURALS

_ENGINE = inflect.engine()  # inflect 5.6, not 7: see pyproject.toml
_WORDS_AFTER = re.compile(r"(?: +[\w'\-]+){1,4}")  # up to four words, stopping at punctuation
_COMPOUND = re.compile(r"-([a-z]{3,})(?= +[A-Za-z])")  # "72-room hotel", "five-storey block"
_NOUN = re.compile(r"[a-z][a-z']*[a-z](?:-[a-z]+)*")
_PLURAL_ENDS = ("s", "en", "ae", "i")  # "workers", "children", "women", "antennae", "alumni"
_NOT_PLURAL_ENDS = ("ss", "us", "is", "ics", "'s", "ous")
MAX_MODIFIERS = 3


@lru_cache(maxsize=8192)
def singular(noun: str) -> str | None:
    """The singular of a lower-case plural noun, the noun itself when it is kept as written, else None."""
    if noun in COUNT_UNIT_AS_WRITTEN:
        return noun
    if noun in COUNT_UNIT_NOT_NOUNS or _NOUN.fullmatch(noun) is None or not _looks_plural(noun):
        return None  # "previous", "dialysis": words in -s that are no plurals
    one = _ENGINE.singular_noun(noun)  # type: ignore[arg-type]
    return one if isinstance(one, str) and one and one != noun else None


def _looks_plural(noun: str) -> bool:
    if noun in IRREGULAR_PLURALS:
        return True
    return len(noun) > 3 and noun.endswith(_PLURAL_ENDS) and not noun.endswith(_NOT_PLURAL_ENDS)


def _head(word: str, first: bool, value: float) -> str | None:
    """The unit if `word` can be the counted noun: a plural ("workers", "Americans"), or "1 person"."""
    lw = word.strip("'").lower()
    if not (word[0].islower() or word[1:].islower()):
        return None  # "EU", "UK": an all-caps word is a modifier, never the counted noun
    if value == 1 and first and word[0].islower():
        return lw if _NOUN.fullmatch(lw) and lw not in COUNT_UNIT_NOT_NOUNS else None
    return singular(lw)


def count_unit(text: str, number_end: int, value: float) -> str | None:
    """The counted noun after a number that ends at `number_end`, singular; None when it counts nothing named."""
    compound = _COMPOUND.match(text, number_end)
    if compound:
        word = compound.group(1)
        return None if word in COUNT_UNIT_NOT_NOUNS or word in COUNT_NOUN_STOPS else word
    after = _WORDS_AFTER.match(text, number_end)
    if after is None:
        return None
    words = after.group(0).split()
    for i, word in enumerate(words):
        if word.lower() in COUNT_NOUN_STOPS or i > MAX_MODIFIERS:
            return None
        unit = _head(word, i == 0, value)
        if unit is not None:
            follow = words[i + 1] if i + 1 < len(words) else ""
            nxt = _head(follow, False, value) if follow and follow.lower() not in COUNT_NOUN_STOPS else None
            return nxt or unit  # "23 crew members", "3,000 police officers": the last noun is the head
    return None
