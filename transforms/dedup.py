"""Duplicate detection: exact (hash of the normalised text) and near (MinHash over word shingles + LSH).

A duplicate is recorded against the first article rather than loaded twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 3
SCHEME = "affine64"  # explicit: stored signatures must be read back with the scheme that made them
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class DuplicateMatch:
    kind: str  # exact | near
    duplicate_of: str  # article_id
    similarity: float


def signature(text: str) -> MinHash:
    """MinHash over word 3-shingles of the casefolded text."""
    words = _WORD.findall(text.casefold())
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    if len(words) < SHINGLE:
        shingles = [" ".join(words).encode("utf-8")]
    else:
        shingles = [" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)]
    m.update_batch(shingles)
    return m


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(b: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(b, dtype=np.uint64).copy(), scheme=SCHEME)


class DuplicateIndex:
    """Exact and near-duplicate lookups over articles seen so far (published and earlier in this run)."""

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold
        self._exact: dict[str, str] = {}
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        # Bare hash arrays (1 KB each), not MinHash objects, which also carry their permutations.
        self._sigs: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._exact)

    def add(self, article_id: str, content_hash: str, sig: MinHash | None) -> None:
        self._exact.setdefault(content_hash, article_id)
        if sig is not None and article_id not in self._sigs:
            self._sigs[article_id] = sig.hashvalues
            self._lsh.insert(article_id, sig)

    def check(self, content_hash: str, sig: MinHash | None) -> DuplicateMatch | None:
        if (first := self._exact.get(content_hash)) is not None:
            return DuplicateMatch("exact", first, 1.0)
        if sig is None:
            return None
        best: DuplicateMatch | None = None
        for cand in self._lsh.query(sig):
            sim = float(np.count_nonzero(sig.hashvalues == self._sigs[cand])) / NUM_PERM  # MinHash.jaccard
            if sim >= self.threshold and (best is None or sim > best.similarity or
                                          (sim == best.similarity and cand < best.duplicate_of)):
                best = DuplicateMatch("near", cand, sim)
        return best
