"""Evaluation gate: HTML extraction accuracy must not drop below the floors in tests/eval_floors/html.json, nor
drift from the recorded measurement (convention in tests/eval/test_floors.py), on ../shared/corpus/readability
(floors at or above trafilatura's default scores on the same pages) and on both halves of
../shared/corpus/trafilatura-eval (title/author/date at least trafilatura's, false authors at most
trafilatura's, body snippets at our measured values), measured by bench/eval_html.py with the same code for
both systems."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.eval.test_floors import assert_fresh_score

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "readability"
TRAF_CORPUS = ROOT.parent / "shared" / "corpus" / "trafilatura-eval"
DOC = json.loads((ROOT / "tests" / "eval_floors" / "html.json").read_text(encoding="utf-8"))
FLOORS: dict[str, dict[str, float]] = DOC["floors"]
PAGES: dict[str, int] = DOC["pages"]
TRAFILATURA: dict[str, dict[str, float]] = DOC["trafilatura"]
SETS = ("readability", "trafeval.tune", "trafeval.confirm")

sys.path.insert(0, str(ROOT / "bench"))
import eval_html  # noqa: E402


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float | int]]:
    """Fresh scores of ours per page set ('readability', 'trafeval.tune', 'trafeval.confirm')."""
    if not CORPUS.is_dir() or not TRAF_CORPUS.is_dir():
        pytest.skip(f"corpus not found: {CORPUS} or {TRAF_CORPUS}")
    out = {"readability": eval_html.score(eval_html.ours, eval_html.load_pages(CORPUS))}
    for half in ("tune", "confirm"):
        pages = eval_html.load_traf_pages(TRAF_CORPUS, half=half)
        out[f"trafeval.{half}"] = eval_html.score_traf(eval_html.ours, pages)
    return out


def _split(key: str) -> tuple[str, str]:
    """'trafeval.tune.false_author_rate_max' -> ('trafeval.tune', 'false_author_rate')."""
    page_set, _, measure = key.removesuffix("_max").rpartition(".")
    return page_set, measure


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_floor(scores: dict[str, dict[str, float | int]], key: str) -> None:
    page_set, measure = _split(key)
    assert_fresh_score(key, float(scores[page_set][measure]), FLOORS[key])


@pytest.mark.parametrize("page_set", SETS)
def test_every_page_counted(scores: dict[str, dict[str, float | int]], page_set: str) -> None:
    assert scores[page_set]["pages"] == PAGES[page_set]


def test_floors_are_at_least_trafilatura() -> None:
    # body snippet floors (trafeval body_*) sit at our measured values, not at trafilatura's
    compared = 0
    for key, entry in FLOORS.items():
        page_set, measure = _split(key)
        if measure.startswith("body_"):
            continue
        theirs = TRAFILATURA[page_set][measure]
        if key.endswith("_max"):
            assert entry["floor"] <= theirs, (key, entry, theirs)
        else:
            assert entry["floor"] >= theirs, (key, entry, theirs)
        compared += 1
    assert compared == 4 + 2 * 4  # text/title/byline/date; title/author/date/false authors per half
