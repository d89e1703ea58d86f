"""Every CLI command, every setting and every reason code is documented in the README, and nothing else is
(as sqlite-utils does): the README's tables are checked against the code both ways."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flows.cli import build_parser
from flows.settings import Settings
from tests.conftest import ROOT
from transforms import web
from transforms.reasons import Reason

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _readme_settings() -> dict[str, str]:
    """variable -> default, from the Settings table's rows."""
    rows = re.findall(r"^\| `NEWSETL_(\w+)` \| `([^`]*)` \|", _section("Settings"), re.MULTILINE)
    return {name.lower(): default for name, default in rows}


def _shown(value: Any) -> str:
    """A default as the README writes it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list) and value and all(isinstance(v, Path) for v in value):
        return ", ".join(str(v) for v in value)
    if value == "":
        return '""'
    return str(value)


def test_every_command_documented() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    commands = list(sub.choices)  # type: ignore[union-attr]
    assert {"run", "extract", "serve", "sql", "status", "quarantine"} <= set(commands)
    for name in commands:
        assert f"`newsetl {name}" in README, name


def test_settings_table_equals_settings_fields() -> None:
    table = _readme_settings()
    assert sorted(table) == sorted(Settings.model_fields)  # no setting undocumented, no documented one missing
    defaults = {name: _shown(f.get_default(call_default_factory=True)) for name, f in Settings.model_fields.items()}
    assert table == defaults


def test_reason_list_equals_the_enumeration() -> None:
    listed = _section("Inputs").split("Quarantine reason codes", 1)[1].split("and for rows", 1)[0]
    codes = re.findall(r"`(\w+)`", listed)
    assert len(codes) == len(set(codes))
    assert sorted(codes) == sorted(Reason)


def test_fetch_reason_table_equals_the_enumeration() -> None:
    page = (ROOT / "docs" / "web-sources.md").read_text(encoding="utf-8")  # the README links it
    table = page.split("| reason | outcome | meaning |", 1)[1].split("\n\n", 1)[0]
    first_cells = re.findall(r"^\| ([^|]+) \|", table, re.MULTILINE)
    codes = [c for cell in first_cells if "any quarantine reason" not in cell for c in re.findall(r"`(\w+)`", cell)]
    assert len(codes) == len(set(codes))
    assert sorted(codes) == sorted(web.Reason)


def test_quickstart_is_two_commands() -> None:
    quick = README.split("## Quickstart", 1)[1].split("```", 2)[1]
    assert [line.split("#")[0].strip() for line in quick.strip().splitlines()[1:]] == ["make run", "make test"]
