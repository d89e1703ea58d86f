"""Number parsing for figure extraction: digit strings, scale words and spelled-out English numbers.

Pure functions over strings; `transforms.figures` finds the candidates and calls these to get values.
"""

from __future__ import annotations

import re

ONES: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: dict[str, float] = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Denominators of spelled fractions ("a third", "two-thirds"). Ordinal words double as denominators, so the
# extractor accepts them only after a numerator word.
DENOMINATORS: dict[str, int] = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}
# Abbreviated scales written after digits: "$2bn", "£3.5m", "10M", "5k". Lower-case "m"/"b" mean million and
# billion only after a currency (otherwise "100m" is metres); the extractor decides that.
SCALE_ABBR: dict[str, float] = {
    "k": 1e3,
    "K": 1e3,
    "m": 1e6,
    "M": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "MM": 1e6,
    "b": 1e9,
    "B": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "T": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "tr": 1e12,
}
# Words that may occur inside one spelled number ("a hundred and two", "five and a half million").
NUMBER_WORDS = set(ONES) | set(TENS) | set(SCALES) | {"hundred", "dozen"}

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


def parse_digits(s: str) -> float:
    """'1,380' -> 1380.0, '3.5' -> 3.5, '.08' -> 0.08."""
    return float(s.replace(",", ""))


def words_value(words: list[str]) -> float | None:
    """Value of a sequence of lower-case number words, or None if it is not one well-formed number.

    Handles "three million", "a hundred and two", "two dozen", "twenty-one", "five and a half million",
    "two-thirds" (pass the hyphen-split parts). "a"/"an" count as one before a scale or fraction.
    """
    total = 0.0
    current = 0.0
    seen = False
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if w in ("a", "an"):
            current += 1
            seen = True
        elif w in ONES:
            current += ONES[w]
            seen = True
        elif w in TENS:
            current += TENS[w]
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
            seen = True
        elif w in DENOMINATORS:
            # "two thirds": the numerator counted so far is divided; "and a half": the "a" already added 1.
            num = current or 1
            if i >= 2 and words[i - 2] == "and" and words[i - 1] in ("a", "one"):
                current = current - 1 + 1 / DENOMINATORS[w]
            else:
                current = num / DENOMINATORS[w]
            seen = True
        elif w == "and":
            pass
        else:
            return None
        i += 1
    if not seen:
        return None
    return total + current


def format_value(v: float) -> str:
    """Compact display of a value (tests and reports)."""
    return str(int(v)) if v == int(v) else repr(v)
