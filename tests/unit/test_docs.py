"""Every CLI command and every setting is documented in the README (as sqlite-utils does)."""

from __future__ import annotations

from flows.cli import build_parser
from flows.settings import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_documented() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    commands = list(sub.choices)  # type: ignore[union-attr]
    assert {"run", "extract", "serve", "sql", "status", "quarantine"} <= set(commands)
    for name in commands:
        assert f"`newsetl {name}" in README, name


def test_every_setting_documented() -> None:
    for name in Settings.model_fields:
        assert f"NEWSETL_{name.upper()}" in README, name


def test_quickstart_is_two_commands() -> None:
    quick = README.split("## Quickstart", 1)[1].split("```", 2)[1]
    assert [line.split("#")[0].strip() for line in quick.strip().splitlines()[1:]] == ["make run", "make test"]
