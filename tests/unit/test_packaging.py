"""What a built (non-editable) install contains: every package and every data file the code reads.

An editable install (what `make install` does) serves files from the checkout, so a package or a data folder
missing from pyproject.toml passes every other test and breaks only a wheel; this checks the declaration itself.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
CONF = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
TOP = ("flows", "transforms", "expectations", "warehouse")
DATA_SUFFIXES = (".sql", ".json", ".txt", ".LICENSE")


def _declared_packages() -> set[str]:
    declared = CONF.get("packages", {})
    if isinstance(declared, list):  # an explicit list: exactly those
        return set(declared)
    return set(find_packages(where=str(ROOT), include=declared["find"]["include"]))


def test_every_python_package_is_declared() -> None:
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for top in TOP for p in (ROOT / top).rglob("__init__.py")}
    assert on_disk <= _declared_packages(), on_disk - _declared_packages()
    assert "transforms.figures" in on_disk


def test_every_data_file_is_declared_as_package_data() -> None:
    packages = _declared_packages()
    missing = []
    for top in TOP:
        for f in (ROOT / top).rglob("*"):
            if not f.is_file() or f.suffix not in DATA_SUFFIXES and not f.name.endswith(DATA_SUFFIXES):
                continue
            # the nearest enclosing package owns the file; its package-data globs are relative to it
            pkg_dir = next(d for d in f.parents if ".".join(d.relative_to(ROOT).parts) in packages)
            pkg = ".".join(pkg_dir.relative_to(ROOT).parts)
            rel = f.relative_to(pkg_dir).as_posix()
            globs = CONF["package-data"].get(pkg, [])
            if not any(fnmatch.fnmatch(rel, g) and rel.count("/") == g.count("/") for g in globs):
                missing.append(f"{pkg}: {rel}")
    assert missing == []
