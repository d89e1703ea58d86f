"""docs/web-sources.md's fetch-reason table names every fetch Reason, and nothing else but quarantine reasons."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from transforms.web import Outcome, Reason

DOC = (ROOT / "docs" / "web-sources.md").read_text(encoding="utf-8")


def _table(header: str) -> list[str]:
    start = DOC.index(header)
    lines = DOC[start:].split("\n\n", 1)[0].splitlines()
    return [ln for ln in lines[2:] if ln.startswith("|")]


def test_fetch_reasons_table_equals_the_enumeration() -> None:
    rows = _table("| reason | outcome | meaning |")
    documented: set[str] = set()
    for row in rows:
        first = row.split("|")[1]
        if "quarantine reason" in first:  # the row that stands for every quarantine reason
            continue
        documented |= set(re.findall(r"`([a-z_]+)`", first))
    assert documented == {r.value for r in Reason}


def test_outcomes_are_documented() -> None:
    for outcome in Outcome:
        assert f"`{outcome.value}`" in DOC, outcome
