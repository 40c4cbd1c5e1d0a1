"""Near-copies (MinHash LSH): syndicated copies found, related stories not, the earliest published the original."""
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from tests.conftest import seed_text
from transforms.clean import clean_text
from transforms.compare.duplicates import NearCopies, signature, similarity
from transforms.options import DEFAULT

BODY = clean_text(seed_text("003_b54bb3dfe6eb36d9.txt")).body
OTHER = clean_text(seed_text("000_3ef350cdd4bc2bac.txt")).body  # the same topic, another story


def test_copies_score_high_and_other_stories_low():
    paragraphs = BODY.split("\n\n")
    copies = [BODY + "\n\nThis story first appeared on another site.", "\n\n".join(paragraphs[1:]),
              BODY.replace(" the ", " a ", 3)]
    for copy in copies:
        assert similarity(signature(BODY), signature(copy)) >= DEFAULT.compare.near_copy_threshold
    assert similarity(signature(BODY), signature(OTHER)) < 0.1
    assert signature(BODY) == signature(BODY)  # the same text, the same signature, in every process


def test_the_earliest_published_is_the_original():
    index = NearCopies()
    late, early = datetime(2026, 11, 3, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    index.add("first-seen", signature(BODY), late, date(2026, 11, 3))
    assert index.original_of("other-story", signature(OTHER), late, date(2026, 11, 3)) is None
    copy = BODY + "\n\nRepublished with permission."
    assert index.original_of("copy", signature(copy), late, date(2026, 11, 4)) == "first-seen"
    # a copy published before the one already in the warehouse becomes the original of both
    assert index.original_of("earliest", signature(BODY + "\n\nOriginal."), early, date(2026, 11, 5)) is None
    assert index.updates == {"first-seen": "earliest", "copy": "earliest"}


class _DatasketchIndex:
    """The reference: the same rules over datasketch's MinHashLSH (what NearCopies did before it was compact)."""

    def __init__(self):
        from datasketch import MinHashLSH

        self.lsh, self.known, self.updates = MinHashLSH(threshold=DEFAULT.compare.near_copy_threshold,
                                                        num_perm=64), {}, {}

    @staticmethod
    def _minhash(sig):
        from datasketch import MinHash

        return MinHash(num_perm=64, seed=1, scheme="affine32", hashvalues=np.frombuffer(sig, np.uint64))

    def _order(self, a):
        if a not in self.known:
            return (True, datetime.max, "", a)
        _, published, day, _ = self.known[a]
        return (published is None, published or datetime.max, str(day or "9999"), a)

    def add(self, a, sig, published, day, original=None):
        if a not in self.known:
            self.known[a] = [sig, published, day, original]
            self.lsh.insert(a, self._minhash(sig))

    def original_of(self, a, sig, published, day):
        copies = [c for c in self.lsh.query(self._minhash(sig))
                  if c != a and similarity(sig, self.known[c][0]) >= DEFAULT.compare.near_copy_threshold]
        cluster = {a} | set(copies) | {o for c in copies if (o := self.known[c][3])}
        self.add(a, sig, published, day)
        first = min(cluster, key=self._order)
        for other in cluster - {first, a}:
            if other in self.known and self.known[other][3] != first:
                self.known[other][3] = first
                self.updates[other] = first
        self.known[a][3] = None if first == a else first
        return self.known[a][3]


@pytest.mark.parametrize("segment", [50, 10_000])
def test_the_compact_index_decides_as_datasketch_does(monkeypatch, segment):
    """Clusters of signatures at every similarity around the threshold, published ones loaded as Arrow
    and one by one, then new ones: with small segments (flushed and merged) and with one: the same
    originals and updates."""
    import pyarrow as pa

    import transforms.compare.duplicates as duplicates

    monkeypatch.setattr(duplicates, "_SEGMENT", segment)
    rng = np.random.default_rng(7)
    bases = rng.integers(0, 2**32, (60, 64), dtype=np.uint64)
    articles = []
    for i in range(1500):
        sig = bases[rng.integers(0, len(bases))].copy()
        changed = rng.choice(64, int(rng.integers(0, 45)), replace=False)
        sig[changed] = rng.integers(0, 2**32, len(changed), dtype=np.uint64)
        published = None if rng.random() < 0.3 else datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            hours=int(rng.integers(0, 2000)))
        articles.append((f"{i:032x}"[::-1], sig.tobytes(), published, date(2026, 1, 1 + int(rng.integers(0, 28)))))
    ours, reference = NearCopies(), _DatasketchIndex()
    loaded = articles[:400]
    original = {a: (loaded[j - 1][0] if j % 7 == 0 and j else None) for j, (a, *_) in enumerate(loaded)}
    table = pa.table({"article_id": [a for a, *_ in loaded[:300]],
                      "body_minhash": [s for _, s, *_ in loaded[:300]],
                      "published_at": pa.array([p for *_, p, _ in loaded[:300]], pa.timestamp("us", "UTC")),
                      "batch_date": [d for *_, d in loaded[:300]],
                      "duplicate_of": [original[a] for a, *_ in loaded[:300]]})
    ours.add_table(table)
    for a, sig, published, day in loaded[300:]:
        ours.add(a, sig, published, day, original[a])
    ours.add_table(table)  # known articles are indexed once
    assert len(ours) == 400
    for a, sig, published, day in loaded:
        reference.add(a, sig, published, day, original[a])
    decided = [(ours.original_of(*x), reference.original_of(*x)) for x in articles[400:]]
    assert [o for o, _ in decided] == [r for _, r in decided]
    assert sum(o is not None for o, _ in decided) > 300  # copies were found, not only originals
    assert ours.updates == reference.updates and ours.updates
    assert len(ours) == 1500 and len(ours._segments) < 8
