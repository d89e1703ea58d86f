"""Numbers and their units: the value at a candidate (digits or words, fractions, exponents, groups), its
scale ("3.5 million", "$2bn", "35 lakh") and its unit, as a rate when a denominator follows."""

from __future__ import annotations

import re

from transforms.figures.context import (
    Num,
    _counted_word_follows,
    _is_sentence_start,
    _plural_noun,
    _prev_words,
)
from transforms.figures.lexicon import (
    DENOMINATOR_DIGITS,
    DISTANCE_EVENTS,
    FRACTION_HEDGES,
    HALF_OF_PERIOD,
    MAX_SCI_EXPONENT,
    OBJECT_STOP,
    RACE_DISTANCES,
)
from transforms.figures.patterns import (
    _AND_A_FRACTION,
    _CRORE_AFTER,
    _DIGIT_SCALE,
    _DIGIT_SCALE_WORDS,
    _DIGIT_WORDS,
    _EVERY_PERIOD,
    _FRACTION,
    _FRACTION_OF_A,
    _FRACTION_UNIT_KINDS,
    _MIXED_FRACTION,
    _NEXT_WORD,
    _ODDS_AFTER,
    _ORDINAL_WORD,
    _PER_PERSON,
    _RATE,
    _RATE_KINDS,
    _SCALED_UNIT_KINDS,
    _SCI,
    _SPACE_GROUPS,
    _SPEEDS,
    _SPELLED_POINT,
    _SUPERSCRIPT,
    _TIME_ANCHOR,
    _WORD_TOKEN,
)
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
from transforms.units import UnitMatch, currency_prefix, match_unit


def _parse_number(text: str, m: re.Match[str]) -> Num | None:
    """The number at a CANDIDATE match, with spelled words, fractions and scale absorbed."""
    if m.group("num") is not None:
        return _digits_number(text, m)
    return _spelled_number(text, m)


def _digits_number(text: str, m: re.Match[str]) -> Num | None:
    """A number written in digits (or a vulgar fraction), with fraction, group and exponent absorbed."""
    s = m.group("num")
    if s in VULGAR:
        am = _FRACTION_OF_A.match(text, m.end())
        end = am.start(2) - 1 if am and match_unit(text, am.start(2) - 1) is not None else m.end()
        return Num(VULGAR[s], m.start(), end, False, s)  # "¾ of an hour": a fraction of the unit
    num = Num(parse_digits(s), m.start(), m.end(), False, s)
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
        if abs(exp) <= MAX_SCI_EXPONENT:
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
            or (num.value != 1 and int(fm.group(1)) not in DENOMINATOR_DIGITS)
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


def _spelled_number(text: str, m: re.Match[str]) -> Num | None:
    """A spelled-out number: grow word by word while the words still form one number."""
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
        return Num(value, start, end, True)
    pm = _SPELLED_POINT.match(text, end)
    if pm and last not in DENOMINATORS:
        # "five point five", "nine point nought four": spelled decimals.
        digits = "".join(str(_DIGIT_WORDS[d.lower()]) for d in pm.group(1).split())
        return Num(value + float("0." + digits), start, pm.end(), True)
    if last in DENOMINATORS:
        # "half a million", "half a dozen": a fraction of a scale; "half an hour", "a quarter of a percentage
        # point": a fraction of a unit.
        am = _FRACTION_OF_A.match(text, end)
        if am:
            w2 = am.group(2).lower()
            if w2 in SCALES or w2 in ("dozen", "hundred"):
                mult = SCALES.get(w2) or (12.0 if w2 == "dozen" else 100.0)
                return Num(value * mult, start, am.end(), True)
            if match_unit(text, am.start(2) - 1) is not None:
                return Num(value, start, am.start(2) - 1, True)
        # "a quarter point", "a half-hour", "a quarter mile": a fraction of the unit right after it.
        fu = match_unit(text, end)
        if fu is not None and (fu.kind in _FRACTION_UNIT_KINDS or fu.code == "hour"):
            return Num(value, start, end, True)
        # "rose by a third", "cut by half": after "by" a fraction is the size of a change.
        pw = _prev_words(text, start, 1)
        pw4 = _prev_words(text, start, 4)
        by_at = next((k for k, (w, _) in enumerate(pw4) if w.lower() not in FRACTION_HEDGES), None)
        if (
            by_at is not None
            and pw4[by_at][0].lower() == "by"  # "cut by half", "risen by nearly a fifth"
            and text[end : end + 1] != "-"
            and not _counted_word_follows(text, end)
        ):
            return Num(value, start, end, True)
        # A fraction must quantify: "half of", "a third of", "two-thirds" (plural). "first half" is not one.
        following = text[end : end + 8].lower()
        has_num = any(w in ONES or w in TENS or w in ("a", "an") for w in words[:-1])
        if last in ("half",) and len(words) == 1:
            if not re.match(r" (?:of|the|a|an|his|her|its|their|our|my|your)\b| \(\d", following + " "):
                return None
            if pw and pw[0][0].lower() in HALF_OF_PERIOD:
                return None  # "the first half of next year", "the second half of 2024": a period
        elif not has_num or words[0] in ("a", "an") and not (following.startswith(" of") or "and" in words):
            return None
    return Num(value, start, end, True)


def _apply_scale(text: str, num: Num, currency: bool) -> None:
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
                        and nw2.group(1).lower() not in DISTANCE_EVENTS
                    )
                )
                and nw.group(1).lower() not in DISTANCE_EVENTS
                and ("." in text[num.start : num.end] or num.value not in RACE_DISTANCES)
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
