"""Geocoder accuracy on the hand-written gold set tests/data/geo_gold.jsonl (news sentences, each place
mention with its expected country, kind and, for cities, coordinates).

Each sentence goes through the real NER + entity stage and `transforms.geo.geocode_entities`. A gold
mention NER did not find as a location is added as one (so the geocoder, not NER, is measured; counted as
`ner_missed`). Metrics per split (`tune`: used to set transforms/geo.py's constants; `confirm`: held out):
- resolved: share of place mentions that get a place;
- country_acc: of the resolved, share with the expected country_code (null for regions like the Gulf);
- city_50km: of the resolved gold cities, share placed within 50 km of the expected point;
- false_resolved: of the "expect: unresolved" mentions (fictional places), share that got a place.

Run: `.venv/bin/python bench/eval_geo.py [--errors]`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.entities import extract_entities, load_ner  # noqa: E402
from transforms.geo import explain, geocode_entities  # noqa: E402
from transforms.records import Entity, Mention  # noqa: E402

GOLD = ROOT / "tests" / "data" / "geo_gold.jsonl"
CITY_RADIUS_KM = 50.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def load_gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _entity_for(entities: list[Entity], text: str, mention: str) -> tuple[Entity, bool]:
    """The location entity with this surface (or name); else a location entity made for it."""
    for e in entities:
        if e.type == "location" and (e.name == mention or any(m.text == mention for m in e.mentions)):
            return e, False
    start = text.find(mention)
    ent = Entity(mention, "location", [Mention(mention, start, start + len(mention))])
    # the mention was inside another entity's span (or typed otherwise): that entity gives way
    entities[:] = [e for e in entities if not any(m.start <= start < m.end for m in e.mentions)]
    entities.append(ent)
    return ent, True


def evaluate(show_errors: bool = False) -> dict[str, dict[str, float]]:
    nlp = load_ner()
    gold = load_gold()
    stats: dict[str, dict[str, float]] = {}
    for doc, item in zip(nlp.pipe(g["text"] for g in gold), gold, strict=True):
        text = item["text"]
        entities = extract_entities(doc, title_end=0)
        pairs = [(p, *_entity_for(entities, text, p["mention"])) for p in item["places"]]
        geocode_entities(entities, text, item["source_domain"])
        s = stats.setdefault(item["split"], Counter0())
        for p, ent, injected in pairs:
            geo = ent.geo
            s["ner_missed"] += injected
            if p.get("expect") == "unresolved":
                s["negatives"] += 1
                s["false_resolved"] += geo is not None
                if geo is not None and show_errors:
                    print(f"[{item['split']}] FALSE {p['mention']!r} -> {geo} | {text}")
                continue
            s["mentions"] += 1
            ok_country = geo is not None and geo["country_code"] == p["country_code"]
            s["resolved"] += geo is not None
            s["country_ok"] += ok_country
            bad_city = False
            if p["place_kind"] == "city" and geo is not None:
                s["cities"] += 1
                near = geo["latitude"] is not None and km(geo["latitude"], geo["longitude"], p["lat"],
                                                          p["lon"]) <= CITY_RADIUS_KM
                s["city_ok"] += near
                bad_city = not near
            if show_errors and (geo is None or not ok_country or bad_city):
                print(f"[{item['split']}] {p['mention']!r} expected {p['country_code']} {p['place_kind']} "
                      f"got {geo} | {text}")
                for line in explain(entities, text, item["source_domain"]):
                    if line.startswith(ent.name + ":"):
                        print("    " + line)
    return {split: metrics(s) for split, s in sorted(stats.items())}


def Counter0() -> dict[str, float]:  # noqa: N802 - a zeroed tally
    return {k: 0 for k in ("mentions", "resolved", "country_ok", "cities", "city_ok", "negatives",
                           "false_resolved", "ner_missed")}


def metrics(s: dict[str, float]) -> dict[str, float]:
    return {
        "mentions": s["mentions"],
        "resolved": round(s["resolved"] / max(s["mentions"], 1), 4),
        "country_acc": round(s["country_ok"] / max(s["resolved"], 1), 4),
        "city_50km": round(s["city_ok"] / max(s["cities"], 1), 4),
        "false_resolved": round(s["false_resolved"] / max(s["negatives"], 1), 4),
        "ner_missed": s["ner_missed"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="print every miss with the geocoder's reasons")
    args = ap.parse_args()
    for split, m in evaluate(args.errors).items():
        print(f"{split:8s} " + "  ".join(f"{k}={v}" for k, v in m.items()))


if __name__ == "__main__":
    main()
