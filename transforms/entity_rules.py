"""Span-level corrections to spaCy NER output, as pure functions over (text, start, end, type).

Each rule fixes a mistake measured on gold data (GUM news) or seen in the sample article:
possessives and leading articles inside spans, titles ("Prime Minister") glued to names, lowercase
words swallowed at the start ("marks al-Shaibani's"), two entities merged across a possessive
("IS's Abdullah Makki Muslih al-Rufayi"), and nationality/religious words typed as persons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.canonical import curated, lexicon, normalize_name

# spaCy OntoNotes labels -> contract types; labels absent here (DATE, MONEY, CARDINAL, ...) are dropped.
LABEL_TYPES: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
    "NORP": "group",
    "EVENT": "event",
    "PRODUCT": "product",
    "WORK_OF_ART": "work",
    "LAW": "law",
}


_POSSESSIVE_SPLIT = re.compile(r"['\u2019]s\s+")
_TRAILING_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$")
_ABBREV_END = re.compile(r"(?:\b(?:[A-Za-z]\.)+|\b(?:Inc|Co|Corp|Ltd|Jr|Sr|St|Bros)\.)$")
_ITE = re.compile(r"^[A-Z][a-z]+ites?$")


@dataclass(slots=True)
class Span:
    start: int
    end: int
    type: str
    source: str = "ner"  # ner | split | acronym | propagated: how the span was found

    def text(self, text: str) -> str:
        return text[self.start : self.end]


def _is_lower_word(tok: str) -> bool:
    return any(c.isalpha() for c in tok) and tok == tok.lower()


def _is_particle(tok: str) -> bool:
    return tok.lower().rstrip(".") in lexicon().name_particles or tok.lower() in lexicon().name_particles


def _trim_punct(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and not text[s].isalnum():
        s += 1
    while e > s and not text[e - 1].isalnum():
        # keep the dot of "U.S." / "Inc." and a closing bracket that has its opening one inside the span
        if text[e - 1] == "." and _ABBREV_END.search(text[s:e]):
            break
        if text[e - 1] == ")" and "(" in text[s : e - 1]:
            break
        e -= 1
    return s, e


def _strip_trailing_possessive(text: str, s: int, e: int) -> int:
    m = _TRAILING_POSSESSIVE.search(text[s:e])
    return s + m.start() if m and m.start() > 0 else e


def _strip_leading(text: str, s: int, e: int, type_: str) -> int:
    """Drop leading articles, lowercase words that are not name particles, and (for persons) titles and
    nationality words: "the United States", "marks al-Shaibani", "Iraqi Prime Minister Mohammed ..."."""
    lex = lexicon()
    changed = True
    while changed and s < e:
        changed = False
        rest = text[s:e]
        first, _, tail = rest.partition(" ")
        if not tail:
            break
        nxt = s + len(first) + 1
        while nxt < e and text[nxt] == " ":
            nxt += 1
        if first.lower() == "the" or (_is_lower_word(first) and not _is_particle(first)):
            s, changed = nxt, True
            continue
        if type_ == "person":
            if normalize_name(first) in lex.group_words:
                s, changed = nxt, True
                continue
            for title in lex.person_titles:
                if rest.startswith(title + " ") and len(rest) > len(title) + 1:
                    s, changed = s + len(title) + 1, True
                    break
    return s


def _strip_trailing_lower(text: str, s: int, e: int) -> int:
    """Drop trailing lowercase words from person/location spans ("Baghdad on", "Trump administration")."""
    while True:
        head, sep, last = text[s:e].rpartition(" ")
        if not sep or not _is_lower_word(last) or _is_particle(last):
            return e
        e = s + len(head.rstrip())


_FUNCTION_WORDS = frozenset({"and", "or", "the", "of", "a", "an", "in", "on", "at", "for", "to", "with", "-"})


def _strip_trailing_function_words(text: str, s: int, e: int) -> int:
    """Drop dangling function words from any span ("La Traviata and", "Oscars - the")."""
    while True:
        head, sep, last = text[s:e].rpartition(" ")
        if not sep or last not in _FUNCTION_WORDS:
            return e
        e = s + len(head.rstrip())


def looks_like_person(name: str) -> bool:
    """A capitalised multi-word phrase with no organisation/place word and no curated entry."""
    toks = name.split()
    if len(toks) < 2 or curated(name) is not None:
        return False
    for tok in toks:
        if tok.lower() in lexicon().org_words:
            return False
        if not (tok[:1].isupper() or _is_particle(tok) or "-" in tok):
            return False
    return True


def fix_type(surface: str, type_: str) -> str:
    """Type corrections: curated entries keep their type; nationality/religious/ethnic words are groups."""
    entry = curated(surface)
    if entry is not None:
        return entry.type
    norm = normalize_name(surface)
    words = norm.split()
    group_words = lexicon().group_words
    if words and all(w in group_words for w in words):
        return "group"
    if type_ == "person" and len(words) == 1 and _ITE.match(surface):
        return "group"  # Alawite, Maronite, Israelite: single "-ite" words tagged PERSON
    return type_


def repair_span(text: str, start: int, end: int, type_: str, split: bool = True) -> list[Span]:
    """Clean one NER span; may return 0 spans (nothing name-like left), 1, or 2 (merged span split)."""
    s, e = _trim_punct(text, start, end)
    if s >= e:
        return []
    # a name never crosses a line break ("International Space Station\nImage" from a caption) and an
    # unclosed bracket ends it ("World Health Organisation (WHO")
    cut = min((i for i in (text.find("\n", s, e), text.find("(", s, e)) if i != -1), default=-1)
    if cut != -1 and (text[cut] == "\n" or ")" not in text[cut:e]):
        s, e = _trim_punct(text, s, cut)
        if s >= e:
            return []
    if split:
        m = _POSSESSIVE_SPLIT.search(text, s, e)
        if m is not None and m.end() < e:
            left = repair_span(text, s, m.start(), type_, split=False)
            right_s, right_e = m.end(), e
            right_text = text[right_s:right_e]
            right_type = "person" if type_ == "person" or looks_like_person(right_text) else type_
            right = repair_span(text, right_s, right_e, right_type, split=False)
            for sp in left:
                sp.source = "split"
                # the possessor's type is decided by curated data or other mentions, not the merged label
                entry = curated(sp.text(text))
                sp.type = entry.type if entry else "?"
            for sp in right:
                sp.source = "split"
            return left + right
    e = _strip_trailing_possessive(text, s, e)
    s = _strip_leading(text, s, e, type_)
    if type_ in ("person", "location"):
        e = _strip_trailing_lower(text, s, e)
    else:
        e = _strip_trailing_function_words(text, s, e)
    s, e = _trim_punct(text, s, e)
    if s >= e:
        return []
    surface = text[s:e]
    if not any(c.isupper() for c in surface) and not any(c.isdigit() for c in surface):
        return []  # nothing name-like left ("the government")
    if type_ == "person" and surface in lexicon().person_titles:
        return []
    return [Span(s, e, fix_type(surface, type_))]
