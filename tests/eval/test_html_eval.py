"""Evaluation gate: HTML extraction accuracy on ../shared/corpus/readability must not drop below the
floors in tests/eval_floors/html.json (set at or above trafilatura's default scores on the same pages,
measured by bench/eval_html.py with the same code)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "readability"
FLOORS = json.loads((ROOT / "tests" / "eval_floors" / "html.json").read_text(encoding="utf-8"))

sys.path.insert(0, str(ROOT / "bench"))
import eval_html  # noqa: E402


@pytest.fixture(scope="module")
def scores() -> dict[str, float | int]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found: {CORPUS}")
    return eval_html.score(eval_html.ours, eval_html.load_pages(CORPUS))


@pytest.mark.parametrize("measure", ["text_f1", "title_acc", "byline_acc", "date_acc"])
def test_floor(scores: dict[str, float | int], measure: str) -> None:
    assert scores[measure] >= FLOORS[f"{measure}_min"], f"{measure} {scores[measure]} fell below the floor"


def test_floors_are_at_least_trafilatura() -> None:
    for measure in ("text_f1", "title_acc", "byline_acc", "date_acc"):
        assert FLOORS[f"{measure}_min"] >= FLOORS["trafilatura"][measure]


def test_every_page_counted(scores: dict[str, float | int]) -> None:
    assert scores["pages"] == FLOORS["pages"]
