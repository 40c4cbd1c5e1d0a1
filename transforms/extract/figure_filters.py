"""Numbers that are not figures: dates and years, model and rank numbers, tallies and scores, ratios and
rates, numbers inside names (docs/figures.md)."""
from __future__ import annotations

import re

from transforms.constants import CURRENCY, FIGURE_WORDS, MEASURES, NUMBER_WORDS
from transforms.extract.entities import entity_at
from transforms.extract.numbers import SLASH_FRACTION, is_glued, parse_number
from transforms.extract.units import glued_degrees, has_currency, measure, percent

_SKIP_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})
_NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "ORDINAL"})
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_NO_DATE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:k|K|m|bn|mn|mln|tn)")  # "900,000", "900k"
_RANGE_WORDS = frozenset({*FIGURE_WORDS.range_joiners, "between", "from"})
_ALLOTTING_VERBS = frozenset({"give", "award", "hand", "project", "predict", "forecast", "allot"})
# A verb's forms before "to" or "at" and a level ("rose to 58", "stood at 73"): no age or date is put so
_LEVEL_VERBS = frozenset({"rose", "risen", "rises", "climbed", "climbs", "jumped", "increased", "fell", "fallen",
                          "dropped", "stood", "stands", "put", "puts", "estimated", "reached"})
_RANGE_DASHES = frozenset({"-", "–", "—", "to"})
_AGE_LIST_WORDS = frozenset({",", "and", "or", "to", "between", "-", "–", "—"})
_SCALE_WORDS = NUMBER_WORDS.full_scales - {"hundred"}  # "nineteen hundred" may be a year
_STREET_WORDS = frozenset({"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive",
                           "square", "terrace", "crescent", "strasse", "straße", "rue", "via", "calle"})
_HYPHEN_SCALE = re.compile(r"[\d.,]+-(?:" + "|".join(sorted(NUMBER_WORDS.full_scales)) + ")", re.IGNORECASE)
_RESOLUTION = re.compile(r"[48]K")  # "4K TVs", "8K video": display resolutions (a count is "4,000" or "4k")
_BETWEEN_NUMBERS = re.compile(r"(for|in|of|on)-?(\d|$)")  # "2-for-1", "3-in-1", "20-of-24", "3-on-3"
_MIXED_FRACTION = re.compile(rf"\d+ {SLASH_FRACTION.pattern}(?: \w+)*")  # "3 1/2", "1 1/2 billion": a number
_CODE = re.compile(r"[A-Za-z]\d|\d[A-Za-z]{2,}|\d-[A-Za-z]|[A-Za-z]-\d|:\d|\d/\d")


def excluded(doc, span, value) -> bool:
    """Dates, years, ordinals, clock times, codes, ranks and numbers inside names."""
    first, last = span[0], span[-1]
    if any(t.ent_type_ in _SKIP_ENTS for t in span) and _dated(doc, span) and not has_currency(doc, span) \
            and measure(doc, span) is None:  # NER calls "45°C" a date
        return True
    if _CODE.search(span.text) and not is_glued(span.text) and not _HYPHEN_SCALE.fullmatch(span.text) \
            and not _MIXED_FRACTION.fullmatch(span.text) or _RESOLUTION.fullmatch(span.text):
        return True
    if len(span) == 1 and _YEAR.match(first.text) and not has_currency(doc, span) \
            and not (last.dep_ == "nummod" and last.head.tag_ in ("NNS", "NNPS")):
        return True
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if prev is not None and (prev.lower_ in FIGURE_WORDS.rank_before
                             or prev.text in ("-", "/") and prev.i > 0 and doc[prev.i - 1].is_alpha
                             or prev.text == "." and prev.i > 0 and not doc[prev.i - 1].whitespace_
                             and doc[prev.i - 1].lower_ + "." in FIGURE_WORDS.rank_before):  # "No" "." "10"
        return True
    if prev is not None and prev.lower_ == "top" and prev.pos_ != "VERB" and not has_currency(doc, span) \
            and percent(doc, span) is None:
        return True  # "the top 10 universities", "Top 5 reasons": a ranking; "could top 1,000" and "the top 1%" stay
    if _model_number(doc, span) and not has_currency(doc, span) and percent(doc, span) is None:
        return True  # "Boeing 787", "Apollo 11 crew", "Windows 11 licences"; a poll's "Harris 48%" is a share
    if _tally(doc, span, value) or _ratio(doc, span):
        return True  # "voted 31 to 9", "won 3-1"; "1 in 10 children", "3 per 100,000 people"
    if nxt is not None and (nxt.text in ("-", "/") and nxt.i + 1 < len(doc)
                            and doc[nxt.i + 1].lower_ in ("year", "years", "month")):
        return True  # "35-year-old"
    if _fraction(doc, last) or _score(doc, span, value) or _inside_name(doc, span) and not has_currency(doc, span):
        return True
    if _one_of_the_most(doc, span):
        return True
    if prev is not None and prev.is_alpha and not prev.whitespace_ and not has_currency(doc, span):
        return True  # "N95", "A 320" split by the tokenizer
    if nxt is not None and not last.whitespace_ and len(nxt) == 1 and nxt.is_alpha and (
            nxt.is_upper and not glued_degrees(doc, span, nxt.i) or nxt.text == "p" and not has_currency(doc, span)):
        return True  # "5G", "3D", "4K" (a letter scale that multiplied would be in the span: "17K people"), "1080p"
    if nxt is not None and nxt.text == "-" and nxt.i + 1 < len(doc) \
            and (_BETWEEN_NUMBERS.match(doc[nxt.i + 1].lower_) or doc[nxt.i + 1].lower_ == "off"):
        return True  # "a 2-for-1 offer", "a 3-in-1 charger", "20-of-24 passing", "a one-off payment"
    if prev is not None and prev.text == "(" and nxt is not None and nxt.text == ")" \
            and not prev.whitespace_ and not last.whitespace_:
        return True  # a list's "(1)"
    if nxt is not None and nxt.lower_ == "times" and not has_currency(doc, span):
        return True  # a multiplier: "at 25 times earnings", "three times as many"
    if _street(doc, last):
        return True  # "10 Downing Street"
    if _aged(doc, span):
        return True  # "two women, aged 30 and 32": ages, no count of women
    if nxt is not None and nxt.lower_ in ("years", "year") and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ == "old":
        return True
    return (nxt is not None and nxt.text in (":", ".") and nxt.whitespace_ == "" and nxt.i + 1 < len(doc)
            and doc[nxt.i + 1].is_digit)


def dated_number(doc, i: int, ent) -> bool:
    """Whether token i, inside the entity `ent`, is a number `excluded` drops whatever the parse says: in a
    date, time or ordinal that names a date or time, no currency or unit by it."""
    span = doc[i:i + 1]
    return ent.label_ in _SKIP_ENTS and _dated(doc, span) and not has_currency(doc, span) and measure(doc, span) is None


def _dated(doc, span) -> bool:
    """Whether the date or time entity around a number names a date or time, not just when a count
    happened ('climbed to 76 overnight' is tagged TIME as a whole)."""
    ent = entity_at(doc, span.start)
    if ent is None:
        return True
    if any(_NO_DATE.fullmatch(t.text) or t.lower_ in _SCALE_WORDS for t in (*span, *ent)):
        return False  # no day, year or hour has thousands or a scale: "up from 900k last year", "two and a half
        # million people", tagged dates
    if any(t.lower_ in CURRENCY.minor or t.lower_ in CURRENCY.names for t in ent if t.is_alpha and len(t) > 1):
        return False  # "between 30 and 45 cents", which NER tags a date
    if ent.label_ in ("DATE", "TIME") and any(t.lower_ in _RANGE_WORDS for t in ent) \
            and not any(t.lower_.rstrip(".").isalpha() and t.lower_ not in _RANGE_WORDS or _YEAR.match(t.text)
                        for t in ent):
        return False  # "between 10 and 15 people": a range of bare numbers, no month ("Nov."), day or year
    # (one bare number stays dated: NER tags ages so, "Carlineo Jr., 55, faces ..."; but not a previous
    # value, "won 48 seats, down from 55", which is no year)
    if len(ent) == 1 and not _YEAR.match(ent.text) and ent.start >= 2 and doc[ent.start - 1].lower_ == "from" \
            and doc[ent.start - 2].lower_ in ("up", "down"):
        return False
    if len(ent) == 1 and not _YEAR.match(ent.text) and ent.start >= 2 and doc[ent.start - 1].lower_ in ("to", "at") \
            and doc[ent.start - 2].lower_ in _LEVEL_VERBS:
        return False  # "the toll rose to 58", "which the ministry put at 73": a level, which NER may tag a date
    if len(ent) == 2 and ent[0].lower_ == "past" and not _YEAR.match(ent[1].text) and ent.start >= 1 \
            and doc[ent.start - 1].lower_ in _LEVEL_VERBS:
        return False  # "the number of dead climbed past 300", tagged a date as "past 300 (years)" would be
    after = doc[span.end:span.end + 2]
    if len(after) == 2 and after[0].lower_ in _RANGE_DASHES and after[1].ent_type_ in ("PERCENT", "MONEY", "QUANTITY"):
        return False  # "60–65%", "60 to 65 percent": the lower end of a range of amounts, which NER may call a date
    rest = [t for t in ent if not span.start <= t.i < span.end]
    return not rest or any(t.lower_ not in FIGURE_WORDS.when_words for t in rest)


def _model_number(doc, span) -> bool:
    """Digits right after a capitalised name that is no place: the number names a model or an edition
    ("Boeing 787 jets", "Apollo 11 crew"), it counts nothing. A count there has separators ("Iraq 2,500")."""
    first = span[0]
    prev = doc[first.i - 1] if first.i > 0 else None
    if prev is None or prev.pos_ != "PROPN" or not prev.is_title or prev.is_sent_start:
        return False
    if prev.ent_type_ in ("GPE", "LOC", "NORP", "DATE", "PERSON") or len(span) > 1 or not first.text.isdigit():
        return False
    counted = first.head if first.dep_ == "nummod" else None
    if prev.dep_ == "dative" or counted is not None and counted.dep_ == "dobj" \
            and counted.head.lemma_ in _ALLOTTING_VERBS:
        return False  # "the exit poll gives Labour 410 seats": what a party gets, no model
    return len(first.text) <= 4


def _tally(doc, span, value: float) -> bool:
    """A vote tally or a score: 'voted 31 to 9', 'by 220 votes to 207', 'won 3-1' (either of its numbers).

    Two numbers joined by 'to', a dash or 'against' are a tally when they fall (a range rises) or
    when the sentence is about votes or a game."""
    other = _tally_partner(doc, span.end, 1) or _tally_partner(doc, span.start - 1, -1)
    if other is None:
        return False
    first_at = min(other[0], span.start)
    if first_at > 0 and doc[first_at - 1].lower_ == "from" or first_at > 1 and doc[first_at - 1].lower_ == "by" \
            and doc[first_at - 2].lemma_ in FIGURE_WORDS.change_verbs:
        return False  # "fell from 2,000 to 1,500 people", "grew by 1.5 million to 67 million": a change; not
        # "passed the bill by 220 votes to 207"
    first, second = (value, other[1]) if other[0] > span.start else (other[1], value)
    later = max(other[0], span.start)
    counted = doc[later + 1] if later + 1 < len(doc) else None
    if percent(doc, doc[later:later + 1]) is not None or has_currency(doc, span) or counted is not None \
            and counted.tag_ == "NNS" and counted.lemma_ not in FIGURE_WORDS.tally_nouns:
        return False  # "turnout in the vote was 60–65%", "the rally drew 150–200 people": a range, no tally
    if second < first:
        return True
    return any(t.lemma_ in FIGURE_WORDS.tally_words for t in span.sent)


def _tally_partner(doc, at: int, step: int) -> tuple[int, float] | None:
    """The number across a tally joiner from position `at` (forward or backward), and its value."""
    def tally_noun(k: int) -> bool:
        return 0 <= k < len(doc) and doc[k].pos_ == "NOUN" and doc[k].lemma_ in FIGURE_WORDS.tally_nouns

    i = at
    if step > 0 and tally_noun(i):
        i += step  # "220 votes to 207", from 220
    if not 0 <= i < len(doc) or doc[i].lower_ not in FIGURE_WORDS.tally_joiners:
        return None
    j = i + step
    if step < 0 and tally_noun(j):
        j += step  # "220 votes to 207", from 207
    if 0 <= j < len(doc) and doc[j].like_num:
        lo, hi = j, j + 1  # the whole number: "to 67 million", "1.5 million to"
        while step > 0 and hi < len(doc) and doc[hi].lower_ in NUMBER_WORDS.full_scales:
            hi += 1
        while step < 0 and lo > 0 and doc[lo].lower_ in NUMBER_WORDS.full_scales and doc[lo - 1].like_num:
            lo -= 1
        value = parse_number(doc[lo:hi].text)
        return (j, value) if value is not None else None
    return None


def _ratio(doc, span) -> bool:
    """A rate or a ratio: '1 in 10 children', 'two out of three voters', '3 per 100,000 people'.

    With a noun between the numbers only 'per', 'out of', 'in every' make one: '12 deaths per 1,000
    births', but '12 people in two attacks' counts people."""
    after = [t.lower_ for t in doc[span.end:span.end + 3]]
    before = [t.lower_ for t in doc[max(0, span.start - 3):span.start]]
    for joiner in FIGURE_WORDS.ratio_joiners:
        n = len(joiner)
        if after[:n] == list(joiner) and span.end + n < len(doc) and doc[span.end + n].like_num \
                and doc[span.end + n].ent_type_ not in _SKIP_ENTS:  # "fell to 12,000 in 2023" is no ratio
            return True
        if joiner != ("in",) and after[1:n + 1] == list(joiner) and doc[span.end].pos_ == "NOUN" \
                and span.end + n + 1 < len(doc) and doc[span.end + n + 1].like_num:
            return True  # "12 deaths per 1,000 births"
        if before[-n:] == list(joiner) and (joiner == ("per",) or span.start - n - 1 >= 0
                                            and doc[span.start - n - 1].like_num):
            return True
    return False


def _aged(doc, span) -> bool:
    """A number in the ages after 'aged' or 'ages' ('aged 19, 22 and 25', 'aged between 18 and 25', 'ages 5 to
    11', 'between the ages of 18 and 25')."""
    i = span.start - 1
    if i >= 0 and doc[i].text == "," and (span.end >= len(doc) or doc[span.end].lower_ not in (",", "and", "or")):
        return False  # the list ended: "between the ages of 18 and 25, 40% of people"
    while i >= 0 and (doc[i].like_num or doc[i].lower_ in _AGE_LIST_WORDS):
        i -= 1
    if i >= 0 and doc[i].lower_ == "of" and i + 1 < span.start:
        i -= 1  # "the ages of 18 and 25"
    return i >= 0 and doc[i].lower_ in ("aged", "ages")


def _one_of_the_most(doc, span) -> bool:
    """'one of the most powerful men', 'one of the few': a superlative after 'one of' ranks, it counts nothing."""
    if span.text.lower() != "one" or span.end + 2 >= len(doc) or doc[span.end].lower_ != "of":
        return False
    return any(t.tag_ in ("JJS", "RBS") or t.lower_ in ("most", "few") for t in doc[span.end + 1:span.end + 4])


def _street(doc, last) -> bool:
    """An address: the number before a street's name ('10 Downing Street', '1600 Pennsylvania Avenue')."""
    for tok in doc[last.i + 1:last.i + 4]:
        if not tok.text[:1].isupper():
            return False
        if tok.lower_.rstrip(".") in _STREET_WORDS:
            return True
    return False


def _fraction(doc, last) -> bool:
    """'two-thirds', 'one third': a fraction, not a count of thirds."""
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.text in ("-", "–") and nxt.i + 1 < len(doc):
        nxt = doc[nxt.i + 1]
    return nxt is not None and nxt.lower_ in MEASURES.fractions and nxt.lower_ not in ("half", "halves")


def _inside_name(doc, span) -> bool:
    """'Formula 1', 'Fortune 500', 'Nikkei 225': a number inside a name that starts before it."""
    tok = span[0]
    if not tok.ent_type_ or tok.ent_type_ in _NUMERIC_ENTS or tok.ent_iob_ == "B":
        return False
    return any(doc[i].ent_type_ == tok.ent_type_ and not doc[i].like_num
               for i in range(tok.i - 1, max(-1, tok.i - 4), -1)
               if doc[i].ent_iob_ in ("B", "I"))


def _score(doc, span, value) -> bool:
    """'a 2-1 win', '24/7': digits joined to digits by a dash or slash without spaces, not a rising range."""
    first, last = span[0], span[-1]
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if prev is not None and prev.text in ("-", "/") and not prev.whitespace_ and prev.i > 0 \
            and doc[prev.i - 1].text[:1].isdigit() and not doc[prev.i - 1].whitespace_:
        return True
    if nxt is not None and nxt.text in ("-", "/") and not last.whitespace_ and not nxt.whitespace_ \
            and nxt.i + 1 < len(doc) and doc[nxt.i + 1].text[:1].isdigit():
        upper = parse_number(doc[nxt.i + 1].text)
        return nxt.text == "/" or upper is None or upper <= value or _record(doc, span, nxt.i + 1)
    return False


def _record(doc, span, upper: int) -> bool:
    """A team's win-loss record in parentheses, a list of them: 'The Eagles (6-5, 3-4)'."""
    before, after = doc[span.start - 1] if span.start > 0 else None, doc[upper + 1] if upper + 1 < len(doc) else None
    if before is None or after is None or before.text not in ("(", ",") or after.text not in (")", ","):
        return False
    opened = next((t for t in reversed(doc[span.sent.start:span.start]) if t.text in ("(", ")")), None)
    return opened is not None and opened.text == "("
