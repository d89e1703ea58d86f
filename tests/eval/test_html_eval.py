"""Evaluation gate: HTML extraction accuracy must not drop below the floors in tests/eval_floors/html.json,
on ../shared/corpus/readability (floors at or above trafilatura's default scores on the same pages) and on
both halves of ../shared/corpus/trafilatura-eval (title/author/date at least trafilatura's, false authors at
most trafilatura's, body snippets at our measured values), measured by bench/eval_html.py with the same
code for both systems."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "readability"
TRAF_CORPUS = ROOT.parent / "shared" / "corpus" / "trafilatura-eval"
FLOORS = json.loads((ROOT / "tests" / "eval_floors" / "html.json").read_text(encoding="utf-8"))
TRAF_FLOORS = FLOORS["trafilatura_eval"]

sys.path.insert(0, str(ROOT / "bench"))
import eval_html  # noqa: E402


@pytest.fixture(scope="module")
def scores() -> dict[str, float | int]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found: {CORPUS}")
    return eval_html.score(eval_html.ours, eval_html.load_pages(CORPUS))


@pytest.fixture(scope="module", params=["tune", "confirm"])
def traf_scores(request: pytest.FixtureRequest) -> tuple[str, dict[str, float | int]]:
    if not TRAF_CORPUS.is_dir():
        pytest.skip(f"corpus not found: {TRAF_CORPUS}")
    half = str(request.param)
    return half, eval_html.score_traf(eval_html.ours, eval_html.load_traf_pages(TRAF_CORPUS, half=half))


@pytest.mark.parametrize("measure", ["text_f1", "title_acc", "byline_acc", "date_acc"])
def test_floor(scores: dict[str, float | int], measure: str) -> None:
    assert scores[measure] >= FLOORS[f"{measure}_min"], f"{measure} {scores[measure]} fell below the floor"


def test_floors_are_at_least_trafilatura() -> None:
    for measure in ("text_f1", "title_acc", "byline_acc", "date_acc"):
        assert FLOORS[f"{measure}_min"] >= FLOORS["trafilatura"][measure]


def test_every_page_counted(scores: dict[str, float | int]) -> None:
    assert scores["pages"] == FLOORS["pages"]


def test_trafilatura_eval_floors(traf_scores: tuple[str, dict[str, float | int]]) -> None:
    half, got = traf_scores
    floors = TRAF_FLOORS[half]
    assert got["pages"] == floors["pages"]
    low = {m: got[m] for m in ("title_acc", "author_acc", "date_acc", "body_f1", "body_accuracy")
           if got[m] < floors[f"{m}_min"]}
    assert not low, f"{half} half below its floors: {low}"
    rate = got["false_author_rate"]
    assert rate <= floors["false_author_rate_max"], f"{half} half: false-author rate {rate} above its ceiling"


@pytest.mark.parametrize("half", ["tune", "confirm"])
def test_trafilatura_eval_floors_are_at_least_trafilatura(half: str) -> None:
    floors, theirs = TRAF_FLOORS[half], TRAF_FLOORS[half]["trafilatura"]
    for measure in ("title_acc", "author_acc", "date_acc"):
        assert floors[f"{measure}_min"] >= theirs[measure], (half, measure)
    assert floors["false_author_rate_max"] <= theirs["false_author_rate"], half
