"""`newsetl extract --explain`: the real CLI names, for every number of an article, the rule that kept or
dropped it, and the kept ones are exactly the record's figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, cli_env
from transforms.figures import RULE_NAMES

TEXT = (
    "Flood toll rises in the north\n\n"
    "In 2004 the river burst its banks. On Tuesday more than 40 people were killed and about 1,200 "
    "were evacuated, police said on page 5 of their report, which runs to 36 pages. Damage is put at $2.5bn, "
    "up 12% on the COVID-19 year.\n"
)


def _extract(tmp_path: Path, *flags: str) -> dict[str, object]:
    src = tmp_path / "flood.txt"
    src.write_text(TEXT, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "extract", *flags, str(src)], cwd=ROOT,
                          env=cli_env(tmp_path / "prefect-home"), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (line,) = [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]
    assert isinstance(line, dict)
    return line


def test_explain_names_the_rule_for_each_number(tmp_path: Path) -> None:
    rec = _extract(tmp_path, "--explain")
    rules = rec["figure_rules"]
    assert isinstance(rules, list)
    got = {(r["number"], r["kept"], r["rule"]) for r in rules}
    assert {("2004", False, "year"), ("40", True, "kept"), ("5", False, "list_number"),
            ("19", False, "identifier"), ("12", True, "kept")} <= got
    assert all(r["rule"] == "kept" or r["rule"] in RULE_NAMES or r["rule"] == "not_a_number" for r in rules)
    # The kept numbers are exactly the record's figures, in order (the text has no figure without a number,
    # such as "more than a month", which no candidate stands for).
    figures = rec["figures"]
    assert isinstance(figures, list)
    assert [r["figure"] for r in rules if r["kept"]] == [f["surface"] for f in figures]
    assert [f["surface"] for f in figures][:2] == ["more than 40 people", "about 1,200"]


def test_without_explain_the_record_is_unchanged(tmp_path: Path) -> None:
    rec = _extract(tmp_path)
    assert "figure_rules" not in rec
