"""The stages a number goes through on its way to a figure, each a small function (text, candidate) ->
candidate | Reject: number, sign, currency, scale, range, unit, qualifier, category, object, direction.

Rules that drop a number sit in transforms.figures.rules and run between the stages: `NUMBER_RULES` on the
bare number, `UNIT_RULES` once its range and unit are known, `CONTEXT_RULES` once its neighbours are read.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from transforms.figures.candidate import Candidate, Reject
from transforms.figures.context import (
    SentenceIndex,
    _after_change_word,
    _age_group_before,
    _category_near,
    _change_word_in_clause,
    _counted_word_follows,
    _currency_word_before,
    _next_words,
    _not_dead_bodies,
    _num_scale_base,
    _object_after,
    _plural_noun,
    _prev_words,
    _qualifier_before,
    _tidy,
    _year_like,
)
from transforms.figures.lexicon import (
    AGE_GROUPS,
    CAP_OK,
    CATEGORY_WORDS,
    DIRECTION_SKIP,
    DOWN_WORDS,
    OBJECT_STOP,
    OVER_BOUND_BEFORE,
    PERIODS,
    QUALIFIERS_AFTER,
    RATIO_BASES,
    SYMBOLS,
    TEMPERATURE_CODES,
    TEST_RESULT_WORDS,
    UP_WORDS,
    WEIGHT_VERBS,
)
from transforms.figures.nouns import count_unit
from transforms.figures.parse import _apply_scale, _measure, _parse_number
from transforms.figures.patterns import (
    _ACCOUNTING_BEFORE,
    _AFTER_QUAL,
    _AGE_AFTER,
    _AGE_APPOSITION,
    _AND_BELOW,
    _AT_LEAST_AFTER,
    _CENTS_AFTER,
    _CENTS_TAIL,
    _DIGIT_SCALE,
    _FEET_INCHES,
    _KG_AFTER,
    _LETTER_PREFIX,
    _M_CODE_AFTER,
    _M_CODE_BEFORE,
    _MONTH_AFTER,
    _NEXT_WORD,
    _ODD,
    _OLD_AFTER,
    _OR_NEXT,
    _RANGE_CONN,
    _RATIO,
    _SUSPENDED_RANGE,
    _SYMBOL_QUAL,
    _WORD_SCALE_AFTER,
    CANDIDATE,
)
from transforms.figures.rules import (
    CONTEXT_RULES,
    UNIT_RULES,
    _bare_age,
    candidate_reject,
    not_a_figure,
    number_reject,
)
from transforms.numbers import SCALES, VULGAR
from transforms.records import Figure
from transforms.units import KIND_CATEGORY, UnitMatch, currency_prefix, match_unit

Stage = Callable[[str, Candidate], "Candidate | Reject"]


def number(text: str, m: re.Match[str], sents: SentenceIndex) -> Candidate | Reject:
    """The number at a CANDIDATE match, unless it is none or a rule on the bare number drops it."""
    num = _parse_number(text, m)
    if num is None:
        return Reject("not_a_number", m.end())
    rej = number_reject(text, num)
    if rej is not None:
        return rej
    return Candidate(m=m, sents=sents, num=num, span_start=num.start)


def sign(text: str, c: Candidate) -> Candidate | Reject:
    """ "-5", "−20C", "minus 5", "$-99.99", "negative 5 degrees" (not the hyphen of a range or compound)."""
    num = c.num
    if (
        not num.spelled
        and num.start > 0
        and text[num.start - 1] in "-−"
        and (num.start == 1 or text[num.start - 2] in " (\n<>=~≈≤≥")
    ):
        num.value = -num.value
        c.span_start = num.start - 1
    elif num.start > 1 and text[num.start - 1] in "-−" and text[num.start - 2] in "$£€¥":
        num.value = -num.value  # "$-99.99"
        c.span_start = num.start - 1
    elif text[max(0, num.start - 6) : num.start].lower() == "minus ":
        if text[max(0, num.start - 14) : num.start - 6].lower() == "plus or ":
            c.span_start = num.start  # "plus or minus 2.5 points": a margin, not a negative number
        else:
            num.value = -num.value
            c.span_start = num.start - 6
    elif text[max(0, num.start - 9) : num.start].lower() == "negative " and not (
        (neg_prev := _prev_words(text, num.start - 9, 1)) and neg_prev[0][0].lower() in TEST_RESULT_WORDS
    ):
        num.value = -num.value  # "negative 5 degrees", "negative one" (not "tested negative 3 times")
        c.span_start = num.start - 9
    elif (
        not num.spelled
        and text[max(0, num.start - 2) : num.start] in ("- ", "− ")
        and (num.start == 2 or text[num.start - 3] in " (\n")
        and (tu := match_unit(text, num.end)) is not None
        and tu.code in TEMPERATURE_CODES
    ):
        num.value = -num.value  # "- 20 degrees fahrenheit": a spaced minus before a temperature
        c.span_start = num.start - 2
    return c


def currency(text: str, c: Candidate) -> Candidate | Reject:
    """A currency prefix ("$", "Rs", "US$"), or M before an ISO code ("30 MUSD", "MAUD 60": millions)."""
    num = c.num
    cur = currency_prefix(text, c.span_start)
    c.currency_code = cur[0] if cur else None
    if cur:
        c.span_start = cur[1]
    else:
        mc = _M_CODE_AFTER.match(text, num.end) or (
            None if num.spelled else _M_CODE_BEFORE.search(text, max(0, c.span_start - 6), c.span_start)
        )
        if mc:
            c.currency_code = mc.group(1)
            num.value *= 1e6
            num.scaled = True
            num.plain_int = False
            if mc.start() >= num.end:
                num.end = mc.end()
            else:
                c.span_start = mc.start()
    span_start = c.span_start
    c.negative_paren = (
        c.currency_code is not None
        and span_start > 0
        and text[span_start - 1] == "("
        and _ACCOUNTING_BEFORE.search(text, max(0, span_start - 12), span_start - 1) is not None
    )
    return c


def scale(text: str, c: Candidate) -> Candidate | Reject:
    """ "3.5 million", "$2bn", "six or seven million" (the second number's scale carries), "40-odd", "($99.99)"."""
    num = c.num
    _apply_scale(text, num, c.currency_code is not None)
    if not num.scaled and num.value < 1000 and (om := _OR_NEXT.match(text, num.end)):
        m2 = CANDIDATE.match(text, om.end())
        n2 = _parse_number(text, m2) if m2 else None
        if n2 is not None and n2.spelled == num.spelled:
            _apply_scale(text, n2, c.currency_code is not None)
            last = text[n2.start : n2.end].lower().rsplit(None, 1)[-1]
            factor = n2.value / _num_scale_base(text, n2) if n2.scaled else SCALES.get(last, 1.0)
            if factor >= 1000 and num.value <= n2.value / factor:
                num.value *= factor
                num.scaled = True
                num.plain_int = False
    if not num.scaled and (od := _ODD.match(text, num.end)) and (text[num.end] == "-" or num.value >= 20):
        num.end, c.odd = od.end(), True  # "40-odd calls", "30 odd years" (not "two odd socks")
    if c.negative_paren and text.startswith(")", num.end) and num.value > 0:
        num.value = -num.value  # "revenue is ($99.99)": accounting brackets mark a loss
        c.span_start -= 1
    c.value = num.value
    c.end = num.end
    return c


def range_(text: str, c: Candidate) -> Candidate | Reject:
    """ "252 to 287 miles", "10-15%", "between 20 and 30", "$2bn to $3bn", "8- to 16-meter"; also reads the
    unit after the first number (the range's end may restate or carry it)."""
    num, value, end, span_start, currency_code = c.num, c.value, c.end, c.span_start, c.currency_code
    unit = _measure(text, end, currency_code)
    c.unit = c.unit_first = unit_first = unit
    # "8- to 16-meter", "3- or 4-year": a suspended hyphen before the connective.
    rc = None if unit else _SUSPENDED_RANGE.match(text, end)
    if rc is None:
        rc = _RANGE_CONN.match(text, unit.end if unit else end)
    if rc is None:
        return c
    conn = rc.group(0).strip().lstrip("-").strip()
    prev_l = [w.lower() for w, _ in _prev_words(text, span_start, 2)]
    if conn == "and" and not (
        bool(prev_l)
        and (
            prev_l[0] == "between"
            # "between the ages of 16 and 18"
            or (prev_l[0] == "of" and "between" in [w.lower() for w, _ in _prev_words(text, span_start, 5)])
        )
    ):
        return c
    if conn == "to" and prev_l and prev_l[0] == "from" and _change_word_in_clause(text, span_start):
        return c  # "rose from 150 to 230", "raise capacity from 800 to 1,000": a start and an end
    at2 = rc.end() + (len(text[rc.end() :]) - len(text[rc.end() :].lstrip("$£€¥₹ ")))
    if (lp := _LETTER_PREFIX.match(text, at2)) and currency_prefix(text, lp.end()) is not None:
        at2 = lp.end()  # "between N250,000 and N1.2 million", "Rs 40 to Rs 60"
    m2 = CANDIDATE.match(text, at2)
    n2 = _parse_number(text, m2) if m2 else None
    if (
        m2 is None
        or n2 is None
        or not_a_figure(text, n2) is not None
        or (n2.value <= 31 and _MONTH_AFTER.match(text, n2.end))  # "12 months to 30 September"
        or n2.spelled != num.spelled
        or (_year_like(num) and not _year_like(n2))  # "from 36,185 in 2003 to 28,041"
    ):
        return c
    cur2 = currency_prefix(text, m2.start())
    _apply_scale(text, n2, currency_code is not None or cur2 is not None)
    unit2 = _measure(text, n2.end, cur2[0] if cur2 else None)
    # "A to B" is one range only when both sides measure the same thing (or one side says it for both:
    # "10-15%", "$2-3bn"); "jumped 76% to $1.13bn" is a change and a level.
    code1 = unit_first.code if unit_first else currency_code
    code2 = unit2.code if unit2 else (cur2[0] if cur2 else None)
    same_unit = code2 is None or code1 is None or code1 == code2
    if code1 and code2 and code2.startswith(code1 + "/"):
        # "between $40 and $50 an ounce": the end states the rate for both sides; "fell $2.86 to $41.32 a
        # barrel" is a change, then a price.
        same_unit = not _after_change_word(text, span_start)
    if (
        unit_first is not None
        and code2 is None
        and ((n2.scaled and not num.scaled) or _after_change_word(text, span_start))
    ):
        same_unit = False  # "rose 46% to 420 million": a change, then a level
    # The scale of the end carries to a bare start: "3 to 5 million".
    start_value = value
    n2_scaled = n2.scaled or (n2.spelled and text[n2.start : n2.end].lower().rsplit(None, 1)[-1] in SCALES)
    if not num.scaled and n2_scaled and n2.value / max(num.value, 1e-12) >= 1000:
        start_value = value * n2.value / _num_scale_base(text, n2)
    elif num.plain_int and len(num.digits) <= 3 and conn in "-–—" and re.fullmatch(r"\d{1,3}(?:,000)+", n2.digits):
        # "$50-100,000", "50-60,000 people": the thousands of the end carry to a bare start.
        carried = value * 1000 ** n2.digits.count(",")
        if n2.value / 10 <= carried < n2.value:
            start_value = carried
    if (
        conn == "to"
        and n2.value >= 5 * start_value > 0
        and (_after_change_word(text, span_start) or (prev_l and prev_l[0] == "by"))
    ):
        # "rose by 20,000 to 1.4 million", "fell $1.64 to $47.10": the change, then the level; "cut profits
        # by $3.8m to $4.9m", "rose 5 to 10 percent" stay ranges.
        same_unit = False
    if same_unit and n2.value > start_value:
        c.range_conn = rc.group(0)
        c.value = start_value
        c.range_end = n2.value
        c.end = n2.end
        c.unit = unit2 if unit2 else unit_first
        if cur2 and not currency_code:
            c.currency_code = cur2[0]
    return c


def unit_rules(text: str, c: Candidate) -> Candidate | Reject:
    """`UNIT_RULES`: names that look like figures once range and unit are read ("4K display", "5G")."""
    return candidate_reject(text, c, UNIT_RULES) or c


def _bounds_or_ratio(text: str, c: Candidate) -> None:
    """ "more than 10 and less than 20": one range; "one in five children", "3 in 10 voters": a share."""
    num, unit, value, end = c.num, c.unit, c.value, c.end
    tm = _AND_BELOW.match(text, unit.end if unit else end)
    if tm:
        q1 = _qualifier_before(text, c.span_start)
        m2 = CANDIDATE.match(text, tm.end())
        n2 = _parse_number(text, m2) if m2 and q1 and q1[0] in (">", ">=") else None
        if n2 is not None and n2.spelled == num.spelled and not_a_figure(text, n2) is None:
            _apply_scale(text, n2, c.currency_code is not None)
            unit2 = _measure(text, n2.end, c.currency_code)
            if n2.value > value and (unit2 is None or unit is None or unit2.code == unit.code):
                c.range_end, c.end, c.two_sided = n2.value, n2.end, True
                c.unit = unit2 or unit
    elif unit is None and not c.currency_code and (num.spelled or (num.plain_int and len(num.digits) <= 3)):
        rm = _RATIO.match(text, end)
        m3 = CANDIDATE.match(text, rm.end()) if rm else None
        n3 = _parse_number(text, m3) if m3 else None
        if (
            rm
            and n3 is not None
            and n3.value > value >= 1
            and value == int(value)
            and (
                rm.group(1) != "in"
                or n3.value in RATIO_BASES
                # digits need the counted thing: "3 in 10 voters", "1 in 4 of them" (not "won 2 in 5")
                and (
                    num.spelled
                    or num.value == 1  # "1 in 10": a one is a share's numerator, not a count
                    or _counted_word_follows(text, n3.end)
                    or text.startswith(" of ", n3.end)
                )
            )
            and not_a_figure(text, n3) is None
            and not _DIGIT_SCALE.match(text, n3.end)
            and match_unit(text, n3.end) is None
        ):
            c.value, c.end, c.ratio = value / n3.value, n3.end, True


def _currency_tail(text: str, c: Candidate) -> None:
    """ "75 USD million": a scale after the currency word; "15 dollars 50", "thirteen dollars and forty-five
    cents": cents after it."""
    unit, span_start = c.unit, c.span_start
    assert unit is not None
    sw = _WORD_SCALE_AFTER.match(text, unit.end)
    if sw:
        c.value *= SCALES[sw.group(1).lower()]
        c.unit = UnitMatch(unit.code, unit.kind, sw.end())
    elif (
        c.value == int(c.value)
        and (cm := _CENTS_AFTER.match(text, unit.end))
        and not _currency_word_before(text, span_start)  # "rmb 10 usd 20": two amounts
    ):
        m3 = CANDIDATE.match(text, cm.end())
        n3 = _parse_number(text, m3) if m3 else None
        tail = _CENTS_TAIL.match(text, n3.end) if n3 is not None else None
        if n3 is not None and tail and n3.value == int(n3.value) and 0 < n3.value < 100:
            c.value += n3.value / 100
            c.unit = UnitMatch(unit.code, unit.kind, n3.end + len(tail.group(1)))


def unit(text: str, c: Candidate) -> Candidate | Reject:
    """The unit's final form: a second bound or a share, currency scale and cents, the inch mark, feet and
    inches."""
    if c.range_end is None and not c.num.scaled:
        _bounds_or_ratio(text, c)
    if c.unit is not None and c.unit.kind == "currency" and not c.currency_code and c.range_end is None:
        _currency_tail(text, c)
    end = c.end
    if (
        c.unit is None
        and not c.currency_code
        and c.range_end is None
        and text[end : end + 1] in ('"', "″", "”")
        and not text[end + 1 : end + 2].isalnum()
        and 0 < c.value <= 120
    ):
        line_start = text.rfind("\n", 0, c.num.start) + 1
        quotes = text.count('"', line_start, c.num.start) + text.count("“", line_start, c.num.start)
        if text[end] == "″" or (quotes % 2 == 0 and text[end] == '"'):
            c.unit = UnitMatch("inch", "length", end + 1)  # '8" screen': the inch mark, not a closing quote
    if c.unit is not None and c.unit.code == "ft" and c.range_end is None:
        im = _FEET_INCHES.match(text, c.unit.end)
        if im and int(im.group(1)) < 12:
            c.value += int(im.group(1)) / 12  # "6ft 2in", "5 feet 10 inches": one height
            c.unit = UnitMatch("ft", c.unit.kind, im.end())
    return c


def neighbours(text: str, c: Candidate) -> Candidate | Reject:
    """The qualifier phrase before the figure and the two words on each side, for the rules and stages after."""
    c.qual = _qualifier_before(text, c.span_start)
    c.prev = tuple(_prev_words(text, c.span_start, 2))
    c.prev1 = c.prev[0][0] if c.prev else ""
    c.nxt = tuple(_next_words(text, c.end, 2))
    c.nxt1 = c.nxt[0][0] if c.nxt else ""
    return c


def context_rules(text: str, c: Candidate) -> Candidate | Reject:
    """`CONTEXT_RULES`: years, dates, addresses, ranks, clock times, list numbers and names."""
    return candidate_reject(text, c, CONTEXT_RULES) or c


def qualifier(text: str, c: Candidate) -> Candidate | Reject:
    """ "more than 40", ">700", "1,000+", "50 or more", "for 15 years at least", "40-odd"; "£6.7bn over four
    years" spans a period (no bound); "the over-65s" is an age group with its bound."""
    unit, end, qual = c.unit, c.end, c.qual
    if (
        qual
        and text[qual[1] : qual[1] + 5].lower() == "over "
        and (
            (unit is not None and unit.kind == "duration")
            or (unit is None and (pn := _NEXT_WORD.match(text, end)) is not None and pn.group(1).lower() in PERIODS)
        )
    ):
        before_over = _prev_words(text, qual[1], 1)
        lead = text[: qual[1]].rstrip()
        if not _OLD_AFTER.match(text, unit.end if unit else end) and (
            (before_over and before_over[0][0].lower() not in OVER_BOUND_BEFORE)
            or (not before_over and (lead[-1:].isalnum() or lead[-1:] in "%)"))  # "£6.7bn over four years"
        ):
            qual = None
    if (
        unit is None
        and not c.currency_code
        and text[end : end + 1] == "s"
        and not text[end + 1 : end + 2].isalpha()
        and (og := _age_group_before(text, c.span_start))
    ):
        qual = (">" if og.group(1).lower() == "over" else "<", og.start(1))
        c.age_group_end = end + 1
    c.qual = qual
    c.surf_start = c.span_start
    if qual:
        c.qualifier, c.surf_start = qual
        if c.two_sided:
            c.qualifier = "="  # both bounds given: a range
    else:
        sm = _SYMBOL_QUAL.search(text, max(0, c.span_start - 3), c.span_start)
        if sm:
            c.qualifier, c.surf_start = SYMBOLS[sm.group(1)], sm.start(1)
    if end < len(text) and text[end] == "+" and (end + 1 >= len(text) or not text[end + 1].isdigit()):
        c.qualifier = ">="
        end += 1
        if unit is None and not c.currency_code and (plus_unit := _measure(text, end, None)) is not None:
            c.unit = unit = plus_unit  # "40+ years"
    c.unit_end = unit.end if unit else end
    if unit:
        end = max(end, unit.end)
    sq = _AFTER_QUAL.match(text[end : end + 18])
    aq = _AT_LEAST_AFTER.match(text, unit.end if unit else end) if c.qualifier == "=" and not sq else None
    if c.odd:
        c.qualifier = "~"
    if aq:
        c.qualifier = QUALIFIERS_AFTER[aq.group(1).lower()]
    if sq:
        c.qualifier = QUALIFIERS_AFTER[sq.group(1)]
        end += sq.end()
    c.end = end
    return c


def _is_age(text: str, c: Candidate) -> bool:
    """ "aged 12", "children under five", "aged between 40 and 69", "He was 84.", "at the age of 24"."""
    prev, p1 = c.prev, c.prev1.lower()
    return (
        p1 in ("aged", "age", "ages")
        or (
            c.kind is None
            and c.qual is not None
            and p1 in ("under", "over", "below", "above")
            and c.num.value <= 110
            and len(prev) > 1
            and prev[1][0].lower() in AGE_GROUPS
            and not _counted_word_follows(text, c.end)
        )
        or (p1 in ("between", "just", "only") and len(prev) > 1 and prev[1][0].lower() == "aged")
        or _bare_age(text, c.surf_start, c.end, c.num)
        or (p1 in ("of", "to", "from") and len(prev) > 1 and prev[1][0].lower() in ("age", "ages"))
    )


def _is_apposed_age(text: str, c: Candidate) -> bool:
    """ "Gere, 55, greeted", "the owner, 61, was arrested": a person's age between commas."""
    if not (
        c.kind is None
        and c.num.plain_int
        and c.range_end is None
        and 1 <= c.num.value <= 110
        and (am := _AGE_APPOSITION.search(text, max(0, c.span_start - 30), c.span_start))
        and text.startswith(",", c.end)
    ):
        return False
    return am.group(0)[0].isupper() or (
        am.group(1).lower() not in CAP_OK
        and am.group(1).lower() not in OBJECT_STOP
        and not _plural_noun(am.group(1))
        and re.match(r",\s+[a-z]", text[c.end : c.end + 4]) is not None
    )


def category(text: str, c: Candidate) -> Candidate | Reject:
    """Unit code, kind and category: money, percent, a measure, an age ("45-year-old", "aged 12"), a fraction
    or a count (an event category comes with the object)."""
    unit, currency_code = c.unit, c.currency_code
    if currency_code and unit and unit.kind == "currency":
        currency_code = unit.code  # a rate: "$15.4/hour" -> USD/hour
    c.code = currency_code
    c.kind = "currency" if currency_code else (unit.kind if unit else None)
    if unit and not currency_code:
        c.code = unit.code
        if unit.code == "GBP" and (
            text[c.unit_end : c.unit_end + 3] in (" of", " ba")
            or any(w.lower().startswith(WEIGHT_VERBS) for w, _ in _prev_words(text, c.surf_start, 3))
            # "overloaded by 700 pounds (320kg)": the conversion says weight
            or _KG_AFTER.match(text, c.unit_end) is not None
        ):
            c.code, c.kind = "lb", "mass"
    kind = c.kind
    c.category = KIND_CATEGORY.get(kind or "", "quantity") if kind else "count"
    age = _AGE_AFTER.match(text, c.num.end if c.range_end is None else c.end) if kind in (None, "duration") else None
    if c.age_group_end is not None:
        c.code, c.kind, c.category = "year", "age", "age"
        c.end = c.age_group_end
    elif age:
        c.code = (age.group(1) or age.group(2)).lower().rstrip("s")
        c.kind, c.category = "age", "age"
        c.end = age.end()
    elif kind == "duration" and unit and (old := _OLD_AFTER.match(text, unit.end)):
        c.kind, c.category = "age", "age"  # "16 to 20-year-olds"
        c.end = old.end()
    elif kind in (None, "duration") and _is_age(text, c):
        c.code, c.kind, c.category = c.code or "year", "age", "age"
    elif _is_apposed_age(text, c):
        c.code, c.kind, c.category = "year", "age", "age"
    elif kind == "age":
        c.category = "age"
    num = c.num
    digit_fraction = "/" in text[num.start : num.end]
    if c.kind is None and ((num.spelled or num.digits in VULGAR or digit_fraction) and abs(num.value) < 1 or c.ratio):
        c.category = "fraction"
    return c


def object_(text: str, c: Candidate) -> Candidate | Reject:
    """The counted or measured thing ("1,380 civilians dead", "3,000 tonnes of rice"); for a count, its noun as
    the unit ("civilian") and the event category from the words around it ("killed", "arrested")."""
    kind = c.kind
    number_end = c.end
    obj = _object_after(text, number_end, kind not in (None, "age"), kind == "currency")
    c.obj_text = obj_text = obj[0] if obj else None
    if obj and kind in (None, "age"):
        c.end = obj[1]
    if kind is None and c.category != "fraction":
        c.code = count_unit(text, number_end, c.value)  # "13,000 workers" -> "worker"
    if c.category != "count":
        return c
    sent_start, sent_end = c.sents.bounds(c.num.start)
    ev = _category_near(text, c.surf_start, c.end, sent_start, sent_end)
    if ev:
        c.category = ev
        # Include an adjacent outcome word: "over 1,380 civilians dead".
        nw = _NEXT_WORD.match(text, c.end)
        if nw and nw.start(1) == c.end + 1 and CATEGORY_WORDS.get(nw.group(1).lower()) == ev:
            c.end = nw.end(1)
    elif (
        obj_text
        and obj_text.split()[-1].lower() in CATEGORY_WORDS
        and not (obj_text.lower().endswith("bodies") and " " in obj_text and _not_dead_bodies(obj_text.split()[-2]))
    ):
        c.category = CATEGORY_WORDS[obj_text.split()[-1].lower()]
    return c


def direction(text: str, c: Candidate) -> Candidate | Reject:
    """ "rose 3%", "fell by 2bn", "up 5%", "down to 7.4%": up or down."""
    for w, _ in _prev_words(text, c.surf_start, 4):
        lw = w.lower()
        if lw in UP_WORDS:
            c.direction = "up"
            break
        if lw in DOWN_WORDS:
            c.direction = "down"
            break
        if lw not in DIRECTION_SKIP:
            break
    return c


STAGES: tuple[Stage, ...] = (
    sign,
    currency,
    scale,
    range_,
    unit_rules,
    unit,
    neighbours,
    context_rules,
    qualifier,
    category,
    object_,
    direction,
)


def figure(text: str, c: Candidate) -> Figure:
    """The figure a candidate that passed every stage stands for."""
    sent_start, sent_end = c.sents.bounds(c.num.start)
    return Figure(
        value=_tidy(c.value),
        unit=c.code,
        object=c.obj_text,
        category=c.category,
        qualifier=c.qualifier,
        surface=text[c.surf_start : c.end],
        start=c.surf_start,
        end=c.end,
        sentence=text[sent_start:sent_end].strip(),
        range_end=_tidy(c.range_end) if c.range_end is not None else None,
        direction=c.direction,
    )


def build(text: str, m: re.Match[str], sents: SentenceIndex,
          trail: list[str] | None = None) -> tuple[Figure | Reject, int]:
    """The figure at a CANDIDATE match or the rule that dropped it, and the offset where the scan resumes.
    `trail` (explain mode) receives the names of the stages that changed the candidate of a kept figure."""
    c = number(text, m, sents)
    if isinstance(c, Reject):
        return c, c.resume
    for stage in STAGES:
        before = _state(c) if trail is not None else None
        r = stage(text, c)
        if isinstance(r, Reject):
            return r, r.resume
        if trail is not None and _state(r) != before:
            trail.append(stage.__name__.rstrip("_"))
    return figure(text, c), max(c.end, c.num.end)


def _state(c: Candidate) -> tuple[object, ...]:
    return tuple(getattr(c, f.name) for f in dataclasses.fields(c))
