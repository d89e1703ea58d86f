"""Document-level entity evaluation on GUM news (../shared/gold/gum_news.jsonl), raw spaCy beside ours.

Metrics (per document, summed over documents):
- precision: a predicted entity is correct when one of its mentions lies inside a gold mention;
- recall: a gold entity is the set of mentions sharing a Wikipedia link, counted when one of them is
  named; it is found when some predicted entity matches it (a predicted mention lies inside one of its
  mentions; a mention is assigned to the innermost gold mentions containing it, so "Mecca" in
  "Mecca's Grand Mosque" matches Mecca, not the mosque);
- fragmentation: predicted entities per found gold entity (ideal 1.0);
- conflation: share of predicted entities matching two or more gold entities (ideal 0).
Only person/organization/location predictions are scored: GUM annotates those three kinds only (its
"person" mentions include groups of people, where a nationality word nested inside would otherwise count
as a second entity for the person).

The documents are split in two halves by position (even = tune, odd = check) so rules tuned on one half
can be confirmed on the other.  Run: `.venv/bin/python bench/eval_entities.py`.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.entities import extract_entities, load_ner  # noqa: E402
from transforms.entity_rules import LABEL_TYPES  # noqa: E402

GUM_PATH = ROOT.parent / "shared" / "gold" / "gum_news.jsonl"
SCORED_TYPES = frozenset({"person", "organization", "location"})

# One predicted entity = its type and the (start, end) offsets of its mentions.
Predicted = list[tuple[str, list[tuple[int, int]]]]


@dataclass
class Counts:
    predicted: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0
    links: int = 0  # sum over found gold entities of predicted entities matching it
    conflated: int = 0

    def add(self, other: Counts) -> None:
        for f in ("predicted", "correct", "gold", "found", "links", "conflated"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fragmentation(self) -> float:
        return self.links / self.found if self.found else 0.0

    @property
    def conflation(self) -> float:
        return self.conflated / self.predicted if self.predicted else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "fragmentation": round(self.fragmentation, 4),
            "conflation": round(self.conflation, 4),
        }


def load_gum(path: Path = GUM_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score_doc(doc: dict, predicted: Predicted) -> Counts:
    gold = doc["entities"]
    named_links = {g["wikipedia"] for g in gold if g["wikipedia"] and g["named"]}
    c = Counts(gold=len(named_links))
    matches_by_link: dict[str, int] = defaultdict(int)
    for type_, mentions in predicted:
        if type_ not in SCORED_TYPES:
            continue
        c.predicted += 1
        correct = False
        links: set[str] = set()
        for s, e in mentions:
            containing = [g for g in gold if g["start"] <= s and e <= g["end"]]
            if not containing:
                continue
            correct = True
            inner = min(g["end"] - g["start"] for g in containing)
            links.update(
                g["wikipedia"]
                for g in containing
                if g["end"] - g["start"] == inner and g["wikipedia"] in named_links
            )
        c.correct += correct
        c.conflated += len(links) >= 2
        for link in links:
            matches_by_link[link] += 1
    c.found = len(matches_by_link)
    c.links = sum(matches_by_link.values())
    return c


def title_end(doc: dict) -> int:
    title = doc.get("meta", {}).get("title") or ""
    return len(title) if title and doc["text"].startswith(title) else 0


def predict_raw(spacy_doc) -> Predicted:
    """Raw spaCy: one entity per distinct (surface, type) in the document."""
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for ent in spacy_doc.ents:
        type_ = LABEL_TYPES.get(ent.label_)
        if type_:
            groups[(ent.text, type_)].append((ent.start_char, ent.end_char))
    return [(t, m) for (_, t), m in groups.items()]


def predict_ours(spacy_doc, t_end: int) -> Predicted:
    return [(e.type, [(m.start, m.end) for m in e.mentions]) for e in extract_entities(spacy_doc, t_end)]


def evaluate(docs: Iterable[dict]) -> dict[str, dict[str, Counts]]:
    """Counts for raw spaCy and ours, for all docs and the tune (even) / check (odd) halves."""
    docs = list(docs)
    nlp = load_ner()
    out: dict[str, dict[str, Counts]] = {
        name: {"all": Counts(), "tune": Counts(), "check": Counts()} for name in ("raw", "ours")
    }
    predictors: dict[str, Callable] = {
        "raw": lambda sd, d: predict_raw(sd),
        "ours": lambda sd, d: predict_ours(sd, title_end(d)),
    }
    for i, (d, sd) in enumerate(zip(docs, nlp.pipe(d["text"] for d in docs), strict=True)):
        half = "tune" if i % 2 == 0 else "check"
        for name, predict in predictors.items():
            c = score_doc(d, predict(sd, d))
            out[name]["all"].add(c)
            out[name][half].add(c)
    return out


def report(results: dict[str, dict[str, Counts]]) -> str:
    metrics = ["precision", "recall", "f1", "fragmentation", "conflation"]
    lines = [f"{'split':<7}{'system':<6}" + "".join(f"{m:>15}" for m in metrics)]
    for split in ("all", "tune", "check"):
        for name in ("raw", "ours"):
            vals = results[name][split].as_dict()
            lines.append(f"{split:<7}{name:<6}" + "".join(f"{vals[m]:>15.4f}" for m in metrics))
    lines.append("targets: f1 >= 0.85, fragmentation <= 1.08, conflation <= 0.02")
    return "\n".join(lines)


def main() -> None:
    print(report(evaluate(load_gum())))


if __name__ == "__main__":
    main()
