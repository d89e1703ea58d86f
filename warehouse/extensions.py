"""DuckDB extensions, loaded offline by path from their PyPI packages.

DuckDB's own `INSTALL` and autoloading download from the extension repository; this machine (and CI) has
no such network. The extensions come instead as PyPI packages named `duckdb-extension-<name>`, pinned to
duckdb's exact version, whose folder holds `extensions/v<duckdb version>/<name>.duckdb_extension`.
`load_extension` is the one place that finds and loads them.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import duckdb

from warehouse.db import sql_string


class ExtensionMissing(RuntimeError):
    """The extension's package is not installed for this duckdb version."""


def extension_path(name: str) -> Path:
    """The extension file inside its package folder, for the running duckdb version."""
    package = f"duckdb_extension_{name}"
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec else []
    version = f"v{duckdb.__version__}"
    for folder in folders:
        path = Path(folder) / "extensions" / version / f"{name}.duckdb_extension"
        if path.is_file():
            return path
    raise ExtensionMissing(
        f"DuckDB extension {name!r} for duckdb {duckdb.__version__} not found: install the PyPI package "
        f"duckdb-extension-{name}=={duckdb.__version__} (looked in {folders or 'no installed ' + package})"
    )


# DuckDB calls `<file name>_duckdb_cpp_init` in an extension it loads by path; these packages name the file
# after the package, not after the entry point inside it, so they are loaded through a link of the right name.
_ENTRY_NAMES = {"sqlite": "sqlite_scanner", "postgres": "postgres_scanner"}


def _loadable(name: str) -> Path:
    path = extension_path(name)
    entry = _ENTRY_NAMES.get(name)
    if entry is None:
        return path
    links = Path(tempfile.gettempdir()) / f"newsetl-duckdb-extensions-{os.getuid()}" / f"v{duckdb.__version__}"
    links.mkdir(parents=True, exist_ok=True)
    link = links / f"{entry}.duckdb_extension"
    if not (link.is_symlink() and link.resolve() == path.resolve()):
        tmp = links / f".{entry}.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(path)
        os.replace(tmp, link)  # atomic: a concurrent loader sees the old link or the new one
    return link


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD the extension from its package file (never INSTALL: that would go to the network)."""
    con.execute(f"LOAD {sql_string(str(_loadable(name)))}")  # LOAD takes no parameter
