"""Rules that drop a number that is not a figure, as named functions in ordered tuples.

`NUMBER_RULES` look at the bare number (years and dates need more context and come later); `UNIT_RULES` run
once its range and unit are known; `CONTEXT_RULES` once the unit is final and the words around it are read.
Each rule returns the offset where the scan resumes when it drops the number, else None; its function name is
the rule name `newsetl extract --explain` prints (docs/figures.md describes each).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from transforms.figures.candidate import Candidate, Reject
from transforms.figures.context import (
    Num,
    SentenceIndex,
    _age_group_before,
    _capitalised_unit,
    _category_near,
    _counted_word_follows,
    _is_sentence_start,
    _prev_words,
    _title_case,
)
from transforms.figures.lexicon import (
    AGE_SUBJECTS,
    AGE_VERBS,
    BARE_SCALES,
    CAP_OK,
    CATEGORY_WORDS,
    LIST_WORDS,
    MONTHS,
    QUALIFIERS_BEFORE,
    RATIO_BASES,
    SCORE_WORDS_AFTER,
    SCORE_WORDS_BEFORE,
    SPELLED_LIST_WORDS,
    START_OK,
    VAGUE_BEFORE,
)
from transforms.figures.patterns import (
    _ADDRESS,
    _AGE_END,
    _CAMEL,
    _CODE_BEFORE,
    _CODE_TAIL,
    _DATE_LIST,
    _DAY_LIST_CONTINUES,
    _DIGIT_SCALE,
    _DOTTED_DIGITS,
    _HHMM,
    _INNER_CAPITAL,
    _LIST_CONTINUES,
    _MULTI_BEFORE,
    _NEXT_WORD,
    _ONE_PERSON,
    _ORDINAL_AFTER,
    _PHONE,
    _RESOLUTION,
    _SCORE_NEXT,
    _SCORE_PAIR,
    _SCORE_PREV,
    _TIME_AFTER,
    _TIME_RANGE,
)
from transforms.units import currency_prefix, match_unit

NumberRule = Callable[[str, Num], "int | None"]
CandidateRule = Callable[[str, Candidate], "int | None"]


# ------------------------------------------------------------------------------------ on the bare number


def spelled_clock_time(text: str, num: Num) -> int | None:
    """ "four o'clock": a time."""
    e = num.end
    return e if text.startswith(" o'clock", e) or text.startswith(" o’clock", e) else None


def identifier(text: str, num: Num) -> int | None:
    """Letters against the number ("COVID-19", "F-16", "G8", "MP3") or IP/version parts: the whole code is
    skipped ("A320-200", "B-52/H")."""
    s, e = num.start, num.end
    before, after = num.before, num.after
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
    return None


def short_year(text: str, num: Num) -> int | None:
    """ "in '94": a year."""
    s = num.start
    before = num.before
    if before in "'’" and len(num.digits) == 2 and num.plain_int and (s < 2 or not text[s - 2].isalnum()):
        return num.end
    return None


def after_colon_or_point(text: str, num: Num) -> int | None:
    """ "10:30", "1.2.3": the second part of a time, ratio or dotted number."""
    s = num.start
    before = num.before
    if before == ":" or (before == "." and s > 1 and text[s - 2].isdigit()):
        return num.end
    return None


def footnote(text: str, num: Num) -> int | None:
    """A footnote marker: "browser.[43][44]"."""
    before, after = num.before, num.after
    return num.end + 1 if before == "[" and after == "]" else None


def clock_time(text: str, num: Num) -> int | None:
    """ "10am", "9 GMT", "5 o'clock": a time of day."""
    return num.end if _TIME_AFTER.match(text, num.end) else None


def clock_time_range(text: str, num: Num) -> int | None:
    """ "from 1130 to 1215 GMT": 24-hour clock times."""
    if num.plain_int and len(num.digits) == 4 and (tr := _TIME_RANGE.match(text, num.end)) and _HHMM.fullmatch(
        num.digits
    ):
        return tr.end()
    return None


def list_marker(text: str, num: Num) -> int | None:
    """A list marker "1)" at the start of a line."""
    s = num.start
    after = num.after
    if after == ")" and "(" not in text[max(0, s - 40) : s] and not text[text.rfind("\n", 0, s) + 1 : s].strip():
        return num.end
    return None


def ordinal(text: str, num: Num) -> int | None:
    """ "5th", "1st", "the 1990s", "3's": an ordinal or decade."""
    after = num.after
    if (after.isalpha() or after == "'") and not (after == "s" and _age_group_before(text, num.start)):
        om = _ORDINAL_AFTER.match(text, num.end)
        if om:
            return om.end()
    return None


def slash_date(text: str, num: Num) -> int | None:
    """Dates like 12/03/2004, 12.03.2004 (not "6-6.5%": a range)."""
    e = num.end
    after = num.after
    if (after == "/" and not text[e + 1 : e + 2].isalpha()) or (
        after in ".-" and re.match(r"([.-])\d{1,2}\1\d", text[e : e + 5])
    ):
        return e + 6
    return None


def dotted_digits(text: str, num: Num) -> int | None:
    """ "12.03.2004", "1.2.3": dotted dates and version numbers."""
    e = num.end
    after = num.after
    if after == "." and text[e + 1 : e + 2].isdigit():
        return _DOTTED_DIGITS.match(text, e).end()  # type: ignore[union-attr]
    return None


def phone_number(text: str, num: Num) -> int | None:
    """ "+44 20 7946 0958", "(020) 7946-0958", "555-0134": a phone number."""
    if not num.plain_int:
        return None
    s = num.start
    before = num.before
    pm = _PHONE.match(text, s - 1 if before == "+" else s)
    if pm and (
        pm.group(0)[0] in "+(0"
        or pm.group(0).count(" ") + pm.group(0).count("-") >= 2
        or re.search(r"\b\d{3}-\d{4}$", pm.group(0))
    ):
        return pm.end()
    return None


def leading_zero(text: str, num: Num) -> int | None:
    """ "007", "0161": digits with a leading zero are a code."""
    if num.plain_int and len(num.digits) > 1 and num.digits[0] == "0":
        return num.end
    return None


def score(text: str, num: Num) -> int | None:
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
    if nw and nw.group(1).lower() in SCORE_WORDS_AFTER and nw.group(1).lower() not in ("to", "in", "on", "at"):
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
        w.lower() in SCORE_WORDS_BEFORE for w, _ in _prev_words(text, num.start, 4)
    ):
        return end
    return None


def vague_scale(text: str, num: Num) -> int | None:
    """ "several hundred", "a few thousand", "a couple of hundred": a vague count (the gold annotates none)."""
    if num.spelled and text[num.start : num.end].lower().split()[0] in BARE_SCALES:
        pv = [w.lower() for w, _ in _prev_words(text, num.start, 2)]
        if pv and (pv[0] in VAGUE_BEFORE or pv[0] == "of" and len(pv) > 1 and pv[1] == "couple"):
            return num.end
    return None


# A spelled number is only checked for a clock time; these look at digits.
SPELLED_NUMBER_RULES: tuple[NumberRule, ...] = (spelled_clock_time,)
DIGIT_NUMBER_RULES: tuple[NumberRule, ...] = (
    identifier,
    short_year,
    after_colon_or_point,
    footnote,
    clock_time,
    clock_time_range,
    list_marker,
    ordinal,
    slash_date,
    dotted_digits,
    phone_number,
    leading_zero,
)
NUMBER_RULES: tuple[NumberRule, ...] = (score, vague_scale)


def not_a_figure(text: str, num: Num) -> Reject | None:
    """The first identifier, date, time, ordinal or phone rule that drops the number, if any."""
    num.before = text[num.start - 1] if num.start > 0 else " "
    num.after = text[num.end] if num.end < len(text) else " "
    for rule in SPELLED_NUMBER_RULES if num.spelled else DIGIT_NUMBER_RULES:
        resume = rule(text, num)
        if resume is not None:
            return Reject(rule.__name__, resume)
    return None


def number_reject(text: str, num: Num) -> Reject | None:
    """The first rule on the bare number that drops it: `not_a_figure`, then `NUMBER_RULES`."""
    rej = not_a_figure(text, num)
    if rej is not None:
        return rej
    for rule in NUMBER_RULES:
        resume = rule(text, num)
        if resume is not None:
            return Reject(rule.__name__, resume)
    return None


def one_casualty(text: str, end: int, sents: SentenceIndex) -> bool:
    """ "One person was killed", "killed one soldier": a count of one in an event report is a figure."""
    pm = _ONE_PERSON.match(text, end)
    if pm is None:
        return False
    sent_start, sent_end = sents.bounds(end - 3)
    return _category_near(text, end - 3, pm.end(), sent_start, sent_end) is not None


def _bare_age(text: str, surf_start: int, end: int, num: Num) -> bool:
    """ "He was 84.", "who is 36 at the end of", "they are over 18", "at the age of just 28": a person's age."""
    if not (num.plain_int and 1 <= num.value <= 110) or not _AGE_END.match(text, end):
        return False
    words = [w.lower() for w, _ in _prev_words(text, surf_start, 4)]
    if len(words) >= 2 and words[0] in AGE_VERBS and words[1] in AGE_SUBJECTS:
        return True
    # "at the age of just 28"
    return len(words) >= 3 and words[0] in ("just", "only") and words[1] == "of" and words[2] in ("age", "ages")


# ------------------------------------------------------------------ once the range and unit are known


def resolution(text: str, c: Candidate) -> int | None:
    """ "a 4K display", "8K TV": a resolution name."""
    return c.end if _RESOLUTION.match(text, c.num.start) and not c.currency_code else None


def letter_suffix(text: str, c: Candidate) -> int | None:
    """ "5G", "3D", "4x4": letters right after the number make a name, not a figure."""
    end = c.end
    if (
        not c.num.scaled
        and c.unit is None
        and end < len(text)
        and (text[end].isalpha() or text[end] == "-" and end + 1 < len(text) and text[end + 1].isupper())
        and not (text[end] == "s" and _age_group_before(text, c.span_start))
    ):
        return end
    return None


UNIT_RULES: tuple[CandidateRule, ...] = (resolution, letter_suffix)


# ------------------------------------------------------------- once the unit is final and its neighbours read


def year(text: str, c: Candidate) -> int | None:
    """A bare four-digit integer in 1800-2100 with no currency, unit or qualifier: "in 2004", "1990-2030", and
    with its span: "2004-05", "the 1980-81 season"."""
    num, unit, range_end, end = c.num, c.unit, c.range_end, c.end
    if (
        num.plain_int
        and len(num.digits) == 4
        and 1800 <= num.value <= 2100
        and not c.currency_code
        and (not c.qual or not _counted_word_follows(text, end))
        and (unit is None or unit.kind == "duration")
        and (range_end is None or (range_end == int(range_end) and 1800 <= range_end <= 2100))
    ):
        ym = re.match(r"[-–/](\d{2}|\d{4})\b", text[end : end + 6]) if range_end is None else None
        return end + (ym.end() if ym else 0)  # "the 1980-81 season"
    return None


def date(text: str, c: Candidate) -> int | None:
    """Dates: "May 4", "4 May", "4th of May", "6 or 7 January", "Sept. 11 and 12", "May 4-6"."""
    num, prev1, nxt, nxt1, end = c.num, c.prev1, c.nxt, c.nxt1, c.end
    if (
        not c.currency_code
        and c.unit is None
        and (
            (prev1.rstrip(".") in MONTHS and (num.value <= 31 or num.plain_int))
            or (nxt1 in MONTHS and num.value <= 31)
            or (nxt1 == "of" and len(nxt) > 1 and nxt[1][0] in MONTHS)
            or (num.plain_int and num.value <= 31 and _DATE_LIST.match(text, end))
        )
    ):
        dc = _DAY_LIST_CONTINUES.match(text, end) if prev1.rstrip(".") in MONTHS else None
        return dc.end() if dc else end
    return None


def street_number(text: str, c: Candidate) -> int | None:
    """ "10 Downing Street" (in "221B Baker Street" the letter already makes it a name)."""
    if c.num.plain_int and not c.currency_code and c.unit is None and c.range_end is None:
        return c.end if _ADDRESS.match(text, c.end) else None
    return None


def rank(text: str, c: Candidate) -> int | None:
    """ "the top five hit", "top 10": a chart position or rank; "reached the last 16": a round of a tournament."""
    p = c.prev1.lower()
    if (
        (p == "top" or (p == "last" and not _counted_word_follows(text, c.end)))
        and c.unit is None
        and not c.currency_code
        and c.num.value <= 100
        and not c.qual
    ):
        return c.end
    return None


def clock_at(text: str, c: Candidate) -> int | None:
    """ "at 1330": a 24-hour clock time."""
    num = c.num
    if c.prev1.lower() == "at" and c.unit is None and not c.currency_code and num.plain_int and _HHMM.fullmatch(
        num.digits
    ):
        return c.end
    return None


def match_minute(text: str, c: Candidate) -> int | None:
    """ "took the lead on 59 minutes": a point in a match, not a duration."""
    unit = c.unit
    if c.prev1.lower() == "on" and unit is not None and unit.code == "minute" and c.num.plain_int:
        return unit.end if c.num.value <= 130 else None
    return None


def rate_base(text: str, c: Candidate) -> int | None:
    """ "eight people per thousand", "8.5 cases per 100,000 people": the base of a rate."""
    if c.prev1.lower() == "per" and c.num.value in RATIO_BASES and not c.currency_code and c.unit is None:
        return c.end
    return None


def currency_name(text: str, c: Candidate) -> int | None:
    """ "Rapper 50 Cent", "50 Cent's entourage": a capitalised currency word inside a sentence is a name."""
    unit, end = c.unit, c.end
    if unit is not None and unit.kind == "currency" and text[end : unit.end].strip()[:1].isupper() and (
        text[end : unit.end].strip().lower() in ("cent", "cents", "pence", "dollar", "dollars", "pound", "pounds")
    ):
        return unit.end
    if unit is None and text.startswith((" Cent'", " Cent’"), end):
        return end + 5
    return None


def _model_letter(text: str, c: Candidate) -> bool:
    """One capital letter against the number after a name: "Boeing 777F", "Airbus A380F"."""
    return c.unit is not None and c.unit.end == c.end + 1 and text[c.end].isupper() and text[c.end] != "%"


def _list_or_name_gate(text: str, c: Candidate) -> bool:
    return (
        not c.currency_code
        and (c.unit is None or _model_letter(text, c))
        and not c.num.spelled
        and (c.range_end is None or c.range_conn == "-")  # "Boeing 737-800": a model, not a range
        and bool(c.prev)
    )


def list_number(text: str, c: Candidate) -> int | None:
    """Page, list and identifier numbers: "page 5", "No. 10", "Section 427", "junctions 10 and 11"."""
    if not _list_or_name_gate(text, c):
        return None
    pw = c.prev1.lower().rstrip(".")
    if pw in LIST_WORDS and not c.qual and not _model_letter(text, c) and c.range_end is None:
        lc = _LIST_CONTINUES.match(text, c.end)  # "pages 5-7"
        return lc.end() if lc else c.end
    return None


def name_before(text: str, c: Candidate) -> int | None:
    """A capitalised name right before the number: "Windows 10", "iOS 17", "Big 12", "Boeing 777F"."""
    if not _list_or_name_gate(text, c):
        return None
    prev, prev1, pw = c.prev, c.prev1, c.prev1.lower().rstrip(".")
    if (
        (prev1[0].isupper() or _INNER_CAPITAL.search(prev1))
        # "the FSA's 60 staff" counts; "Standard and Poor's 500," names an index.
        and (not prev1.endswith(("'s", "’s", "s'")) or (not c.num.scaled and not _counted_word_follows(text, c.end)))
        and pw not in CAP_OK
        and pw not in QUALIFIERS_BEFORE
        and prev1.rstrip(".") not in MONTHS
        and pw not in CATEGORY_WORDS
        and (
            not _is_sentence_start(text, prev[0][1])
            or _CAMEL.search(prev1)  # "PlayStation 3 chip"
            # "Windows 11 runs", "Formula 1 returns": a name opening the sentence (a subject right before a
            # count is not English); time and sentence adverbs ("Yesterday 12 ...", "Overall 30 ...") are.
            or (pw not in START_OK and not pw.endswith(("ly", "ing", "ed")))  # "Walking 7,000 steps"
        )
        and text[prev[0][1] + len(prev1) : c.span_start].strip() == ""
    ):
        return c.end
    return None


def spelled_name(text: str, c: Candidate) -> int | None:
    """ "Six Nations", "Radio Five Live", "The Two Ronnies": a capitalised number word inside a sentence is a
    name; "Three Degrees star Sheila Ferguson" too, outside a Title Case headline ("Man Jailed For Nine Years")."""
    num, unit = c.num, c.unit
    if (
        num.spelled
        and text[num.start].isupper()
        and not c.currency_code
        and not c.qual
        and (
            (unit is None and not _is_sentence_start(text, num.start))
            or (unit is not None and _capitalised_unit(text, num.end, unit.end) and not _title_case(text, num.start))
        )
    ):
        return c.end
    return None


def spelled_list(text: str, c: Candidate) -> int | None:
    """ "number four", "part two", "series three": a spelled number naming a place in a list."""
    if (
        c.num.spelled
        and c.prev
        and c.prev1.lower().rstrip(".") in SPELLED_LIST_WORDS
        and text[c.prev[0][1] + len(c.prev1) : c.span_start] == " "
        and not c.currency_code
        and c.unit is None
    ):
        return c.end
    return None


def multi_size(text: str, c: Candidate) -> int | None:
    """ "multi-million pound contracts", "multibillion-dollar": no number, only a size."""
    num = c.num
    return c.end if num.spelled and _MULTI_BEFORE.search(text, max(0, num.start - 6), num.start) else None


def bare_one(text: str, c: Candidate) -> int | None:
    """A bare "one" is a pronoun or article far more often than a figure ("one of the best", "at one point")."""
    num, unit = c.num, c.unit
    if (
        num.spelled
        and num.value == 1
        and (unit is None or unit.code == "point")
        and not c.currency_code
        and not num.scaled
        and not c.ratio
        and (not c.qual or text.startswith(" of ", c.end))  # "around one of the genre's best"
        and not one_casualty(text, c.end, c.sents)
    ):
        return c.end
    return None


CONTEXT_RULES: tuple[CandidateRule, ...] = (
    year,
    date,
    street_number,
    rank,
    clock_at,
    match_minute,
    rate_base,
    currency_name,
    list_number,
    name_before,
    spelled_name,
    spelled_list,
    multi_size,
    bare_one,
)


def candidate_reject(text: str, c: Candidate, rules: tuple[CandidateRule, ...]) -> Reject | None:
    """The first of `rules` that drops the candidate, if any."""
    for rule in rules:
        resume = rule(text, c)
        if resume is not None:
            return Reject(rule.__name__, resume)
    return None


# Every rule name, in the order they run (docs/figures.md describes each).
RULE_NAMES: tuple[str, ...] = tuple(
    r.__name__ for r in (*SPELLED_NUMBER_RULES, *DIGIT_NUMBER_RULES, *NUMBER_RULES, *UNIT_RULES, *CONTEXT_RULES)
)
