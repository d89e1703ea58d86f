"""Span-level corrections to spaCy NER output, as pure functions over (text, start, end, type).

Each rule fixes a mistake measured on gold data (GUM news) or seen in the sample article:
possessives and leading articles inside spans, titles ("Prime Minister") glued to names, lowercase
words swallowed at the start ("marks al-Shaibani's"), two entities merged across a possessive
("IS's Abdullah Makki Muslih al-Rufayi"), and nationality/religious words typed as persons.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
_VERSION_END = re.compile(r"\s\d+(?:\.\d+)*$")


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


_TRAILING_NUMBER = re.compile(r"\s+\d{1,3}$")
_SCORE_AFTER = re.compile(r"\s*[\u2013\u2014-]\s*\d")


def _strip_trailing_score(text: str, s: int, e: int) -> int:
    """Drop a score glued to a team: "Sweden 1" in "putting Sweden 1 – 0 up"."""
    m = _TRAILING_NUMBER.search(text, s, e)
    return s + (m.start() - s) if m and m.start() > s and _SCORE_AFTER.match(text, e) else e


def _strip_caption_label(text: str, s: int, e: int) -> int:
    """Cut a caption label glued on by a reflowed line break: "Washington D.C. Image" before ": Nick Moreau"."""
    head, sep, last = text[s:e].rpartition(" ")
    if sep and last in layout_rules().caption_labels and text[e : e + 1] == ":":
        return s + len(head)
    return e


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
    rules = layout_rules()
    if rules.website.search(surface):
        return "product"
    if rules.concept.match(surface):
        return "other"  # Islamophobia, Zionism: a doctrine or attitude
    if type_ == "person" and _VERSION_END.search(surface):
        return "product"  # "Internet Explorer 6": no person's name ends in a number
    if type_ != "person" and rules.media_name.match(surface):
        return "organization"  # "Salt Lake Tribune" tagged GPE, "Sydney Morning Herald" EVENT: a newspaper
    if type_ == "location" and is_known_org(surface):
        return "organization"  # "YouTube" tagged GPE: a known organisation is no place
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
    e = _strip_trailing_score(text, s, e)
    e = _strip_caption_label(text, s, e)
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
    if type_ == "person" and surface in lexicon().person_titles or surface in layout_rules().not_entities:
        return []
    return [Span(s, e, fix_type(surface, type_))]


# --- layout and gazetteer rules (data: data/entity_rules.json) ----------------------------------------

RULES_PATH = Path(__file__).with_name("data") / "entity_rules.json"
KNOWN_ORGS_PATH = Path(__file__).with_name("data") / "known_orgs.json"
_NAME = r"[A-Z][\w.'\u2019&-]*(?: [A-Z][\w.'\u2019&-]*){0,3}"
# "Aston Villa 2 Derby 0", "Played on Friday : Chelsea 1 Coventry 0", "Group F — Sweden 1 – 0 Korea Republic"
_RESULT_ROW = re.compile(
    rf"^(?:[^\n:—–]{{1,40}}\s[:—–-]\s+)?(?:(?P<a>{_NAME}) (?P<sa>\d{{1,3}}) (?P<b>{_NAME}) (?P<sb>\d{{1,3}})"
    rf"|(?P<c>{_NAME}) \d{{1,3}} ?[–-] ?\d{{1,3}} (?P<d>{_NAME}))[ \t]*$",
    re.MULTILINE,
)
# a word, with dots only inside it ("U.S", "Mandela" out of "Mandela.")
# a reflowed table: 4+ "Name score" pairs in a row ("Bayern Munich 2 Hamburg 1 Borussia Dortmund 3 Freiburg 0")
_RESULT_PAIR = re.compile(rf"(?P<name>{_NAME}) \d{{1,3}}(?:\s+|$)")
_RESULT_RUN = re.compile(rf"(?<!\S)(?:{_NAME} \d{{1,3}}(?:\s+|$)){{4,}}")
_CAPS_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'\u2019-]|\.(?=[A-Za-z]))*")
_WORD_RE = re.compile(r"[^\W\d_](?:[\w'\u2019-]|\.(?=\w))*")
_CAP_TOKEN = re.compile(r"[A-Z][\w'\u2019.-]*")
# a capitalised word (no lowercase letter) and the run of them, numbers and punctuation in between, that it starts
_CAPS_TOKEN = re.compile(r"(?<!\S)(?=[^\s]*[A-Z])[^\sa-z]+(?!\S)")
_CAPS_RUN = re.compile(r"(?<!\S)(?=\S*[A-Z])[^\sa-z]+(?:\s+(?:(?=\S*[A-Z])[^\sa-z]+|[^\sA-Za-z]+)(?!\S))*")
_NEUTRAL_TAIL = re.compile(r"(?:\s+[^\sA-Za-z]+)+$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:\"\u201c\u201d]\s+|\n)$")


@dataclass(frozen=True, slots=True)
class LayoutRules:
    place_min_population: int
    alternate_min_population: int
    not_places: frozenset[str]
    org_suffix: re.Pattern[str]
    event_heads: frozenset[str]
    facility_tails: frozenset[str]
    dateline: re.Pattern[str]
    caps_function_words: frozenset[str]
    website: re.Pattern[str]
    event_openers: frozenset[str]
    caption_labels: frozenset[str]
    not_entities: frozenset[str]
    product_after: re.Pattern[str]
    concept: re.Pattern[str]
    media_name: re.Pattern[str]  # a whole name ending in a newspaper word
    media_after_the: re.Pattern[str]  # the same after "the", in running text


@functools.cache
def layout_rules() -> LayoutRules:
    raw = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    suffixes = "|".join(re.escape(s) for s in sorted(raw["org_suffixes"]["entries"], key=len, reverse=True))
    webs = "|".join(re.escape(s) for s in raw["web_suffixes"]["entries"])
    agencies = "|".join(re.escape(s) for s in raw["news_agencies"]["entries"])
    heads = "|".join(re.escape(s) for s in sorted(raw["product_heads"]["entries"], key=len, reverse=True))
    concepts = "|".join(re.escape(s) for s in raw["concept_suffixes"]["entries"])
    media = "|".join(re.escape(s) for s in raw["media_heads"]["entries"])
    media_words = rf"(?:[A-Z][\w'\u2019.&-]*[ \t]+){{1,3}}(?:{media})"
    # "LONDON 1996-08-30", "HAMBURG , Germany 1996-09-05", "LONDON, Aug 30 (Reuters) -", "PARIS (AP) —"
    dateline = re.compile(
        r"(?:^|(?<=[.!?] ))(?P<place>[A-Z][A-Z.'\u2019-]+(?:[ -][A-Z][A-Z.'\u2019-]+){0,3})"
        r"(?:\s*,\s*(?P<region>[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}))?"
        rf"(?:\s+\d{{4}}-\d\d-\d\d(?!\S)|(?:\s*,\s*[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}})?\s*\((?:{agencies})\))",
        re.MULTILINE,
    )
    return LayoutRules(
        place_min_population=int(raw["place_min_population"]["value"]),
        alternate_min_population=int(raw["alternate_min_population"]["value"]),
        not_places=frozenset(normalize_name(w) for w in raw["not_gazetteer_places"]["entries"]),
        org_suffix=re.compile(rf"(?:[ \t]+(?:{suffixes})\b\.?)+"),
        event_heads=frozenset(raw["event_heads"]["entries"]),
        facility_tails=frozenset(raw["facility_tails"]["entries"]),
        dateline=dateline,
        caps_function_words=frozenset(raw["caps_function_words"]["entries"]),
        event_openers=frozenset(raw["event_openers"]["entries"]),
        caption_labels=frozenset(raw["caption_labels"]["entries"]),
        not_entities=frozenset(raw["not_entities"]["entries"]),
        website=re.compile(rf"^[\w-]+(?:\.[\w-]+)*\.(?:{webs})$", re.IGNORECASE),
        # after the name: version numbers or a bracketed short form, then the product noun
        product_after=re.compile(rf"(?:[ \t]+(?:\d[\w.]*|\([\w.-]+\)))*[ \t]+(?:{heads})\b"),
        concept=re.compile(rf"^[A-Z][a-z]+(?:{concepts})$"),
        media_name=re.compile(rf"^(?:[Tt]he[ \t]+)?{media_words}$"),
        media_after_the=re.compile(rf"(?<=\b[Tt]he )(?!The\b){media_words}\b(?![\w'\u2019-]| [A-Z])"),
    )


@functools.cache
def place_keys() -> frozenset[str]:
    """Gazetteer keys (transforms.geo) of countries, first-level divisions, continents, regions and cities of
    `place_min_population`+, minus `not_gazetteer_places`: the names these rules treat as places."""
    from transforms.geo import gazetteer

    rules = layout_rules()
    out: set[str] = set()
    for k, cands in gazetteer().names.items():
        if k in rules.not_places:
            continue
        for c in cands:
            p = c.place
            big_city = p.kind == "city" and (
                c.via == "name" and (p.population >= rules.place_min_population or p.capital)
                or c.via == "alternate" and p.population >= rules.alternate_min_population)
            if big_city or (p.kind != "city" and c.via != "weak"):
                out.add(k)
                break
    return frozenset(out)


def is_place(name: str) -> bool:
    from transforms.geo import key

    return key(name) in place_keys()


@functools.cache
def _place_first_words() -> frozenset[str]:
    return frozenset(k.split(" ", 1)[0] for k in place_keys())


def _may_start_place(word: str) -> bool:
    """Cheap filter before `is_place`: the word, lowercased and without trailing punctuation or possessive,
    starts some place name."""
    w = word.lower().rstrip(".,;:!?)\"'\u2019")
    if w.endswith(("'s", "\u2019s")):
        w = w[:-2]
    return w in _place_first_words() or w.replace(".", "") in _place_first_words()


@functools.cache
def known_org_keys() -> frozenset[str]:
    """Normalised names and aliases of `known_orgs.json` (well-known companies, outlets and bodies)."""
    raw = json.loads(KNOWN_ORGS_PATH.read_text(encoding="utf-8"))
    names = (n for g in raw["groups"].values() for e in g["entries"] for n in ([e] if isinstance(e, str) else e))
    return frozenset(normalize_name(n) for n in names)


def is_known_org(name: str) -> bool:
    return normalize_name(name) in known_org_keys()


@functools.cache
def _org_first_words() -> frozenset[str]:
    return frozenset(k.split(" ", 1)[0] for k in known_org_keys())


def _may_start_org(word: str) -> bool:
    return normalize_name(word).split(" ", 1)[0] in _org_first_words()


def _is_country(name: str) -> bool:
    from transforms.geo import candidates

    return is_place(name) and any(c.place.kind == "country" for c in candidates(name))


def _tokens(text: str, s: int, e: int) -> list[tuple[int, int]]:
    return [(s + m.start(), s + m.end()) for m in re.finditer(r"\S+", text[s:e])]


def nested_places(text: str, sp: Span) -> list[Span]:
    """Places named inside a longer non-person name: "Sheffield" in "University of Sheffield", "Canada" in "Fan
    Expo Canada" (GUM annotates them; a name that is itself a place, "Mexico City", is left whole)."""
    if sp.type in ("person", "group") or " " not in sp.text(text) or is_place(sp.text(text)):
        return []
    toks = [(a, b) for a, b in _tokens(text, sp.start, sp.end)]
    out: list[Span] = []
    i = 0
    while i < len(toks):
        for n in (3, 2, 1):
            if i + n > len(toks):
                continue
            a, b = toks[i][0], toks[i + n - 1][1]
            a, b = _trim_punct(text, a, _strip_trailing_possessive(text, a, b))
            if b > a and text[a].isupper() and (a, b) != (sp.start, sp.end) and is_place(text[a:b]):
                out.append(Span(a, b, "location", "nested"))
                i += n - 1
                break
        i += 1
    return out


_ACRONYM_WORD = re.compile(r"^[A-Z]{2,6}$")


def nested_orgs(text: str, sp: Span, orgs: set[str]) -> list[Span]:
    """An organisation that opens a longer name: the maker or organiser before an event or product name
    ("FIFA World Cup", "Google Chrome", "Budweiser Man of the Match"); GUM annotates such nested names. `orgs`:
    the normalised names typed organisation elsewhere in the text; known organisations (`known_orgs.json`) count
    too. Acronyms opening a name with an event word
    (`event_type`: "FIFA World Cup", "ABN AMRO World Tennis Tournament") count without that evidence. Places
    are left to `nested_places`."""
    if sp.type not in ("event", "product", "work"):
        return []
    toks = _tokens(text, sp.start, sp.end)
    event = event_type(text, sp) is not None
    for n in (3, 2, 1):
        if n >= len(toks):
            continue
        a, b = _trim_punct(text, toks[0][0], _strip_trailing_possessive(text, toks[0][0], toks[n - 1][1]))
        if b <= a or not text[a].isupper() or is_place(text[a:b]):
            continue
        acronyms = event and all(_ACRONYM_WORD.match(text[x:y]) for x, y in toks[:n])
        if acronyms or normalize_name(text[a:b]) in orgs or is_known_org(text[a:b]):
            return [Span(a, b, "organization", "nested")]
    return []


def is_product(text: str, sp: Span) -> bool:
    """A name the model took for a person or place, followed by a product noun ("Firefox browser",
    "Internet Explorer 9 (IE9) browser"): `product_heads` in the rules data."""
    if sp.type not in ("person", "location") or layout_rules().product_after.match(text, sp.end) is None:
        return False
    surface = text[sp.start : sp.end]
    return curated(surface) is None and not is_place(surface)  # "UK phones", "China software": the market


def event_type(text: str, sp: Span) -> str | None:
    """'event' when an event word ends the name or is followed only by a year or a place ("FIFA World Cup",
    "Fan Expo Canada 2016"), unless a building word ends it ("Royal Festival Hall")."""
    rules = layout_rules()
    words = text[sp.start : sp.end].split()
    if len(words) < 2 or words[-1] in rules.facility_tails or sp.type in ("person", "group"):
        return None
    if words[0] in rules.event_openers and words[1][:1].isupper():
        return "event"
    for i in range(1, len(words)):
        head = words[i] if words[i] in rules.event_heads else None
        if head is None and i + 1 < len(words) and f"{words[i]} {words[i + 1]}" in rules.event_heads:
            head, i = f"{words[i]} {words[i + 1]}", i + 1
        if head is None:
            continue
        rest = words[i + 1 :]
        if not rest or all(_YEAR.match(w) for w in rest) or is_place(" ".join(w for w in rest if not _YEAR.match(w))):
            return "event"
    return None


def extend_org_suffix(text: str, sp: Span) -> Span:
    """Take in a company or body suffix right after the span: "Sumitomo" + " Corp" -> an organisation."""
    m = layout_rules().org_suffix.match(text, sp.end)
    if m is None:
        return sp
    return Span(sp.start, m.end(), "organization", sp.source)


def dateline_spans(text: str) -> list[Span]:
    """The place (and region) of a line-initial dateline: "LONDON 1996-08-30", "AL-AIN , United Arab Emirates
    1996-12-06", "WASHINGTON (AP) -"."""
    out: list[Span] = []
    for m in layout_rules().dateline.finditer(text):
        out.append(Span(m.start("place"), m.end("place"), "location", "layout"))
        if m.group("region"):
            out.append(Span(m.start("region"), m.end("region"), "location", "layout"))
    return out


def result_row_spans(text: str) -> list[Span]:
    """The two sides of a results-table row ("Aston Villa 2 Derby 0"): clubs are organisations, countries
    (national teams) locations, as CoNLL annotates them."""
    found: list[tuple[int, int]] = []
    for m in _RESULT_ROW.finditer(text):
        found += [(m.start(g), m.end(g)) for g in ("a", "b", "c", "d") if m.group(g)]
    for run in _RESULT_RUN.finditer(text):
        found += [(p.start("name"), p.end("name")) for p in _RESULT_PAIR.finditer(text, run.start(), run.end())]
    out: list[Span] = []
    for a, b in sorted(set(found)):
        if not any(sp.start < b and a < sp.end for sp in out):
            out.append(Span(a, b, "location" if _is_country(text[a:b]) else "organization", "layout"))
    return out


def is_caps_line(line: str) -> bool:
    """At least 8 cased letters, 80% or more of them capitals."""
    upper = sum(map(str.isupper, line))
    if upper < 8:
        return False
    return upper / (upper + sum(map(str.islower, line))) >= 0.8


def caps_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every ALL-CAPS line (headlines, shouted titles), which the cased model cannot read, and of
    every run of 2+ capitalised words with 8+ letters in other text (a headline whose line break was reflowed
    away: "SOCCER - GERMAN FIRST DIVISION RESULTS . BONN 1996-08-24 Results of ...")."""
    out, pos = [], 0
    for line in text.split("\n"):
        if is_caps_line(line):
            out.append((pos, pos + len(line)))
        elif sum(map(str.isupper, line)) >= 8:
            for m in _CAPS_RUN.finditer(line):
                tail = _NEUTRAL_TAIL.search(m.group())
                run = m.group()[: tail.start()] if tail else m.group()
                if sum(map(str.isalpha, run)) >= 8 and len(_CAPS_TOKEN.findall(run)) >= 2:
                    out.append((pos + m.start(), pos + m.start() + len(run)))
        pos += len(line) + 1
    return out


def _seen_forms(text: str, skip: list[tuple[int, int]]) -> dict[str, str]:
    """How the article writes each word outside its caps lines: lowercase when it ever does, else its most
    frequent form ("Bhutto", "ANC")."""
    forms: dict[str, dict[str, int]] = {}
    pos = 0
    for s, e in [*skip, (len(text), len(text))]:
        for m in _WORD_RE.finditer(text, pos, s):
            w = m.group()
            if w[:1].isupper() and not w.isupper() and _SENTENCE_OPENING.search(text, max(0, m.start() - 3), m.start()):
                continue  # "Police said ...": a capital opening a sentence says nothing about the word
            counts = forms.setdefault(w.lower(), {})
            counts[w] = counts.get(w, 0) + 1
        pos = e
    return {k: (k if k in c else max(c, key=lambda f: c[f])) for k, c in forms.items()}


def restore_case(line: str, seen: dict[str, str]) -> str:
    """A same-length mixed-case copy of an ALL-CAPS line: each word as the article writes it elsewhere, places
    of the gazetteer capitalised, other words lowercase ("PAKISTAN OPPOSITION CALLS FOR BHUTTO TO QUIT" ->
    "Pakistan opposition calls for Bhutto to quit")."""
    rules = layout_rules()
    chars = list(line)
    words = list(_CAPS_WORD.finditer(line))
    done: set[int] = set()
    for n in (3, 2):  # multi-word places first: "NEW YORK", "SOUTH AFRICA"
        for i in range(len(words) - n + 1):
            if any(j in done for j in range(i, i + n)):
                continue
            a, b = words[i].start(), words[i + n - 1].end()
            if line[a:b].count(" ") == n - 1 and is_place(line[a:b]):
                chars[a:b] = line[a:b].title()
                done.update(range(i, i + n))
    for i, m in enumerate(words):
        if i in done:
            continue
        w = m.group()
        low = w.lower()
        form = seen.get(low)
        if form is None:
            form = w.title() if low not in rules.caps_function_words and is_place(w) else (
                w if "." in w.strip(".") else low)
        if len(form) == len(w):
            chars[m.start() : m.end()] = form
    return "".join(chars)


def restored_text(text: str, regions: list[tuple[int, int]]) -> str:
    """`text` with each caps region replaced by its case-restored copy (same length, same offsets)."""
    if not regions:
        return text
    seen = _seen_forms(text, regions)
    parts, pos = [], 0
    for s, e in regions:
        parts += [text[pos:s], restore_case(text[s:e], seen)]
        pos = e
    parts.append(text[pos:])
    out = "".join(parts)
    return out if len(out) == len(text) else text


_CAP_BEFORE = re.compile(r"[A-Z][\w'\u2019.-]* $")
_CAP_AFTER = re.compile(r" [A-Z]|[$\u20ac\u00a3]")


def _isolated(text: str, a: int, b: int) -> bool:
    """Not part of a longer capitalised name ("Captain America", "Budweiser Man") nor a currency ("US$")."""
    before = _CAP_BEFORE.search(text, max(0, a - 30), a)
    if before and before.group().strip().lower() not in layout_rules().caps_function_words:
        return False
    return not _CAP_AFTER.match(text, b)


def missed_places(text: str, spans: list[Span]) -> list[Span]:
    """Gazetteer places (countries, divisions, regions, big cities) the model left untagged: every capitalised
    occurrence outside the found spans, longest name first ("New Zealand", "Canada")."""
    return _missed(text, spans, _may_start_place, is_place, "location", 3)


def missed_orgs(text: str, spans: list[Span]) -> list[Span]:
    """Known organisations (`known_orgs.json`) the model left untagged, found as `missed_places` finds places
    ("Facebook creator Mark Zuckerberg")."""
    return _missed(text, spans, _may_start_org, is_known_org, "organization", 4)


def missed_media(text: str, spans: list[Span]) -> list[Span]:
    """News outlets after "the" the model left untagged ("The Deseret News observed"): `media_heads`."""
    taken = [(sp.start, sp.end) for sp in spans]
    return [
        Span(m.start(), m.end(), "organization", "gazetteer")
        for m in layout_rules().media_after_the.finditer(text)
        if not any(s < m.end() and m.start() < e for s, e in taken)
    ]


def _missed(text: str, spans: list[Span], may_start: Callable[[str], bool], is_name: Callable[[str], bool],
            type_: str, max_words: int) -> list[Span]:
    """Every isolated run of up to `max_words` capitalised words outside `spans` that `is_name` accepts, longest
    first, as a `type_` span from the gazetteer."""
    taken = sorted((sp.start, sp.end) for sp in spans)
    out: list[Span] = []
    toks = [(m.start(), m.end()) for m in _CAP_TOKEN.finditer(text)]
    i = 0
    while i < len(toks):
        if not may_start(text[toks[i][0] : toks[i][1]]):
            i += 1
            continue
        for n in range(max_words, 0, -1):
            if i + n > len(toks):
                continue
            a, b = toks[i][0], toks[i + n - 1][1]
            a, b = _trim_punct(text, a, _strip_trailing_possessive(text, a, b))
            if n > 1 and text[a:b].count(" ") != n - 1:
                continue
            if b > a and _isolated(text, a, b) and is_name(text[a:b]) and not any(s < b and a < e for s, e in taken):
                out.append(Span(a, b, type_, "gazetteer"))
                i += n - 1
                break
        i += 1
    return out
