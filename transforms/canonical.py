"""Name normalisation and the cross-article canonical key for entities.

`canonical_key(name, type)` is what merges entities across articles: two entities share a row in the
warehouse exactly when their keys are equal. Keys come from full names and the curated alias list in
`data/entity_aliases.json` only; a bare surname never gets the key of a full name here (that resolution
happens inside one article, where the full name is in view).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ALIASES_PATH = Path(__file__).with_name("data") / "entity_aliases.json"

# Typographic variants that should not split an entity: apostrophes, hyphens/dashes, dots in acronyms.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
_NON_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s?$")


def strip_diacritics(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # names repeat within and across articles; keeps the stage cheap
def normalize_name(name: str) -> str:
    """Casefolded, diacritic-free form with dots/apostrophes removed, so "U.S." == "US" and "Al-Qaeda" ==
    "al-qaeda". Hyphens become spaces so "al-Sudani" and "al Sudani" agree."""
    s = strip_diacritics(name.translate(_APOSTROPHES)).strip()
    s = _LEADING_THE.sub("", s)
    s = _POSSESSIVE.sub("", s)
    s = _DASHES.sub(" ", s)
    s = _NON_WORD.sub("", s)
    return _SPACES.sub(" ", s).strip().casefold()


@dataclass(frozen=True, slots=True)
class AliasEntry:
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The curated data: alias table keyed by normalised surface, plus word lists."""

    aliases: dict[str, AliasEntry]
    group_words: frozenset[str]  # normalised nationality / religious / ethnic / political words
    person_titles: tuple[str, ...]  # longest first, so "Prime Minister" wins over "Minister"
    name_particles: frozenset[str]
    org_words: frozenset[str]  # "ministry", "party", ...: a phrase with one of these is not a person name


@functools.cache
def lexicon() -> Lexicon:
    raw = json.loads(ALIASES_PATH.read_text(encoding="utf-8"))
    aliases: dict[str, AliasEntry] = {}
    for item in raw["entities"]:
        entry = AliasEntry(item["name"], item["type"])
        for surface in [item["name"], *item["aliases"]]:
            aliases.setdefault(normalize_name(surface), entry)
    return Lexicon(
        aliases=aliases,
        group_words=frozenset(normalize_name(w) for w in raw["group_words"]),
        person_titles=tuple(sorted(raw["person_titles"], key=len, reverse=True)),
        name_particles=frozenset(raw["name_particles"]),
        org_words=frozenset(raw["org_words"]),
    )


def curated(name: str) -> AliasEntry | None:
    """The curated canonical entry for a surface form, if any."""
    return lexicon().aliases.get(normalize_name(name))


def canonical_key(name: str, type: str) -> str:
    """Key that merges entities across articles: `type:normalised-name`, with curated aliases mapped to
    their canonical entry (so "U.S." and "the United States" share a key). The type is part of the key so a
    person "Jordan" never merges with the country."""
    entry = curated(name)
    if entry is not None:
        return f"{entry.type}:{normalize_name(entry.name)}"
    return f"{type}:{normalize_name(name)}"
