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
    "tln": 1e12,
    "tr": 1e12,
}
# Words that may occur inside one spelled number ("a hundred and two", "five and a half million").
NUMBER_WORDS = set(ONES) | set(TENS) | set(SCALES) | {"hundred", "dozen"}

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


# Unicode vulgar fractions: "2½ miles", "¾ of voters".
VULGAR: dict[str, float] = {
    "½": 1 / 2,
    "⅓": 1 / 3,
    "⅔": 2 / 3,
    "¼": 1 / 4,
    "¾": 3 / 4,
    "⅕": 1 / 5,
    "⅖": 2 / 5,
    "⅗": 3 / 5,
    "⅘": 4 / 5,
    "⅙": 1 / 6,
    "⅚": 5 / 6,
    "⅛": 1 / 8,
    "⅜": 3 / 8,
    "⅝": 5 / 8,
    "⅞": 7 / 8,
}
_GROUP_SPACES = str.maketrans("", "", ", \u00a0\u202f\u2009")


def parse_digits(s: str) -> float:
    """'1,380' -> 1380.0, '3.5' -> 3.5, '.08' -> 0.08, '40\u202f000' (thin-space groups) -> 40000.0."""
    return float(s.translate(_GROUP_SPACES))


def words_value(words: list[str]) -> float | None:
    """Value of a sequence of lower-case number words, or None if it is not one well-formed number.

    Handles "three million", "a hundred and two", "two dozen", "twenty-one", "five and a half million",
    "two-thirds" (pass the hyphen-split parts). "a"/"an" count as one before a scale or fraction.
    """
    total = 0.0
    current = 0.0
    seen = False
    mark: float | None = None  # the running value when an "and" was read: "two and a half", "a million and a half"
    last_scale = 0.0
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
            last_scale = SCALES[w]
            mark = None
            seen = True
        elif w in DENOMINATORS:
            # "two thirds": the numerator counted so far is divided. After "and" only the words since it are
            # the numerator: "two and a half" = 2 + 1/2, "a hundred and three quarters" = 100 + 3/4, and right
            # after a scale the fraction is of that scale: "a million and a half" = 1.5 million.
            numerator = current - mark if mark is not None else 0.0
            if mark is not None and numerator < DENOMINATORS[w]:
                # A proper fraction after "and" completes a mixed number; "a hundred and thirty fifths" is
                # 130/5 (below). Before a later scale it counts in that scale: "a billion and a half million".
                frac = numerator / DENOMINATORS[w]
                if mark == 0 and last_scale and not any(x in SCALES for x in words[i + 1 :]):
                    total += frac * last_scale
                    current = 0
                else:
                    current = mark + frac
                mark = None
            else:
                current = (current or 1) / DENOMINATORS[w]
            seen = True
        elif w == "and":
            mark = current
        else:
            return None
        i += 1
    if not seen:
        return None
    return total + current


def format_value(v: float) -> str:
    """Compact display of a value (tests and reports)."""
    return str(int(v)) if v == int(v) else repr(v)
