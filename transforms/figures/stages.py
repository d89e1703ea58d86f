"""Figures: the numbers in a news text with value, unit, counted object, qualifier, direction and category.

Pure Python token patterns (no parser) so extraction costs a few percent of the NER stage. One regex finds
number candidates (digits or spelled-out words); each candidate is then grown outwards: currency before it,
scale ("3.5 million", "$2bn"), range ("252 to 287 miles"), unit, age ("45-year-old"), object ("civilians"),
qualifier ("over" -> ">") and direction ("fell 3%" -> "down"). Candidates that are not figures (years,
dates, times, ordinals, phone numbers, identifiers like "5G" or "Section 427", page and list numbers) are
dropped. Categories and units are documented in the README (section "Figures").
"""

from __future__ import annotations

import bisect
import re

from transforms.numbers import (
    DENOMINATORS,
    NUMBER_WORDS,
    ONES,
    SCALE_ABBR,
    SCALES,
    TENS,
    VULGAR,
    parse_digits,
    words_value,
)
from transforms.records import Figure
from transforms.units import KIND_CATEGORY, UnitMatch, currency_prefix, match_unit

# ---------------------------------------------------------------------------------------------- lexicons

QUALIFIERS_BEFORE: dict[str, str] = {
    "more than": ">",
    "over": ">",
    "above": ">",
    "in excess of": ">",
    "exceeding": ">",
    "exceed": ">",
    "exceeds": ">",
    "greater than": ">",
    "upwards of": ">",
    "just over": ">",
    "well over": ">",
    "higher than": ">",
    "larger than": ">",
    "bigger than": ">",
    "better than": ">",
    "north of": ">",
    "beyond": ">",
    "exceeded": ">",
    "passed": ">",
    "topped": ">",
    "crossed": ">",
    "tops": ">",
    "topping": ">",
    "broke through": ">",
    "surged past": ">",
    "rose past": ">",
    "climbed past": ">",
    "jumped past": ">",
    "soared past": ">",
    "pushed past": ">",
    "moved past": ">",
    "went past": ">",
    "edged past": ">",
    "shot past": ">",
    "surpass": ">",
    "surpassed": ">",
    "surpassing": ">",
    "a little over": ">",
    "a little more than": ">",
    "slightly more than": ">",
    "slightly over": ">",
    "slightly above": ">",
    "well above": ">",
    "just above": ">",
    "well in excess of": ">",
    "slightly less than": "<",
    "slightly under": "<",
    "slightly below": "<",
    "well below": "<",
    "well under": "<",
    "just below": "<",
    "a little under": "<",
    "a little less than": "<",
    "bigger or equal than": ">=",
    "greater or equal than": ">=",
    "higher or equal than": ">=",
    "larger or equal than": ">=",
    "equal to or more than": ">=",
    "equal to or greater than": ">=",
    "at least or equal to": ">=",
    "smaller or equal than": "<=",
    "less or equal than": "<=",
    "lower or equal than": "<=",
    "equal to or less than": "<=",
    "equal to or fewer than": "<=",
    "less than": "<",
    "fewer than": "<",
    "under": "<",
    "below": "<",
    "up to": "<",
    "just under": "<",
    "lower than": "<",
    "smaller than": "<",
    "shy of": "<",
    "just short of": "<",
    "short of": "<",
    "at least": ">=",
    "no fewer than": ">=",
    "no less than": ">=",
    "a minimum of": ">=",
    "not less than": ">=",
    "more than or equal to": ">=",
    "greater than or equal to": ">=",
    "as many as": "<=",
    "as much as": "<=",
    "at most": "<=",
    "no more than": "<=",
    "a maximum of": "<=",
    "not more than": "<=",
    "less than or equal to": "<=",
    "about": "~",
    "around": "~",
    "approximately": "~",
    "approx": "~",
    "roughly": "~",
    "nearly": "~",
    "almost": "~",
    "some": "~",
    "an estimated": "~",
    "estimated": "~",
    "estimated at": "~",
    "estimated to be": "~",
    "within": "<",
    "close to": "~",
    "something like": "~",
    "a maximum": "<=",
    "maximum": "<=",
    "a minimum": ">=",
    "near": "~",
    "circa": "~",
    "an approximate": "~",
    "just about": "~",
    "more or less": "~",
    "somewhere around": "~",
    "equal to": "=",
    "exactly": "=",
    "precisely": "=",
    "equals": "=",
}
_QUAL_MAX_WORDS = max(len(k.split()) for k in QUALIFIERS_BEFORE)
QUALIFIERS_AFTER: dict[str, str] = {
    "or more": ">=",
    "or over": ">=",
    "or above": ">=",
    "plus": ">=",
    "or less": "<=",
    "or fewer": "<=",
    "or under": "<=",
    "or so": "~",
    "or thereabouts": "~",
    "at least": ">=",
    "at most": "<=",
}

UP_WORDS = {
    "rose",
    "rise",
    "rises",
    "rising",
    "risen",
    "increased",
    "increase",
    "increases",
    "increasing",
    "grew",
    "grow",
    "grows",
    "growing",
    "grown",
    "jumped",
    "jump",
    "jumps",
    "climbed",
    "climb",
    "climbs",
    "gained",
    "gaining",
    "adding",
    "gain",
    "gains",
    "soared",
    "soar",
    "surged",
    "surge",
    "up",
    "higher",
    "boosted",
    "raised",
    "raise",
    "hiked",
    "rebounded",
    "advanced",
    "added",
    "rallied",
    "doubled",
    "expanded",
}
DOWN_WORDS = {
    "fell",
    "fall",
    "falls",
    "falling",
    "fallen",
    "dropped",
    "drop",
    "drops",
    "declined",
    "decline",
    "declines",
    "decreased",
    "decrease",
    "down",
    "lower",
    "slid",
    "slide",
    "slipped",
    "slip",
    "lost",
    "lose",
    "loses",
    "losing",
    "shed",
    "shedding",
    "shrank",
    "shrunk",
    "shrink",
    "plunged",
    "plunge",
    "plummeted",
    "tumbled",
    "slumped",
    "cut",
    "cuts",
    "reduced",
    "eased",
    "dipped",
    "dip",
    "contracted",
    "sank",
    "sunk",
    "retreated",
    "halved",
}
# Event categories in the spirit of GDELT's counts, keyed by the words found around the number.
CATEGORY_WORDS: dict[str, str] = {}
for _cat, _words in {
    "killed": "killed killing kill kills dead died die dies dying death deaths fatalities fatality fatally "
    "bodies corpses massacred slain murdered executed perished drowned lives toll beheaded slaughtered "
    "assassinated",
    "wounded": "wounded wounding injured injuring injuries injury hurt hospitalised hospitalized maimed",
    "arrested": "arrested arrest arrests arresting detained detaining detention detainees jailed imprisoned "
    "custody apprehended",
    "kidnapped": "kidnapped kidnapping kidnappings abducted abducting abduction abductions hostage hostages",
    "displaced": "displaced displacing fled fleeing flee refugees homeless uprooted",
    "evacuated": "evacuated evacuating evacuation evacuate evacuees",
    "affected": "affected",
    "protesters": "protesters protestors demonstrators marchers protested rallied marched protest protests",
}.items():
    for _w in _words.split():
        CATEGORY_WORDS[_w] = _cat
# Page, list and identifier words: "page 5", "Section 427" (lower-cased), "No. 10".
LIST_WORDS = {
    "page",
    "pages",
    "p",
    "pp",
    "no",
    "nos",
    "number",
    "section",
    "article",
    "chapter",
    "paragraph",
    "para",
    "clause",
    "item",
    "room",
    "flight",
    "route",
    "platform",
    "gate",
    "level",
    "version",
    "versions",
    "junction",
    "junctions",
    "exit",
    "exits",
    "terminal",
    "pier",
    "ward",
    "wards",
    "episode",
    "season",
    "series",
    "vol",
    "volume",
    "issue",
    "part",
    "phase",
    "step",
    "figure",
    "fig",
    "table",
    "line",
    "rule",
    "grade",
    "bus",
    "channel",
    "division",
    "category",
    "class",
    "model",
    "type",
    "size",
    "top",
    "track",
    "row",
    "seat",
    "stage",
    "round",
    "game",
    "match",
    "week",
    "day",
    "act",
    "scene",
    "verse",
    "psalm",
    "amendment",
    "resolution",
    "apartment",
    "suite",
    "floor",
    "unit",
    "block",
    "box",
    "no.",
    "tier",
    "band",
    "number-one",
    "pg",
    "highway",
    "interstate",
    "road",
    "street",
    "avenue",
    "lot",
}
_SPELLED_LIST_WORDS = {
    "number",
    "no",
    "part",
    "chapter",
    "series",
    "season",
    "episode",
    "round",
    "stage",
    "phase",
    "vol",
    "volume",
    "act",
    "scene",
    "article",
    "section",
    "page",
    "game",
}
MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
}
# Capitalised words that may precede a number without making it an identifier ("About 40", "The 12").
CAP_OK = {
    "the",
    "a",
    "an",
    "about",
    "around",
    "over",
    "some",
    "nearly",
    "almost",
    "only",
    "just",
    "all",
    "and",
    "but",
    "with",
    "of",
    "in",
    "by",
    "to",
    "at",
    "from",
    "for",
    "on",
    "up",
    "more",
    "fewer",
    "less",
    "under",
    "below",
    "above",
    "roughly",
    "approximately",
    "another",
    "those",
    "these",
    "its",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "every",
    "each",
    "total",
    "including",
    "than",
    "between",
    "least",
    "estimated",
    "exactly",
    "both",
    "while",
    "after",
    "before",
    "since",
    "when",
    "as",
    "or",
    "if",
    "many",
    "there",
    "were",
    "was",
    "are",
    "is",
    "that",
    "which",
    "who",
    "whose",
    "where",
    "i",
    "we",
    "they",
    "he",
    "she",
    "it",
    "you",
    "killing",
    "leaving",
    "injuring",
    "additional",
    "extra",
    "further",
    "once",
    "already",
    "still",
    "also",
    "even",
}
# Words that end the counted noun phrase ("1,380 civilians dead" -> "civilians").
OBJECT_STOP = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "by",
    "with",
    "as",
    "than",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "this",
    "these",
    "those",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "must",
    "can",
    "do",
    "does",
    "did",
    "said",
    "say",
    "says",
    "not",
    "no",
    "it",
    "its",
    "they",
    "their",
    "them",
    "he",
    "she",
    "his",
    "her",
    "we",
    "our",
    "you",
    "i",
    "there",
    "here",
    "when",
    "while",
    "where",
    "after",
    "before",
    "since",
    "during",
    "into",
    "over",
    "under",
    "about",
    "around",
    "per",
    "each",
    "ago",
    "last",
    "next",
    "earlier",
    "later",
    "more",
    "less",
    "fewer",
    "so",
    "if",
    "because",
    "up",
    "down",
    "out",
    "off",
    "only",
    "just",
    "also",
    "now",
    "then",
    "still",
    "yet",
    "all",
    "both",
    "either",
    "between",
    "against",
    "across",
    "through",
    "among",
    "including",
    "such",
    "other",
    "another",
    "old",
    "year-old",
    "times",
    "time",
    "point",
    "points",
    "percent",
    "dollars",
    "away",
    "apiece",
    "respectively",
    "alone",
    "total",
    "overall",
    "instead",
    "dead",
    "injured",
    "wounded",
    "missing",
    "left",
    "million",
    "billion",
    "thousand",
    "hundred",
    "trillion",
}
# Event nouns can be the counted thing ("5,000 protesters", "50 hostages"); verbs and adjectives cannot.
OBJECT_NOUNS = {
    "protesters",
    "protestors",
    "demonstrators",
    "marchers",
    "refugees",
    "hostages",
    "detainees",
    "bodies",
    "corpses",
    "evacuees",
    "fatalities",
    "deaths",
    "injuries",
    "arrests",
    "lives",
}
OBJECT_STOP |= (set(CATEGORY_WORDS) - OBJECT_NOUNS) | UP_WORDS | DOWN_WORDS
DETERMINERS = {
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "this",
    "that",
    "these",
    "those",
}
SENT_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "gen",
    "sen",
    "rep",
    "gov",
    "lt",
    "col",
    "sgt",
    "capt",
    "prof",
    "inc",
    "co",
    "corp",
    "ltd",
    "jr",
    "sr",
    "vs",
    "etc",
    "mt",
    "ft",
    "rev",
    "fig",
    "approx",
    "est",
    "u.s",
    "u.k",
    "a.m",
    "p.m",
    "jan",
    "feb",
    "aug",
    "sept",
    "oct",
    "nov",
    "dec",
}

# ------------------------------------------------------------------------------------------------ regexes

_WORD_ALT = "|".join(sorted(set(ONES) | set(TENS) | set(SCALES) | {"hundred", "dozen", "half"}, key=len, reverse=True))
_DENOM_ALT = "|".join(sorted(DENOMINATORS, key=len, reverse=True))
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
    r"(?:\s|-(?=[a-z]))?(hundred|thousand|million|billion|trillion|lakh|lakhs|crore|crores|mil)\b"
    r"|(?:\s(?=(?:mn|mln|bln|bn|tn|tln|trn|Mln|Bln|Mn|Bn|Tn)(?![A-Za-z])))?"  # "$1.2 mln": spaced only if unambiguous
    r"(mn|mln|MM|bln|bn|tn|tln|trn|Mln|Bln|Mn|Bn|Tn|k|K|m|M|b|B|T)(?![A-Za-z])"
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
_MAX_SCI_EXPONENT = 30
_SCI = re.compile(
    r"[eE]([-+]?\d{1,3})(?![A-Za-z\d])|\s?[x×*]\s?10\^\(?([-−+]?\d{1,3})\)?(?!\d)"
    r"|\s?[x×*]\s?10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SPACE_GROUPS = re.compile(r"(?: \d{3})+(?![\d,.\-/:]|\s\d)")
_DIGIT_WORDS = {**{w: v for w, v in ONES.items() if v < 10}, "nought": 0, "oh": 0}
_SPELLED_POINT = re.compile(r" point((?: (?i:" + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True)) + r")\b)+)")
# "the 60m hurdles", "400m runners", "5,000m titles": race distances in metres, not millions.
_DISTANCE_EVENTS = {"hurdles", "heats", "finals", "races", "relays", "sprints", "runners", "swimmers", "titles"}
_RACE_DISTANCES = {50.0, 60.0, 100.0, 110.0, 200.0, 400.0, 800.0, 1500.0, 3000.0, 5000.0, 10000.0}
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
# Comparison symbols written before the number: ">700", "<= 30", "~20", "≥5".
_SYMBOLS = {
    ">": ">",
    "<": "<",
    ">=": ">=",
    "<=": "<=",
    "=<": "<=",
    "≥": ">=",
    "≤": "<=",
    "~": "~",
    "≈": "~",
    "=": "=",
}
_SYMBOL_QUAL = re.compile(r"(?<![<>=~≈])(>=|<=|=<|[<>≥≤~≈=])\s?$")
_ORDINAL_WORD = re.compile(
    r"[ -](?:hundredth|thousandth|millionth|billionth|trillionth|first|second|third|fourth|fifth|"
    r"sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[a-z]+teenth|[a-z]+tieth)\b",
    re.I,
)
_CHANGE_VERBS_EXTRA = {"raising", "raises", "increasing", "cutting", "reducing", "reduce", "reduces", "lifting",
                       "lifted", "lift", "lifts", "boost", "boosting", "expand", "expanding", "went", "moved",
                       "changed", "revised", "narrowed", "widened", "slashed", "trimmed", "lowered", "hiking"}
_DAY_LIST_CONTINUES = re.compile(r"(?:\s*(?:,|and|or|to|through|[-–])\s*(?:[0-2]?\d|3[01])(?![\d.,]\d|%))+")
_LETTER_PREFIX = re.compile(r"[A-Z][A-Za-z]{0,3}\.?\s?(?=\d)")
_LIST_CONTINUES = re.compile(r"(?:\s*(?:,|and|or|to|through|[-–])\s*\d+(?![\d.,]\d))+")
_SUSPENDED_RANGE = re.compile(r"-\s+(?:to|or)\s+(?=\d)")
_RANGE_CONN = re.compile(r"(\s*[-–—]\s*|\s+to\s+|\s+through\s+|\s+and\s+)(?=[$£€¥₹]?\s?[-−]?\.?\d|[A-Za-z])")
# Digits are tokens too so that a scan for words before a number stops at the previous number.
_PREV_TOKENS = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z'’.-]*|[!?;:()\"\n]|\.(?=\s|$)|\d[\d.,]*%?")
_NEXT_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'’-]*)")
_SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n")


class _Num:
    """One parsed number: value and the span of its digits or words (sign and scale included)."""

    __slots__ = ("value", "start", "end", "spelled", "plain_int", "scaled", "digits")

    def __init__(self, value: float, start: int, end: int, spelled: bool, digits: str = "") -> None:
        self.value = value
        self.start = start
        self.end = end
        self.spelled = spelled
        self.digits = digits
        self.plain_int = not spelled and digits.isdigit()
        self.scaled = False


# ------------------------------------------------------------------------------------------------ helpers


def _prev_words(text: str, pos: int, k: int) -> list[tuple[str, int]]:
    """Up to k words before pos, nearest first, as (word, start); stops at sentence punctuation."""
    chunk_start = max(0, pos - 70)
    toks = _PREV_TOKENS.findall(text, chunk_start, pos)
    out: list[tuple[str, int]] = []
    # Recover offsets by walking the regex again (findall gives none); cheap on 70 characters.
    spans = [(m.group(0), m.start()) for m in _PREV_TOKENS.finditer(text, chunk_start, pos)]
    del toks
    if spans and chunk_start > 0 and spans[0][1] == chunk_start:
        spans = spans[1:]  # likely a cut word
    for tok, st in reversed(spans):
        if not tok[0].isalpha():
            break
        out.append((tok, st))
        if len(out) >= k:
            break
    return out


def _is_sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'“‘(":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;"


def _parse_number(text: str, m: re.Match[str]) -> _Num | None:
    """The number at a CANDIDATE match, with spelled words, fractions and scale absorbed."""
    if m.group("num") is not None:
        s = m.group("num")
        if s in VULGAR:
            am = _FRACTION_OF_A.match(text, m.end())
            end = am.start(2) - 1 if am and match_unit(text, am.start(2) - 1) is not None else m.end()
            return _Num(VULGAR[s], m.start(), end, False, s)  # "¾ of an hour": a fraction of the unit
        num = _Num(parse_digits(s), m.start(), m.end(), False, s)
        if num.end < len(text) and text[num.end] in VULGAR and num.plain_int:
            num.value += VULGAR[text[num.end]]  # "2½"
            num.end += 1
            num.plain_int = False
            return num
        sci = _SCI.match(text, num.end)
        if (
            sci
            and "," not in s
            and ("." in s or not sci.group(1) or len(sci.group(1).lstrip("+-")) > 1 or sci.group(1)[0] in "+-")
        ):
            # "1.5e6", "4e14", "1.5 x 10^6", "3×10⁻⁵": scientific notation.
            exp = int((sci.group(1) or sci.group(2) or sci.group(3).translate(_SUPERSCRIPT)).replace("−", "-"))
            # Beyond 10^±30 it is a code or hash ("35e834"), not a quantity (and 10.0**400 overflows).
            if abs(exp) <= _MAX_SCI_EXPONENT:
                num.value *= 10.0**exp
                num.end = sci.end()
                num.plain_int = False
                num.scaled = True
                return num
        if num.plain_int and len(s) <= 3:
            gm = _SPACE_GROUPS.match(text, num.end)
            if (
                gm
                and not re.search(r"\d[ -]$", text[max(0, num.start - 2) : num.start])
                and (
                    currency_prefix(text, num.start) is not None
                    or _DIGIT_SCALE.match(text, gm.end())
                    or match_unit(text, gm.end()) is not None
                )
            ):
                # "10 000 dollars": groups of three split by plain spaces, when money or a unit says it is one
                # number (never "10 737-800 planes" or a phone number).
                num.digits = s + gm.group(0)
                num.value = parse_digits(num.digits)
                num.end = gm.end()
                num.plain_int = False
        # "2 1/2", "1/40"
        fm = _FRACTION.match(text, num.end)
        if fm and num.plain_int and int(fm.group(1)) > 0 and not re.match(r"\d", text[num.start - 1 : num.start]):
            if (
                (num.start > 0 and text[num.start - 1] == "/")
                or fm.group(1)[0] == "0"
                or (len(s) == 4 and 1800 <= num.value <= 2100)
                or (num.value != 1 and int(fm.group(1)) not in _DENOMINATOR_DIGITS)
                or num.value >= int(fm.group(1))
                or _ODDS_AFTER.match(text, fm.end())  # "1/3 favourite": betting odds
                # "5/50 Warren Buffett says": a slide or item counter opening a line
                or (_is_sentence_start(text, num.start) and re.match(r" [A-Z]", text[fm.end() : fm.end() + 2]))
            ):
                return None  # "1/2/3", "2000/01", "2003/4" (a fiscal year), "9/11", "24/7": dates and names
            num.value = num.value / int(fm.group(1))
            num.end = fm.end()
            num.plain_int = False
            return num
        mm = _MIXED_FRACTION.match(text, num.end)
        if mm and num.plain_int and int(mm.group(2)) > int(mm.group(1)):
            num.value += int(mm.group(1)) / int(mm.group(2))
            num.end = mm.end()
            num.plain_int = False
        elif num.plain_int and text[num.end : num.end + 1] == " " and text[num.end + 1 : num.end + 2] in VULGAR:
            num.value += VULGAR[text[num.end + 1]]  # "6 ½ minutes"
            num.end += 2
            num.plain_int = False
        am = _AND_A_FRACTION.match(text, num.end)
        if am and num.plain_int:
            num.value += 1 / DENOMINATORS[am.group(1).lower()]  # "15-and-a-half miles"
            num.end = am.end()
            num.plain_int = False
        return num
    # Spelled-out number: grow word by word while the words still form one number.
    start = m.start()
    first = m.group("words")
    words = first.lower().split()
    end = m.end()
    pos = end
    while True:
        wm = _WORD_TOKEN.match(text, pos)
        if not wm:
            break
        sep, w = wm.group(1), wm.group(2).lower()
        if sep is None and pos != end:
            break
        if sep is None:
            break
        is_and = sep.strip() == "and"
        if w in ("a", "an"):
            nxt = _WORD_TOKEN.match(text, wm.end())
            if not (is_and and nxt and nxt.group(2).lower() in DENOMINATORS):
                break
            words += ["and", w, nxt.group(2).lower()]
            pos = end = nxt.end()
            continue
        if w in DENOMINATORS:
            if words[-1] not in ONES and words[-1] not in TENS and words[-1] not in ("a", "an"):
                break
        elif w not in NUMBER_WORDS:
            break
        if is_and and words[-1] not in ("hundred", "thousand", "million", "billion", "trillion"):
            break
        if w in ONES and (words[-1] in ONES or words[-1] in DENOMINATORS):
            break  # "one two" is two numbers
        if is_and:
            words.append("and")
        words.append(w)
        pos = end = wm.end()
    if words[-1] in ("a", "an"):
        return None
    if _ORDINAL_WORD.match(text, end):
        return None  # "two hundredth", "one hundred twenty fifth": an ordinal

    value = words_value(words)
    if value is None:
        return None
    last = words[-1]
    am = _AND_A_FRACTION.match(text, end)
    if am and last not in DENOMINATORS:
        value += 1 / DENOMINATORS[am.group(1).lower()]  # "two-and-a-half years"
        end = am.end()
        last = am.group(1).lower()
        if _ORDINAL_WORD.match(text, end):
            return None
        return _Num(value, start, end, True)
    pm = _SPELLED_POINT.match(text, end)
    if pm and last not in DENOMINATORS:
        # "five point five", "nine point nought four": spelled decimals.
        digits = "".join(str(_DIGIT_WORDS[d.lower()]) for d in pm.group(1).split())
        return _Num(value + float("0." + digits), start, pm.end(), True)
    if last in DENOMINATORS:
        # "half a million", "half a dozen": a fraction of a scale; "half an hour", "a quarter of a percentage
        # point": a fraction of a unit.
        am = _FRACTION_OF_A.match(text, end)
        if am:
            w2 = am.group(2).lower()
            if w2 in SCALES or w2 in ("dozen", "hundred"):
                mult = SCALES.get(w2) or (12.0 if w2 == "dozen" else 100.0)
                return _Num(value * mult, start, am.end(), True)
            if match_unit(text, am.start(2) - 1) is not None:
                return _Num(value, start, am.start(2) - 1, True)
        # "a quarter point", "a half-hour", "a quarter mile": a fraction of the unit right after it.
        fu = match_unit(text, end)
        if fu is not None and (fu.kind in _FRACTION_UNIT_KINDS or fu.code == "hour"):
            return _Num(value, start, end, True)
        # "rose by a third", "cut by half": after "by" a fraction is the size of a change.
        pw = _prev_words(text, start, 1)
        pw4 = _prev_words(text, start, 4)
        by_at = next((k for k, (w, _) in enumerate(pw4) if w.lower() not in _FRACTION_HEDGES), None)
        if (
            by_at is not None
            and pw4[by_at][0].lower() == "by"  # "cut by half", "risen by nearly a fifth"
            and text[end : end + 1] != "-"
            and not _counted_word_follows(text, end)
        ):
            return _Num(value, start, end, True)
        # A fraction must quantify: "half of", "a third of", "two-thirds" (plural). "first half" is not one.
        following = text[end : end + 8].lower()
        has_num = any(w in ONES or w in TENS or w in ("a", "an") for w in words[:-1])
        if last in ("half",) and len(words) == 1:
            if not re.match(r" (?:of|the|a|an|his|her|its|their|our|my|your)\b| \(\d", following + " "):
                return None
            if pw and pw[0][0].lower() in _HALF_OF_PERIOD:
                return None  # "the first half of next year", "the second half of 2024": a period
        elif not has_num or words[0] in ("a", "an") and not (following.startswith(" of") or "and" in words):
            return None
    return _Num(value, start, end, True)


def _apply_scale(text: str, num: _Num, currency: bool) -> None:
    """Absorb "million", "bn", "m" after a number. Lower-case m/b mean million/billion only after currency."""
    if num.scaled:
        return
    sm = _DIGIT_SCALE.match(text, num.end)
    if not sm:
        return
    if sm.group(1):
        word = sm.group(1).lower()
        if num.spelled and num.value >= 1000:
            return
        if word == "mil" and not currency:
            after_mil = match_unit(text, sm.end())
            if after_mil is None or after_mil.kind != "currency":
                return  # "$2 mil", "2mil SEK": million only with money
        num.value *= _DIGIT_SCALE_WORDS[word]
        cm = _CRORE_AFTER.match(text, sm.end())
        if cm and word in ("lakh", "lakhs", "thousand", "hundred"):
            num.value *= 1e7
            num.end = cm.end()
            num.scaled = True
            num.plain_int = False
            return
    else:
        if num.spelled:
            return
        abbr = sm.group(2)
        if abbr in ("m", "b") and not currency:
            # "400m euros": the currency word after the scale says it is money, so "m" is million.
            # "2m homes", "3m people": a plural noun counted in millions (a length is "a 2m wall").
            after = match_unit(text, sm.end())
            nw = _NEXT_WORD.match(text, sm.end())
            nw2 = _NEXT_WORD.match(text, nw.end()) if nw is not None else None
            counted = (
                abbr == "m"
                and after is None
                and nw is not None
                and nw.start(1) == sm.end() + 1
                and (
                    _plural_noun(nw.group(1))
                    # "133m text messages": a modifier, then the plural head
                    or (
                        nw.group(1).islower()
                        and nw.group(1) not in OBJECT_STOP
                        and nw2 is not None
                        and nw2.start(1) == nw.end() + 1
                        and _plural_noun(nw2.group(1))
                        and nw2.group(1).lower() not in _DISTANCE_EVENTS
                    )
                )
                and nw.group(1).lower() not in _DISTANCE_EVENTS
                and ("." in text[num.start : num.end] or num.value not in _RACE_DISTANCES)
            )
            # "2m tonnes", "113.5m ounces": a unit word after the "m" makes it a scale, not metres.
            measured = (
                abbr == "m"
                and after is not None
                and after.kind in _SCALED_UNIT_KINDS
                and text[sm.end() : sm.end() + 1] == " "
            )
            if not counted and not measured and (after is None or after.kind != "currency"):
                return
        if abbr in ("B", "T") and not currency:
            return
        if (
            abbr == "M"
            and not currency
            and num.plain_int
            and re.match(r"(?:'s|’s|\s+[a-z]+)", text[sm.end() : sm.end() + 20])
            and not _counted_word_follows(text, sm.end())
        ):
            return  # "Shares of 3M rose", "3M's chief": a name; "3M users" counts, "give you 10M." is money talk
        num.value *= SCALE_ABBR.get(abbr, SCALE_ABBR.get(abbr.lower(), 1.0))
    num.end = sm.end()
    num.scaled = True
    num.plain_int = False


def _qualifier_before(text: str, pos: int) -> tuple[str, int] | None:
    prev = _prev_words(text, pos, _QUAL_MAX_WORDS + 4)
    if prev and prev[0][0].lower() in ("another", "additional", "extra"):
        prev = prev[1:]  # "at least another six months"
    for k in range(min(len(prev), _QUAL_MAX_WORDS), 0, -1):
        key = " ".join(w.lower().rstrip(".") for w, _ in reversed(prev[:k]))
        if key in QUALIFIERS_BEFORE:
            if key == "up to" and prev[k : k + 1] and prev[k][0].lower() in _NOT_A_CEILING_BEFORE:
                return None  # "adds up to 6 petabytes": a sum; "edged up to 4.1%": rose to; not a ceiling
            if key == "up to" and any(w.lower() in _RAISE_VERBS for w, _ in prev[k + 1 : k + 3]):
                return None  # "pushed rates up to 2.25%", "raised its stake up to 30%": raised to, not at most
            if key == "over" and len(prev) > 1 and prev[1][0].lower() in _OVER_TOPIC_WORDS:
                return None  # "the row over 300 jobs", "a win over two rivals": "over" is a preposition
            return QUALIFIERS_BEFORE[key], prev[k - 1][1]
    return None


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for m in _SENT_END.finditer(text):
        if text[m.start()] == ".":
            wm = re.search(r"([A-Za-z.]+)$", text[max(0, m.start() - 12) : m.start()])
            if wm:
                w = wm.group(1).lower().rstrip(".")
                if w in SENT_ABBREV or len(w) == 1:
                    continue
        starts.append(m.end())
    return starts


def _next_words(text: str, pos: int, k: int, limit: int | None = None) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    lim = limit if limit is not None else min(len(text), pos + 80)
    while len(out) < k:
        wm = _NEXT_WORD.match(text, pos, lim)
        if not wm:
            break
        gap = text[pos : wm.start(1)]
        if any(c in gap for c in ".!?;:\n"):
            break
        out.append((wm.group(1), wm.start(1), wm.end(1)))
        pos = wm.end()
        # A comma ends the phrase for object purposes but category words may follow; callers decide.
        if pos < lim and text[pos] in ",":
            out.append((",", pos, pos + 1))
            pos += 1
    return out


def _object_after(text: str, pos: int, measured: bool, money: bool) -> tuple[str, int] | None:
    """The counted noun phrase after a number (and unit): '1,380 civilians dead' -> 'civilians'."""
    words = _next_words(text, pos, 6)
    i = 0
    if measured or (words and words[0][0].lower() == "of"):
        # "3,000 tonnes of rice", "$2bn in aid", "7.4% of the workforce"
        if not words or words[0][0].lower() not in ("of", "in") or (words[0][0].lower() == "in" and not money):
            return None
        if words[0][1] != pos + 1:
            return None
        i = 1
    if (
        i == 1
        and words[0][0].lower() == "in"
        and len(words) > 1
        and (words[1][0][0].isupper() or words[1][0].lower() in DETERMINERS)
    ):
        return None  # "$53 a barrel in New York", "$470m in the fourth quarter": where or when, not what for
    if i < len(words) and words[i][0].lower() in ("a", "an", "per") and match_unit(text, words[i][2]) is not None:
        return None  # "94 billion a year", "150,000 cars a year" (already counted): a rate, not the object
    if i < len(words) and words[i][0].lower() in _WHEN_WORDS:
        return None  # "passed 5 million this year", "200 last week": when, not what
    while i < len(words) and words[i][0].lower() in DETERMINERS:
        i += 1
    taken: list[tuple[str, int, int]] = []
    while i < len(words) and len(taken) < 3:
        w, st, en = words[i]
        lw = w.lower()
        if w == "," or lw in OBJECT_STOP or lw in MONTHS or lw.split("-")[0] in NUMBER_WORDS:
            break  # "five of the three-ton satellites": the next number is a figure of its own
        if (lw.endswith("ed") or lw.endswith("ing")) and lw not in ("armed", "building", "buildings"):
            break
        if lw.endswith("ly") or lw in _OBJECT_END_WORDS:
            break
        if lw == "lives" and taken and taken[-1][0].lower() not in _LIVES_BEFORE:
            break  # "the 17-million population lives below": a verb after the noun
        taken.append(words[i])
        i += 1
        if _plural_noun(lw) and not (i < len(words) and _plural_noun(words[i][0].lower())):
            break  # a plural head ends the phrase: "14,000 people contract HIV", "two teams play"
    if not taken:
        return None
    return text[taken[0][1] : taken[-1][2]], taken[-1][2]


_KG_AFTER = re.compile(r"\s*\(\s*[\d.,]+\s?(?:kg|kilos?|kilograms?|tonnes?)\b")
_WEIGHT_VERBS = ("weigh", "tow", "haul", "payload")  # "tows up to 11,000 pounds": lb, not GBP
_WHEN_WORDS = {"this", "last", "next", "that", "each", "every", "later", "earlier", "ago"}


# Adverbs, prepositions and common irregular past tenses that follow a counted noun without belonging to it:
# "6.4 earthquake struck", "eleven year-old girl perhaps", "76,200 staff worldwide".
_OBJECT_END_TEXT = (
    "perhaps rather often otherwise due behind every worldwide nationwide abroad overseas today yesterday "
    "tonight tomorrow again too already almost even ever never always sometimes together apart though although "
    "however whereas unless until via plus minus except like unlike within without toward towards onto upon "
    "near beneath beside besides beyond despite throughout along amid amongst versus vs whether what how why "
    "struck came went took made gave got saw began ran held brought became paid met sent spent stood built won "
    "kept led sought caught fought bought sold sat chose drove wrote flew broke spoke shot told "
    "thought found knew felt meant heard remain remains remained "
    # common verbs and contractions that follow a subject: "the 62-year-old sang", "half of those weren't"
    "sang sings play plays played gets finishes finished translates says said tells asks asked wants wanted "
    "needs needed faces faced joins joined leaves left returns returned admits admitted insists insisted "
    "believes believed hopes hoped added adds claims claimed denies denied is was are were has have had "
    "isn't wasn't aren't weren't hasn't haven't hadn't won't can't couldn't don't doesn't didn't will would "
    "could should may might must can"
)
_OBJECT_END_WORDS = set(_OBJECT_END_TEXT.split())
# Plurals that often modify a following noun: "30,000 sports utility vehicles", "two arms dealers".
_PLURAL_MODIFIERS = {
    "sports",
    "arms",
    "savings",
    "sales",
    "goods",
    "news",
    "services",
    "communications",
    "earnings",
    "awards",
    "customs",
    "rights",
    "jobs",
    "drugs",
    "emissions",
    "parts",
}
_IRREGULAR_PLURALS = {"people", "men", "women", "children", "staff", "police", "personnel", "cattle", "sheep"}


def _plural_noun(w: str) -> bool:
    """A lower-case word that looks like a plural noun ("teams", "people"), not "gas", "bus", "crisis"."""
    lw = w.lower()
    if lw in _IRREGULAR_PLURALS:
        return True
    return (
        w[0].islower()
        and len(lw) > 3
        and lw.endswith("s")
        and not lw.endswith(("ss", "us", "is", "'s", "ics"))
        and lw not in OBJECT_STOP
        and lw not in _PLURAL_MODIFIERS
    )


def _category_near(text: str, start: int, end: int, sent_start: int, sent_end: int) -> str | None:
    """Event category from the nearest event word within a few words of the figure, same sentence."""
    best: tuple[float, str] | None = None
    for dist, (w, st) in enumerate(_prev_words(text, start, 5)):
        if st < sent_start:
            break
        cat = CATEGORY_WORDS.get(w.lower())
        if cat and w.lower() == "lives" and _lives_is_a_verb(text, st):
            continue  # "extending lives in a trial of 1,692 patients": not deaths
        if cat:
            best = (dist + 1.5, cat)
            break
    for dist, (w, st, _en) in enumerate(_next_words(text, end, 6, sent_end)):
        cat = CATEGORY_WORDS.get(w.lower())
        if cat and w.lower() == "bodies" and (pw := _prev_words(text, st, 1)) and _not_dead_bodies(pw[0][0]):
            continue  # "100,000 public bodies", "20 national Olympic bodies" are organisations
        if cat and w.lower() == "lives" and _lives_is_a_verb(text, st):
            continue  # "population lives below": a verb; "lost their lives", "300 lives" are deaths
        if cat:
            if best is None or dist + 1 < best[0]:
                best = (dist + 1, cat)
            break
    return best[1] if best else None


# --------------------------------------------------------------------------------------------------- main


def _not_a_figure(text: str, num: _Num) -> int | None:
    """If the number is a year, date, time, ordinal, phone number or identifier, the offset to resume at."""
    s, e = num.start, num.end
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    if num.spelled:
        return e if text.startswith(" o'clock", e) or text.startswith(" o’clock", e) else None  # "four o'clock"
    # Identifiers: letters against the number ("COVID-19", "F-16", "G8", "MP3"), or IP/version parts; the whole
    # code is skipped ("A320-200", "B-52/H").
    if (
        (before.isalpha() and not _CODE_BEFORE.search(text, max(0, s - 4), s) and currency_prefix(text, s) is None)
        or before in "#/\\_@"
        or (
            before == "-"
            and s > 1
            and text[s - 2].isalnum()
            and not text[s - 2].isdigit()
            and not (after == "s" and _age_group_before(text, s))  # "the over-65s"
        )
    ):
        return _CODE_TAIL.match(text, e).end()  # type: ignore[union-attr]
    if before in "'’" and len(num.digits) == 2 and num.plain_int and (s < 2 or not text[s - 2].isalnum()):
        return e  # "in '94": a year
    if before == ":" or (before == "." and s > 1 and text[s - 2].isdigit()):
        return e
    if before == "[" and after == "]":
        return e + 1  # a footnote marker: "browser.[43][44]"
    if _TIME_AFTER.match(text, e):
        return e
    if num.plain_int and len(num.digits) == 4 and (tr := _TIME_RANGE.match(text, e)) and _HHMM.fullmatch(num.digits):
        return tr.end()  # "from 1130 to 1215 GMT": 24-hour clock times
    if after == ")" and "(" not in text[max(0, s - 40) : s] and not text[text.rfind("\n", 0, s) + 1 : s].strip():
        return e  # list marker "1)" at the start of a line
    if (after.isalpha() or after == "'") and not (after == "s" and _age_group_before(text, s)):
        om = _ORDINAL_AFTER.match(text, e)
        if om:
            return om.end()
    if (after == "/" and not text[e + 1 : e + 2].isalpha()) or (
        after in ".-" and re.match(r"([.-])\d{1,2}\1\d", text[e : e + 5])  # not "6-6.5%": a range
    ):
        return e + 6  # dates like 12/03/2004, 12.03.2004
    if after == "." and text[e + 1 : e + 2].isdigit():
        return _DOTTED_DIGITS.match(text, e).end()  # type: ignore[union-attr]  # "12.03.2004", "1.2.3"
    if num.plain_int:
        pm = _PHONE.match(text, s - 1 if before == "+" else s)
        if pm and (
            pm.group(0)[0] in "+(0"
            or pm.group(0).count(" ") + pm.group(0).count("-") >= 2
            or re.search(r"\b\d{3}-\d{4}$", pm.group(0))
        ):
            return pm.end()
        if len(num.digits) > 1 and num.digits[0] == "0":
            return e
    return None


# Denominators of digit fractions other than 1/n ("3/4", "5/16"); "9/11" and "24/7" are not fractions.
_DENOMINATOR_DIGITS = {2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 50, 64, 100, 1000}
_DOTTED_DIGITS = re.compile(r"[\d.]*")
_CODE_TAIL = re.compile(r"(?:[-/][A-Za-z0-9]+)*")
_DATE_LIST = re.compile(
    r"(?:,\s*|\s*[-–]\s*|\s+(?:or|and|to)\s+)\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(sorted(MONTHS)) + r")\b"
)
_ADDRESS = re.compile(
    r" (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Drive|Place|Square|Boulevard|Blvd|Terrace|Crescent)\b"
)
# A capitalised name and a comma right before the number: "Gere, 55," (brackets are often seeds: "Samoa (7)").
_AGE_GROUPS = {"children", "kids", "adults", "people", "those", "anyone", "women", "men", "girls", "boys",
               "patients", "pupils", "students", "residents", "drivers", "workers", "players", "voters", "babies",
               "infants", "youngsters", "teenagers", "citizens", "individuals", "persons", "child", "aged"}
_FRACTION_HEDGES = {"roughly", "nearly", "almost", "about", "around", "some", "over", "more", "than", "just", "only",
                    "less", "under", "well", "approximately", "close", "to", "up"}
_HALF_OF_PERIOD = {"first", "second", "latter", "former", "back", "front", "opening", "closing", "other", "bottom",
                   "top", "upper", "lower", "northern", "southern", "eastern", "western"}
_RESOLUTION = re.compile(r"(?:4|5|6|8|10|12|16)K\s+(?:display|displays|screen|screens|TV|TVs|television|video|"
                         r"resolution|monitor|monitors|streaming|content|camera|cameras|footage|UHD|HDR|panel)\b")
_AT_LEAST_AFTER = re.compile(r"\s+(at least|at most)(?=\s*(?:[.,;:!?)]|$))", re.I)
_AGE_GROUP_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(over|under)-$")  # "the over-65s", "under-5s"


def _age_group_before(text: str, pos: int) -> re.Match[str] | None:
    """ "over-" or "under-" right before pos, as in the age groups "the over-65s", "under-5s"."""
    return _AGE_GROUP_BEFORE.search(text, max(0, pos - 7), pos)


_ODDS_AFTER = re.compile(r"\s+(?:joint[- ])?(?:favourites?|favorites?|shot|outsiders?|on\b|against\b|odds)", re.I)
_OLD_AFTER = re.compile(r"[ -]olds?\b")
_MULTI_BEFORE = re.compile(r"(?i)(?<![A-Za-z])multi-?$")
_AGE_APPOSITION = re.compile(r"(?<![A-Za-z])([A-Za-z][a-z]+), $")
_INNER_CAPITAL = re.compile(r"^[a-z]+[A-Z]")
_AND_BELOW = re.compile(r"\s+and\s+(?:less|smaller|fewer|lower)(?:\s+or\s+equal)?\s+than\s+", re.I)
_RATIO = re.compile(r"(?:\s+|-)(in|out of)(?:\s+|-)(?:every\s+)?(?=\d|[a-z])")  # "six out of every 10 planes"
_RATIO_BASES = {2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 20.0, 25.0, 50.0, 100.0, 1000.0, 1e4, 1e5, 1e6}
_WORD_SCALE_AFTER = re.compile(r"\s(thousand|million|billion|trillion)\b", re.I)
_CENTS_AFTER = re.compile(r"(?:\s+and)?\s+(?=\d|[a-z])")
# After the cents a cent word, or the end of the clause: "15 dollars 50." (not "3 dollars and 50 people").
_CENTS_TAIL = re.compile(r"(\s?(?:cents?|pence|p)\b|)(?=\s*(?:[.,;:!?)]|$))")
_TEMPERATURE_CODES = {"celsius", "fahrenheit", "kelvin", "degree"}
_M_CODES = "USD|EUR|GBP|AUD|CAD|CHF|JPY|CNY|SEK|NOK|DKK|INR|HKD|NZD|SGD"
_M_CODE_AFTER = re.compile(r"\s?M(" + _M_CODES + r")\b")
_M_CODE_BEFORE = re.compile(r"(?<![A-Za-z])M(" + _M_CODES + r")\s?$")
# Words before an amount in brackets that make the brackets an accounting loss: "revenue is ($99.99)"; a bracket
# after an amount ("$1bn (£514m)") is a conversion.
_ACCOUNTING_BEFORE = re.compile(r"(?:\b(?:is|was|were|are|be|been|of|totall?ed|reached)|:)\s$", re.I)
# An ISO code written against the number is a currency, not an identifier: "USD115".
_CODE_BEFORE = re.compile(r"(?<![A-Za-z])(?:USD|EUR|GBP|JPY|INR|CHF|CNY|AUD|CAD)$")


def _build(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    num = _parse_number(text, m)
    if num is None:
        return None, m.end()
    skip = _not_a_figure(text, num)
    if skip is not None:
        return None, skip
    score_end = _score_end(text, num)
    if score_end is not None:
        return None, score_end
    if num.spelled and text[num.start : num.end].lower().split()[0] in _BARE_SCALES:
        pv = [w.lower() for w, _ in _prev_words(text, num.start, 2)]
        if pv and (pv[0] in _VAGUE_BEFORE or pv[0] == "of" and len(pv) > 1 and pv[1] == "couple"):
            return None, num.end  # "several hundred", "a few thousand", "a couple of hundred": vague
    span_start = num.start
    # Sign: "-5", "−20C", "minus 5" (not the hyphen of a range or compound).
    if (
        not num.spelled
        and num.start > 0
        and text[num.start - 1] in "-−"
        and (num.start == 1 or text[num.start - 2] in " (\n<>=~≈≤≥")
    ):
        num.value = -num.value
        span_start = num.start - 1
    elif num.start > 1 and text[num.start - 1] in "-−" and text[num.start - 2] in "$£€¥":
        num.value = -num.value  # "$-99.99"
        span_start = num.start - 1
    elif text[max(0, num.start - 6) : num.start].lower() == "minus ":
        if text[max(0, num.start - 14) : num.start - 6].lower() == "plus or ":
            span_start = num.start  # "plus or minus 2.5 points": a margin, not a negative number
        else:
            num.value = -num.value
            span_start = num.start - 6
    elif text[max(0, num.start - 9) : num.start].lower() == "negative " and not (
        (neg_prev := _prev_words(text, num.start - 9, 1)) and neg_prev[0][0].lower() in _TEST_RESULT_WORDS
    ):
        num.value = -num.value  # "negative 5 degrees", "negative one" (not "tested negative 3 times")
        span_start = num.start - 9
    elif (
        not num.spelled
        and text[max(0, num.start - 2) : num.start] in ("- ", "− ")
        and (num.start == 2 or text[num.start - 3] in " (\n")
        and (tu := match_unit(text, num.end)) is not None
        and tu.code in _TEMPERATURE_CODES
    ):
        num.value = -num.value  # "- 20 degrees fahrenheit": a spaced minus before a temperature
        span_start = num.start - 2
    cur = currency_prefix(text, span_start)
    currency_code = cur[0] if cur else None
    if cur:
        span_start = cur[1]
    else:
        # "30 MUSD", "MAUD 60", "twenty MUSD": M before an ISO code is millions of that currency.
        mc = _M_CODE_AFTER.match(text, num.end) or (
            None if num.spelled else _M_CODE_BEFORE.search(text, max(0, span_start - 6), span_start)
        )
        if mc:
            currency_code = mc.group(1)
            num.value *= 1e6
            num.scaled = True
            num.plain_int = False
            if mc.start() >= num.end:
                num.end = mc.end()
            else:
                span_start = mc.start()
    negative_paren = (
        currency_code is not None
        and span_start > 0
        and text[span_start - 1] == "("
        and _ACCOUNTING_BEFORE.search(text, max(0, span_start - 12), span_start - 1) is not None
    )
    _apply_scale(text, num, currency_code is not None)
    if not num.scaled and num.value < 1000 and (om := _OR_NEXT.match(text, num.end)):
        # "six or seven million", "2 or 3 billion": the scale of the second number carries to the first.
        m2 = CANDIDATE.match(text, om.end())
        n2 = _parse_number(text, m2) if m2 else None
        if n2 is not None and n2.spelled == num.spelled:
            _apply_scale(text, n2, currency_code is not None)
            last = text[n2.start : n2.end].lower().rsplit(None, 1)[-1]
            factor = n2.value / _Num_scale_base(text, n2) if n2.scaled else SCALES.get(last, 1.0)
            if factor >= 1000 and num.value <= n2.value / factor:
                num.value *= factor
                num.scaled = True
                num.plain_int = False
    odd = False
    if not num.scaled and (od := _ODD.match(text, num.end)) and (text[num.end] == "-" or num.value >= 20):
        num.end, odd = od.end(), True  # "40-odd calls", "30 odd years" (not "two odd socks")
    if negative_paren and text.startswith(")", num.end) and num.value > 0:
        num.value = -num.value  # "revenue is ($99.99)": accounting brackets mark a loss
        span_start -= 1
    value = num.value
    end = num.end

    # Range: "252 to 287 miles", "10-15%", "between 20 and 30", "$2bn to $3bn", "8- to 16-meter".
    range_end: float | None = None
    range_conn = ""
    unit = _measure(text, end, currency_code)
    unit_first = unit
    # "8- to 16-meter", "3- or 4-year": a suspended hyphen before the connective.
    rc = None if unit else _SUSPENDED_RANGE.match(text, end)
    if rc is None:
        rc = _RANGE_CONN.match(text, unit.end if unit else end)
    if rc is not None:
        conn = rc.group(0).strip().lstrip("-").strip()
        prev = _prev_words(text, span_start, 2)
        prev_l = [w.lower() for w, _ in prev]
        ok = True
        if conn == "and":
            ok = bool(prev_l) and (
                prev_l[0] == "between"
                # "between the ages of 16 and 18"
                or (prev_l[0] == "of" and "between" in [w.lower() for w, _ in _prev_words(text, span_start, 5)])
            )
        elif (
            conn == "to"
            and prev_l
            and prev_l[0] == "from"
            and _change_word_in_clause(text, span_start)
        ):
            ok = False  # "rose from 150 to 230", "raise capacity from 800 to 1,000": a start and an end
        if ok:
            at2 = rc.end() + (len(text[rc.end() :]) - len(text[rc.end() :].lstrip("$£€¥₹ ")))
            if (lp := _LETTER_PREFIX.match(text, at2)) and currency_prefix(text, lp.end()) is not None:
                at2 = lp.end()  # "between N250,000 and N1.2 million", "Rs 40 to Rs 60"
            m2 = CANDIDATE.match(text, at2)
            if m2:
                n2 = _parse_number(text, m2)
                if (
                    n2 is not None
                    and _not_a_figure(text, n2) is None
                    and not (n2.value <= 31 and _MONTH_AFTER.match(text, n2.end))  # "12 months to 30 September"
                    and n2.spelled == num.spelled
                    and not (_year_like(num) and not _year_like(n2))  # "from 36,185 in 2003 to 28,041"
                ):
                    cur2 = currency_prefix(text, m2.start())
                    _apply_scale(text, n2, currency_code is not None or cur2 is not None)
                    unit2 = _measure(text, n2.end, cur2[0] if cur2 else None)
                    # "A to B" is one range only when both sides measure the same thing (or one side says
                    # it for both: "10-15%", "$2-3bn"); "jumped 76% to $1.13bn" is a change and a level.
                    code1 = unit_first.code if unit_first else currency_code
                    code2 = unit2.code if unit2 else (cur2[0] if cur2 else None)
                    same_unit = code2 is None or code1 is None or code1 == code2
                    if code1 and code2 and code2.startswith(code1 + "/"):
                        # "between $40 and $50 an ounce": the end states the rate for both sides; "fell $2.86
                        # to $41.32 a barrel" is a change, then a price.
                        same_unit = not _after_change_word(text, span_start)
                    if (
                        unit_first is not None
                        and code2 is None
                        and ((n2.scaled and not num.scaled) or _after_change_word(text, span_start))
                    ):
                        same_unit = False  # "rose 46% to 420 million": a change, then a level
                    # The scale of the end carries to a bare start: "3 to 5 million".
                    start_value = value
                    n2_scaled = n2.scaled or (
                        n2.spelled and text[n2.start : n2.end].lower().rsplit(None, 1)[-1] in SCALES
                    )
                    if not num.scaled and n2_scaled and n2.value / max(num.value, 1e-12) >= 1000:
                        start_value = value * n2.value / _Num_scale_base(text, n2)
                    elif (
                        num.plain_int
                        and len(num.digits) <= 3
                        and conn in "-–—"
                        and re.fullmatch(r"\d{1,3}(?:,000)+", n2.digits)
                    ):
                        # "$50-100,000", "50-60,000 people": the thousands of the end carry to a bare start.
                        carried = value * 1000 ** n2.digits.count(",")
                        if n2.value / 10 <= carried < n2.value:
                            start_value = carried
                    if (
                        conn == "to"
                        and n2.value >= 5 * start_value > 0
                        and (_after_change_word(text, span_start) or (prev_l and prev_l[0] == "by"))
                    ):
                        # "rose by 20,000 to 1.4 million", "fell $1.64 to $47.10": the change, then the level;
                        # "cut profits by $3.8m to $4.9m", "rose 5 to 10 percent" stay ranges.
                        same_unit = False
                    if same_unit and n2.value > start_value:
                        range_conn = rc.group(0)
                        value = start_value
                        range_end = n2.value
                        end = n2.end
                        unit = unit2 if unit2 else unit_first
                        if cur2 and not currency_code:
                            currency_code = cur2[0]
    if _RESOLUTION.match(text, num.start) and not currency_code:
        return None, end  # "a 4K display", "8K TV": a resolution name
    if (
        not num.scaled
        and unit is None
        and end < len(text)
        and (text[end].isalpha() or text[end] == "-" and end + 1 < len(text) and text[end + 1].isupper())
        and not (text[end] == "s" and _age_group_before(text, span_start))
    ):
        return None, end  # "5G", "3D", "4x4": a name, not a figure
    two_sided = False
    ratio = False
    if range_end is None and not num.scaled:
        tm = _AND_BELOW.match(text, unit.end if unit else end)
        if tm:
            # "more than 10 and less than 20": one range when the bounds face each other.
            q1 = _qualifier_before(text, span_start)
            m2 = CANDIDATE.match(text, tm.end())
            n2 = _parse_number(text, m2) if m2 and q1 and q1[0] in (">", ">=") else None
            if n2 is not None and n2.spelled == num.spelled and _not_a_figure(text, n2) is None:
                _apply_scale(text, n2, currency_code is not None)
                unit2 = _measure(text, n2.end, currency_code)
                if n2.value > value and (unit2 is None or unit is None or unit2.code == unit.code):
                    range_end, end, two_sided = n2.value, n2.end, True
                    unit = unit2 or unit
        elif unit is None and not currency_code and (num.spelled or (num.plain_int and len(num.digits) <= 3)):
            rm = _RATIO.match(text, end)
            m2 = CANDIDATE.match(text, rm.end()) if rm else None
            n2 = _parse_number(text, m2) if m2 else None
            if (
                rm
                and n2 is not None
                and n2.value > value >= 1
                and value == int(value)
                and (
                    rm.group(1) != "in"
                    or n2.value in _RATIO_BASES
                    # digits need the counted thing: "3 in 10 voters", "1 in 4 of them" (not "won 2 in 5")
                    and (
                        num.spelled
                        or num.value == 1  # "1 in 10": a one is a share's numerator, not a count
                        or _counted_word_follows(text, n2.end)
                        or text.startswith(" of ", n2.end)
                    )
                )
                and _not_a_figure(text, n2) is None
                and not _DIGIT_SCALE.match(text, n2.end)
                and match_unit(text, n2.end) is None
            ):
                # "one in five children", "3 in 10 voters", "one out of three": a share.
                value, end, ratio = value / n2.value, n2.end, True
    if unit is not None and unit.kind == "currency" and not currency_code and range_end is None:
        sw = _WORD_SCALE_AFTER.match(text, unit.end)
        if sw:
            value *= SCALES[sw.group(1).lower()]  # "75 USD million"
            unit = UnitMatch(unit.code, unit.kind, sw.end())
        elif (
            value == int(value)
            and (cm := _CENTS_AFTER.match(text, unit.end))
            and not _currency_word_before(text, span_start)  # "rmb 10 usd 20": two amounts
        ):
            m3 = CANDIDATE.match(text, cm.end())
            n3 = _parse_number(text, m3) if m3 else None
            tail = _CENTS_TAIL.match(text, n3.end) if n3 is not None else None
            if n3 is not None and tail and n3.value == int(n3.value) and 0 < n3.value < 100:
                value += n3.value / 100  # "15 dollars 50", "thirteen dollars and forty-five cents"
                unit = UnitMatch(unit.code, unit.kind, n3.end + len(tail.group(1)))
    if (
        unit is None
        and not currency_code
        and range_end is None
        and text[end : end + 1] in ('"', "″", "”")
        and not text[end + 1 : end + 2].isalnum()
        and 0 < value <= 120
    ):
        line_start = text.rfind("\n", 0, num.start) + 1
        quotes = text.count('"', line_start, num.start) + text.count("“", line_start, num.start)
        if text[end] == "″" or (quotes % 2 == 0 and text[end] == '"'):
            unit = UnitMatch("inch", "length", end + 1)  # '8" screen': the inch mark, not a closing quote
    if unit is not None and unit.code == "ft" and range_end is None:
        im = _FEET_INCHES.match(text, unit.end)
        if im and int(im.group(1)) < 12:
            value += int(im.group(1)) / 12  # "6ft 2in", "5 feet 10 inches": one height
            unit = UnitMatch("ft", unit.kind, im.end())
    # Year: a bare four-digit integer in 1800-2100 with no currency, unit or qualifier ("in 2004").
    qual = _qualifier_before(text, span_start)
    if (
        num.plain_int
        and len(num.digits) == 4
        and 1800 <= num.value <= 2100
        and not currency_code
        and (not qual or not _counted_word_follows(text, end))
        and (unit is None or unit.kind == "duration")
        and (range_end is None or (range_end == int(range_end) and 1800 <= range_end <= 2100))
    ):
        ym = re.match(r"[-–/](\d{2}|\d{4})\b", text[end : end + 6]) if range_end is None else None
        return None, end + (ym.end() if ym else 0)  # "in 2004", "1990-2030", "the 1980-81 season"
    if num.plain_int and range_end is None and unit is None and not currency_code:
        # "2004-05", "1995-2030": year spans.
        ym = re.match(r"[-–/](\d{2}|\d{4})\b", text[num.end : num.end + 6])
        if ym and len(num.digits) == 4 and 1800 <= num.value <= 2100:
            return None, num.end + ym.end()
    # Dates: "May 4", "4 May", "4th of May".
    prev = _prev_words(text, span_start, 2)
    prev1 = prev[0][0] if prev else ""
    nxt = _next_words(text, end, 2)
    nxt1 = nxt[0][0] if nxt else ""
    if (
        not currency_code
        and unit is None
        and (
            (prev1.rstrip(".") in MONTHS and (num.value <= 31 or num.plain_int))
            or (nxt1 in MONTHS and num.value <= 31)
            or (nxt1 == "of" and len(nxt) > 1 and nxt[1][0] in MONTHS)
            or (num.plain_int and num.value <= 31 and _DATE_LIST.match(text, end))  # "6 or 7 January"
        )
    ):
        dc = _DAY_LIST_CONTINUES.match(text, end) if prev1.rstrip(".") in MONTHS else None
        return None, dc.end() if dc else end  # "Sept. 11 and 12", "May 4-6"
    # Street numbers: "10 Downing Street", "221B Baker Street" (the letter already makes it a name).
    if num.plain_int and not currency_code and unit is None and range_end is None and _ADDRESS.match(text, end):
        return None, end
    # "the top five hit", "eight top three hits", "top 10": a chart position or a rank, not a count;
    # "reached the last 16": a round of a tournament.
    if (
        (prev1.lower() == "top" or (prev1.lower() == "last" and not _counted_word_follows(text, end)))
        and unit is None
        and not currency_code
        and num.value <= 100
        and not qual
    ):
        return None, end
    # "at 1330": a 24-hour clock time.
    if prev1.lower() == "at" and unit is None and not currency_code and num.plain_int and _HHMM.fullmatch(num.digits):
        return None, end
    # "took the lead on 59 minutes": a point in a match, not a duration.
    if prev1.lower() == "on" and unit is not None and unit.code == "minute" and num.plain_int and num.value <= 130:
        return None, unit.end
    # "eight people per thousand", "8.5 cases per 100,000 people": the base of a rate, not a figure of its own.
    if prev1.lower() == "per" and num.value in _RATIO_BASES and not currency_code and unit is None:
        return None, end
    # "Rapper 50 Cent", "50 Cent's entourage": a capitalised currency word inside a sentence is a name.
    if unit is not None and unit.kind == "currency" and text[end : unit.end].strip()[:1].isupper() and (
        text[end : unit.end].strip().lower() in ("cent", "cents", "pence", "dollar", "dollars", "pound", "pounds")
    ):
        return None, unit.end
    if unit is None and text.startswith((" Cent'", " Cent’"), end):
        return None, end + 5
    # Page, list and identifier numbers: "page 5", "No. 10", "Section 427", "Big 12"; with one capital letter
    # against it after a name it is a model: "Boeing 777F", "Airbus A380F".
    model_letter = unit is not None and unit.end == end + 1 and text[end].isupper() and text[end] != "%"
    if (
        not currency_code
        and (unit is None or model_letter)
        and not num.spelled
        and (range_end is None or range_conn == "-")  # "Boeing 737-800": a model, not a range
        and prev
    ):
        pw = prev1.lower().rstrip(".")
        if pw in LIST_WORDS and not qual and not model_letter and range_end is None:
            lc = _LIST_CONTINUES.match(text, end)  # "junctions 10 and 11", "pages 5-7"
            return None, lc.end() if lc else end
        if (
            (prev1[0].isupper() or _INNER_CAPITAL.search(prev1))  # "Windows 10", "iOS 17"
            # "the FSA's 60 staff" counts; "Standard and Poor's 500," names an index.
            and (not prev1.endswith(("'s", "’s", "s'")) or (not num.scaled and not _counted_word_follows(text, end)))
            and pw not in CAP_OK
            and pw not in QUALIFIERS_BEFORE
            and prev1.rstrip(".") not in MONTHS
            and pw not in CATEGORY_WORDS
            and (
                not _is_sentence_start(text, prev[0][1])
                or _CAMEL.search(prev1)  # "PlayStation 3 chip"
                # "Windows 11 runs", "Formula 1 returns": a name opening the sentence (a subject right before a
                # count is not English); time and sentence adverbs ("Yesterday 12 ...", "Overall 30 ...") are.
                or (pw not in _START_OK and not pw.endswith(("ly", "ing", "ed")))  # "Walking 7,000 steps"
            )
            and text[prev[0][1] + len(prev1) : span_start].strip() == ""
        ):
            return None, end
    # "Six Nations", "Radio Five Live", "The Two Ronnies": a capitalised number word inside a sentence is a name.
    if (
        num.spelled
        and text[num.start].isupper()
        and not currency_code
        and not qual
        and (
            (unit is None and not _is_sentence_start(text, num.start))
            # "Three Degrees star Sheila Ferguson": a capitalised unit too, in a sentence that is not a Title Case
            # headline ("Man Jailed For Nine Years" still measures)
            or (unit is not None and _capitalised_unit(text, num.end, unit.end) and not _title_case(text, num.start))
        )
    ):
        return None, end
    # "number four", "part two", "series three": a spelled number naming a place in a list.
    if (
        num.spelled
        and prev
        and prev1.lower().rstrip(".") in _SPELLED_LIST_WORDS
        and text[prev[0][1] + len(prev1) : span_start] == " "
        and not currency_code
        and unit is None
    ):
        return None, end
    # "multi-million pound contracts", "multibillion-dollar": no number, only a size.
    if num.spelled and _MULTI_BEFORE.search(text, max(0, num.start - 6), num.start):
        return None, end
    # A bare "one" is a pronoun or article far more often than a figure.
    if (
        num.spelled
        and num.value == 1
        and (unit is None or unit.code == "point")  # "at one point"
        and not currency_code
        and not num.scaled
        and not ratio
        and (not qual or text.startswith(" of ", end))  # "around one of the genre's best"
        and not _one_casualty(text, end)
    ):
        return None, end

    # "£6.7bn over four years", "lost 22% over 72 weeks": "over" a period spans it; "for over 10 years",
    # "in over a decade", "more than" keep the bound.
    if (
        qual
        and text[qual[1] : qual[1] + 5].lower() == "over "
        and (
            (unit is not None and unit.kind == "duration")
            or (unit is None and (pn := _NEXT_WORD.match(text, end)) is not None and pn.group(1).lower() in _PERIODS)
        )
    ):
        before_over = _prev_words(text, qual[1], 1)
        lead = text[: qual[1]].rstrip()
        if not _OLD_AFTER.match(text, unit.end if unit else end) and (
            (before_over and before_over[0][0].lower() not in _OVER_BOUND_BEFORE)
            or (not before_over and (lead[-1:].isalnum() or lead[-1:] in "%)"))  # "£6.7bn over four years"
        ):
            qual = None
    # "the over-65s", "under-5s": an age group with its bound.
    age_group_end = None
    if (
        unit is None
        and not currency_code
        and text[end : end + 1] == "s"
        and not text[end + 1 : end + 2].isalpha()
        and (og := _age_group_before(text, span_start))
    ):
        qual = (">" if og.group(1).lower() == "over" else "<", og.start(1))
        age_group_end = end + 1
    # Suffix qualifiers: "1,000+", "50 or more".
    qualifier = "="
    surf_start = span_start
    if qual:
        qualifier, surf_start = qual
        if two_sided:
            qualifier = "="  # both bounds given: a range
    else:
        sm = _SYMBOL_QUAL.search(text, max(0, span_start - 3), span_start)
        if sm:
            qualifier, surf_start = _SYMBOLS[sm.group(1)], sm.start(1)
    if end < len(text) and text[end] == "+" and (end + 1 >= len(text) or not text[end + 1].isdigit()):
        qualifier = ">="
        end += 1
        if unit is None and not currency_code and (plus_unit := _measure(text, end, None)) is not None:
            unit = plus_unit  # "40+ years"
    unit_end = unit.end if unit else end
    if unit:
        end = max(end, unit.end)
    sq = re.match(
        r"[ -](or more|or over|or above|plus|or less|or fewer|or under|or so|or thereabouts)\b", text[end : end + 18]
    )
    # "for the next 15 years at least": a bound written after the figure and its unit, closing the clause.
    aq = _AT_LEAST_AFTER.match(text, unit.end if unit else end) if qualifier == "=" and not sq else None
    if odd:
        qualifier = "~"
    if aq:
        qualifier = QUALIFIERS_AFTER[aq.group(1).lower()]
    if sq:
        qualifier = QUALIFIERS_AFTER[sq.group(1)]
        end += sq.end()

    # Units and categories.
    if currency_code and unit and unit.kind == "currency":
        currency_code = unit.code  # a rate: "$15.4/hour" -> USD/hour
    code: str | None = currency_code
    kind = "currency" if currency_code else (unit.kind if unit else None)
    if unit and not currency_code:
        code = unit.code
        if unit.code == "GBP" and (
            text[unit_end : unit_end + 3] in (" of", " ba")
            or any(w.lower().startswith(_WEIGHT_VERBS) for w, _ in _prev_words(text, surf_start, 3))
            # "overloaded by 700 pounds (320kg)": the conversion says weight
            or _KG_AFTER.match(text, unit_end) is not None
        ):
            code, kind = "lb", "mass"
    category = KIND_CATEGORY.get(kind or "", "quantity") if kind else "count"
    age = _AGE_AFTER.match(text, num.end if range_end is None else end) if kind in (None, "duration") else None
    if age_group_end is not None:
        code, kind, category = "year", "age", "age"
        end = age_group_end
    elif age:
        code = (age.group(1) or age.group(2)).lower().rstrip("s")
        kind, category = "age", "age"
        end = age.end()
    elif kind == "duration" and unit and (old := _OLD_AFTER.match(text, unit.end)):
        kind, category = "age", "age"  # "16 to 20-year-olds"
        end = old.end()
    elif kind in (None, "duration") and (
        prev1.lower() in ("aged", "age", "ages")
        # "children under five", "adults over 65": a bound on people's age
        or (
            kind is None
            and qual is not None
            and prev1.lower() in ("under", "over", "below", "above")
            and num.value <= 110
            and len(prev) > 1
            and prev[1][0].lower() in _AGE_GROUPS
            and not _counted_word_follows(text, end)
        )
        # "aged between 40 and 69", "aged just eight"
        or (prev1.lower() in ("between", "just", "only") and len(prev) > 1 and prev[1][0].lower() == "aged")
        or _bare_age(text, surf_start, end, num)
        # "at the age of 24", "raise the pension age to 67"
        or (prev1.lower() in ("of", "to", "from") and len(prev) > 1 and prev[1][0].lower() in ("age", "ages"))
    ):
        code, kind, category = code or "year", "age", "age"
    elif (
        kind is None
        and num.plain_int
        and range_end is None
        and 1 <= num.value <= 110
        and (am := _AGE_APPOSITION.search(text, max(0, span_start - 30), span_start))
        and text.startswith(",", end)
        and (
            am.group(0)[0].isupper()  # "Gere, 55, greeted"
            # "the owner, 61, was arrested": a singular noun, then a verb after the second comma
            or (
                am.group(1).lower() not in CAP_OK
                and am.group(1).lower() not in OBJECT_STOP
                and not _plural_noun(am.group(1))
                and re.match(r",\s+[a-z]", text[end : end + 4]) is not None
            )
        )
    ):
        code, kind, category = "year", "age", "age"  # "Gere, 55, greeted": a person's age
    elif kind == "age":
        category = "age"
    digit_fraction = "/" in text[num.start : num.end]
    if kind is None and ((num.spelled or num.digits in VULGAR or digit_fraction) and abs(num.value) < 1 or ratio):
        category = "fraction"

    sent_start, sent_end = _sentence_bounds(text, num.start)

    obj = _object_after(text, end, kind not in (None, "age"), kind == "currency")
    obj_text = obj[0] if obj else None
    if obj and kind in (None, "age"):
        end = obj[1]
    if category == "count":
        ev = _category_near(text, surf_start, end, sent_start, sent_end)
        if ev:
            category = ev
            # Include an adjacent outcome word: "over 1,380 civilians dead".
            nw = _NEXT_WORD.match(text, end)
            if nw and nw.start(1) == end + 1 and CATEGORY_WORDS.get(nw.group(1).lower()) == ev:
                end = nw.end(1)
        elif (
            obj_text
            and obj_text.split()[-1].lower() in CATEGORY_WORDS
            and not (obj_text.lower().endswith("bodies") and " " in obj_text and _not_dead_bodies(obj_text.split()[-2]))
        ):
            category = CATEGORY_WORDS[obj_text.split()[-1].lower()]

    # Direction: "rose 3%", "fell by 2bn", "up 5%", "down to 7.4%".
    direction: str | None = None
    for w, _ in _prev_words(text, surf_start, 4):
        lw = w.lower()
        if lw in UP_WORDS:
            direction = "up"
            break
        if lw in DOWN_WORDS:
            direction = "down"
            break
        if lw not in (
            "by",
            "to",
            "from",
            "a",
            "an",
            "the",
            "some",
            "just",
            "nearly",
            "about",
            "around",
            "sharply",
            "further",
            "another",
            "more",
            "than",
            "over",
            "almost",
            "only",
            "at",
            "least",
            "roughly",
        ):
            break

    sentence = text[sent_start:sent_end].strip()
    fig = Figure(
        value=_tidy(value),
        unit=code,
        object=obj_text,
        category=category,
        qualifier=qualifier,
        surface=text[surf_start:end],
        start=surf_start,
        end=end,
        sentence=sentence,
        range_end=_tidy(range_end) if range_end is not None else None,
        direction=direction,
    )
    return fig, max(end, num.end)


_SCORE_PAIR = re.compile(r"[-–](\d{1,3})(?!\d|[.,]\d|[/%]|[-–]?[a-zA-Z])")
_SCORE_NEXT = re.compile(r"\s*(?:\(\d{1,2}[-–]\d{1,2}\)\s*)?\d{1,3}[-–]\d{1,3}(?![\d.,%])")
_SCORE_PREV = re.compile(r"\d{1,3}[-–]\d{1,3}\)?\s*\(?$")
_SCORE_WORDS_AFTER = {
    "win",
    "wins",
    "victory",
    "defeat",
    "lead",
    "draw",
    "loss",
    "success",
    "triumph",
    "thrashing",
    "drubbing",
    "scoreline",
    "home",
    "away",
    "aggregate",
    "deficit",
    "advantage",
    "margin",
    "up",
    "down",
    "at",
    "in",
    "on",
    "with",
    "after",
    "against",
    "to",
}
_SCORE_WORDS_BEFORE = {
    "beat",
    "beats",
    "beating",
    "beaten",
    "won",
    "win",
    "wins",
    "winning",
    "lost",
    "lose",
    "losing",
    "drew",
    "draw",
    "lead",
    "led",
    "leading",
    "trail",
    "trailed",
    "trailing",
    "defeated",
    "defeat",
    "edged",
    "thrashed",
    "score",
    "scored",
    "scoreline",
    "odds",
    "victory",
    "going",
    "finished",
    "ended",
}


def _score_end(text: str, num: _Num) -> int | None:
    """End of a sports score or odds ("6-4 7-5", "a 2-0 win", "beat them 33-15", "odds of 8-1"), else None.

    A hyphenated pair of small integers is a range only when it rises, starts above zero and has no score
    around it (another pair next to it, a result word after it or a match verb before it).
    """
    if num.spelled or not num.plain_int or len(num.digits) > 3:
        return None
    if num.start > 0 and (text[num.start - 1] in "$£€¥-–." or text[num.start - 1].isdigit()):
        return None
    pm = _SCORE_PAIR.match(text, num.end)
    if pm is None:
        return None
    a, b = int(num.digits), int(pm.group(1))
    end = pm.end()
    if match_unit(text, end) is not None or _DIGIT_SCALE.match(text, end):
        return None  # "2-3 miles", "2-3 million"
    if b <= a or a == 0 or _SCORE_NEXT.match(text, end) or _SCORE_PREV.search(text, max(0, num.start - 12), num.start):
        return end
    nw = _NEXT_WORD.match(text, end)
    if nw and nw.group(1).lower() in _SCORE_WORDS_AFTER and nw.group(1).lower() not in ("to", "in", "on", "at"):
        return end
    # "Italy 17-28 Ireland": a result line between two names.
    pw = _prev_words(text, num.start, 1)
    if (
        nw
        and nw.start(1) == end + 1
        and nw.group(1)[0].isupper()
        and pw
        and pw[0][0][0].isupper()
        and pw[0][0].lower() not in CAP_OK  # "Between 10-20 Palestinians"
        and pw[0][0].lower() not in QUALIFIERS_BEFORE
        and text[pw[0][1] + len(pw[0][0]) : num.start] == " "
    ):
        return end
    if not _counted_word_follows(text, end) and any(
        w.lower() in _SCORE_WORDS_BEFORE for w, _ in _prev_words(text, num.start, 4)
    ):
        return end
    return None


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


def _measure(text: str, pos: int, currency_code: str | None) -> UnitMatch | None:
    """The unit after a number at pos, as a rate when a denominator follows ("$3 per gallon" -> USD/gallon).

    With a currency prefix the result is the rate (kind "currency") or None ("$5 USD": the prefix says it).
    """
    unit = match_unit(text, pos)
    if unit and unit.kind == "currency" and currency_code:
        unit = None  # "$5 USD": the prefix already says it
    base = currency_code or (unit.code if unit else None)
    kind = "currency" if currency_code else (unit.kind if unit else None)
    if base is None or kind not in ("currency", "length", "mass", "volume", "area", "energy", "data"):
        return unit
    at = unit.end if unit else pos
    if em := _EVERY_PERIOD.match(text, at):
        # "£100 every year", "£265m annually"
        period = em.group(1) or {"annually": "year", "yearly": "year", "monthly": "month", "weekly": "week"}.get(
            (em.group(2) or "").lower(), "year"
        )
        return UnitMatch(f"{base}/{period.lower()}", kind, em.end())
    rm = _RATE.match(text, at)
    if rm is None or rm.end() >= len(text) or not text[rm.end()].isalpha():
        return unit
    den = match_unit(text, rm.end())
    if den is None and rm.group(0).strip() == "per" and (pm := _PER_PERSON.match(text, rm.end())):
        # "0.22 litres per capita", "$5,000 per head": a rate per person. A price "a share" stays money, as
        # annotators mostly write it (Recognizers-Text; most of our news sets).
        return UnitMatch(f"{base}/{pm.group(1).lower()}", kind or "rate", pm.end())
    if den is None or den.kind not in _RATE_KINDS or den.code == base:
        return unit
    if rm.group(0).strip(" -") in ("a", "an") and (
        " " in text[rm.end() : den.end] or (den.kind == "duration" and _TIME_ANCHOR.match(text, den.end))
    ):
        return unit  # "$1.17bn a year earlier", "a week ago": a point in time, not a rate
    code = f"{base}/{den.code}"
    return UnitMatch(_SPEEDS.get(code, code), "speed" if code in _SPEEDS else kind, den.end)


def _currency_word_before(text: str, pos: int) -> bool:
    """A currency name or code written as a word right before pos ("rmb 10")."""
    prev = _prev_words(text, pos, 1)
    if not prev or text[prev[0][1] + len(prev[0][0]) : pos] != " ":
        return False
    um = match_unit(text, prev[0][1])
    return um is not None and um.kind == "currency" and um.end == prev[0][1] + len(prev[0][0])


_ONE_PERSON = re.compile(
    r" (?:(?:more|other|further|additional) )?(?:person|man|woman|child|boy|girl|baby|civilian|soldier|officer|"
    r"policeman|policewoman|passenger|worker|student|journalist|protester|resident|pilot|driver|teenager|suspect|"
    r"firefighter|migrant|prisoner|hostage|tourist|patient|pedestrian|miner|fisherman|other|another)\b"
)


def _one_casualty(text: str, end: int) -> bool:
    """ "One person was killed", "killed one soldier": a count of one in an event report is a figure."""
    pm = _ONE_PERSON.match(text, end)
    if pm is None:
        return False
    sent_start, sent_end = _sentence_bounds(text, end - 3)
    return _category_near(text, end - 3, pm.end(), sent_start, sent_end) is not None


_AGE_SUBJECTS = {"he", "she", "who", "i", "they", "we", "you"}
_AGE_VERBS = {"is", "was", "are", "were", "turned", "turns", "be", "being", "'s", "am"}
_AGE_END = re.compile(r"\s*(?:[.,;:!?)\n]|$|when\b|at the\b|and\b|but\b|years?\b)")


def _bare_age(text: str, surf_start: int, end: int, num: _Num) -> bool:
    """ "He was 84.", "who is 36 at the end of", "they are over 18", "at the age of just 28": a person's age."""
    if not (num.plain_int and 1 <= num.value <= 110) or not _AGE_END.match(text, end):
        return False
    words = [w.lower() for w, _ in _prev_words(text, surf_start, 4)]
    if len(words) >= 2 and words[0] in _AGE_VERBS and words[1] in _AGE_SUBJECTS:
        return True
    # "at the age of just 28"
    return len(words) >= 3 and words[0] in ("just", "only") and words[1] == "of" and words[2] in ("age", "ages")


def _capitalised_unit(text: str, num_end: int, end: int) -> bool:
    word = text[num_end:end].strip(" -")
    return bool(word) and word[0].isupper()


def _title_case(text: str, pos: int) -> bool:
    """Whether the line around pos is a Title Case headline (most longer words capitalised)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    words = [w for w in _WORD_RE.findall(text[line_start : line_end if line_end >= 0 else len(text)]) if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _tidy(v: float) -> float:
    """Drop binary noise from scaling: 16.1 * 1e6 is 16100000.000000002, stored as 16100000.0."""
    return float(f"{v:.15g}")


def _year_like(n: _Num) -> bool:
    return n.plain_int and len(n.digits) == 4 and 1800 <= n.value <= 2100


_RISE_INTRANSITIVE = {"edged", "crept", "ticked", "inched", "moved", "climbed", "rose", "jumped", "shot", "surged",
                      "went", "rallied", "bounced", "crawled", "edges", "creeps", "ticks", "inches", "climbs"}
_SUM_VERBS = {"add", "adds", "added", "adding", "sum", "sums", "summed", "total", "totals", "totalled", "totaled"}
_NOT_A_CEILING_BEFORE = _SUM_VERBS | _RISE_INTRANSITIVE
_RAISE_VERBS = {"pushed", "pushing", "push", "pushes", "raised", "raising", "raise", "raises", "moved", "moving",
                "lifted", "lifting", "ramped", "ramping", "stepped", "stepping", "scaled", "bumped", "driven", "drove",
                "sent", "sending", "went", "rose", "climbed", "jumped", "shot", "hiked", "increased", "revised"}
_CLAUSE_START = re.compile(r".*[.;:!?\n]\s", re.S)
_WORD_RE = re.compile(r"[A-Za-z]+")


def _change_word_in_clause(text: str, pos: int) -> bool:
    """A change verb earlier in the clause before pos ("raised the limit ... from 49% to 74%")."""
    chunk = text[max(0, pos - 160) : pos]
    cm = _CLAUSE_START.match(chunk)
    words = _WORD_RE.findall(chunk[cm.end() :] if cm else chunk)
    return any(w.lower() in UP_WORDS or w.lower() in DOWN_WORDS or w.lower() in _CHANGE_VERBS_EXTRA for w in words)


def _after_change_word(text: str, pos: int) -> bool:
    """A change verb or adverb right before pos ("rose 5%", "increase by 46%")."""
    for w, _ in _prev_words(text, pos, 2):
        lw = w.lower()
        if lw in UP_WORDS or lw in DOWN_WORDS:
            return True
        if lw != "by":
            return False
    return False


def _counted_word_follows(text: str, pos: int) -> bool:
    """A lower-case content word right after pos ("over 2000 people"), i.e. the number counts something."""
    nw = _NEXT_WORD.match(text, pos)
    if nw is None or nw.start(1) != pos + 1:
        return False
    w = nw.group(1)
    return w[0].islower() and w.lower() not in OBJECT_STOP


def _Num_scale_base(text: str, n: _Num) -> float:
    """Value of a scaled number without its scale ("3 million" -> 3), to carry the scale to a range start."""
    sm = re.match(r"[\d.,]+", text[n.start : n.end])
    if sm:
        return parse_digits(sm.group(0).rstrip(".,")) or 1.0
    v = words_value(text[n.start : n.end].lower().replace("-", " ").split()[:1])
    return v or 1.0


# Counted periods that "over" can span like a duration: "$1.1 billion over five sessions".
_PERIODS = {"sessions", "games", "matches", "laps", "seasons", "quarters", "rounds", "races", "innings", "stages",
            "episodes", "films", "terms", "years", "months", "weeks", "days", "tests", "legs", "trading"}
# Words before "over N <period>" that make it a bound ("jailed for over 10 years"), not a span.
_OVER_BOUND_BEFORE = {"for", "of", "than", "in", "lasting", "lasted", "last", "lasts", "took", "take", "takes",
                      "taken", "spent", "spend", "served", "serving", "serve", "after", "aged", "just", "well",
                      "already", "now", "is", "was", "are", "were", "be", "been", "being", "at", "by", "to"}
# Nouns and verbs after which "over" means "about" or "against", not "more than": "the furore over one sentence".
_OVER_TOPIC_WORDS = {
    "row",
    "rows",
    "furore",
    "furor",
    "dispute",
    "disputes",
    "fears",
    "concern",
    "concerns",
    "worries",
    "anger",
    "outrage",
    "talks",
    "battle",
    "fight",
    "clash",
    "clashes",
    "clashed",
    "controversy",
    "probe",
    "inquiry",
    "split",
    "victory",
    "win",
    "wins",
    "triumph",
    "argue",
    "argued",
    "arguing",
    "sued",
    "suing",
    "protest",
    "protests",
    "lead",
    # phrasal verbs: "handed over $103,500", "had taken over 80% of the property"
    "handed",
    "hand",
    "hands",
    "handing",
    "taken",
    "take",
    "takes",
    "took",
    "taking",
    "turned",
    "turning",
    "signed",
    "forked",
    "won",
    "chosen",
    "picked",
    "preferred",
}

# "bodies" are the dead right after the number ("40 bodies") or after these words; else organisations.
_DEAD_BODY_WORDS = {"dead", "more", "charred", "decomposed", "mutilated", "unidentified", "burned", "burnt", "the",
                    "decapitated", "other", "further", "additional", "human", "bullet-riddled", "headless", "of"}


def _not_dead_bodies(prev_word: str) -> bool:
    w = prev_word.lower()
    return prev_word[0].isalpha() and w not in _DEAD_BODY_WORDS and w not in NUMBER_WORDS


_LIVES_BEFORE = {"their", "his", "her", "its", "whose", "the", "many", "more", "innocent", "civilian", "human"}


def _lives_is_a_verb(text: str, pos: int) -> bool:
    """Whether "lives" at pos is not a count of deaths: only "their lives", "civilian lives" and the like are."""
    pw = _prev_words(text, pos, 1)
    return bool(pw) and pw[0][0].lower() not in _LIVES_BEFORE


_BARE_SCALES = {"hundred", "thousand", "million", "billion", "trillion", "dozen"}
_OR_NEXT = re.compile(r"\s+or\s+")
_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b")
_HHMM = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
_TIME_RANGE = re.compile(
    r"\s*(?:[-–]|to|and|until|till)\s*(?:[01]\d|2[0-3])[0-5]\d\s?(?:GMT|BST|UTC|CET|EST|EDT|PST|hrs|hours)\b"
)
_TEST_RESULT_WORDS = {"tested", "test", "tests", "testing", "proved", "back", "returned"}
_CAMEL = re.compile(r"[a-z][A-Z]")
_ODD = re.compile(r"[ -]odd\b")
# Sentence-opening words that may stand right before a bare figure ("Yesterday 12 ...", "Overall 30 ...").
_START_OK = {"today", "yesterday", "overall", "altogether", "now", "then", "here", "so", "yet", "thus", "meanwhile",
             "instead", "however", "worldwide", "nationwide", "globally", "together", "combined", "last", "next",
             "this", "that", "since", "until", "till", "within", "during", "among", "like", "unlike", "plus", "minus",
             "almost", "nearly", "perhaps", "maybe", "possibly", "probably", "fully", "just", "only", "at", "under"}
# "several hundred", "a few thousand", "many millions": a vague count is no figure (the gold annotates none).
_VAGUE_BEFORE = {"several", "few", "many", "couple", "numerous", "countless"}

_SENT_CACHE: dict[int, tuple[str, list[int]]] = {}


def _sentence_starts_cached(text: str) -> list[int]:
    # One text is processed at a time; keep its sentence offsets while its figures are built.
    hit = _SENT_CACHE.get(0)
    if hit is not None and hit[0] is text:
        return hit[1]
    starts = _sentence_starts(text)
    _SENT_CACHE[0] = (text, starts)
    return starts


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end offsets of the sentence holding pos."""
    sent_starts = _sentence_starts_cached(text)
    si = bisect.bisect_right(sent_starts, pos) - 1
    return sent_starts[si], sent_starts[si + 1] if si + 1 < len(sent_starts) else len(text)


def extract_figures(text: str) -> list[Figure]:
    """All figures in `text`, in order; offsets index `text` and surface == text[start:end]."""
    figures: list[Figure] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = CANDIDATE.search(text, pos)
        if m is None:
            break
        fig, nxt = _build(text, m)
        if fig is not None:
            if figures and fig.start < figures[-1].end:
                # The qualifier or object of a neighbour overlaps; keep offsets disjoint.
                fig.start = figures[-1].end
                while fig.start < fig.end and text[fig.start] == " ":
                    fig.start += 1
                fig.surface = text[fig.start : fig.end]
            figures.append(fig)
        pos = max(nxt, m.end())
    _one_unit_figures(text, figures)
    _SENT_CACHE.pop(0, None)  # do not keep the text alive after its figures are built
    _share_units(text, figures)
    _share_bounds(text, figures)
    _share_events(text, figures)
    _poll_points(figures)
    _degree_scale(figures)
    return figures


def _degree_scale(figures: list[Figure]) -> None:
    """ "Seville hit 46C, while Lisbon reached 44.9 degrees": bare degrees take the scale used in the sentence."""
    scales = {f.sentence: f.unit for f in figures if f.unit in ("celsius", "fahrenheit")}
    for f in figures:
        if f.unit == "degree" and f.sentence in scales:
            f.unit = scales[f.sentence]


_POLL_WORDS = re.compile(
    r"\b(?:polls?|polling|poll's|swing|survey|surveyed|approval|voters|vote share|share of the vote|lead|leads|"
    r"per cent|percent|turnout|margin of error)\b|%",
    re.I,
)
_NOT_POLL_WORDS = re.compile(
    r"\b(?:dow|ftse|nasdaq|s&p|sensex|nifty|nikkei|hang seng|dax|cac|kospi|asx|tsx|index|indices|stocks?|shares|"
    r"scored|scoring|score|game|games|match|league|table|docked|rebounds|assists|goals?|season|win|won|lost|"
    r"points? deduction|penalty|licence|license|driving|credit|basis)\b",
    re.I,
)


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


_A_UNIT = re.compile(
    r"\b(more than|over|nearly|almost|about|around|under|less than|at least|just over|just under|up to|roughly|"
    r"well over|within|at most|no more than|approximately)\s+(?:a|an|one)\s+"
    r"(second|minute|hour|day|week|fortnight|month|year|decade|century|mile|kilometre|kilometer|metre|meter|"
    r"foot|inch|tonne|ton|litre|liter|gallon|kilo|kilogram|pound|dollar|euro|percent|per cent|percentage point)\b",
    re.I,
)
_A_UNIT_CODE = {"fortnight": ("week", 2.0), "per cent": ("percent", 1.0)}


def _one_unit_figures(text: str, figures: list[Figure]) -> None:
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
        sent_start, sent_end = _sentence_bounds(text, m.start())
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


_EVENT_CATEGORIES = {"killed", "wounded", "arrested", "kidnapped", "displaced", "evacuated", "protesters"}
_PART_OF_BEFORE = re.compile(r"(?:including|among them|among whom|of them|of whom)\s+$", re.I)


def _share_events(text: str, figures: list[Figure]) -> None:
    """ "killing at least 19 people, including 17 foreigners": a part of an event count is the same event."""
    for f, g in zip(figures, figures[1:], strict=False):
        if (
            f.category in _EVENT_CATEGORIES
            and g.category == "count"
            and g.sentence == f.sentence
            and _PART_OF_BEFORE.search(text, max(0, g.start - 16), g.start)
        ):
            g.category = f.category


_CONVERSION_GAP = re.compile(r"\s*[(\[]\s*")


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


_CONJ_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")


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
