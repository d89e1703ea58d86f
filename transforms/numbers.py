"""Number parsing for figure extraction: digit strings, scale words and spelled-out English numbers.

Pure functions over strings; `transforms.figures` finds the candidates and calls these to get values.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_DATA = json.loads((Path(__file__).resolve().parent / "data" / "figures" / "numbers.json").read_text(encoding="utf-8"))

ONES: dict[str, int] = {k: int(v) for k, v in _DATA["ones"]["map"].items()}
TENS: dict[str, int] = {k: int(v) for k, v in _DATA["tens"]["map"].items()}
SCALES: dict[str, float] = {k: float(v) for k, v in _DATA["scales"]["map"].items()}
DENOMINATORS: dict[str, int] = {k: int(v) for k, v in _DATA["denominators"]["map"].items()}
SCALE_ABBR: dict[str, float] = {k: float(v) for k, v in _DATA["scale_abbreviations"]["map"].items()}
# Unicode vulgar fractions: "2½ miles", "¾ of voters".
VULGAR: dict[str, float] = {k: n / d for k, (n, d) in _DATA["vulgar_fractions"]["map"].items()}
# Words that may occur inside one spelled number ("a hundred and two", "five and a half million").
NUMBER_WORDS = set(ONES) | set(TENS) | set(SCALES) | {"hundred", "dozen"}

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


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
