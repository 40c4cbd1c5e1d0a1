"""Tokenizer rules for figures: currency prefixes, percent abbreviations, units, pence and percent ranges glued to
digits become tokens.

spaCy keeps "HK$45.20", "Sh2.5", "R3.4", "10pc" and "500MW" as one token, which hides the currency, the
percent or the unit and the number. The forms come from CURRENCY.glued, MEASURES.percent and
MEASURES.units, so the vocabulary stays data.
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


def glued_unit_suffix() -> str:
    """A suffix pattern for units of measure written against the digits ("500MW", "5MWh", "100kph", "45ºC"):
    the unit forms of two characters or more (spaCy splits some, "500km", by its own list), and a capital C
    or F ("40C": degrees or a flat, which `units.measure` tells by the sentence; "40c" may be cents)."""
    forms = sorted((u for u in MEASURES.units if len(u) >= 2 and " " not in u and "/" not in u), key=len,
                   reverse=True)
    # and the full stop after "40C", which spaCy leaves on a capital letter (an initial: "John C.")
    return r"(?:(?<=\d)(?:(?i:" + "|".join(re.escape(f) for f in forms) + r")|[CF])|(?<=\d[CF])\.)"


# Pence written against the digits ("350p", "48.5p"; `units.money` tells them from "1080p" video).
GLUED_PENCE = r"(?<=\d)p"
# A range of percents written without spaces ("5.25%-5.5%"): spaCy splits dashes between letters only, and
# what lies between two infixes stays one token, so the first percent sign is an infix too.
PERCENT_RANGE = (r"(?<=\d)%(?=[-–—]\d)", r"(?<=%)[-–—](?=\d)")
# The same for amounts with the currency again after the dash ("$1.2bn-$1.5bn", "$5-$6 million").
CURRENCY_RANGE = (r"(?<=\w)[-–—](?=[$€£¥₹]\d)", r"(?<=[-–—])[$€£¥₹](?=\d)")
# An en or em dash between digits ("2,000–2,500 troops", "60–65%"): spaCy splits a hyphen there, not these.
DASH_RANGE = r"(?<=[0-9])[–—](?=[0-9])"
# A hyphen after a dotted initialism ("U.S.-led", "U.N.-backed"): spaCy splits one after a letter only.
INITIALISM_HYPHEN = r"(?<=[A-Z]\.)-(?=[a-z])"


def customize(nlp):
    """Split glued currency prefixes, percent abbreviations and units off their digits, and ranges of percents,
    amounts or numbers at their dash; keep 'Rs.' one token."""
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    nlp.tokenizer.prefix_search = compile_prefix_regex([glued_currency_prefix(), *nlp.Defaults.prefixes]).search
    suffixes = [glued_percent_suffix(), glued_unit_suffix(), GLUED_PENCE, *nlp.Defaults.suffixes]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    infixes = [*PERCENT_RANGE, *CURRENCY_RANGE, DASH_RANGE, INITIALISM_HYPHEN, *nlp.Defaults.infixes]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    for form in ("Rs.", "RS.", "rs."):
        nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    return nlp
