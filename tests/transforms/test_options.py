"""Each threshold of transforms/options.py at its edge: the value decides, nothing else written inline does."""
import pytest

from transforms.clean.rules import _comments_cut
from transforms.extract.measures import main_place, opening_chars
from transforms.meta.decode import DecodeError, decode_bytes
from transforms.options import DEFAULT, DecodeOptions, ExtractOptions


def test_control_characters_up_to_the_share_decode_beyond_it_are_binary():
    share = DEFAULT.decode.max_control_share
    n = round(1000 * share)
    assert decode_bytes(("a" * (1000 - n) + "\x01" * n).encode()).text.startswith("a")
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(("a" * (999 - n) + "\x01" * (n + 1)).encode())


def test_a_charset_declared_inside_the_prescan_counts_beyond_it_not():
    page = b"<html><head>" + b" " * 100 + b'<meta charset="windows-1251"></head><body>Hello</body></html>'
    assert decode_bytes(page, markup=True).source == "declared"
    assert decode_bytes(page, markup=True, opts=DecodeOptions(prescan_bytes=100)).source == "utf-8"


def test_utf16_without_a_bom_is_found_by_its_share_of_nul_bytes():
    data = "Troops stay in Iraq, officials said.".encode("utf-16-le")
    assert decode_bytes(data).encoding == "utf-16le"
    with pytest.raises(DecodeError, match="NUL"):  # no share is high enough: the NUL bytes make it binary
        decode_bytes(data, opts=DecodeOptions(utf16_nul_share=1.0))


def test_the_main_place_is_read_from_as_many_paragraphs_as_the_option_says(nlp):
    text = "Talks resume\n\nOfficials met on Monday.\n\nAbout 2,500 troops are stationed in Iraq, officials said."
    doc = nlp(text)
    assert opening_chars(text) == len("Talks resume\n\nOfficials met on Monday.\n\n")
    assert main_place(doc, None) is None  # Iraq is in the third paragraph
    assert main_place(doc, None, opts=ExtractOptions(main_place_paragraphs=3)) == "Iraq"


def test_a_comments_header_ends_the_article_only_after_enough_prose():
    after = DEFAULT.clean.comments_after_prose_lines
    prose = [True] * after + [False, True]
    comments = [False] * after + [True, False]
    assert _comments_cut(prose, comments, 0, len(prose), after) == after
    early = [True] * (after - 1) + [False, True]
    assert _comments_cut(early, [False] * (after - 1) + [True, False], 0, len(early), after) == len(early)
