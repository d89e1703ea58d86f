"""HTML extraction accuracy on ../shared/corpus/readability, ours (parse_html) beside trafilatura's defaults.

Measures, per page and then averaged, with the same code for both systems:
- main text: F1 of word 4-gram shingle sets, body vs the text of expected.html (every page);
- title: equal after casefolding, Unicode/quote/dash and whitespace normalisation;
- byline: name-token F1 >= 0.5 between the predicted authors and the expected byline (with "By",
  dates, times and role words removed from both);
- date: same calendar date as the expected publishedTime.
Field scores count only pages whose expected field is non-empty (after normalisation for bylines);
an empty prediction counts as wrong.

Usage: python bench/eval_html.py [--only ours|trafilatura] [--pages N] [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
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


_TITLE_CHARS = str.maketrans("’‘“”–—\u00a0", "''\"\"-- ")


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


# ---------------------------------------------------------------- systems


def ours(page: Page) -> Prediction:
    from transforms.html import parse_html
    from transforms.records import Rejection

    r = parse_html(page.source, page.name)
    if isinstance(r, Rejection):
        return Prediction("", None, [], None)
    return Prediction(r.body, r.title, r.authors, r.published_at)


def trafilatura_default(page: Page) -> Prediction:
    """trafilatura's defaults: bare_extraction(bytes) with metadata; author string split at ';'."""
    import trafilatura
    from trafilatura.settings import Document

    doc = trafilatura.bare_extraction(page.source, with_metadata=True)
    if not isinstance(doc, Document):
        return Prediction("", None, [], None)
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Prediction(doc.text or "", doc.title, authors, doc.date)


SYSTEMS: dict[str, Callable[[Page], Prediction]] = {"trafilatura": trafilatura_default, "ours": ours}


def score(system: Callable[[Page], Prediction], pages: list[Page],
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=sorted(SYSTEMS))
    ap.add_argument("--pages", type=int)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    pages = load_pages(limit=args.pages)
    results = {}
    for name, system in SYSTEMS.items():
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


if __name__ == "__main__":
    main()
