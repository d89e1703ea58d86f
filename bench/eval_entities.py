"""Entity evaluation, ours beside raw spaCy, on two dev sets, each split in a fixed tune and confirm half.

1. GUM news (../shared/gold/gum_news.jsonl), document-level, counted exactly as the acceptance scorer
   `../shared/eval/score_gum.py` counts: its own `match` and `text_offset` functions are loaded from that file
   (the file runs `newsetl extract` when imported, so only its function definitions are taken) and its scoring
   loop is repeated per document below; `--check-scorer` runs score_gum.py itself and checks the all-docs totals
   agree. Our predictions are the entity stage on the text `newsetl extract` builds from the articles as JSON
   Lines (as the scorer runs it; `--cli` runs the CLI itself); raw spaCy is `en_core_web_sm` NER (the same
   model, NER only) on the same `text`, one entity per distinct (surface, type), PERSON/ORG/GPE/LOC/FAC only.
   Documents alternate: even positions tune, odd positions confirm.
2. A hand-annotated newswire sample (tests/data/newswire_tune.jsonl, tests/data/newswire_confirm.jsonl: authored
   Reuters/AP-style text with datelines, ALL-CAPS headlines, results tables), mention-level PER/ORG/LOC F1 with
   exact span and type (CoNLL-style). Ours: the mentions of our person/organization/location entities;
   raw spaCy: PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC (NORP and the rest are not scored, like CoNLL MISC).
   CoNLL is flat, so a predicted mention nested in another predicted mention (a place inside an organisation
   name, which GUM annotates) is left out of this count (`outermost`).

Run: `.venv/bin/python bench/eval_entities.py [--json] [--check-scorer]`.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.entities import extract_entities, load_ner  # noqa: E402
from transforms.entity_rules import LABEL_TYPES  # noqa: E402

SHARED = ROOT.parent / "shared"
GUM_PATH = SHARED / "gold" / "gum_news.jsonl"
SCORE_GUM = SHARED / "eval" / "score_gum.py"
NEWSWIRE = {"tune": ROOT / "tests" / "data" / "newswire_tune.jsonl",
            "confirm": ROOT / "tests" / "data" / "newswire_confirm.jsonl"}
NEWSETL = ROOT / ".venv" / "bin" / "newsetl"
HALVES = ("tune", "confirm")
# raw spaCy labels -> CoNLL-style mention types; ours: contract types -> the same
RAW_MENTION_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
OUR_MENTION_TYPES = {"person": "PER", "organization": "ORG", "location": "LOC"}

Record = dict[str, Any]


def _scorer_functions() -> dict[str, Any]:
    """`match`, `text_offset` and `KEEP` from score_gum.py, without running its module-level extraction."""
    tree = ast.parse(SCORE_GUM.read_text(encoding="utf-8"))
    keep: list[ast.stmt] = []
    for node in tree.body:
        wanted_def = isinstance(node, ast.FunctionDef) and node.name in ("match", "text_offset")
        wanted_set = isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "KEEP"
                                                          for t in node.targets)
        if wanted_def or wanted_set:
            keep.append(node)
    ns: dict[str, Any] = {"re": re}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(SCORE_GUM), "exec"), ns)  # noqa: S102
    return ns


_SG = _scorer_functions()


@dataclass
class GumCounts:
    """score_gum.py's counters, summable over documents."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    conflated: int = 0
    links: int = 0  # sum over found gold entities of the predicted entities matching it

    def add(self, o: GumCounts) -> None:
        for k, v in asdict(o).items():
            setattr(self, k, getattr(self, k) + v)

    def exact(self) -> dict[str, float]:
        r = self.found / self.gold if self.gold else 0.0
        p = self.correct / self.predicted if self.predicted else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        fr = self.links / self.found if self.found else 0.0
        cf = self.conflated / self.predicted if self.predicted else 0.0
        return {"precision": p, "recall": r, "f1": f, "fragmentation": fr, "conflation": cf}

    def metrics(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.exact().items()}


def gum_score_doc(d: Record, r: Record | None) -> GumCounts:
    """score_gum.py's loop body for one document and its extracted record."""
    mentions = [(e["start"], e["end"], e["wikipedia"] if e.get("wikipedia") else f"_{i}")
                for i, e in enumerate(d["entities"])]
    linked = {e["wikipedia"] for e in d["entities"] if e["named"] and e.get("wikipedia")}
    c = GumCounts(gold=len(linked))
    if not r:
        return c
    off = _SG["text_offset"](r, d["text"]) or 0
    hits: dict[str, set[int]] = defaultdict(set)
    for i, ent in enumerate(r.get("entities") or []):
        if str(ent.get("type", "")).lower() not in _SG["KEEP"]:
            continue
        c.predicted += 1
        keys = {_SG["match"](m["start"] - off, m["end"] - off, mentions) for m in ent.get("mentions") or []} - {None}
        c.correct += bool(keys)
        real = {k for k in keys if k in linked}
        c.conflated += len(real) > 1
        for k in real:
            hits[k].add(i)
    c.found = len(hits)
    c.links = sum(len(v) for v in hits.values())
    return c


def load_jsonl(path: Path) -> list[Record]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def newsetl_extract(named_docs: dict[str, list[tuple[str, str]]]) -> dict[str, dict[str, Record]]:
    """Run `newsetl extract` once over one JSON Lines file per set of (id, text); records by set and id."""
    with tempfile.TemporaryDirectory(prefix="eval-entities-") as tmp:
        paths = []
        for name, docs in named_docs.items():
            p = Path(tmp) / f"{name}.jsonl"
            p.write_text("".join(json.dumps({"id": i, "title": "", "body": t}, ensure_ascii=False) + "\n"
                                 for i, t in docs), encoding="utf-8")
            paths.append(p)
        proc = subprocess.run([str(NEWSETL), "extract", *map(str, paths)], cwd=ROOT, capture_output=True,
                              text=True, check=True)
    out: dict[str, dict[str, Record]] = {name: {} for name in named_docs}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            rec = json.loads(line)
            out[Path(rec["source_path"]).stem][str(rec["source_id"])] = rec
    return out


def cli_text(doc_id: str, body: str) -> tuple[str, int]:
    """The text (and title end) `newsetl extract` builds from the JSON Lines record {"id", "title": "", "body"}:
    the same reader and article builder (paragraph reflow, Unicode and whitespace normalisation)."""
    from transforms.articles import _title_end, build_article
    from transforms.jsonl import parse_jsonl

    line = json.dumps({"id": doc_id, "title": "", "body": body}, ensure_ascii=False).encode("utf-8")
    raws, _ = parse_jsonl(line + b"\n", "eval.jsonl")
    art = build_article(raws[0])
    return art.text, _title_end(art)


def inprocess_extract(named_docs: dict[str, list[tuple[str, str]]]) -> dict[str, dict[str, Record]]:
    """The entity stage in this process, on the text `newsetl extract` would build (`cli_text`), in extract's
    output shape: faster than the CLI and free of the fetch/parse worker machinery; `--cli` runs the CLI."""
    nlp = load_ner()
    out: dict[str, dict[str, Record]] = {}
    for name, docs in named_docs.items():
        out[name] = {}
        texts = [cli_text(i, t) for i, t in docs]
        for (i, _), (t, t_end), doc in zip(docs, texts, nlp.pipe(t for t, _ in texts), strict=True):
            ents = [{"name": e.name, "type": e.type,
                     "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions]}
                    for e in extract_entities(doc, t_end, nlp)]
            out[name][i] = {"source_id": i, "text": t, "entities": ents}
    return out


def raw_records(records: Iterable[Record]) -> dict[str, Record]:
    """Raw spaCy on each record's `text`, in extract's output shape: one entity per distinct (surface, type)."""
    recs = list(records)
    out: dict[str, Record] = {}
    for rec, doc in zip(recs, load_ner().pipe(r["text"] for r in recs), strict=True):
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for ent in doc.ents:
            type_ = LABEL_TYPES.get(ent.label_)
            if type_:
                groups[(ent.text, type_)].append(
                    {"text": ent.text, "start": ent.start_char, "end": ent.end_char, "label": ent.label_})
        ents = [{"name": s, "type": t, "mentions": ms} for (s, t), ms in groups.items()]
        out[str(rec["source_id"])] = {**rec, "entities": ents}
    return out


def gum_results(docs: list[Record], systems: dict[str, dict[str, Record]]) -> dict[str, dict[str, GumCounts]]:
    res = {name: {h: GumCounts() for h in ("all", *HALVES)} for name in systems}
    for i, d in enumerate(docs):
        half = HALVES[i % 2]
        for name, recs in systems.items():
            c = gum_score_doc(d, recs.get(d["doc_id"]))
            res[name]["all"].add(c)
            res[name][half].add(c)
    return res


# --- newswire: mention-level exact span + type ---------------------------------------------------


@dataclass
class MentionCounts:
    gold: int = 0
    predicted: int = 0
    correct: int = 0

    def add(self, o: MentionCounts) -> None:
        self.gold += o.gold
        self.predicted += o.predicted
        self.correct += o.correct

    def metrics(self) -> dict[str, float]:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.correct / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "gold": self.gold, "predicted": self.predicted, "correct": self.correct}


def predicted_mentions(rec: Record, gold_text: str, type_map: Callable[[dict, dict], str | None]) -> set[tuple]:
    off = _SG["text_offset"](rec, gold_text) or 0
    out = set()
    for ent in rec.get("entities") or []:
        for m in ent.get("mentions") or []:
            t = type_map(ent, m)
            if t:
                out.add((m["start"] - off, m["end"] - off, t))
    return out


def _ours_type(ent: dict, m: dict) -> str | None:
    return OUR_MENTION_TYPES.get(ent.get("type", ""))


def _raw_type(ent: dict, m: dict) -> str | None:
    return RAW_MENTION_TYPES.get(m.get("label", ""))


def outermost(mentions: set[tuple]) -> set[tuple]:
    """CoNLL annotation is flat: a predicted mention inside another predicted mention ("Sydney" nested in
    "University of Sydney") is left out, as a flat tagger would show only the outer one."""
    return {m for m in mentions if not any(o != m and o[0] <= m[0] and m[1] <= o[1] for o in mentions)}


def score_mentions(gold: Record, rec: Record | None, type_map: Callable[[dict, dict], str | None]) -> MentionCounts:
    want = {(e["start"], e["end"], e["type"]) for e in gold["entities"]}
    got = outermost(predicted_mentions(rec, gold["text"], type_map)) if rec else set()
    return MentionCounts(gold=len(want), predicted=len(got), correct=len(want & got))


def newswire_results(sets: dict[str, list[Record]], systems: dict[str, dict[str, dict[str, Record]]]
                     ) -> dict[str, dict[str, MentionCounts]]:
    maps = {"raw": _raw_type, "ours": _ours_type}
    res = {name: {h: MentionCounts() for h in ("all", *HALVES)} for name in systems}
    for half, docs in sets.items():
        for d in docs:
            for name, recs in systems.items():
                c = score_mentions(d, recs[half].get(d["id"]), maps[name])
                res[name]["all"].add(c)
                res[name][half].add(c)
    return res


def evaluate(cli: bool = False) -> dict[str, Any]:
    """GUM (score_gum.py counts) and newswire (mention F1) figures, raw spaCy and ours, per half and overall."""
    gum = load_jsonl(GUM_PATH)
    wire = {h: load_jsonl(p) for h, p in NEWSWIRE.items() if p.exists()}
    named: dict[str, list[tuple[str, str]]] = {"gum": [(d["doc_id"], d["text"]) for d in gum]}
    named.update({f"newswire_{h}": [(d["id"], d["text"]) for d in docs] for h, docs in wire.items()})
    ours = newsetl_extract(named) if cli else inprocess_extract(named)
    raw = {name: raw_records(recs.values()) for name, recs in ours.items()}
    out: dict[str, Any] = {"gum": gum_results(gum, {"raw": raw["gum"], "ours": ours["gum"]})}
    if wire:
        out["newswire"] = newswire_results(
            wire, {s: {h: recs[f"newswire_{h}"] for h in wire} for s, recs in (("raw", raw), ("ours", ours))})
    return out


def as_json(results: dict[str, Any]) -> dict[str, Any]:
    return {ds: {sys_: {h: c.metrics() for h, c in halves.items()} for sys_, halves in r.items()}
            for ds, r in results.items()}


def report(results: dict[str, Any]) -> str:
    js = as_json(results)
    lines = ["GUM news, document level (score_gum.py counts)"]
    metrics = ["precision", "recall", "f1", "fragmentation", "conflation"]
    lines.append(f"{'half':<9}{'system':<7}" + "".join(f"{m:>14}" for m in metrics))
    for h in ("all", *HALVES):
        for s in ("raw", "ours"):
            lines.append(f"{h:<9}{s:<7}" + "".join(f"{js['gum'][s][h][m]:>14.4f}" for m in metrics))
    lines.append("targets: f1 >= 0.85 and >= raw on both halves, fragmentation <= 1.08, conflation <= 0.02")
    if "newswire" in js:
        lines.append("\nnewswire sample, PER/ORG/LOC mentions (exact span + type)")
        metrics = ["precision", "recall", "f1", "gold", "predicted", "correct"]
        lines.append(f"{'half':<9}{'system':<7}" + "".join(f"{m:>11}" for m in metrics))
        for h in ("all", *HALVES):
            for s in ("raw", "ours"):
                v = js["newswire"][s][h]
                lines.append(f"{h:<9}{s:<7}" + "".join(
                    f"{v[m]:>11.4f}" if isinstance(v[m], float) else f"{v[m]:>11d}" for m in metrics))
        lines.append("target: ours f1 >= raw f1 + 0.08")
    return "\n".join(lines)


def check_scorer(results: dict[str, Any]) -> str:
    """Run score_gum.py itself; its all-docs line must equal ours."""
    proc = subprocess.run([sys.executable, str(SCORE_GUM)], cwd=ROOT, capture_output=True, text=True, check=True)
    line = proc.stdout.strip().splitlines()[-1]
    m = results["gum"]["ours"]["all"].exact()  # unrounded, formatted as score_gum.py formats them
    mine = (f"GUM doc-level entity P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
            f"fragmentation={m['fragmentation']:.3f} conflation={m['conflation']:.3f}")
    verdict = "agree" if line == mine else "DISAGREE"
    return f"score_gum.py: {line}\nthis script: {mine}\n{verdict}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--cli", action="store_true", help="our predictions from `newsetl extract` (as score_gum.py)")
    ap.add_argument("--check-scorer", action="store_true", help="also run score_gum.py and compare totals")
    args = ap.parse_args()
    results = evaluate(cli=args.cli)
    print(json.dumps(as_json(results), indent=1) if args.json else report(results))
    if args.check_scorer:
        print(check_scorer(results))


if __name__ == "__main__":
    main()
