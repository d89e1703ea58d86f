"""Small typed records passed between pipeline stages.

Field names match the warehouse columns and the `newsetl extract` JSON keys (a test checks they agree).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ENTITY_TYPES = ("person", "organization", "location", "group", "event", "product", "work", "law", "other")
QUALIFIERS = ("=", "~", ">", "<", ">=", "<=")


@dataclass(slots=True)
class Mention:
    text: str
    start: int  # offsets index Article.text
    end: int


@dataclass(slots=True)
class Entity:
    name: str  # canonical name
    type: str  # one of ENTITY_TYPES
    mentions: list[Mention] = field(default_factory=list)
    # Where a location lies (transforms.geo.GEO_FIELDS: country_code, admin1, latitude, longitude,
    # geonames_id, place_kind), or a nationality word's country_code; None when unresolved.
    geo: dict[str, Any] | None = None


@dataclass(slots=True)
class Figure:
    value: float
    unit: str | None  # normalised: "USD", "percent", "km", ... None for plain counts
    object: str | None  # the counted or measured thing ("civilians")
    category: str  # killed, wounded, money, percent, count, quantity, ...
    qualifier: str  # one of QUALIFIERS
    surface: str  # text[start:end]
    start: int
    end: int
    sentence: str = ""
    range_end: float | None = None  # "252 to 287 miles" -> value 252, range_end 287
    direction: str | None = None  # "up" / "down" for changes ("rose by", "fell 3%")


@dataclass(slots=True)
class RawArticle:
    """A parsed input before NLP: what a reader got out of a file (or one feed entry / JSONL line)."""

    source_path: str
    title: str
    body: str  # cleaned main text without title or boilerplate
    summary: str | None = None
    source_id: str | None = None  # id of a .jsonl record
    entry_key: str | None = None  # distinguishes several articles in one file (feed entry id, line number)
    url: str | None = None
    source_domain: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None  # ISO 8601
    language: str | None = None
    flags: list[str] = field(default_factory=list)  # e.g. "truncated_for_nlp", "mojibake_repaired"


@dataclass(slots=True)
class Rejection:
    """An input (file, feed entry, JSONL line) that could not be used, with a reason code and detail."""

    source_path: str
    reason: str  # a transforms.reasons.Reason, or the name of the row-level expectation that failed
    detail: str = ""


@dataclass(slots=True)
class Article:
    source_path: str
    source_id: str | None
    article_id: str
    title: str
    summary: str | None
    body: str
    text: str  # exactly the string entity and figure offsets index
    url: str | None
    source_domain: str | None
    authors: list[str]
    published_at: str | None
    language: str | None
    content_hash: str
    entities: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    entry_key: str | None = None  # feed entry / jsonl line within source_path

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
