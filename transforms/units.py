"""Unit lexicon and unit matching for figure extraction.

The lexicon lives in `transforms/data/units.json` (surface form -> normalised code and kind) so it can grow
without code changes. `match_unit` looks at the text right after a number; `currency_prefix` right before it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

_DATA = Path(__file__).with_name("data") / "units.json"

# kind -> figure category; kinds not listed are physical quantities.
KIND_CATEGORY = {"currency": "money", "percent": "percent", "duration": "duration", "age": "age", "count": "count"}
# One-letter symbols are ambiguous with words and initials, so they only count when written against the
# number ("5C", "20t", "50p"), never after a space.
_ATTACHED_ONLY = {"C", "F", "K", "l", "L", "g", "p", "W", "°", "B", "b", "V", "MP", "Ah", "Mt"}


class UnitMatch(NamedTuple):
    code: str
    kind: str
    end: int  # offset just after the unit in the text


class _Lexicon(NamedTuple):
    prefix: dict[str, str]
    prefix_re: re.Pattern[str]
    symbols: dict[str, tuple[str, str]]
    symbol_re: re.Pattern[str]
    words: dict[str, tuple[str, str]]
    max_words: int


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    prefix: dict[str, str] = raw["currency_prefix"]
    symbols = {k: (v[0], v[1]) for k, v in raw["symbols"].items()}
    words = {k.lower(): (v[0], v[1]) for k, v in raw["words"].items()}
    # Longest alternatives first so "US$" wins over "$" and "km/h" over "km".
    alts = "|".join(re.escape(p) for p in sorted(prefix, key=len, reverse=True))
    # A prefix must end just before the number (optionally one space: "$ 75.3 million", "Rs 500").
    prefix_re = re.compile(r"(?:(?<![A-Za-z])(?:" + alts + r"))\s?$")
    sym_alts = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    symbol_re = re.compile(r"(\s?)(" + sym_alts + r")(?![A-Za-z0-9²³])")
    max_words = max(len(k.split()) for k in words)
    return _Lexicon(prefix, prefix_re, symbols, symbol_re, words, max_words)


# A country mark written apart from the dollar sign: "HK $ 10.05 billion", "US $5m", "hk $ 2".
_DOLLAR_COUNTRY = re.compile(r"(?<![A-Za-z])(?:([Hh][Kk]|US|NZ|NT|AU|CA|SG)|(A|C|S|R))\s$")
_COUNTRY_DOLLAR = {"HK": "HKD", "US": "USD", "NZ": "NZD", "NT": "TWD", "AU": "AUD", "CA": "CAD", "SG": "SGD"}
_LETTER_DOLLAR = {"A": "AUD", "C": "CAD", "S": "SGD", "R": "BRL"}


_LETTER_CURRENCY = {"R": "ZAR", "N": "NGN"}
_LETTER_AMOUNT = re.compile(
    r"\d{1,3}(?:,\d{3})+(?!\d)|\d+\.\d\d(?!\d)|\d+(?:\.\d+)?\s?(?:bn|billion|million|m|trillion|tn)\b"
)


def currency_prefix(text: str, start: int) -> tuple[str, int] | None:
    """ISO code and start offset of a currency symbol or code written right before offset `start`."""
    lex = lexicon()
    window = text[max(0, start - 6) : start]
    m = lex.prefix_re.search(window)
    if not m:
        # Rand and naira: "R5,000", "R23.41", "N1.2 trillion". A bare "R5" or "N95" is a name, road or mask.
        if (
            start >= 1
            and text[start - 1] in _LETTER_CURRENCY
            and (start < 2 or not text[start - 2].isalnum())
            and _LETTER_AMOUNT.match(text, start)
        ):
            return _LETTER_CURRENCY[text[start - 1]], start - 1
        return None
    sym = m.group(0).rstrip()
    sym_start = start - len(window) + m.start()
    if sym == "$":
        cm = _DOLLAR_COUNTRY.search(text, max(0, sym_start - 4), sym_start)
        # A lone capital before a spaced "$" is a country mark only when it is not a word ("A $5 bill").
        if cm and cm.group(1):
            return _COUNTRY_DOLLAR[cm.group(1).upper()], cm.start()
        if cm and cm.group(2) and cm.group(2) != "A":
            return _LETTER_DOLLAR[cm.group(2)], cm.start()
    return lex.prefix[sym], sym_start


_WORD = re.compile(r"[A-Za-z][A-Za-z.'-]*[A-Za-z.]|[A-Za-z]")


def match_unit(text: str, pos: int) -> UnitMatch | None:
    """The unit written at `pos` (right after a number or scale word), longest match first."""
    lex = lexicon()
    m = lex.symbol_re.match(text, pos)
    if m is None and text[pos : pos + 1] == "-":
        # "a 4,400-kg satellite", "the 48-km route": a symbol in a hyphenated compound (not "10-K", "3-D").
        hm = lex.symbol_re.match(text, pos + 1)
        if hm and not hm.group(1) and hm.group(2) not in _ATTACHED_ONLY and hm.group(2)[0].isalpha():
            m = hm
    if m and not (m.group(1) and m.group(2) in _ATTACHED_ONLY):
        code, kind = lex.symbols[m.group(2)]
        sym_match: UnitMatch | None = UnitMatch(code, kind, m.end())
    else:
        sym_match = None
    # Word units: up to max_words words separated by single spaces (or one hyphen: "16-meter").
    i = pos
    if i < len(text) and text[i] in " -\u00a0":
        i += 1
    words: list[tuple[str, int]] = []
    j = i
    for _ in range(lex.max_words):
        wm = _WORD.match(text, j)
        if not wm:
            break
        words.append((wm.group(0).lower().rstrip("."), wm.end() - (1 if wm.group(0).endswith(".") else 0)))
        j = wm.end()
        if j < len(text) and text[j] == " ":
            j += 1
        else:
            break
    # "12-cent-a-share", "16-bit chip": a hyphenated compound starting with a unit word.
    if words and "-" in words[0][0] and words[0][0] not in lex.words:
        head = words[0][0].split("-")[0]
        words = [(head, i + len(head))]
    best: UnitMatch | None = None
    for k in range(len(words), 0, -1):
        key = " ".join(w for w, _ in words[:k])
        hit = lex.words.get(key)
        if hit:
            best = UnitMatch(hit[0], hit[1], words[k - 1][1])
            break
    if sym_match and (best is None or sym_match.end >= best.end):
        return sym_match
    return best
