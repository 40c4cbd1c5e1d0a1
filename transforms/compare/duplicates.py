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
from datetime import UTC, datetime, timedelta

import numpy as np

from transforms.options import DEFAULT

NUM_PERM = 64
SHINGLE_WORDS = 5
SEED = 1
SCHEME = "affine32"  # datasketch's hash family: part of the stored signatures' meaning
_WORD = re.compile(r"\w+")


def signature(body: str) -> bytes:
    """The MinHash signature of a body's word 5-grams (NUM_PERM 64-bit values), as bytes."""
    from datasketch.minhash import MinHash  # the submodule: a worker process imports no other sketch (flows/pool.py)

    words = _WORD.findall(body.lower())
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingles if s])
    return mh.hashvalues.astype(np.uint64).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two signatures (the share of equal values)."""
    return float(np.mean(np.frombuffer(a, np.uint64) == np.frombuffer(b, np.uint64)))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NO_TIME = np.iinfo(np.int64).max  # an article without published_at sorts after every dated one
_SEGMENT = 4096  # articles added one by one are indexed in bulk every _SEGMENT articles
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SALT = np.arange(1, NUM_PERM + 1, dtype=np.uint64) * np.full(NUM_PERM, _MIX)  # a band's number, mixed
_SIX, _TWO = np.uint64(6), np.uint64(2)


class NearCopies:
    """The LSH index over published articles and those of the run so far; assigns duplicate_of.

    Every run indexes the whole warehouse's signatures, so the index is kept compact: about 0.5 KB an
    article in numpy arrays (datasketch's MinHashLSH took 5.3 KB, 106 MB for 20,000 articles). It uses
    datasketch's bands and rows for the threshold; an article's candidates are those that share one
    band (its values hashed to 64 bits, the band's number mixed in), kept when their estimated
    similarity reaches the threshold. Articles are held in sorted, immutable segments (merged as they
    grow, so there are a few) and, until there are _SEGMENT of them, the last ones added in dicts.
    """

    def __init__(self, threshold: float = DEFAULT.compare.near_copy_threshold):
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)  # datasketch's (bands, rows) for the threshold
        self.threshold, self.bands, self.rows = threshold, lsh.b, lsh.r
        self.updates: dict[str, str] = {}  # published article -> its new original
        self._segments: list[_Segment] = []
        self._recent: dict[str, tuple] = {}  # article id -> (signature, order time, batch date, original)
        self._recent_bands: dict[int, list[str]] = {}  # band key -> articles added since the last segment
        self._originals: dict[str, str | None] = {}  # duplicate_of given since the article was indexed

    def add(self, article_id: str, sig: bytes, published, batch_date, original: str | None = None) -> None:
        if len(sig) == NUM_PERM * 8:
            values = np.frombuffer(sig, np.uint64)
            self._insert(article_id, values, self._keys(values), published, batch_date, original)

    def _insert(self, article_id: str, values: np.ndarray, keys: list[int], published, batch_date,
                original: str | None) -> None:
        if self._where(article_id) is not None:
            return
        self._recent[article_id] = (values, _time(published), _day(batch_date), original)
        for key in keys:
            self._recent_bands.setdefault(key, []).append(article_id)
        if len(self._recent) >= _SEGMENT:
            self._flush()

    def add_table(self, table) -> None:
        """Index many published articles at once: an Arrow table or record batch with article_id,
        body_minhash, published_at, batch_date and duplicate_of."""
        import pyarrow as pa
        import pyarrow.compute as pc

        sigs = table.column("body_minhash")
        ok = pc.fill_null(pc.equal(pc.binary_length(sigs), NUM_PERM * 8), False)
        table = table.filter(ok)
        if not table.num_rows:
            return
        ids = np.array(table.column("article_id").to_pylist(), dtype="S")
        keep = np.zeros(len(ids), bool)
        keep[np.unique(ids, return_index=True)[1]] = True  # an article once, as add() would
        for seg in self._segments:
            keep &= ~seg.has(ids)
        if self._recent:
            keep &= [i.decode() not in self._recent for i in ids.tolist()]
        sig_matrix = np.frombuffer(b"".join(table.column("body_minhash").to_pylist()), np.uint64).reshape(-1, NUM_PERM)
        published = table.column("published_at")
        times = pc.fill_null(pc.cast(pc.cast(published, pa.timestamp("us", "UTC")), pa.int64()), int(_NO_TIME))
        days = [_day(d) for d in table.column("batch_date").to_pylist()]
        self._add_segment(_Segment.build(ids[keep], sig_matrix[keep], np.asarray(times)[keep],
                                         np.array(days, dtype="S10")[keep],
                                         np.array(table.column("duplicate_of").to_pylist(), dtype=object)[keep],
                                         self.bands, self.rows))

    def original_of(self, article_id: str, sig: bytes, published, batch_date) -> str | None:
        """Index a new article and return the original it copies (None when it is the original). When it
        is earlier than the copies already published, they are recorded in `updates` to point to it."""
        if len(sig) != NUM_PERM * 8:
            return None
        values = np.frombuffer(sig, np.uint64)
        keys = self._keys(values)
        copies = {a: (order, original) for a, order, original in self._similar(values, keys) if a != article_id}
        links = {o for _, o in copies.values() if o} - copies.keys() - {article_id}  # the copies' originals
        self._insert(article_id, values, keys, published, batch_date, None)
        orders = {a: order for a, (order, _) in copies.items()} | {a: self._order(a) for a in links | {article_id}}
        first = min(orders, key=orders.__getitem__)
        for other in orders.keys() - {first, article_id}:
            if other in copies:
                now = copies[other][1]
            elif self._where(other) is not None:
                now = self._original(other)
            else:  # an original that is not in the index
                continue
            if now != first:
                self._originals[other] = first
                self.updates[other] = first
        original = None if first == article_id else first
        self._originals[article_id] = original
        return original

    def __len__(self) -> int:
        return len(self._recent) + sum(len(seg.ids) for seg in self._segments)

    # -- lookups -------------------------------------------------------------------------------------------
    def _keys(self, values: np.ndarray) -> list[int]:
        return _band_keys(values[None, :], self.bands, self.rows)[0].tolist()

    def _similar(self, values: np.ndarray, keys: list[int]) -> list[tuple[str, tuple, str | None]]:
        """The indexed articles whose signature is similar: (id, order, original) each."""
        found = []
        for seg in self._segments:
            rows = seg.similar(values, np.array(keys, np.uint64), self.threshold)
            for a, time, day, original in zip(seg.ids[rows].tolist(), seg.times[rows].tolist(),
                                              seg.days[rows].tolist(), seg.originals[rows].tolist(), strict=True):
                a = a.decode()
                found.append((a, (time, day.decode(), a), self._originals.get(a, original)))
        seen = sorted({a for key in keys for a in self._recent_bands.get(key, ())})
        if seen:
            same = (np.stack([self._recent[a][0] for a in seen]) == values).mean(axis=1) >= self.threshold
            for a in (a for a, ok in zip(seen, same.tolist(), strict=True) if ok):
                _, time, day, original = self._recent[a]
                found.append((a, (time, day, a), self._originals.get(a, original)))
        return found

    def _where(self, article_id: str):
        """The article's (signature, order time, batch date, original) as indexed, None when it is not."""
        if article_id in self._recent:
            return self._recent[article_id]
        for seg in self._segments:
            entry = seg.entry(article_id)
            if entry is not None:
                return entry
        return None

    def _original(self, article_id: str) -> str | None:
        if article_id in self._originals:
            return self._originals[article_id]
        entry = self._where(article_id)
        return entry[3] if entry is not None else None

    def _order(self, article_id: str) -> tuple:
        """Earliest published first, then the earliest batch, then the smallest id; an original that is not
        indexed sorts with the undated, before them."""
        entry = self._where(article_id)
        return (entry[1], entry[2], article_id) if entry is not None else (_NO_TIME, "", article_id)

    # -- segments ------------------------------------------------------------------------------------------
    def _flush(self) -> None:
        ids = list(self._recent)
        rows = [self._recent[a] for a in ids]
        self._add_segment(_Segment.build(np.array(ids, dtype="S"), np.stack([r[0] for r in rows]),
                                         np.array([r[1] for r in rows], np.int64),
                                         np.array([r[2] for r in rows], dtype="S10"),
                                         np.array([r[3] for r in rows], dtype=object), self.bands, self.rows))
        self._recent.clear()
        self._recent_bands.clear()

    def _add_segment(self, seg: _Segment) -> None:
        """Add a segment, merging the last ones while the newer is at least half the older's size: a few
        segments, each article re-sorted a logarithmic number of times."""
        if not len(seg.ids):
            return
        self._segments.append(seg)
        while len(self._segments) > 1 and 2 * len(self._segments[-1].ids) >= len(self._segments[-2].ids):
            newer = self._segments.pop()
            self._segments[-1] = self._segments[-1].merged(newer, self.bands, self.rows)


class _Segment:
    """Articles sorted by id, with their band keys sorted for lookup."""

    def __init__(self, ids, sigs, times, days, originals, keys, key_rows):
        self.ids, self.sigs, self.times, self.days, self.originals = ids, sigs, times, days, originals
        self.keys, self.key_rows = keys, key_rows

    @classmethod
    def build(cls, ids, sigs, times, days, originals, bands: int, rows: int) -> _Segment:
        order = np.argsort(ids, kind="stable")
        ids, sigs, times, days, originals = ids[order], sigs[order], times[order], days[order], originals[order]
        keys = _band_keys(sigs, bands, rows).ravel()
        by_key = np.argsort(keys, kind="stable")
        compact = sigs.astype(np.uint32) if len(sigs) and int(sigs.max()) < 2**32 else sigs  # affine32 values
        return cls(ids, compact, times, days, originals, keys[by_key], (by_key // bands).astype(np.int32))

    def merged(self, other: _Segment, bands: int, rows: int) -> _Segment:
        return _Segment.build(np.concatenate([self.ids, other.ids]),
                              np.concatenate([self.sigs.astype(np.uint64), other.sigs.astype(np.uint64)]),
                              np.concatenate([self.times, other.times]), np.concatenate([self.days, other.days]),
                              np.concatenate([self.originals, other.originals]), bands, rows)

    def has(self, ids: np.ndarray) -> np.ndarray:
        at = np.searchsorted(self.ids, ids).clip(0, max(len(self.ids) - 1, 0))
        return self.ids[at] == ids if len(self.ids) else np.zeros(len(ids), bool)

    def entry(self, article_id: str):
        key = article_id.encode()
        at = int(np.searchsorted(self.ids, key))
        if at < len(self.ids) and self.ids[at] == key:
            return (self.sigs[at], int(self.times[at]), self.days[at].decode(), self.originals[at])
        return None

    def similar(self, values: np.ndarray, keys: np.ndarray, threshold: float) -> np.ndarray:
        """The rows sharing a band key with `keys` whose signature is similar to `values`."""
        low, high = np.searchsorted(self.keys, keys, "left"), np.searchsorted(self.keys, keys, "right")
        spans = [self.key_rows[lo:hi] for lo, hi in zip(low.tolist(), high.tolist(), strict=True) if hi > lo]
        if not spans:
            return np.zeros(0, np.int32)
        rows = np.unique(np.concatenate(spans))
        return rows[(self.sigs[rows].astype(np.uint64) == values).mean(axis=1) >= threshold]


def _band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(articles, bands) uint64: each band's `rows` values and the band's number hashed together (boost's
    hash_combine; uint64 arrays wrap silently)."""
    values = sigs[:, :bands * rows].astype(np.uint64).reshape(len(sigs), bands, rows)
    keys = np.tile(_SALT[:bands], (len(sigs), 1))
    for i in range(rows):
        keys ^= values[:, :, i] + _MIX + (keys << _SIX) + (keys >> _TWO)
    return keys


def _time(published) -> int:
    """Microseconds since the epoch (UTC when naive), or _NO_TIME."""
    if published is None:
        return int(_NO_TIME)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (published - _EPOCH) // timedelta(microseconds=1)


def _day(batch_date) -> str:
    return str(batch_date or "9999")
