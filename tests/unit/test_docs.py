"""Every CLI command, every setting, every reason code (quarantine and fetch) and every figure category is
documented in the README, and nothing else is (as sqlite-utils does): the README's tables and lists are checked
against the code both ways. The README stays short (issue 18): the rest lives in docs/, each doc linked from it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flows.cli import build_parser
from flows.settings import Settings
from tests.conftest import ROOT
from transforms import web
from transforms.figures.lexicon import CATEGORIES
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


def test_readme_fetch_reason_list_equals_the_enumeration() -> None:
    # ../shared/CONTRACT.md: the fetch reasons are "documented in the README"
    listed = _section("Inputs").split("Fetch reason codes", 1)[1].split("or any quarantine reason", 1)[0]
    codes = re.findall(r"`(\w+)`", listed)
    assert len(codes) == len(set(codes))
    assert sorted(codes) == sorted(web.Reason)


def test_readme_figure_categories_equal_the_vocabulary() -> None:
    # ../shared/CONTRACT.md: figures.category values are "documented in the README"
    row = next(line for line in _section("Warehouse").splitlines() if line.startswith("| `figures` |"))
    listed = row.split("`category` (", 1)[1].split("; stages", 1)[0]
    codes = [c for c in re.findall(r"`(\w+)`", listed)]
    assert len(codes) == len(set(codes))
    assert sorted(codes) == sorted(CATEGORIES)


def _anchor(heading: str) -> str:
    """GitHub's anchor of a markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    return {_anchor(h) for h in re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", text, flags=re.DOTALL), re.MULTILINE)}


# Pages linked before they are written (none now: docs/scaling.md exists and is checked like the rest).
PENDING_DOCS: frozenset[str] = frozenset()


def test_readme_and_docs_links_resolve() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+://", target):
                continue
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve() if path else page
            rel = dest.relative_to(ROOT).as_posix() if dest.is_relative_to(ROOT) else str(dest)
            if not dest.exists():
                if rel not in PENDING_DOCS:
                    broken.append(f"{page.name}: {target}")
                continue
            if anchor and dest.suffix == ".md" and anchor not in _anchors(dest.read_text(encoding="utf-8")):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken, broken


def test_readme_is_short_and_links_every_doc() -> None:
    assert len(README.splitlines()) <= 205  # "under about 200 lines"
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"](docs/{doc.name}" in README, doc.name


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
