"""Reshape annotated articles into warehouse rows (one list of dicts per table). Pure."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from transforms.entities import canonical_key
from transforms.geo import GEO_FIELDS
from transforms.records import Article
from transforms.text import stable_id, word_count

Rows = list[dict[str, Any]]


def entity_id_for(name: str, type_: str) -> str:
    return stable_id(type_, canonical_key(name, type_))


def figure_id_for(article_id: str, start: int, end: int) -> str:
    return stable_id(article_id, str(start), str(end))


def parse_timestamp(value: str | None) -> datetime | None:
    """ISO 8601 string -> aware datetime (naive taken as UTC); unparseable -> None."""
    if not value:
        return None
    try:
        ts = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def _geo_key(geo: dict[str, Any] | None) -> tuple[Any, ...]:
    return tuple(geo.get(f) for f in GEO_FIELDS) if geo else ()


def majority_geo(votes: Counter[tuple[Any, ...]]) -> dict[str, Any]:
    """An entity row has one geo although its name may be placed differently by different articles
    ("Georgia"): the geo most articles of the batch gave it; ties go to the smaller (country_code,
    geonames_id, ...) so the choice does not depend on batch order. Unresolved only if no article resolved
    it. Across runs the row published first is kept (publish.sql inserts new entity ids only)."""
    resolved = [(n, k) for k, n in votes.items() if k]
    if not resolved:
        return dict.fromkeys(GEO_FIELDS)
    best = min(resolved, key=lambda nk: (-nk[0], tuple("" if v is None else str(v) for v in nk[1])))[1]
    return dict(zip(GEO_FIELDS, best, strict=True))


def to_rows(articles: list[Article], run_id: str, ingested_at: datetime) -> dict[str, Rows]:
    out: dict[str, Rows] = {k: [] for k in ("articles", "entities", "article_entities", "entity_mentions", "figures")}
    seen_entities: dict[str, dict[str, Any]] = {}
    geo_votes: dict[str, Counter[tuple[Any, ...]]] = {}
    for a in articles:
        out["articles"].append({
            "article_id": a.article_id, "source_path": a.source_path, "source_id": a.source_id,
            "entry_key": a.entry_key, "url": a.url, "source_domain": a.source_domain, "title": a.title,
            "summary": a.summary, "body": a.body, "text": a.text, "authors": a.authors,
            "published_at": parse_timestamp(a.published_at), "language": a.language, "content_hash": a.content_hash,
            "word_count": word_count(a.text), "flags": a.flags, "ingested_at": ingested_at, "run_id": run_id,
        })
        # A title derived from the body is not in `text`; its words are the body's first sentence.
        derived = "title_from_body" in a.flags
        title_end = len(a.title.removesuffix(" …")) if derived else len(a.title)
        body_start = 0 if derived else len(a.title) + 2
        summary_end = body_start + len(a.summary) if a.summary and a.body.startswith(a.summary) else -1
        links: dict[str, dict[str, Any]] = {}
        for ent in a.entities:
            eid = entity_id_for(ent.name, ent.type)
            seen_entities.setdefault(eid, {"entity_id": eid, "name": ent.name, "type": ent.type})
            geo_votes.setdefault(eid, Counter())[_geo_key(ent.geo)] += 1
            offsets = [m.start for m in ent.mentions]
            link = links.get(eid)
            if link is None:
                link = links[eid] = {
                    "article_id": a.article_id, "entity_id": eid, "mentions": 0,
                    "first_offset": min(offsets, default=0),
                    "in_title": False, "in_summary": False, "surface_forms": Counter(),
                }
            link["mentions"] += len(ent.mentions)
            link["first_offset"] = min([link["first_offset"], *offsets])
            link["in_title"] |= any(m.end <= title_end for m in ent.mentions)
            link["in_summary"] |= any(title_end < m.start < summary_end for m in ent.mentions)
            for m in ent.mentions:
                link["surface_forms"][m.text] += 1
                out["entity_mentions"].append({"article_id": a.article_id, "entity_id": eid, "alias": m.text,
                                               "start_offset": m.start, "end_offset": m.end})
        for link in links.values():
            link["surface_forms"] = [s for s, _ in link["surface_forms"].most_common()]
            out["article_entities"].append(link)
        for f in a.figures:
            out["figures"].append({
                "figure_id": figure_id_for(a.article_id, f.start, f.end), "article_id": a.article_id,
                "value": f.value, "range_end": f.range_end, "unit": f.unit, "object": f.object,
                "category": f.category, "qualifier": f.qualifier, "direction": f.direction, "surface": f.surface,
                "sentence": f.sentence, "start_offset": f.start, "end_offset": f.end,
            })
    out["entities"] = [{**row, **majority_geo(geo_votes[eid])} for eid, row in seen_entities.items()]
    return out
