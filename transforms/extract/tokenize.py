"""Tokenizer rules for figures: currency prefixes and percent abbreviations glued to digits become tokens.

spaCy keeps "HK$45.20", "Sh2.5", "R3.4" and "10pc" as one token, which hides the currency or the
percent and the number. The forms come from CURRENCY.glued and MEASURES.percent, so the vocabulary
stays data.
"""
from __future__ import annotations

import re

from transforms.constants import CURRENCY, MEASURES


def glued_currency_prefix() -> str:
    """A prefix pattern for the glued currency forms, matched only before a digit."""
    forms = sorted(CURRENCY.glued, key=len, reverse=True)
    return r"(?i:" + "|".join(re.escape(f) for f in forms) + r")(?=\d)"


def glued_percent_suffix() -> str:
    """A suffix pattern for percent abbreviations written against the digits ("10pc", "3.5pct")."""
    forms = sorted((p for p in MEASURES.percent if p.isalpha() and len(p) <= 3), key=len, reverse=True)
    return r"(?<=\d)(?i:" + "|".join(forms) + r")"


def customize(nlp):
    """Split glued currency prefixes and percent abbreviations off their digits; keep 'Rs.' one token."""
    from spacy.util import compile_prefix_regex, compile_suffix_regex

    nlp.tokenizer.prefix_search = compile_prefix_regex([glued_currency_prefix(), *nlp.Defaults.prefixes]).search
    nlp.tokenizer.suffix_search = compile_suffix_regex([glued_percent_suffix(), *nlp.Defaults.suffixes]).search
    for form in ("Rs.", "RS.", "rs."):
        nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    return nlp
