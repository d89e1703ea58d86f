"""Context of a number in its text: the words before and after it, its sentence, its counted object, its
event category and its qualifier. Pure lookups: nothing here decides whether a number is a figure."""

from __future__ import annotations

import bisect
import re

from transforms.figures.lexicon import (
    CATEGORY_WORDS,
    CHANGE_VERBS_EXTRA,
    DEAD_BODY_WORDS,
    DETERMINERS,
    DOWN_WORDS,
    IRREGULAR_PLURALS,
    LIVES_BEFORE,
    MONTHS,
    NOT_A_CEILING_BEFORE,
    OBJECT_END_WORDS,
    OBJECT_STOP,
    OVER_TOPIC_WORDS,
    PLURAL_MODIFIERS,
    QUAL_MAX_WORDS,
    QUALIFIERS_BEFORE,
    RAISE_VERBS,
    SENT_ABBREV,
    UP_WORDS,
    WHEN_WORDS,
)
from transforms.figures.patterns import (
    _AGE_GROUP_BEFORE,
    _CLAUSE_START,
    _NEXT_WORD,
    _PREV_TOKENS,
    _SENT_END,
    _WORD_RE,
)
from transforms.numbers import NUMBER_WORDS, parse_digits, words_value
from transforms.units import match_unit


class Num:
    """One parsed number: value and the span of its digits or words (sign and scale included)."""

    __slots__ = ("value", "start", "end", "spelled", "plain_int", "scaled", "digits", "before", "after")

    def __init__(self, value: float, start: int, end: int, spelled: bool, digits: str = "") -> None:
        self.value = value
        self.start = start
        self.end = end
        self.spelled = spelled
        self.digits = digits
        self.plain_int = not spelled and digits.isdigit()
        self.scaled = False
        # The characters right before and after the number, set when the number rules look at it.
        self.before = " "
        self.after = " "

def _prev_words(text: str, pos: int, k: int) -> list[tuple[str, int]]:
    """Up to k words before pos, nearest first, as (word, start); stops at sentence punctuation."""
    chunk_start = max(0, pos - 70)
    out: list[tuple[str, int]] = []
    spans = [(m.group(0), m.start()) for m in _PREV_TOKENS.finditer(text, chunk_start, pos)]
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
    if i < len(words) and words[i][0].lower() in WHEN_WORDS:
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
        if lw.endswith("ly") or lw in OBJECT_END_WORDS:
            break
        if lw == "lives" and taken and taken[-1][0].lower() not in LIVES_BEFORE:
            break  # "the 17-million population lives below": a verb after the noun
        taken.append(words[i])
        i += 1
        if _plural_noun(lw) and not (i < len(words) and _plural_noun(words[i][0].lower())):
            break  # a plural head ends the phrase: "14,000 people contract HIV", "two teams play"
    if not taken:
        return None
    return text[taken[0][1] : taken[-1][2]], taken[-1][2]

def _plural_noun(w: str) -> bool:
    """A lower-case word that looks like a plural noun ("teams", "people"), not "gas", "bus", "crisis"."""
    lw = w.lower()
    if lw in IRREGULAR_PLURALS:
        return True
    return (
        w[0].islower()
        and len(lw) > 3
        and lw.endswith("s")
        and not lw.endswith(("ss", "us", "is", "'s", "ics"))
        and lw not in OBJECT_STOP
        and lw not in PLURAL_MODIFIERS
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

def _age_group_before(text: str, pos: int) -> re.Match[str] | None:
    """ "over-" or "under-" right before pos, as in the age groups "the over-65s", "under-5s"."""
    return _AGE_GROUP_BEFORE.search(text, max(0, pos - 7), pos)

def _currency_word_before(text: str, pos: int) -> bool:
    """A currency name or code written as a word right before pos ("rmb 10")."""
    prev = _prev_words(text, pos, 1)
    if not prev or text[prev[0][1] + len(prev[0][0]) : pos] != " ":
        return False
    um = match_unit(text, prev[0][1])
    return um is not None and um.kind == "currency" and um.end == prev[0][1] + len(prev[0][0])

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

def _year_like(n: Num) -> bool:
    return n.plain_int and len(n.digits) == 4 and 1800 <= n.value <= 2100

def _change_word_in_clause(text: str, pos: int) -> bool:
    """A change verb earlier in the clause before pos ("raised the limit ... from 49% to 74%")."""
    chunk = text[max(0, pos - 160) : pos]
    cm = _CLAUSE_START.match(chunk)
    words = _WORD_RE.findall(chunk[cm.end() :] if cm else chunk)
    return any(w.lower() in UP_WORDS or w.lower() in DOWN_WORDS or w.lower() in CHANGE_VERBS_EXTRA for w in words)

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

def _num_scale_base(text: str, n: Num) -> float:
    """Value of a scaled number without its scale ("3 million" -> 3), to carry the scale to a range start."""
    sm = re.match(r"[\d.,]+", text[n.start : n.end])
    if sm:
        return parse_digits(sm.group(0).rstrip(".,")) or 1.0
    v = words_value(text[n.start : n.end].lower().replace("-", " ").split()[:1])
    return v or 1.0

def _not_dead_bodies(prev_word: str) -> bool:
    w = prev_word.lower()
    return prev_word[0].isalpha() and w not in DEAD_BODY_WORDS and w not in NUMBER_WORDS

def _lives_is_a_verb(text: str, pos: int) -> bool:
    """Whether "lives" at pos is not a count of deaths: only "their lives", "civilian lives" and the like are."""
    pw = _prev_words(text, pos, 1)
    return bool(pw) and pw[0][0].lower() not in LIVES_BEFORE

class SentenceIndex:
    """Sentence offsets of one text, found on first use and kept while its figures are built."""

    __slots__ = ("text", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    def bounds(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the sentence holding pos."""
        if self._starts is None:
            self._starts = _sentence_starts(self.text)
        starts = self._starts
        si = bisect.bisect_right(starts, pos) - 1
        return starts[si], starts[si + 1] if si + 1 < len(starts) else len(self.text)


def _qualifier_before(text: str, pos: int) -> tuple[str, int] | None:
    prev = _prev_words(text, pos, QUAL_MAX_WORDS + 4)
    if prev and prev[0][0].lower() in ("another", "additional", "extra"):
        prev = prev[1:]  # "at least another six months"
    for k in range(min(len(prev), QUAL_MAX_WORDS), 0, -1):
        key = " ".join(w.lower().rstrip(".") for w, _ in reversed(prev[:k]))
        if key in QUALIFIERS_BEFORE:
            if key == "up to" and prev[k : k + 1] and prev[k][0].lower() in NOT_A_CEILING_BEFORE:
                return None  # "adds up to 6 petabytes": a sum; "edged up to 4.1%": rose to; not a ceiling
            if key == "up to" and any(w.lower() in RAISE_VERBS for w, _ in prev[k + 1 : k + 3]):
                return None  # "pushed rates up to 2.25%", "raised its stake up to 30%": raised to, not at most
            if key == "over" and len(prev) > 1 and prev[1][0].lower() in OVER_TOPIC_WORDS:
                return None  # "the row over 300 jobs", "a win over two rivals": "over" is a preposition
            return QUALIFIERS_BEFORE[key], prev[k - 1][1]
    return None
