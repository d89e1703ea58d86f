"""Evaluation gate: figure extraction accuracy on the shared gold files and the authored news sentences may not
drop below recorded floors, nor drift from the recorded measurement (tests/eval_floors/figures.json; convention
in tests/eval/test_floors.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests.eval.test_floors import assert_fresh_score

ROOT = Path(__file__).resolve().parents[2]
FLOORS = json.loads((ROOT / "tests" / "eval_floors" / "figures.json").read_text(encoding="utf-8"))["floors"]
GOLD = ROOT.parent / "shared" / "gold"


def _metrics() -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("eval_figures", ROOT / "bench" / "eval_figures.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the file executes
    spec.loader.exec_module(mod)
    result: dict[str, float] = mod.metrics(mod.evaluate())
    return result


@pytest.fixture(scope="module")
def metrics() -> dict[str, float]:
    if not (GOLD / "numbers_quantulum3_en.jsonl").exists():
        pytest.skip("../shared/gold not present")
    return _metrics()


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_floor(metrics: dict[str, float], key: str) -> None:
    assert_fresh_score(key, metrics[key.removesuffix("_max")], FLOORS[key])
