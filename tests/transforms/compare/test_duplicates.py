"""Near-copies (MinHash LSH): syndicated copies found, related stories not, the earliest published the original."""
from datetime import UTC, date, datetime

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
