"""Geocoder cost beside NER: the same BBC texts through `nlp.pipe` + `extract_entities`, then
`geocode_entities`, in one run. Budget: geocoding within 5% of NER time (the gazetteer build, once per
process, is printed apart: a long-lived worker pays it once).

Run: `.venv/bin/python bench/bench_geo.py [--limit 300] [--show 0]` (`--show N` prints the first N location
resolutions, for hand checks).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_entities import load_texts  # noqa: E402

from transforms.entities import extract_entities, load_ner  # noqa: E402
from transforms.geo import explain, gazetteer, geocode_entities  # noqa: E402

BUDGET = 0.05  # geocoding seconds per NER second


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--show", type=int, default=0, help="print this many location resolutions")
    args = ap.parse_args()
    texts = load_texts(args.limit)
    nlp = load_ner()
    t0 = time.perf_counter()
    gazetteer()
    t1 = time.perf_counter()
    docs = list(nlp.pipe((t for t, _ in texts), batch_size=args.batch_size))
    ents = [extract_entities(d, title_end=te) for d, (_, te) in zip(docs, texts, strict=True)]
    t2 = time.perf_counter()
    for e, (text, _) in zip(ents, texts, strict=True):
        geocode_entities(e, text, None)
    t3 = time.perf_counter()
    build, ner, geo = t1 - t0, t2 - t1, t3 - t2
    locs = [e for es in ents for e in es if e.type == "location"]
    groups = [e for es in ents for e in es if e.type == "group"]
    print(f"texts={len(texts)} location_entities={len(locs)} resolved={sum(e.geo is not None for e in locs)} "
          f"({sum(e.geo is not None for e in locs) / max(len(locs), 1):.1%}) "
          f"groups_with_country={sum(e.geo is not None for e in groups)}/{len(groups)}")
    print(f"gazetteer_build_s={build:.2f} ner_s={ner:.2f} geo_s={geo:.3f} ratio={geo / ner:.2%} "
          f"(budget {BUDGET:.0%}) ratio_with_build={(geo + build) / ner:.2%}")
    shown = 0
    for es, (text, _) in zip(ents, texts, strict=True):
        if shown >= args.show:
            break
        for line in explain(es, text):
            print("  " + line)
            shown += 1


if __name__ == "__main__":
    main()
