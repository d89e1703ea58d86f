"""Duplicate index: exact copies, near copies above the threshold, distinct texts, deterministic choice."""

from __future__ import annotations

import random

from transforms.dedup import DuplicateIndex, from_bytes, signature, to_bytes

WORDS = ["river", "flood", "village", "rescue", "minister", "budget", "court", "police", "storm", "market",
         "energy", "school", "hospital", "election", "border", "vaccine", "strike", "harbour", "bridge", "factory"]


def _text(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(n))


def test_exact_near_and_distinct() -> None:
    idx = DuplicateIndex(0.8)
    base = _text(1)
    idx.add("a1", "h1", signature(base))
    assert idx.check("h1", signature("anything")).kind == "exact"
    words = base.split()
    near = " ".join(words[:-10] + ["extra"] * 10)  # ~3% of shingles changed
    m = idx.check("h2", signature(near))
    assert m is not None and m.kind == "near" and m.duplicate_of == "a1" and m.similarity >= 0.8
    assert idx.check("h3", signature(_text(2))) is None
    # Half the text replaced: well under the threshold.
    half = " ".join(words[:150] + _text(3, 150).split())
    assert idx.check("h4", signature(half)) is None


def test_signatures_survive_storage_and_growth() -> None:
    idx = DuplicateIndex(0.8)
    texts = {f"id{i:04d}": _text(i, 120) for i in range(1500)}  # past the initial matrix capacity
    for aid, t in texts.items():
        idx.add(aid, f"h-{aid}", from_bytes(to_bytes(signature(t))))
    assert len(idx) == 1500
    for aid in ("id0000", "id0777", "id1499"):
        m = idx.check("other", signature(texts[aid]))
        assert m is not None and m.duplicate_of == aid and m.similarity == 1.0


def test_tie_goes_to_the_smaller_id() -> None:
    idx = DuplicateIndex(0.8)
    t = _text(5)
    idx.add("b", "hb", signature(t))
    idx.add("a", "ha", signature(t))
    m = idx.check("hx", signature(t))
    assert m is not None and m.duplicate_of == "a"
