"""HTML extraction accuracy, ours (parse_html) beside trafilatura's defaults, same code for both systems.

Two page sets. ../shared/corpus/readability (130 pages), measured per page and then averaged:
- main text: F1 of word 4-gram shingle sets, body vs the text of expected.html (every page);
- title: equal after casefolding, Unicode/quote/dash and whitespace normalisation;
- byline: name-token F1 >= 0.5 between the predicted authors and the expected byline (with "By",
  dates, times and role words removed from both);
- date: same calendar date as the expected publishedTime.
Field scores count only pages whose expected field is non-empty (after normalisation for bylines);
an empty prediction counts as wrong.

../shared/corpus/trafilatura-eval (482 multilingual pages, expected title/author/date, "" = none on the
page; 66 pages carry only text snippets), split by a hash of the file name into a "tune" half (md5 even;
rules were tuned on it) and a "confirm" half (only checked). Stricter than the readability byline rule,
because these expected authors are exact strings:
- title: equal after the normalisation above;
- author: the same set of name tokens (casefolded words; "by", "and", "und", "et", "&" and ";" ignored),
  over the pages whose expected author is non-empty;
- false authors: share of pages whose expected author is "" where any author is returned;
- date: same calendar date, over the pages with an expected date;
- body: each `with` snippet found in the text is a true positive, each `without` snippet found a false
  positive (whitespace-normalised, casefolded containment); precision, recall, F1 and accuracy over all
  snippets, as in trafilatura's own evaluation.

Usage: python bench/eval_html.py [--corpus readability|trafeval] [--only ours|trafilatura] [--pages N]
       [--json] [--verbose] [--cache FILE]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import pickle
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "readability"
TRAF_CORPUS = ROOT.parent / "shared" / "corpus" / "trafilatura-eval"
sys.path.insert(0, str(ROOT))

_WORD = re.compile(r"\w+")
_BYLINE_STOP = {
    "by", "par", "por", "von", "door", "written", "edited", "and", "und", "et", "y", "with", "avec", "the",
    "updated", "published", "posted", "last", "at", "am", "pm", "on", "email", "author", "follow",
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december",
}


@dataclass(slots=True)
class Prediction:
    body: str
    title: str | None
    authors: list[str]
    date: str | None


@dataclass(slots=True)
class Page:
    name: str
    source: bytes
    expected_text: str
    title: str | None
    byline: str | None
    date: str | None


@dataclass(slots=True)
class TrafPage:
    name: str
    source: bytes
    title: str | None  # None: the page carries no metadata annotation (snippets only)
    author: str | None
    date: str | None
    with_snippets: list[str]
    without_snippets: list[str]

    @property
    def half(self) -> str:
        return half_of(self.name)


def half_of(name: str) -> str:
    """Fixed split of the trafilatura-eval pages: md5 of the file name, even -> tune, odd -> confirm."""
    return "tune" if int(hashlib.md5(name.encode()).hexdigest(), 16) % 2 == 0 else "confirm"


def load_traf_pages(corpus: Path = TRAF_CORPUS, half: str | None = None,
                    limit: int | None = None) -> list[TrafPage]:
    data = json.loads((corpus / "evaldata_dev.json").read_text(encoding="utf-8"))
    pages = []
    for entry in sorted(data.values(), key=lambda e: e["file"]):
        if half and half_of(entry["file"]) != half:
            continue
        raw = gzip.decompress((corpus / "pages" / f"{entry['file']}.gz").read_bytes())
        author = entry.get("author")
        author = "; ".join(author) if isinstance(author, list) else author  # one page lists its authors
        pages.append(TrafPage(entry["file"], raw, entry.get("title"), author, entry.get("date"),
                              entry.get("with", []), entry.get("without", [])))
    return pages[:limit] if limit else pages


def load_pages(corpus: Path = CORPUS, limit: int | None = None) -> list[Page]:
    pages = []
    for d in sorted(p for p in corpus.iterdir() if (p / "source.html").exists()):
        meta = json.loads((d / "expected-metadata.json").read_text(encoding="utf-8"))
        expected_tree = lxml_html.fromstring((d / "expected.html").read_bytes().decode("utf-8", "replace"))
        pages.append(Page(d.name, (d / "source.html").read_bytes(), " ".join(expected_tree.itertext()),
                          meta.get("title"), meta.get("byline"), meta.get("publishedTime")))
    return pages[:limit] if limit else pages


# ---------------------------------------------------------------- measures


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def shingle_f1(predicted: str, expected: str) -> float:
    p, e = shingles(predicted), shingles(expected)
    if not p or not e:
        return 1.0 if p == e else 0.0
    inter = len(p & e)
    if not inter:
        return 0.0
    precision, recall = inter / len(p), inter / len(e)
    return 2 * precision * recall / (precision + recall)


_TITLE_CHARS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ",
                              "\u00ad": None, "\u200b": None})  # soft hyphens and zero-width spaces vanish


def norm_title(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "").casefold()
    s = s.translate(_TITLE_CHARS)
    return " ".join(s.split())


def title_ok(predicted: str | None, expected: str) -> bool:
    return bool(predicted) and norm_title(predicted) == norm_title(expected)


def name_tokens(s: str) -> set[str]:
    return {t for t in _WORD.findall(s.casefold()) if not t.isdigit() and t not in _BYLINE_STOP}


def byline_ok(predicted: list[str], expected: str) -> bool:
    e, p = name_tokens(expected), name_tokens(" ".join(predicted))
    if not e or not p:
        return False
    inter = len(e & p)
    return inter > 0 and 2 * inter / (len(e) + len(p)) >= 0.5


_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def calendar_day(s: str | None) -> tuple[int, int, int] | None:
    m = _DAY.search(s or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def date_ok(predicted: str | None, expected: str) -> bool:
    day = calendar_day(predicted)
    return day is not None and day == calendar_day(expected)


_AUTHOR_JOINERS = {"by", "and", "und", "et", "y"}


def author_tokens(s: str) -> set[str]:
    return {t for t in _WORD.findall(unicodedata.normalize("NFKC", s).casefold()) if t not in _AUTHOR_JOINERS}


def author_ok(predicted: list[str], expected: str) -> bool:
    want = author_tokens(expected)
    return bool(want) and author_tokens(" ".join(predicted)) == want


def _snippet_key(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).casefold().split())


# ---------------------------------------------------------------- systems


def ours(page: Page | TrafPage) -> Prediction:
    from transforms.html import parse_html
    from transforms.records import Rejection

    r = parse_html(page.source, page.name)
    if isinstance(r, Rejection):
        return Prediction("", None, [], None)
    return Prediction(r.body, r.title, r.authors, r.published_at)


def trafilatura_default(page: Page | TrafPage) -> Prediction:
    """trafilatura's defaults: bare_extraction(bytes) with metadata; author string split at ';'."""
    import trafilatura
    from trafilatura.settings import Document

    doc = trafilatura.bare_extraction(page.source, with_metadata=True)
    if not isinstance(doc, Document):
        return Prediction("", None, [], None)
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Prediction(doc.text or "", doc.title, authors, doc.date)


def cached(system: Callable[[Page | TrafPage], Prediction], path: Path) -> Callable[[Page | TrafPage], Prediction]:
    """The system's predictions kept in a pickle keyed by page name (for trafilatura, whose output never
    changes while our rules do; the key holds trafilatura's version)."""
    import trafilatura

    store: dict[str, Prediction] = pickle.loads(path.read_bytes()) if path.exists() else {}

    def run(page: Page | TrafPage) -> Prediction:
        key = f"{trafilatura.__version__}:{type(page).__name__}:{page.name}"
        if key not in store:
            store[key] = system(page)
            path.write_bytes(pickle.dumps(store))
        return store[key]
    return run


SYSTEMS: dict[str, Callable[[Page | TrafPage], Prediction]] = {"trafilatura": trafilatura_default, "ours": ours}


def score(system: Callable[[Page | TrafPage], Prediction], pages: list[Page],
          verbose: bool = False) -> dict[str, float | int]:
    f1s: list[float] = []
    hits: dict[str, list[int]] = {"title": [0, 0], "byline": [0, 0], "date": [0, 0]}
    for page in pages:
        pred = system(page)
        f1 = shingle_f1(pred.body, page.expected_text)
        f1s.append(f1)
        checks: list[tuple[str, bool, object, str]] = []
        if page.title:
            checks.append(("title", title_ok(pred.title, page.title), pred.title, page.title))
        if page.byline and name_tokens(page.byline):
            checks.append(("byline", byline_ok(pred.authors, page.byline), pred.authors, page.byline))
        if page.date and calendar_day(page.date):
            checks.append(("date", date_ok(pred.date, page.date), pred.date, page.date))
        for field, ok, got, want in checks:
            hits[field][0] += 1 if ok else 0
            hits[field][1] += 1
            if verbose and not ok:
                print(f"  {page.name:40s} {field:6s} got={got!r} want={want!r}", file=sys.stderr)
        if verbose and f1 < 0.8:
            print(f"  {page.name:40s} text   f1={f1:.3f}", file=sys.stderr)
    out: dict[str, float | int] = {"pages": len(pages), "text_f1": round(sum(f1s) / max(len(f1s), 1), 4)}
    for field, (n_ok, n) in hits.items():
        out[f"{field}_acc"] = round(n_ok / n, 4) if n else 0.0
        out[f"{field}_n"] = n
    return out


def score_traf(system: Callable[[Page | TrafPage], Prediction], pages: list[TrafPage],
               verbose: bool = False) -> dict[str, float | int]:
    """Title/author/date accuracy, false-author rate and snippet scores on trafilatura-eval pages."""
    hits: dict[str, list[int]] = {"title": [0, 0], "author": [0, 0], "date": [0, 0], "false_author": [0, 0]}
    snippets = {"tp": 0, "fn": 0, "fp": 0, "tn": 0}
    for page in pages:
        pred = system(page)
        text = _snippet_key(pred.body)
        for snip in page.with_snippets:
            snippets["tp" if _snippet_key(snip) in text else "fn"] += 1
        for snip in page.without_snippets:
            snippets["fp" if _snippet_key(snip) in text else "tn"] += 1
        if page.title is None:
            continue
        checks: list[tuple[str, bool, object, str]] = []
        if page.title:
            checks.append(("title", title_ok(pred.title, page.title), pred.title, page.title))
        if page.author:
            checks.append(("author", author_ok(pred.authors, page.author), pred.authors, page.author))
        else:
            checks.append(("false_author", bool(pred.authors), pred.authors, ""))
        if page.date:
            checks.append(("date", date_ok(pred.date, page.date), pred.date, page.date))
        for field, ok, got, want in checks:
            hits[field][0] += 1 if ok else 0
            hits[field][1] += 1
            if verbose and (ok if field == "false_author" else not ok):
                print(f"  {page.name:45s} {field:12s} got={got!r} want={want!r}", file=sys.stderr)
    out: dict[str, float | int] = {"pages": len(pages)}
    for field, (n_ok, n) in hits.items():
        key = "false_author_rate" if field == "false_author" else f"{field}_acc"
        out[key] = round(n_ok / n, 4) if n else 0.0
        out[f"{field}_n"] = n
    tp, fn, fp, tn = (snippets[k] for k in ("tp", "fn", "fp", "tn"))
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    out["body_precision"] = round(precision, 4)
    out["body_recall"] = round(recall, 4)
    out["body_f1"] = round(2 * precision * recall / max(precision + recall, 1e-9), 4)
    out["body_accuracy"] = round((tp + tn) / max(tp + fn + fp + tn, 1), 4)
    return out


def _print_table(results: dict[str, dict[str, float | int]], keys: list[str]) -> None:
    print(f"{'system':22s} " + " ".join(f"{k:>17s}" for k in keys))
    for name, r in results.items():
        print(f"{name:22s} " + " ".join(f"{r[k]:>17}" for k in keys))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=sorted(SYSTEMS))
    ap.add_argument("--pages", type=int)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--corpus", choices=["readability", "trafeval"], default="readability")
    ap.add_argument("--half", choices=["tune", "confirm"], help="trafeval: one half only (default both)")
    ap.add_argument("--cache", type=Path, help="keep trafilatura's predictions in this pickle")
    args = ap.parse_args()
    systems = dict(SYSTEMS)
    if args.cache:
        systems["trafilatura"] = cached(trafilatura_default, args.cache)
    if args.corpus == "trafeval":
        _main_traf(args, systems)
        return
    pages = load_pages(limit=args.pages)
    results = {}
    for name, system in systems.items():
        if args.only and name != args.only:
            continue
        t = time.perf_counter()
        results[name] = score(system, pages, verbose=args.verbose)
        results[name]["seconds"] = round(time.perf_counter() - t, 1)  # type: ignore[assignment]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    keys = ["text_f1", "title_acc", "byline_acc", "date_acc", "seconds"]
    print(f"{'system':12s} " + " ".join(f"{k:>10s}" for k in keys))
    for name, r in results.items():
        print(f"{name:12s} " + " ".join(f"{r[k]:>10}" for k in keys))
    any_r = next(iter(results.values()))
    print(f"pages={any_r['pages']} title_n={any_r['title_n']} byline_n={any_r['byline_n']} "
          f"date_n={any_r['date_n']}")


def _main_traf(args: argparse.Namespace, systems: dict[str, Callable[[Page | TrafPage], Prediction]]) -> None:
    results: dict[str, dict[str, float | int]] = {}
    for half in ([args.half] if args.half else ["tune", "confirm"]):
        pages = load_traf_pages(half=half, limit=args.pages)
        for name, system in systems.items():
            if args.only and name != args.only:
                continue
            t = time.perf_counter()
            results[f"{name} {half}"] = score_traf(system, pages, verbose=args.verbose)
            results[f"{name} {half}"]["seconds"] = round(time.perf_counter() - t, 1)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    _print_table(results, ["title_acc", "author_acc", "date_acc", "false_author_rate", "seconds"])
    _print_table(results, ["body_precision", "body_recall", "body_f1", "body_accuracy"])
    for name, r in results.items():
        print(f"{name}: pages={r['pages']} title_n={r['title_n']} author_n={r['author_n']} "
              f"date_n={r['date_n']} false_author_n={r['false_author_n']}")


if __name__ == "__main__":
    main()
