"""How the flow cuts its inputs: ramped chunks and contiguous pieces keep the input order (so dedup, which
meets the files in that order, keeps the same copy of a duplicate pair whatever the batch size)."""

from __future__ import annotations

from flows.pipeline import _ramped_chunks, _split


def test_ramped_chunks_start_small_and_keep_order() -> None:
    items = list(range(2226))
    chunks = list(_ramped_chunks(items, 400))
    assert [len(c) for c in chunks] == [50, 100, 200, 400, 400, 400, 400, 276]
    assert [x for c in chunks for x in c] == items
    assert [len(c) for c in _ramped_chunks(list(range(5)), 4)] == [1, 2, 2]
    assert list(_ramped_chunks([], 400)) == []


def test_split_is_contiguous_and_even() -> None:
    items = list(range(10))
    pieces = _split(items, 4)
    assert [x for p in pieces for x in p] == items
    assert sorted(len(p) for p in pieces) == [2, 2, 3, 3]
    assert _split(items[:2], 4) == [[0], [1]]
    assert _split([], 4) == []
