"""Evaluation gate: entity quality must not drop below the floors in eval_floors/entities.json, on GUM news
(score_gum.py's counts) and on the hand-annotated newswire sample, each on its tune and confirm half, and must
stay at least as good as raw spaCy on the same text."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOORS = json.loads((ROOT / "tests" / "eval_floors" / "entities.json").read_text(encoding="utf-8"))
GUM = ROOT.parent / "shared" / "gold" / "gum_news.jsonl"
HALVES = ("tune", "confirm")


def _load_eval() -> Any:
    spec = importlib.util.spec_from_file_location("eval_entities", ROOT / "bench" / "eval_entities.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_entities"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    if not GUM.exists():
        pytest.skip("../shared/gold/gum_news.jsonl not available")
    ev = _load_eval()
    return ev.as_json(ev.evaluate())


@pytest.mark.parametrize("half", HALVES)
def test_gum_floors(results: dict[str, Any], half: str) -> None:
    ours, floor = results["gum"]["ours"][half], FLOORS["gum"][half]
    assert ours["f1"] >= floor["f1_min"], ours
    assert ours["fragmentation"] <= floor["fragmentation_max"], ours
    assert ours["conflation"] <= floor["conflation_max"], ours


@pytest.mark.parametrize("half", HALVES)
def test_gum_at_least_raw_spacy(results: dict[str, Any], half: str) -> None:
    ours, raw = results["gum"]["ours"][half], results["gum"]["raw"][half]
    if half in FLOORS["gum"]["known_below_raw"]:
        # a shortfall recorded in the floors file; once ours catches up, the entry must go
        assert ours["f1"] < raw["f1"], f"ours >= raw on {half} now: drop it from known_below_raw"
        pytest.xfail(f"recorded in eval_floors/entities.json: ours {ours['f1']} < raw {raw['f1']} on {half}")
    assert ours["f1"] >= raw["f1"], (ours, raw)
    assert ours["fragmentation"] < raw["fragmentation"], (ours, raw)


@pytest.mark.parametrize("half", HALVES)
def test_newswire_floors_and_gain_over_raw(results: dict[str, Any], half: str) -> None:
    ours, raw, floor = results["newswire"]["ours"][half], results["newswire"]["raw"][half], FLOORS["newswire"][half]
    assert ours["f1"] >= floor["f1_min"], ours
    assert ours["f1"] - raw["f1"] >= FLOORS["newswire"]["f1_gain_over_raw_min"], (ours, raw)


def test_floors_record_measured_values() -> None:
    # the floors file keeps, beside each floor, what ours and raw spaCy measured when it was set
    for ds in ("gum", "newswire"):
        for half in HALVES:
            measured = FLOORS[ds][half]["measured"]
            assert {"ours", "raw"} <= set(measured)
            assert measured["ours"]["f1"] >= FLOORS[ds][half]["f1_min"]
