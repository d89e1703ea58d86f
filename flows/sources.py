"""Input discovery and reading: walk the inputs, stat files, read bytes within limits.

The only module that touches input files. Symlinks that resolve outside their input root are refused,
so no byte from outside the input folder can reach the warehouse.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from transforms.ingest import kind_of
from transforms.reasons import Reason
from transforms.records import Rejection
from transforms.web import SourceKind


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str  # absolute path as found (not symlink-resolved); for a fetched page, its spooled body
    size: int
    mtime_ns: int
    url: str | None = None  # a fetched page's canonical URL: then the article's source_path

    @property
    def source_path(self) -> str:
        return self.url or self.path


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve(strict=True).relative_to(root)
        return True
    except (ValueError, OSError):
        return False


def discover(inputs: list[Path]) -> tuple[list[InputFile], list[Rejection]]:
    """Every file under the inputs, sorted by path; refusals (outside root, unreadable, unsupported) as rejections."""
    found: dict[str, InputFile] = {}
    rejected: dict[str, Rejection] = {}
    for given in inputs:
        given = Path(os.path.abspath(given))
        if not given.exists() and not given.is_symlink():
            rejected[str(given)] = Rejection(str(given), "missing", "input path does not exist")
            continue
        root = given.resolve() if given.is_dir() else given.parent.resolve()
        for path in _walk(given):
            key = str(path)
            if key in found or key in rejected:
                continue
            if not _inside(path, root):
                rejected[key] = Rejection(key, Reason.OUTSIDE_INPUT,
                                          "symlink or path resolves outside the input folder")
                continue
            kind, _gz = kind_of(path.name)
            if kind is None:
                rejected[key] = Rejection(key, Reason.UNSUPPORTED_TYPE,
                                          f"unsupported file type: {path.suffix or path.name}")
                continue
            try:
                st = path.stat()
            except OSError as exc:
                rejected[key] = Rejection(key, Reason.UNREADABLE, f"{type(exc).__name__}: {exc}")
                continue
            if not path.is_file():
                rejected[key] = Rejection(key, Reason.UNSUPPORTED_TYPE, "not a regular file")
                continue
            found[key] = InputFile(key, st.st_size, st.st_mtime_ns)
    return sorted(found.values(), key=lambda f: f.path), sorted(rejected.values(), key=lambda r: r.source_path)


def _walk(given: Path) -> Iterator[Path]:
    if not given.is_dir():
        yield given
        return
    # followlinks=False: a symlinked directory is reported as one entry and checked, never descended.
    for dirpath, dirnames, filenames in os.walk(given, followlinks=False):
        dirnames.sort()
        base = Path(dirpath)
        for name in dirnames:
            if (base / name).is_symlink():
                yield base / name
        for name in sorted(filenames):
            yield base / name


def read_bytes(f: InputFile, max_bytes: int) -> bytes | Rejection:
    """The file's bytes, or a rejection when it is too large or unreadable."""
    if f.size > max_bytes:
        return Rejection(f.source_path, Reason.TOO_LARGE, f"{f.size} bytes exceeds the limit of {max_bytes}")
    try:
        with open(f.path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return Rejection(f.source_path, Reason.UNREADABLE, f"{type(exc).__name__}: {exc}")
    if len(data) > max_bytes:
        return Rejection(f.source_path, Reason.TOO_LARGE, f"file grew past the limit of {max_bytes} bytes")
    return data


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class WebSource:
    url: str
    name: str
    kind: SourceKind | None = None


class SourcesFileError(ValueError):
    """A `--sources` TOML file that cannot be used (one line, shown to the user)."""


def load_sources(urls: list[str], sources_file: Path | None) -> list[WebSource]:
    """`--source URL`s, then the `[[source]]` tables of the TOML file (url, optional name and kind)."""
    from transforms.urls import domain_of
    from transforms.web import SOURCE_KINDS

    out = [WebSource(u.strip(), domain_of(u) or u.strip()) for u in urls if u.strip()]
    if sources_file is None:
        return out
    try:
        doc = tomllib.loads(Path(sources_file).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesFileError(f"cannot read sources file {sources_file}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesFileError(f"sources file {sources_file} is not valid TOML: {exc}") from None
    tables = doc.get("source", [])
    if not isinstance(tables, list):
        raise SourcesFileError(f"sources file {sources_file}: use [[source]] tables")
    for i, t in enumerate(tables, 1):
        url = t.get("url") if isinstance(t, dict) else None
        if not isinstance(url, str) or not url.strip():
            raise SourcesFileError(f"sources file {sources_file}: source {i} has no url")
        kind = t.get("kind")
        if kind is not None and kind not in SOURCE_KINDS:
            raise SourcesFileError(f"sources file {sources_file}: source {i} has kind {kind!r}; "
                                   f"use one of {', '.join(SOURCE_KINDS)}")
        out.append(WebSource(url.strip(), str(t.get("name") or domain_of(url) or url), kind))
    return out
