"""The saved gazetteer: built once, then loaded; equal to a fresh build; a corrupt or unwritable cache only
means building again."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import gazetteer_cache
from transforms import geo


@pytest.fixture(scope="module")
def built() -> geo.Gazetteer:
    return geo.build_gazetteer()


def _same(a: geo.Gazetteer, b: geo.Gazetteer) -> None:
    assert a.names == b.names and a.demonyms == b.demonyms and a.countries == b.countries
    assert a.admin1 == b.admin1 and a.neighbours == b.neighbours and a.cctld_map == b.cctld_map


def test_saved_then_loaded_equal_to_a_build(tmp_path: Path, built: geo.Gazetteer) -> None:
    first = gazetteer_cache.load_or_build(tmp_path)
    path = gazetteer_cache.cache_file(tmp_path)
    assert path.is_file() and [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    stamp = path.stat().st_mtime_ns
    second = gazetteer_cache.load_or_build(tmp_path)
    assert path.stat().st_mtime_ns == stamp  # loaded, not rebuilt
    assert second is not first
    _same(first, built)
    _same(second, built)


def test_corrupt_file_is_rebuilt(tmp_path: Path, built: geo.Gazetteer) -> None:
    path = gazetteer_cache.cache_file(tmp_path)
    path.write_bytes(b"\x80\x05 not a pickle")
    _same(gazetteer_cache.load_or_build(tmp_path), built)
    assert path.stat().st_size > 1_000_000  # rewritten with a good copy


def test_unwritable_cache_path_still_gives_a_gazetteer(tmp_path: Path, built: geo.Gazetteer) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    _same(gazetteer_cache.load_or_build(blocker / "cache"), built)


def test_install_makes_it_the_process_gazetteer(tmp_path: Path) -> None:
    saved = geo.gazetteer()
    try:
        gazetteer_cache.install(tmp_path)  # builds and saves
        first = geo.gazetteer()
        gazetteer_cache.install(tmp_path)  # loads the saved copy
        assert geo.gazetteer() is not first and geo.gazetteer() is not saved
        assert geo.gazetteer().names == saved.names
    finally:
        geo.install_gazetteer(saved)
