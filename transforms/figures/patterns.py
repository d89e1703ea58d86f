"""The figure patterns: the number candidate and the regexes the stages and rules match around it.

Word alternatives come from transforms/data/figures/patterns.json and qualifiers.json (in match order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from transforms.figures.lexicon import (
    A_UNIT,
    MONTHS,
    QUALIFIERS_AFTER_CLAUSE,
    QUALIFIERS_AFTER_PHRASES,
    alternation,
)
from transforms.numbers import DENOMINATORS, ONES, SCALES, TENS, VULGAR


def _longest_first(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first (ties in a fixed order, whatever the set's hash order)."""
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


_WORD_ALT = _longest_first(set(ONES) | set(TENS) | set(SCALES) | {"hundred", "dozen", "half"})

_DENOM_ALT = _longest_first(DENOMINATORS)

_VULGAR_ALT = "".join(VULGAR)

CANDIDATE = re.compile(
    r"(?P<num>(?<![\d.,])(?:\d{1,2}(?:,\d\d)+,\d{3}(?!\d)(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d,])"
    r"(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)|[" + _VULGAR_ALT + r"])"
    r"|(?P<words>\b(?i:(?:"
    + _WORD_ALT
    + r")|an?\s+(?:hundred|thousand|million|billion|trillion|dozen|"
    + _DENOM_ALT
    + r"))\b)"
)

_WORD_TOKEN = re.compile(r"(\s+and\s+(?=an?\s+(?:half|quarter|third)|[a-z])|[ -])?([A-Za-z]+)")

_DIGIT_SCALE = re.compile(
    r"(?:\s|-(?=[a-z]))?(" + alternation("scale_words") + r")\b"
    r"|(?:\s(?=(?:" + alternation("scale_abbreviations_spaced") + r")(?![A-Za-z])))?"  # "$1.2 mln"
    r"(" + alternation("scale_abbreviations") + r")(?![A-Za-z])"
)

# Indian scale words are common in South Asian news: "35 lakh rupees", "Rs 1,200 crore".
_DIGIT_SCALE_WORDS = {
    **SCALES,
    "hundred": 100.0,
    "lakh": 1e5,
    "lakhs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "mil": 1e6,
}

# "Rs 3 lakh crore", "Rs 2,000 thousand crore": a scale word before crore multiplies it (3e12).
_SCALED_UNIT_KINDS = {"mass", "volume", "area", "length", "energy", "power", "data", "rate"}

_CRORE_AFTER = re.compile(r"\s(crores?)\b", re.I)

_SCI = re.compile(
    r"[eE]([-+]?\d{1,3})(?![A-Za-z\d])|\s?[x×*]\s?10\^\(?([-−+]?\d{1,3})\)?(?!\d)"
    r"|\s?[x×*]\s?10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
)

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")

_SPACE_GROUPS = re.compile(r"(?: \d{3})+(?![\d,.\-/:]|\s\d)")

_DIGIT_WORDS = {**{w: v for w, v in ONES.items() if v < 10}, "nought": 0, "oh": 0}

_SPELLED_POINT = re.compile(r" point((?: (?i:" + _longest_first(_DIGIT_WORDS) + r")\b)+)")

# "two and a half", "eight-and-a-half-year" (a unit may follow the hyphen)
_AND_A_FRACTION = re.compile(r"[- ]and[- ]an?[- ](half|quarter|third)(?!\w|-(?![a-z]))", re.I)

_FEET_INCHES = re.compile(
    r"\s?(\d{1,2})\s?(?:inches|inch|in(?!\s+(?:the|a|an|this|that|which|his|her|their|its)\b)|\"|”)(?![A-Za-z])"
)

_FRACTION_UNIT_KINDS = {"percent", "length", "mass", "volume", "area", "speed", "count"}

_FRACTION_OF_A = re.compile(r"(?: of)? (an?) ([A-Za-z]+)")

_FRACTION = re.compile(r"/(\d{1,3})(?![\d/])")

_MIXED_FRACTION = re.compile(r" (\d)/(\d{1,2})(?![\d/])")

_TIME_AFTER = re.compile(r"(?::\d\d|\s?(?:[ap]\.?m\.?|GMT|BST|EST|EDT|PST|CET|UTC|o'clock)(?![A-Za-z]))", re.I)

_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th|s)(?![A-Za-z])|'s")

_PHONE = re.compile(r"\+?\(?\d{2,5}\)?(?:[ -]\d{3,4}){1,3}(?!\d)")

_AGE_AFTER = re.compile(r"[ -](year|month|week|day)s?[ -]olds?\b|[ -](years?|months?) of age\b", re.I)

_SYMBOL_QUAL = re.compile(r"(?<![<>=~≈])(>=|<=|=<|[<>≥≤~≈=])\s?$")

_ORDINAL_WORD = re.compile(
    r"[ -](?:hundredth|thousandth|millionth|billionth|trillionth|first|second|third|fourth|fifth|"
    r"sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[a-z]+teenth|[a-z]+tieth)\b",
    re.I,
)

_DAY_LIST_CONTINUES = re.compile(r"(?:\s*(?:,|and|or|to|through|[-–])\s*(?:[0-2]?\d|3[01])(?![\d.,]\d|%))+")

_LETTER_PREFIX = re.compile(r"[A-Z][A-Za-z]{0,3}\.?\s?(?=\d)")

_LIST_CONTINUES = re.compile(r"(?:\s*(?:,|and|or|to|through|[-–])\s*\d+(?![\d.,]\d))+")

_SUSPENDED_RANGE = re.compile(r"-\s+(?:to|or)\s+(?=\d)")

_RANGE_CONN = re.compile(r"(\s*[-–—]\s*|\s+to\s+|\s+through\s+|\s+and\s+)(?=[$£€¥₹]?\s?[-−]?\.?\d|[A-Za-z])")

# Digits are tokens too so that a scan for words before a number stops at the previous number.
_PREV_TOKENS = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z'’.-]*|[!?;:()\"\n]|\.(?=\s|$)|\d[\d.,]*%?")

_NEXT_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'’-]*)")

_SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n")

_KG_AFTER = re.compile(r"\s*\(\s*[\d.,]+\s?(?:kg|kilos?|kilograms?|tonnes?)\b")

_DOTTED_DIGITS = re.compile(r"[\d.]*")

_CODE_TAIL = re.compile(r"(?:[-/][A-Za-z0-9]+)*")

_DATE_LIST = re.compile(
    r"(?:,\s*|\s*[-–]\s*|\s+(?:or|and|to)\s+)\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(sorted(MONTHS)) + r")\b"
)

_ADDRESS = re.compile(
    r" (?:[A-Z][a-z]+ ){1,3}(?:" + alternation("street_words") + r")\b"
)

_RESOLUTION = re.compile(r"(?:4|5|6|8|10|12|16)K\s+(?:" + alternation("resolution_nouns") + r")\b")

_AT_LEAST_AFTER = re.compile(r"\s+(" + "|".join(QUALIFIERS_AFTER_CLAUSE) + r")(?=\s*(?:[.,;:!?)]|$))", re.I)
# "1,000 or so", "50 or more": a qualifier phrase right after the figure.
_AFTER_QUAL = re.compile(r"[ -](" + "|".join(QUALIFIERS_AFTER_PHRASES) + r")\b")

_AGE_GROUP_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(over|under)-$")  # "the over-65s", "under-5s"

_ODDS_AFTER = re.compile(r"\s+(?:joint[- ])?(?:favourites?|favorites?|shot|outsiders?|on\b|against\b|odds)", re.I)

_OLD_AFTER = re.compile(r"[ -]olds?\b")

_MULTI_BEFORE = re.compile(r"(?i)(?<![A-Za-z])multi-?$")

_AGE_APPOSITION = re.compile(r"(?<![A-Za-z])([A-Za-z][a-z]+), $")

_INNER_CAPITAL = re.compile(r"^[a-z]+[A-Z]")

_AND_BELOW = re.compile(r"\s+and\s+(?:less|smaller|fewer|lower)(?:\s+or\s+equal)?\s+than\s+", re.I)

_RATIO = re.compile(r"(?:\s+|-)(in|out of)(?:\s+|-)(?:every\s+)?(?=\d|[a-z])")  # "six out of every 10 planes"

_WORD_SCALE_AFTER = re.compile(r"\s(thousand|million|billion|trillion)\b", re.I)

_CENTS_AFTER = re.compile(r"(?:\s+and)?\s+(?=\d|[a-z])")

# After the cents a cent word, or the end of the clause: "15 dollars 50." (not "3 dollars and 50 people").
_CENTS_TAIL = re.compile(r"(\s?(?:cents?|pence|p)\b|)(?=\s*(?:[.,;:!?)]|$))")

_M_CODES = alternation("million_codes")

_M_CODE_AFTER = re.compile(r"\s?M(" + _M_CODES + r")\b")

_M_CODE_BEFORE = re.compile(r"(?<![A-Za-z])M(" + _M_CODES + r")\s?$")

# Words before an amount in brackets that make the brackets an accounting loss: "revenue is ($99.99)"; a bracket
# after an amount ("$1bn (£514m)") is a conversion.
_ACCOUNTING_BEFORE = re.compile(r"(?:\b(?:is|was|were|are|be|been|of|totall?ed|reached)|:)\s$", re.I)

# An ISO code written against the number is a currency, not an identifier: "USD115".
_CODE_BEFORE = re.compile(r"(?<![A-Za-z])(?:" + alternation("code_before") + r")$")

_SCORE_PAIR = re.compile(r"[-–](\d{1,3})(?!\d|[.,]\d|[/%]|[-–]?[a-zA-Z])")

_SCORE_NEXT = re.compile(r"\s*(?:\(\d{1,2}[-–]\d{1,2}\)\s*)?\d{1,3}[-–]\d{1,3}(?![\d.,%])")

_SCORE_PREV = re.compile(r"\d{1,3}[-–]\d{1,3}\)?\s*\(?$")

# "per kg", "/hour", "a litre", "-a-year": the denominator of a rate written after a unit or amount.
_RATE = re.compile(r"\s?/\s?|\s+per\s+|\s+an?\s+|-an?-")

_EVERY_PERIOD = re.compile(
    r"\s+(?:every|each)\s+(year|month|week|day|hour)\b|\s+(annually|yearly)\b(?!\s+(?:by|from|to))", re.I
)

_PER_PERSON = re.compile(r"(capita|head|person|household)\b", re.I)

_TIME_ANCHOR = re.compile(r"\s+(?:earlier|ago|before|later|after(?! tax)|on|previously|since|prior)\b", re.I)

_SPEEDS = {"km/hour": "km/h", "mile/hour": "mph", "m/second": "m/s", "km/second": "km/s", "MB/second": "MB/s",
           "GB/second": "GB/s", "KB/second": "KB/s", "TB/second": "TB/s"}

_RATE_KINDS = {"length", "mass", "volume", "area", "duration", "energy", "data"}

_ONE_PERSON = re.compile(
    r" (?:(?:" + alternation("one_person", "modifiers") + r") )?(?:" + alternation("one_person") + r")\b"
)

_AGE_END = re.compile(r"\s*(?:[.,;:!?)\n]|$|when\b|at the\b|and\b|but\b|years?\b)")

_CLAUSE_START = re.compile(r".*[.;:!?\n]\s", re.S)

_WORD_RE = re.compile(r"[A-Za-z]+")

_OR_NEXT = re.compile(r"\s+or\s+")

_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+(?:" + _longest_first(MONTHS) + r")\b")

_HHMM = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")

_TIME_RANGE = re.compile(
    r"\s*(?:[-–]|to|and|until|till)\s*(?:[01]\d|2[0-3])[0-5]\d\s?(?:GMT|BST|UTC|CET|EST|EDT|PST|hrs|hours)\b"
)

_CAMEL = re.compile(r"[a-z][A-Z]")

_ODD = re.compile(r"[ -]odd\b")

_POLL_WORDS = re.compile(
    r"\b(?:" + alternation("poll_words") + r")\b|%",
    re.I,
)

_NOT_POLL_WORDS = re.compile(
    r"\b(?:" + alternation("not_poll_words") + r")\b",
    re.I,
)

_A_UNIT = re.compile(
    r"\b(" + "|".join(A_UNIT["qualifiers"]) + r")\s+(?:a|an|one)\s+(" + "|".join(A_UNIT["units"]) + r")\b",
    re.I,
)

_A_UNIT_CODE = {"fortnight": ("week", 2.0), "per cent": ("percent", 1.0)}

_PART_OF_BEFORE = re.compile(r"(?:including|among them|among whom|of them|of whom)\s+$", re.I)

_CONVERSION_GAP = re.compile(r"\s*[(\[]\s*")

_CONJ_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")
