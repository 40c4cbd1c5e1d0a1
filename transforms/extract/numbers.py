"""Numbers as written in news: digits, words, scales and glued suffixes ("$30mln", "17k")."""
from __future__ import annotations

import math
import re

from transforms.constants import NUMBER_WORDS

_DIGITS = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}  # "1½ million", "4½ years"
# A fraction written with a slash after whole digits and a space ("3 1/2 miles"): a proper fraction of a
# denominator news writes so (halves to sixteenths), not a date or score ("3/4", "12/25", "7/10" alone).
SLASH_FRACTION = re.compile(r"([1-9]|1[0-5])/([2-8]|1[06])")
# Digits with a scale glued on ("30mln", "17k", "1.2bn"): every scale of NUMBER_WORDS, longest first; the
# full stop of a sentence that ends "£180m." stays with the letter in spaCy's tokens.
SCALE_SUFFIX = "|".join(sorted(map(re.escape, NUMBER_WORDS.scales), key=len, reverse=True))
_GLUED = re.compile(rf"^(?P<num>\d+(?:[.,]\d+)*[{''.join(_VULGAR)}]?)(?P<suffix>{SCALE_SUFFIX})\.?$", re.IGNORECASE)
_SPLIT = re.compile(r"[\s-]+")
# Digits grouped by spaces, as SI and many European sites write them ("20 000", "1 250 000"; often a
# no-break or thin space that cleaning made a space): read as one number when a group is "000", as a
# grouped number always has one when it is round, and "12 100-metre races" is two numbers.
GROUPED = re.compile(r"\d{1,3}(?:\s\d{3})+")


def parse_digits(token: str) -> float | None:
    """'3,000' -> 3000.0, '1.2' -> 1.2, '-12' and '−5' (a minus sign) negative, '±2.5' (a margin) its size,
    '1½' -> 1.5 (a fraction's sign after whole digits); None when the token is not a plain number."""
    token = token.replace("\u2212", "-").replace("\u00b1", "+")
    if len(token) > 1 and token[-1] in _VULGAR and token[:-1].isdigit():
        return int(token[:-1]) + _VULGAR[token[-1]]
    if not _DIGITS.match(token):
        return None
    return float(token.replace(",", ""))


def slash_fraction(token: str) -> float | None:
    """'1/2' -> 0.5, '3/4' -> 0.75: a proper fraction as SLASH_FRACTION writes it, else None."""
    m = SLASH_FRACTION.fullmatch(token)
    return int(m[1]) / int(m[2]) if m and int(m[1]) < int(m[2]) else None


def is_glued(token: str) -> bool:
    """Digits with a scale glued on: '30mio', '1.2bn'."""
    return _GLUED.match(token) is not None


def parse_glued(token: str) -> float | None:
    """'30mln' -> 30000000.0, '17k' -> 17000.0."""
    m = _GLUED.match(token)
    if not m:
        return None
    base = parse_digits(m.group("num"))
    return None if base is None else decimal(base * NUMBER_WORDS.scales[m.group("suffix").lower()])


def is_number_token(text: str) -> bool:
    """A token that starts or continues a written number."""
    low = text.lower()
    return (parse_digits(text) is not None or parse_glued(text) is not None
            or low in NUMBER_WORDS.units and low not in ("a", "an", "half") or low in NUMBER_WORDS.scales
            and low not in NUMBER_WORDS.letter_scales or low in ("and",))


_SCALE_WORDS = "|".join(sorted(NUMBER_WORDS.full_scales - {"hundred"}, key=len, reverse=True))
FRACTIONS = {"half": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3, "tenth": 0.1,
             "tenths": 0.1}
# a fraction of a scale, and a scale and a half: 'half a million', 'a quarter of a million', 'three quarters of a
# billion', 'a half-million'; 'two and a half million', 'a million and a half'; a fraction of one unit, which
# figures.py reads only before a point: 'a quarter of a' (percentage point), 'half a' (point)
_PART_OF_SCALE = re.compile(rf"(?:(?P<times>a|an|one|two|three|nine) )?(?P<part>{'|'.join(FRACTIONS)})(?: of)?"
                            rf"(?: an?| one)?(?: (?P<scale>{_SCALE_WORDS}))?")
_AND_A_HALF = re.compile(rf"(?P<whole>.+?) and a half(?: (?P<scale>{_SCALE_WORDS}))?")


def _fraction(text: str) -> float | None:
    """The value of a number written with a fraction (_PART_OF_SCALE, _AND_A_HALF), else None."""
    words = " ".join(_SPLIT.split(text.lower())).strip()
    m = _PART_OF_SCALE.fullmatch(words)
    if m:
        times = NUMBER_WORDS.units[m["times"]] if m["times"] else 1
        return decimal(times * FRACTIONS[m["part"]] * (NUMBER_WORDS.scales[m["scale"]] if m["scale"] else 1))
    m = _AND_A_HALF.fullmatch(words)
    if m is None:
        return None
    whole = parse_number(m["whole"])
    if whole is None:
        return None
    if m["scale"]:  # 'two and a half million'
        return decimal((whole + 0.5) * NUMBER_WORDS.scales[m["scale"]])
    last = m["whole"].rsplit(" ", 1)[-1]  # 'a million and a half': half of its last scale
    return decimal(whole + 0.5 * NUMBER_WORDS.scales[last]) if last in NUMBER_WORDS.full_scales else whole + 0.5


def parse_number(text: str) -> float | None:
    """Value of a written number ('one million', '1.2 billion', 'twenty-five', '17k', 'a quarter of a million');
    None if not one."""
    low = text.lower()
    if "half" in low or "quarter" in low or "third" in low or "tenth" in low:
        fraction = _fraction(text)
        if fraction is not None:
            return fraction
    total, current, seen = 0.0, 0.0, False
    previous, group = "", 0.0  # group: what the last scale word added ("12 lakh": 1,200,000)
    text = text.strip()
    sign = -1.0 if text[:1] in ("-", "\u2212") and text[1:2].isdigit() else 1.0  # "-12C", "-0.4%"
    text = text[1:] if sign < 0 else text
    grouped = GROUPED.match(text)
    if grouped and not text[grouped.end():grouped.end() + 2].strip()[:1].isdigit():  # "2 500", "2 500 million"
        text = "".join(grouped.group().split()) + text[grouped.end():]
    for word in _SPLIT.split(text.strip().lower()):
        if not word:
            continue
        after_half, previous = previous == "half", word
        if word == "and" or word in ("a", "an") and after_half:  # "half a million"
            continue
        value = parse_digits(word)
        if value is None:
            value = parse_glued(word)
        if value is None and seen and current and current.is_integer():
            value = slash_fraction(word)  # "3 1/2"
        if value is not None:
            current, seen = current + value, True
        elif word == "dozen" and seen:
            current *= 12  # "two dozen"
        elif word in NUMBER_WORDS.units:
            current, seen = current + NUMBER_WORDS.units[word], True
        elif word in NUMBER_WORDS.scales and seen:
            scale = NUMBER_WORDS.scales[word]
            if scale == 100:
                current *= scale
            elif current == 0 and group:  # stacked scales multiply: "12 lakh crore", "5 thousand crore"
                total, group = total + group * (scale - 1), group * scale
            else:
                total, current, group = total + current * scale, 0.0, current * scale
        else:
            return None
    result = sign * (total + current)
    return decimal(result) if seen and math.isfinite(result) else None


def decimal(value: float) -> float:
    """The value as written in decimals: '259.1 billion' is 259100000000, not 259100000000.00003."""
    return float(f"{value:.12g}")
