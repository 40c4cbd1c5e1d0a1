import math

import pytest

from transforms.extract.numbers import parse_number


@pytest.mark.parametrize("text,value", [
    ("3,000", 3000), ("1.2 billion", 1.2e9), ("one million", 1e6), ("30mln", 3e7), ("17k", 17000),
    ("twenty-five", 25), ("two hundred and fifty", 250), ("5bn", 5e9), ("157", 157), ("0.5", 0.5),
])
def test_parse_number_scales(text, value):
    assert math.isclose(parse_number(text), value)


@pytest.mark.parametrize("text", ["", "troops", "M-4", "million", "and"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None
