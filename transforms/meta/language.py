"""Language identification with CLD2 (pycld2: Chromium's compact detector in C, model inside the wheel)."""
from __future__ import annotations

import re

import pycld2

_ENOUGH_LETTERS = re.compile(r"(?:[^\W\d_][\W\d_]*){20}")  # 20 letters, found without reading further
# Code points CLD2 refuses as invalid UTF-8 (every one found by trying each code point): C0 controls
# but tab, newline, form feed and carriage return; DEL and C1 controls; surrogates; noncharacters.
_REFUSED = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                      + "".join(f"{chr(plane << 16 | 0xfffe)}-{chr(plane << 16 | 0xffff)}" for plane in range(17))
                      + "]")
# CLD2's old codes for two languages, as ISO 639-1 has them now.
_ISO = {"iw": "he", "jw": "jv"}
# CLD2's answers that name no language: unknown, a script alone ("xx-Arab"), "Ignore", and its
# pseudo-languages (Bork, Elmer Fudd, Hacker, Klingon, Pig Latin).
_NO_LANGUAGE = frozenset({"un", "xx", "xxx", "zzb", "zze", "zzh", "tlh", "zzp"})


def detect_language(text: str, sample_chars: int = 1000) -> tuple[str, float]:
    """ISO 639-1 code (639-2/3 where a language has none) and the share of the sample written in it.

    ("und", 0.0) when there is no text to judge. A short or mixed sample still gets CLD2's best guess,
    so every article has a language. 1,000 characters of the body decide as well as the whole body
    did on every dev page and seed (7 languages).
    """
    sample = text[:sample_chars]
    if not _ENOUGH_LETTERS.search(sample):
        return "und", 0.0
    try:
        _reliable, _bytes, details = pycld2.detect(sample, bestEffort=True)
    except (pycld2.error, UnicodeEncodeError):  # a code point CLD2 refuses (rare): take them out
        _reliable, _bytes, details = pycld2.detect(_REFUSED.sub(" ", sample), bestEffort=True)
    _name, code, percent, _score = details[0]
    code = iso_code(code)
    return code, percent / 100 if code != "und" else 0.0


def iso_code(cld2_code: str) -> str:
    """A CLD2 language code as the `language` column has it: ISO 639-1 (639-2/3 if none), or "und"."""
    code = cld2_code.split("-")[0]  # the language of "zh-Hant" and "sr-ME"
    return "und" if code in _NO_LANGUAGE else _ISO.get(code, code)
