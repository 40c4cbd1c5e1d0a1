"""Near-copies: the same story syndicated or republished with other page furniture (MinHash LSH,
datasketch).

An article's body is reduced to a MinHash signature of its word 5-grams (`body_minhash`, stored with
the article); an index of the warehouse's signatures answers which published articles share enough
of them (estimated Jaccard similarity at or above `near_copy_threshold` in transforms/options.py,
chosen by measurement on tests/fixtures/claims/ and the dev pages). In a cluster of near-copies the earliest published
article (else the earliest batch, then the smallest id) is the original; the others' `duplicate_of`
names it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from transforms.options import DEFAULT

NUM_PERM = 64
SHINGLE_WORDS = 5
SEED = 1
SCHEME = "affine32"  # datasketch's hash family: part of the stored signatures' meaning
_WORD = re.compile(r"\w+")


def signature(body: str) -> bytes:
    """The MinHash signature of a body's word 5-grams (NUM_PERM 64-bit values), as bytes."""
    from datasketch import MinHash

    words = _WORD.findall(body.lower())
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingles if s])
    return mh.hashvalues.astype(np.uint64).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two signatures (the share of equal values)."""
    return float(np.mean(np.frombuffer(a, np.uint64) == np.frombuffer(b, np.uint64)))


@dataclass
class Known:
    """What the index keeps of an article."""

    signature: bytes
    published: datetime | None
    batch_date: date | str | None
    original: str | None = None  # its duplicate_of

    def order(self, article_id: str) -> tuple:
        return (self.published is None, self.published or datetime.max, str(self.batch_date or "9999"), article_id)


@dataclass
class NearCopies:
    """The LSH index over published articles and those of the run so far; assigns duplicate_of."""

    threshold: float = DEFAULT.compare.near_copy_threshold
    known: dict[str, Known] = field(default_factory=dict)
    updates: dict[str, str] = field(default_factory=dict)  # published article -> its new original

    def __post_init__(self):
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)

    def add(self, article_id: str, sig: bytes, published, batch_date, original: str | None = None) -> None:
        if article_id in self.known or not sig:
            return
        self.known[article_id] = Known(sig, published, batch_date, original)
        self.lsh.insert(article_id, _minhash(sig))

    def original_of(self, article_id: str, sig: bytes, published, batch_date) -> str | None:
        """Index a new article and return the original it copies (None when it is the original). When it
        is earlier than the copies already published, they are recorded in `updates` to point to it."""
        if not sig:
            return None
        copies = [c for c in self.lsh.query(_minhash(sig))
                  if c != article_id and similarity(sig, self.known[c].signature) >= self.threshold]
        cluster = {article_id} | set(copies) | {o for c in copies if (o := self.known[c].original)}
        self.add(article_id, sig, published, batch_date)
        first = min(cluster, key=lambda a: self.known[a].order(a) if a in self.known else (True, datetime.max, "", a))
        for other in cluster - {first}:
            if other in self.known and self.known[other].original != first and other != article_id:
                self.known[other].original = first
                self.updates[other] = first
        original = None if first == article_id else first
        self.known[article_id].original = original
        return original


def _minhash(sig: bytes):
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=np.frombuffer(sig, np.uint64))
