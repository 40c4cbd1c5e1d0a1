import math

import pytest

from transforms.extract.numbers import parse_number


@pytest.mark.parametrize("text,value", [
    ("3,000", 3000), ("1.2 billion", 1.2e9), ("one million", 1e6), ("30mln", 3e7), ("17k", 17000),
    ("twenty-five", 25), ("two hundred and fifty", 250), ("5bn", 5e9), ("157", 157), ("0.5", 0.5),
    ("a million", 1e6), ("half a million", 5e5), ("180m.", 1.8e8), ("two dozen", 24), ("dozen", 12),
    ("20 000", 20_000), ("1 250 000", 1_250_000),
    ("1½ million", 1_500_000), ("2¾", 2.75),  # a fraction's sign after the whole digits
    ("2½bn", 2.5e9), ("3 1/2", 3.5), ("1 1/2 billion", 1.5e9), ("2 500 million", 2.5e9),  # and a slash's; groups
    # stacked scales multiply (Indian English), a smaller scale after a number adds
    ("12 lakh crore", 1.2e13), ("1.5 lakh crore", 1.5e12), ("45 thousand crore", 4.5e11),
    ("one million two hundred thousand", 1_200_000), ("3 hundred thousand", 300_000),
    # below zero, with a hyphen or a minus sign
    ("-12", -12), ("\u22125", -5), ("-0.4", -0.4), ("-1.5bn", -1.5e9),
    # a margin's size: "±2.5" (its sign says both)
    ("\u00b12.5", 2.5), ("+3.5", 3.5),
    # a fraction of a scale, a scale and a half
    ("a quarter of a million", 250_000), ("three-quarters of a million", 750_000), ("a third of a billion", 1e9 / 3),
    ("a half-million", 500_000), ("two and a half million", 2_500_000), ("one-and-a-half million", 1_500_000),
    ("a million and a half", 1_500_000), ("two million and a half", 2_500_000), ("three and a half", 3.5),
    # a fraction of one (of a point, where figures reads it)
    ("half a", 0.5), ("a quarter of a", 0.25), ("three quarters of a", 0.75), ("one-tenth of a", 0.1),
])
def test_parse_number_scales(text, value):
    assert math.isclose(parse_number(text), value)


@pytest.mark.parametrize("text", ["", "troops", "M-4", "million", "and"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text,value", [("259.1 billion", 259_100_000_000), ("4.3bn", 4_300_000_000),
                                        ("1.15 million", 1_150_000), ("0.3", 0.3)])
def test_parse_number_gives_the_written_decimal(text, value):
    assert parse_number(text) == value  # exactly: 259.1 * 1e9 is 259100000000.00003 in binary floats
