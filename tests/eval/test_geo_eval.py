"""Evaluation gate: geocoding accuracy on the hand-written gold set may not drop below recorded floors."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOORS = json.loads((ROOT / "tests" / "eval_floors" / "geo.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def metrics() -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("eval_geo", ROOT / "bench" / "eval_geo.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return {f"{split}.{k}": v for split, m in mod.evaluate().items() for k, v in m.items()}


@pytest.mark.parametrize("key", [k for k in FLOORS if not k.startswith("_")])
def test_floor(metrics: dict[str, float], key: str) -> None:
    if key.endswith("_max"):
        name = key.removesuffix("_max")
        assert metrics[name] <= FLOORS[key], f"{name} = {metrics[name]} rose above {FLOORS[key]}"
    else:
        assert metrics[key] >= FLOORS[key], f"{key} = {metrics[key]} fell below floor {FLOORS[key]}"
