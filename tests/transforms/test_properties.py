"""Properties over any input (hypothesis): no exception, offsets inside the body, finite values, idempotent cleaning."""
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import seed_text
from transforms.clean import clean_text
from transforms.extract.entities import extract_entities
from transforms.extract.figures import extract_figures
from transforms.extract.numbers import parse_number
from transforms.meta.decode import DecodeError, decode_bytes, normalise_text

# news-like text: words, numbers with separators and scales, currency and percent signs, line breaks
_WORDS = st.sampled_from(["troops", "said", "over", "about", "$", "€", "Rs", "%", "per cent", "million", "bn", "US",
                          "the", "Pentagon", "3,000", "2.5", "17k", "one", "-", "to", "and", "between", ".", ",",
                          "\n", "Advertisement", "Latest news", "...", "2021", "M-4", "COVID-19", "HK$", "N95"])
NEWSY = st.lists(st.one_of(_WORDS, st.text(min_size=1, max_size=12)), max_size=80).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=400), NEWSY)


@settings(deadline=None)
@given(st.binary(max_size=2000), st.booleans())
def test_decode_never_raises_anything_but_decode_error(data, markup):
    try:
        text, encoding, source = decode_bytes(data, markup=markup)
    except DecodeError:
        return
    assert isinstance(text, str) and encoding and source


@given(ANY_TEXT)
def test_parse_number_is_finite_or_none(text):
    value = parse_number(text)
    assert value is None or math.isfinite(value)


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT)
def test_cleaning_keeps_lines_of_the_page_in_order_and_never_adds(text):
    """The body is lines of the page, in their order; cleaning it again adds nothing."""
    page = normalise_text(text)
    body = clean_text(page).body
    lines = [" ".join(line.split()) for line in page.split("\n") if line.split()]
    kept = body.split("\n\n") if body else []
    it = iter(lines)
    assert all(any(k == line for line in it) for k in kept)
    again = clean_text(body).body
    assert set(again.split("\n\n") if again else []) <= set(kept)


@pytest.mark.parametrize("name", ["000_3ef350cdd4bc2bac.txt", "001_ae877c58f8d80608.txt", "002_23c06521338ce5b8.txt",
                                  "003_b54bb3dfe6eb36d9.txt", "004_b097015a3128bddb.txt"])
def test_cleaning_a_real_page_is_idempotent(name):
    body = clean_text(seed_text(name)).body
    assert clean_text(body).body == body


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NEWSY)
def test_figures_and_entities_point_into_the_body(nlp, text):
    body = clean_text(normalise_text(text)).body
    doc = nlp(body)
    for f in extract_figures(doc):
        assert 0 <= f.start_char < f.end_char <= len(body) and body[f.start_char:f.end_char] == f.text
        assert math.isfinite(f.value) and (f.value_max is None or math.isfinite(f.value_max))
    for e in extract_entities(doc):
        assert 0 <= e.start_char < e.end_char <= len(body) and body[e.start_char:e.end_char] == e.text
