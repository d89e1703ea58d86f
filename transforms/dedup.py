"""Duplicate detection: exact (hash of the normalised text) and near (MinHash over word shingles + LSH).

A duplicate is recorded against the first article rather than loaded twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

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
    """A stored signature. LeanMinHash holds only the hash values: a MinHash would first draw its 128
    permutations (~0.5 ms each time), which the index never uses (it compares hash values)."""
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(b, dtype=np.uint64).copy(), scheme=SCHEME)


class DuplicateIndex:
    """Exact and near-duplicate lookups over articles seen so far (published and earlier in this run).

    Near duplicates use MinHash LSH with datasketch's banding for the threshold, kept compact because the
    index holds every published article: signatures in one growing uint64 matrix, each band as a dict from
    the band's hash to row numbers. About 1.5 KB per article, where datasketch's MinHashLSH with a MinHash
    object per article needs about 7 KB.
    """

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)  # only for its optimal (bands, rows)
        self._ranges: list[tuple[int, int]] = list(lsh.hashranges)
        self._exact: dict[str, str] = {}
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint64)
        self._bands: list[dict[int, int | list[int]]] = [{} for _ in self._ranges]

    def __len__(self) -> int:
        return len(self._exact)

    def _band_keys(self, hv: np.ndarray) -> list[int]:
        return [hash(hv[a:b].tobytes()) for a, b in self._ranges]

    def add(self, article_id: str, content_hash: str, sig: MinHash | None) -> None:
        self._exact.setdefault(content_hash, article_id)
        if sig is None or article_id in self._row:
            return
        row = len(self._ids)
        if row == len(self._sigs):
            self._sigs = np.concatenate([self._sigs, np.empty_like(self._sigs)])
        self._sigs[row] = sig.hashvalues
        self._ids.append(article_id)
        self._row[article_id] = row
        for band, key in zip(self._bands, self._band_keys(sig.hashvalues), strict=True):
            rows = band.get(key)
            if rows is None:
                band[key] = row
            elif isinstance(rows, int):
                band[key] = [rows, row]
            else:
                rows.append(row)

    def check(self, content_hash: str, sig: MinHash | None) -> DuplicateMatch | None:
        if (first := self._exact.get(content_hash)) is not None:
            return DuplicateMatch("exact", first, 1.0)
        if sig is None:
            return None
        hv = np.asarray(sig.hashvalues, dtype=np.uint64)
        candidates: set[int] = set()
        for band, key in zip(self._bands, self._band_keys(hv), strict=True):
            rows = band.get(key)
            if rows is not None:
                candidates.update([rows] if isinstance(rows, int) else rows)
        best: DuplicateMatch | None = None
        for row in candidates:
            sim = float(np.count_nonzero(self._sigs[row] == hv)) / NUM_PERM  # MinHash.jaccard
            cand = self._ids[row]
            if sim >= self.threshold and (best is None or sim > best.similarity or
                                          (sim == best.similarity and cand < best.duplicate_of)):
                best = DuplicateMatch("near", cand, sim)
        return best
