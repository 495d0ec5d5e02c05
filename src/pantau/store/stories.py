"""Stories: syndicated copies of one report grouped by MinHash LSH (datasketch) on word shingles.

The same press release is rewritten by ten regional portals: other masthead and lead, sentences
reordered, a paragraph added. Word 3-shingles survive reordering except at sentence joins, so the
Jaccard similarity of rewritten copies stays high while different reports about the same topic stay
low (measured in tests/store/test_stories.py). LSH bands are stored in the database, so a story is
found across ingest runs without loading every signature.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

NUM_PERM = 128
SHINGLE_WORDS = 3
DEFAULT_THRESHOLD = 0.5
SEED = 20240101
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


@cache
def _empty() -> MinHash:
    """An empty MinHash of (NUM_PERM, SEED): its copies share its hash permutations, which datasketch would
    otherwise draw again for every MinHash (a third of the cost of signing an article)."""
    return MinHash(num_perm=NUM_PERM, seed=SEED)


def signature(text: str) -> np.ndarray:
    """MinHash values of the text's word shingles (uint64)."""
    minhash = _empty().copy()
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype(np.uint64)


def to_bytes(values: np.ndarray) -> bytes:
    return values.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    # np.mean's value (a count of equal values over the length, both exact) without its per-call overhead
    return int(np.count_nonzero(a == b)) / a.size


@cache
def band_layout(threshold: float) -> tuple[int, int]:
    """(bands, rows) that make LSH candidates of pairs above ``threshold`` (datasketch's optimum)."""
    return _optimal_param(threshold, NUM_PERM, 0.5, 0.5)


def bands(values: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """(band, bucket) of each LSH band: the bucket is the first 8 bytes of the band values' BLAKE2b-128 digest as
    a signed 64-bit integer (what SQLite and PostgreSQL store in 8 bytes: a hex string took 33, and the bucket
    index holds 25 of them an article; two bands of a million articles collide with a chance near 1e-5, and a
    collision only adds a candidate that the signatures then compare)."""
    count, rows = band_layout(threshold)
    data, size = values.astype("<u8").tobytes(), 8 * rows  # the little-endian bytes once, cut per band
    return [(band, _bucket(data[band * size:(band + 1) * size])) for band in range(count)]


def bucket_key(band_values: np.ndarray) -> int:
    return _bucket(band_values.astype("<u8").tobytes())


def _bucket(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=16).digest()[:8], "big", signed=True)
