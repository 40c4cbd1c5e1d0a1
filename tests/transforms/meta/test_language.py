"""Language identification: CLD2 on the body, with the code points CLD2 refuses taken out first."""
from __future__ import annotations

import re
import sys

import pycld2
import pytest

from expectations.loader import load_suite
from tests.conftest import SEEDS
from transforms.meta.language import _REFUSED, detect_language, iso_code


@pytest.mark.parametrize("text, code", [
    ("Il a dit que 3 000 soldats resteraient en Irak jusqu'à la fin de l'année prochaine.", "fr"),
    ("Er sagte, dass 3.000 Soldaten bis Ende des nächsten Jahres im Irak bleiben würden.", "de"),
    ("Он сказал, что три тысячи солдат останутся в Ираке до конца следующего года.", "ru"),
    ("彼は、3000人の兵士が来年末までイラクに留まると述べた。", "ja"),
    # CLD2 says zh-Hant: one code for Chinese
    ("他說，三千名士兵將留在伊拉克直到明年年底，國防部隨後證實了這一消息。", "zh"),
    ("הוא אמר ששלושת אלפים חיילים יישארו בעיראק עד סוף השנה הבאה.", "he"),  # CLD2 says iw
    ("US troops to stay in Iraq until 2026, officials say", "en"),    # a headline-length body
])
def test_languages_and_their_iso_codes(text, code):
    assert detect_language(text)[0] == code


def test_no_letters_is_undetermined():
    assert detect_language("12,500 — 3.5% | 2026-11-21 ... ") == ("und", 0.0)


def test_seeds_are_english_with_most_of_the_text():
    for path in sorted(SEEDS.glob("*.txt")):
        code, share = detect_language(path.read_text("utf-8"))
        assert code == "en" and share >= 0.9, path.name


def test_every_code_point_is_accepted_or_taken_out_and_only_refused_ones_are_taken_out():
    points = [cp for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]
    for i in range(0, len(points), 4096):  # whole pages of code points: any refused one raises
        chunk = "".join(chr(cp) for cp in points[i:i + 4096])
        detect_language("Words enough to judge the language of. " + chunk)
    taken_out = [cp for cp in points if _REFUSED.fullmatch(chr(cp))]
    for cp in taken_out:
        with pytest.raises(pycld2.error):
            pycld2.detect(f"text {chr(cp)} more")
    assert len(taken_out) == 127


def test_every_answer_cld2_can_give_is_a_code_the_articles_suite_accepts():
    (rule,) = [e for e in load_suite("articles")["expectations"]
               if e["type"] == "expect_column_values_to_match_regex" and e["kwargs"]["column"] == "language"]
    pattern = re.compile(rule["kwargs"]["regex"])
    named = 0
    for name, code in pycld2.LANGUAGES:
        mapped = iso_code(code)
        assert pattern.fullmatch(mapped), (name, code, mapped)
        named += mapped != "und"
    assert iso_code("xx-Arab") == iso_code("tlh") == "und" and iso_code("zh-Hant") == "zh" and named > 150
