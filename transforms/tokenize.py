"""Tokenizer rules for figures: currency prefixes glued to digits become their own token.

spaCy keeps "HK$45.20", "Sh2.5" and "R3.4" as one token, which hides both the currency and the
number. The prefixes come from CURRENCY.glued, so the vocabulary stays data.
"""
from __future__ import annotations

import re

from transforms.constants import CURRENCY


def glued_currency_prefix() -> str:
    """A prefix pattern for the glued currency forms, matched only before a digit."""
    forms = sorted(CURRENCY.glued, key=len, reverse=True)
    return r"(?i:" + "|".join(re.escape(f) for f in forms) + r")(?=\d)"


def customize(nlp):
    """Split glued currency prefixes off their digits; keep 'Rs.' one token. Returns nlp."""
    from spacy.util import compile_prefix_regex

    prefixes = [glued_currency_prefix(), *nlp.Defaults.prefixes]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    for form in ("Rs.", "RS.", "rs."):
        nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    return nlp
