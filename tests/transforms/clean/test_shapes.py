import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from transforms.clean.lines import split_lines
from transforms.clean.shapes import ShapeMatcher, char_class, first_chars, needles, upper_case_literals
from transforms.clean.signals import CAPTIONS, SHAPE_ORDER
from transforms.clean.signals import SHAPES as _SHAPES
from transforms.constants import LINE_PATTERNS

_PATTERN_ORDER = SHAPE_ORDER[:-1]

SHAPES = [(n, p) for n in _PATTERN_ORDER for p in getattr(LINE_PATTERNS, n)] + [("caption", p) for p in CAPTIONS]
# What one combined pattern of all the shapes, in their order, answers.
COMBINED = [re.compile("|".join(f"(?P<{n}_{i}>{p})" for i, (n, p) in enumerate(SHAPES)))]
IGNORING_CASE = [re.compile(p.pattern, re.IGNORECASE) for p in COMBINED]


def combined(text: str, patterns=COMBINED):
    for pattern in patterns:
        m = pattern.fullmatch(text)
        if m:
            return m.lastgroup.rsplit("_", 1)[0]
    return None


def test_first_characters_and_needles_are_read_from_the_pattern():
    assert first_chars(r"(share|follow) (on|via) .{0,40}") == {"s", "f"}
    assert first_chars(r"[-–—\s]*(ad|promoted)") == {"-", "–", "—", "\\space", "a", "p"}
    assert first_chars(r"[a-c]x|yz") == {"a", "b", "c", "y"}
    assert first_chars(r".{0,60}x") is None
    assert first_chars(r"\d+\s*min read") == {"\\digit"}
    assert needles(r".{0,120}\b(cookies?|cookie policy|privacy policy)\b.{0,160}") == ("cookie", "privacy policy")
    assert needles(r"[\w.]{2,40}( [\w.]{1,40})? (says|said|wrote)( on .{0,40})?:?") == ("says", "said", "wrote")
    assert needles(r"\d+\s*(min|minutes?) read") == (" read",)  # the longest of the parts a match needs
    assert needles(r"(?:credit|photo)\s*(?:\.\.\.|:)") == ("credit", "photo")
    assert needles(r"(share|follow) .{0,40}") == ("share", "follow")
    assert needles(r"[\d\s.,]+") is None and needles(r"(ad)?s+") == ("s",)  # an optional part is no needle


def test_matcher_answers_as_the_combined_pattern_on_every_dev_and_seed_line():
    pages = [split_lines(path.read_text("utf-8")) for path in FIXTURES.rglob("*.txt")]
    lines = [(t, low) for page in pages for t, low in zip(page.text, page.lower, strict=False) if len(t) <= 400]
    assert len(lines) > 5000
    assert all(_SHAPES(low) == combined(low) for _, low in lines)
    # Lower-casing the line is what matching the original case-insensitively would answer.
    assert all(combined(low) == combined(t, IGNORING_CASE) for t, low in lines)
    for page in pages:  # a page at once: the needles looked for in the whole page
        assert _SHAPES.page(page.lower) == [combined(t) for t in page.lower]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Share", "share on", "Photo:", "© 2024", "Cookie", "12", "5 min read", "Ｋ",
                                 "K", "ſ", "İ", "advertisement", "-", " ", "Getty Images", "·", "reply", "e",
                                 "Updated", "Monday", "2024", "x", "…", ":", "\u00a0", "said", "wrote:", "min read"]),
                max_size=6))
def test_matcher_answers_as_the_combined_pattern_on_generated_lines(parts):
    text = " ".join(" ".join(parts).split()).lower()
    assert _SHAPES(text) == combined(text)
    page = [" ".join(part.split()).lower() for part in parts]  # the same parts as lines of a page
    assert _SHAPES.page(page) == [combined(t) for t in page]


def test_classes_agree_with_re_for_every_character():
    classes = {"digit": re.compile(r"\d"), "space": re.compile(r"\s"), "word": re.compile(r"\w")}
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        kind = char_class(ch)
        assert bool(classes["digit"].fullmatch(ch)) == (kind == "digit"), hex(cp)
        assert bool(classes["space"].fullmatch(ch)) == (kind == "space"), hex(cp)
        assert bool(classes["word"].fullmatch(ch)) == (kind in ("digit", "word")), hex(cp)


def test_shapes_must_be_written_in_lower_case():
    assert upper_case_literals(r"-?\d+\s*[CF]|(?:share|Tweet)\S*") == {"C", "F", "T"}
    assert upper_case_literals(r"[a-z]\W\S\D\B") == set()
    with pytest.raises(ValueError, match="lower case"):
        ShapeMatcher([("weather", r"\d+ ?°[CF]")])


def test_a_small_matcher_keeps_the_order_of_its_shapes():
    match = ShapeMatcher([("first", r"read more"), ("second", r"read .*"), ("wild", r".{0,20}\bcookies\b.*")])
    assert match("read more") == "first"
    assert match("read this") == "second"
    assert match("we use cookies here") == "wild"
    assert match("we use biscuits") is None
    assert match("Read more") is None  # lines are lower-cased before they are matched
