"""Figures (FIGURES.md): numeric claims with value, unit, kind, qualifier, subject and source."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from transforms.constants import ATTRIBUTION, CURRENCY, FIGURE_WORDS, LEMMA_EXCEPTIONS, MEASURES, NUMBER_WORDS
from transforms.entities import canonical_name
from transforms.numbers import is_glued, is_number_token, parse_number
from transforms.options import DEFAULT, ExtractOptions

_SKIP_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})
_NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "ORDINAL"})
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_HYPHEN_SCALE = re.compile(r"[\d.,]+-(?:" + "|".join(sorted(NUMBER_WORDS.full_scales)) + ")", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]\d|\d[A-Za-z]{2,}|\d-[A-Za-z]|[A-Za-z]-\d|:\d|\d/\d")
_NON_UNITS = frozenset({"time", "times", "percent", "year", "day", "month", "week", "hour", "minute", "second",
                        "decade", "century", "old", "%", "-", "point", "number", "score", "edition",
                        "round", "place", "spot", "mark", "version", "page", "chapter"})
_RANK_BEFORE = frozenset({"no", "no.", "number", "#", "nr", "nr.", "grade", "level", "article", "section",
                          "chapter", "page", "room", "route", "highway", "flight", "phase", "season", "episode",
                          "vol", "vol.", "volume", "part", "step", "stage", "gate", "line", "platform", "lane"})
_QUALIFIER_PHRASES = sorted(((phrase.split(), q) for q, phrases in FIGURE_WORDS.qualifier.items() for phrase in phrases),
                            key=lambda pq: -len(pq[0]))
_PERCENT_WORDS = sorted(MEASURES.percent, key=lambda p: -len(p.split()))  # "per cent" before "per"
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"})


@dataclass(frozen=True)
class Figure:
    """One numeric claim in a body; offsets index into that body."""

    text: str
    start_char: int
    end_char: int
    value: float
    value_max: float | None
    unit: str
    kind: str
    qualifier: str
    subject: str | None
    attributed_to: str | None
    sentence_idx: int
    sentence: str


def extract_figures(doc, opts: ExtractOptions = DEFAULT.extract, aliases: dict | None = None) -> list[Figure]:
    """Every figure in a parsed body, in order of appearance."""
    sent_index = {s.start: i for i, s in enumerate(doc.sents)}
    out: list[Figure] = []
    consumed: set[int] = set()
    for span in _number_spans(doc):
        if span.start in consumed:
            continue
        fig = _figure(doc, span, sent_index, out, opts, consumed, aliases)
        if fig is not None:
            out.append(fig)
    return out


def _number_spans(doc):
    """Maximal runs of number tokens ('one million', '3,000', '30mln')."""
    i = 0
    while i < len(doc):
        if _starts_number(doc[i]):
            j = i + 1
            while j < len(doc) and _continues_number(doc[j], doc[j - 1]):
                j += 1
            while j > i + 1 and doc[j - 1].lower_ == "and":
                j -= 1
            yield doc[i:j]
            i = j
        else:
            i += 1


def _starts_number(tok) -> bool:
    low = tok.lower_
    if low in NUMBER_WORDS.scales and low not in NUMBER_WORDS.full_scales:
        return False
    return is_number_token(tok.text) and low != "and" and (tok.like_num or tok.text[0].isdigit())


def _continues_number(tok, prev) -> bool:
    low = tok.lower_
    if _glued_scale(tok, prev):
        return True
    if low == "and":
        return prev.lower_ in ("hundred", "thousand", "million")
    if tok.text == "-" or prev.text == "-":
        return _hyphen_joins(tok, prev)
    if tok.text[0].isdigit() or (low in NUMBER_WORDS.units and prev.text[0].isdigit()):
        return False  # "2,500 3,000" are two numbers
    return is_number_token(tok.text) and (low in NUMBER_WORDS.scales or not prev.text[0].isdigit())


def _hyphen_joins(tok, prev) -> bool:
    """A hyphen inside a number: 'twenty-five', and a scale word joined to digits ('$40-billion')."""
    doc = tok.doc
    if tok.text == "-":  # is the hyphen part of the number? it must join two parts without spaces
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is None or prev.whitespace_ or tok.whitespace_:
            return False
        return prev.lower_ in NUMBER_WORDS.units and nxt.lower_ in NUMBER_WORDS.units \
            or prev.text[0].isdigit() and nxt.lower_ in NUMBER_WORDS.full_scales
    before = doc[prev.i - 1] if prev.i > 0 else None
    return tok.lower_ in NUMBER_WORDS.units or before is not None and before.text[0].isdigit() \
        and tok.lower_ in NUMBER_WORDS.full_scales


def _glued_scale(tok, prev) -> bool:
    """'60m people': a one-letter scale glued to digits and followed by a plural noun is a multiplier."""
    doc = tok.doc
    return (tok.lower_ in NUMBER_WORDS.scales and tok.lower_ not in NUMBER_WORDS.full_scales
            and prev.whitespace_ == "" and prev.text[0].isdigit()
            and tok.i + 1 < len(doc) and doc[tok.i + 1].tag_ in ("NNS", "NNPS"))


def _figure(doc, span, sent_index, previous, opts, consumed, aliases) -> Figure | None:
    value = parse_number(span.text)
    if value is None or not math.isfinite(value) or _excluded(doc, span, value):
        return None
    sent = span.sent
    start, end = span.start, span.end
    unit_kind = _money(doc, span) or _percent(doc, span) or _measure(doc, span)
    if unit_kind:
        unit, kind, start, end = unit_kind
        value_max, end, _ = _range_end(doc, span, end, consumed, (unit, kind))
    else:
        value_max, end, upper = _range_end(doc, span, end, consumed, None)
        found = upper and upper[1] or _counted_noun(doc, span) or _number_of(doc, span)
        if found is None and upper is not None:  # "3,000 to 4,000 people": the noun follows the upper end
            found = _counted_noun(doc, upper[0]) or (_of_noun(doc, upper[0]), "count")
        if found is None or found[0] is None:
            found = _elliptical(span, previous, sent_index, opts) if span[0].text[0].isdigit() else None
        if found is None:
            consumed.difference_update(range(span.end, end))
            return None
        unit, kind = found
    qualifier, start = _qualifier(doc, span, start, end)
    if value_max is not None:
        qualifier = "range"
    subject = _subject(doc, span)
    if subject is not None and _subject_head(span).i < end:
        subject = _of_phrase(doc, end)  # "40,000 tonnes of wheat", "8% of its workforce"
    elif subject is None and not unit_kind and _is_elliptical(span) and previous:
        subject = previous[-1].subject
    return Figure(text=doc[start:end].text, start_char=doc[start].idx, end_char=doc[end - 1].idx + len(doc[end - 1]),
                  value=value, value_max=value_max, unit=unit, kind=kind, qualifier=qualifier,
                  subject=subject,
                  attributed_to=attribution(sent, span, aliases), sentence_idx=sent_index.get(sent.start, 0),
                  sentence=sent.text.strip())


def _excluded(doc, span, value) -> bool:
    """Dates, years, ordinals, clock times, codes, ranks and numbers inside names."""
    first, last = span[0], span[-1]
    if any(t.ent_type_ in _SKIP_ENTS for t in span) and _dated(doc, span) and not _has_currency(doc, span):
        return True
    if _CODE.search(span.text) and not is_glued(span.text) and not _HYPHEN_SCALE.fullmatch(span.text):
        return True
    if len(span) == 1 and _YEAR.match(first.text) and not _has_currency(doc, span) \
            and not (last.dep_ == "nummod" and last.head.tag_ in ("NNS", "NNPS")):
        return True
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if prev is not None and (prev.lower_ in _RANK_BEFORE or prev.text in ("-", "/") and prev.i > 0 and doc[prev.i - 1].is_alpha):
        return True
    if _model_number(doc, span) and not _has_currency(doc, span):
        return True  # "Boeing 787", "Apollo 11 crew", "Windows 11 licences"
    if _tally(doc, span, value) or _ratio(doc, span):
        return True  # "voted 31 to 9", "won 3-1"; "1 in 10 children", "3 per 100,000 people"
    if nxt is not None and (nxt.text in ("-", "/") and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ in ("year", "years", "month")):
        return True  # "35-year-old"
    if _fraction(doc, last) or _score(doc, span, value) or _inside_name(doc, span) and not _has_currency(doc, span):
        return True
    if prev is not None and prev.is_alpha and not prev.whitespace_ and not _has_currency(doc, span):
        return True  # "N95", "A 320" split by the tokenizer
    if nxt is not None and not last.whitespace_ and len(nxt) == 1 and nxt.is_alpha and nxt.is_upper \
            and nxt.text not in ("K", "M", "B", "L", "T"):
        return True  # "5G", "3D"
    if nxt is not None and nxt.lower_ in ("years", "year") and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ == "old":
        return True
    return nxt is not None and nxt.text in (":", ".") and nxt.whitespace_ == "" and nxt.i + 1 < len(doc) and doc[nxt.i + 1].is_digit


def _dated(doc, span) -> bool:
    """Whether the date or time entity around a number names a date or time, not just when a count
    happened ('climbed to 76 overnight' is tagged TIME as a whole)."""
    ent = next((e for e in doc.ents if e.start <= span.start < e.end), None)
    if ent is None:
        return True
    rest = [t for t in ent if not span.start <= t.i < span.end]
    return not rest or any(t.lower_ not in FIGURE_WORDS.when_words for t in rest)


def _model_number(doc, span) -> bool:
    """Digits right after a capitalised name that is no place: the number names a model or an edition
    ("Boeing 787 jets", "Apollo 11 crew"), it counts nothing. A count there has separators ("Iraq 2,500")."""
    first = span[0]
    prev = doc[first.i - 1] if first.i > 0 else None
    if prev is None or prev.pos_ != "PROPN" or not prev.is_title or prev.is_sent_start:
        return False
    if prev.ent_type_ in ("GPE", "LOC", "NORP", "DATE") or len(span) > 1 or not first.text.isdigit():
        return False
    return len(first.text) <= 4


def _tally(doc, span, value: float) -> bool:
    """A vote tally or a score: 'voted 31 to 9', 'by 220 votes to 207', 'won 3-1' (either of its numbers).

    Two numbers joined by 'to', a dash or 'against' are a tally when they fall (a range rises) or
    when the sentence is about votes or a game."""
    other = _tally_partner(doc, span.end, 1) or _tally_partner(doc, span.start - 1, -1)
    if other is None:
        return False
    first, second = (value, other[1]) if other[0] > span.start else (other[1], value)
    if second < first:
        return True
    return any(t.lemma_ in FIGURE_WORDS.tally_words for t in span.sent)


def _tally_partner(doc, at: int, step: int) -> tuple[int, float] | None:
    """The number across a tally joiner from position `at` (forward or backward), and its value."""
    i = at
    if 0 <= i < len(doc) and doc[i].pos_ == "NOUN" and doc[i].lemma_ in FIGURE_WORDS.tally_nouns:
        i += step  # "220 votes to 207"
    if not 0 <= i < len(doc) or doc[i].lower_ not in FIGURE_WORDS.tally_joiners:
        return None
    j = i + step
    if 0 <= j < len(doc) and doc[j].like_num:
        value = parse_number(doc[j].text)
        return (j, value) if value is not None else None
    return None


def _ratio(doc, span) -> bool:
    """A rate or a ratio: '1 in 10 children', 'two out of three voters', '3 per 100,000 people'."""
    after = [t.lower_ for t in doc[span.end:span.end + 3]]
    before = [t.lower_ for t in doc[max(0, span.start - 3):span.start]]
    for joiner in FIGURE_WORDS.ratio_joiners:
        n = len(joiner)
        if after[:n] == list(joiner) and span.end + n < len(doc) and doc[span.end + n].like_num:
            return True
        if after[1:n + 1] == list(joiner) and doc[span.end].pos_ == "NOUN" and span.end + n + 1 < len(doc) \
                and doc[span.end + n + 1].like_num:
            return True  # "12 deaths per 1,000 births"
        if before[-n:] == list(joiner) and (joiner == ("per",) or span.start - n - 1 >= 0
                                            and doc[span.start - n - 1].like_num):
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
    return any(doc[i].ent_type_ == tok.ent_type_ and not doc[i].like_num for i in range(tok.i - 1, max(-1, tok.i - 4), -1)
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
        return nxt.text == "/" or upper is None or upper <= value
    return False


def _has_currency(doc, span) -> bool:
    return _money(doc, span) is not None


def _money(doc, span):
    """(ISO code, 'money', start, end) when a currency symbol, code or name sits by the number."""
    first = span[0]
    before = doc[first.i - 1] if first.i > 0 else None
    if before is not None:
        found = _currency_before(doc, before, span)
        if found is not None:
            return found[0], "money", found[1], _scale_end(doc, span.end)
    end = _scale_end(doc, span.end)
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        end += 1  # "a 2-billion-euro deal"
    after = doc[end] if end < len(doc) else None
    if after is not None:
        code = CURRENCY.names.get(after.lower_) or (CURRENCY.symbols.get(after.lower_) if after.is_upper else None)
        if code is not None:
            return code, "money", first.i, end + 1
    return None


def _currency_before(doc, before, span) -> tuple[str, int] | None:
    """(ISO code, start token) of a currency written before the number: '$', 'Rs', 'US $', 'HK$', 'Sh2.5bn'."""
    low = before.lower_
    prior = doc[before.i - 1] if before.i > 0 else None
    if low == "$" and prior is not None and len(prior) > 1 and prior.is_upper and prior.whitespace_ \
            and CURRENCY.glued.get(prior.lower_ + "$"):
        return CURRENCY.glued[prior.lower_ + "$"], prior.i  # "US $5"
    if low in CURRENCY.symbols and (not before.is_alpha or before.is_upper or before.is_title):
        return CURRENCY.symbols[low], before.i
    if low in CURRENCY.glued and not before.whitespace_:
        if not before.is_alpha:
            return CURRENCY.glued[low], before.i
        scaled = _scale_end(doc, span.end) > span.end or len(span) > 1
        if scaled or "," in span[0].text or "." in span[0].text:
            return CURRENCY.glued[low], before.i  # "Sh2.5 billion", "N500 million"; not "N95"
    return None


def _scale_end(doc, end: int) -> int:
    while end < len(doc) and doc[end].lower_ in NUMBER_WORDS.scales and doc[end].lower_ not in NUMBER_WORDS.letter_scales:
        end += 1
    return end


def _percent(doc, span):
    """Percent, percentage points, basis points, or index points ('the Dow fell 200 points')."""
    end = span.end
    if end < len(doc) and doc[end].text == "%":
        return "percent", "percent", span.start, end + 1
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end].whitespace_ and not doc[end - 1].whitespace_:
        end += 1  # "a 10-percent cut"
    words = [t.lower_ for t in doc[end:end + 3]]
    for phrase in sorted(MEASURES.basis_points, key=len, reverse=True):
        n = len(phrase.split())
        if " ".join(words[:n]) == phrase:
            return "basis_point", "percent", span.start, end + n
    for phrase in sorted(MEASURES.points, key=len, reverse=True):
        n = len(phrase.split())
        if " ".join(words[:n]) == phrase:
            if phrase.startswith("percentage") or _percent_context(doc, span):
                return "percentage_point", "percent", span.start, end + n
            return "point", "quantity", span.start, end + n
    for phrase in _PERCENT_WORDS:
        n = len(phrase.split())
        if " ".join(words[:n]) == phrase:
            return "percent", "percent", span.start, end + n
    return None


def _percent_context(doc, span) -> bool:
    """Bare 'points' are percentage points only for a small change near a rate, never beside an index."""
    sent = span.sent
    value = parse_number(span.text) or 0
    if value > 20 or any(t.lower_ in MEASURES.index_words for t in sent):
        return False
    return any(t.text == "%" or t.lower_ in ("percent", "rate", "rates", "yield", "yields") for t in sent)


def _measure(doc, span):
    end = _scale_end(doc, span.end)
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end].whitespace_ and not doc[end - 1].whitespace_:
        end += 1  # "a 10-kilometre stretch"
    if end >= len(doc):
        return None
    two = f"{doc[end].lower_} {doc[end + 1].lower_}" if end + 1 < len(doc) else ""
    if two in MEASURES.units:
        return MEASURES.units[two], "quantity", span.start, end + 2
    low = doc[end].lower_
    if low in MEASURES.units and (len(low) > 1 or doc[end].whitespace_ or end + 1 == len(doc)):
        if low in ("pound", "pounds") or (low == "m" and end > span.end):
            return None
        return MEASURES.units[low], "quantity", span.start, end + 1
    return None


def _counted_noun(doc, span) -> tuple[str, str] | None:
    """(lemma of the counted noun, 'count') from the dependency parse."""
    root = _span_root(span)
    head = root.head if root.dep_ in ("nummod", "quantmod", "compound", "amod", "appos") and root.head.i > root.i else None
    if head is None:
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and (nxt.head.i >= nxt.i or span.start <= nxt.head.i < span.end):
            head = nxt
    if head is None or head.pos_ not in ("NOUN", "PROPN"):
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lower_ in FIGURE_WORDS.people_adjectives:
            return nxt.lower_, "count"  # "left 40 dead and 30 wounded": people the word describes
        of = _of_noun(doc, span)
        return (of, "count") if of else None
    if head.dep_ == "appos" and not span.start <= head.head.i < span.end or _referential(doc, span):
        return None  # "X and Y, two influential figures"; "the two countries"
    unit = singular(head)
    if unit in _NON_UNITS or unit in MEASURES.durations.values() or not unit.isalpha() and "-" not in unit:
        return None
    return unit, "count"


def _number_of(doc, span) -> tuple[str, str] | None:
    """A count with no noun after it takes the noun of its phrase: 'the number of trucks ... rose to
    150' (trucks), 'the death toll rose to 212' (deaths), 'put the casualty count at 76'."""
    if _span_root(span).dep_ not in ("pobj", "attr", "dobj"):
        return None
    for tok in span.sent:
        if tok.lemma_ in FIGURE_WORDS.count_nouns and tok.i < span.start:
            noun = _counted_by(tok)
            if noun is not None:
                return noun, "count"
    return None


def _counted_by(count_noun) -> str | None:
    """What a noun such as 'number' or 'toll' counts: its 'of' object ('the number of dead'), the noun
    before it ('death toll', 'casualty count'); a toll by itself counts deaths."""
    for prep in count_noun.children:
        if prep.lower_ == "of":
            noun = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "ADJ")), None)
            if noun is not None and not noun.like_num:
                return singular(noun) if noun.pos_ == "NOUN" else noun.lower_
    modifier = next((c for c in count_noun.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"), None)
    if modifier is not None:
        return singular(modifier)
    return FIGURE_WORDS.count_nouns[count_noun.lemma_]


def _of_noun(doc, span) -> str | None:
    """'3,000 of the troops' -> 'troop'."""
    end = span.end
    if end < len(doc) and doc[end].lower_ == "of":
        for child in doc[end].children:
            if child.dep_ == "pobj" and child.pos_ == "NOUN" and (
                    child.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" for c in child.children)):
                return singular(child)  # "3,000 of the troops", "100 of the 2,000 staff"
    return None


def singular(tok) -> str:
    """Lower-case singular lemma of a noun, proper plurals included ('Iraqis' -> 'iraqi')."""
    lemma = LEMMA_EXCEPTIONS.get(tok.lower_) or (tok.lemma_.lower() if tok.pos_ == "NOUN" else tok.lower_)
    if tok.tag_ in ("NNPS",) or tok.pos_ == "PROPN" and lemma.endswith("s") and not lemma.endswith("ss"):
        lemma = lemma[:-1]
    return lemma


def _referential(doc, span) -> bool:
    """A small number in words after a definite determiner points back, it states nothing new."""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return before in ("the", "these", "those", "both", "its", "their") and not span[0].text[0].isdigit()


def _span_root(span):
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head.i == tok.i:
            return tok
    return span[-1]


def _is_elliptical(span) -> bool:
    root = _span_root(span)
    return not (root.dep_ in ("nummod",) and root.head.pos_ in ("NOUN", "PROPN"))


def _elliptical(span, previous: list[Figure], sent_index, opts: ExtractOptions):
    """'almost 17,000 more', 'put the number at over 3,000': the unit of the last count nearby;
    'up from 10.9 million' after '11.3 million barrels': the unit of an amount in the same sentence."""
    if not _is_elliptical(span) or not previous:
        return None
    here = sent_index.get(span.sent.start, 0)
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    for fig in reversed(previous):
        if fig.kind == "count" and here - fig.sentence_idx <= opts.ellipsis_lookback_sentences:
            return fig.unit, "count"
        if fig.kind in ("money", "quantity") and fig.sentence_idx == here and before in ("from", "to", "than", "at"):
            return fig.unit, fig.kind
    return None


def _range_end(doc, span, end: int, consumed: set[int], unit_kind) -> tuple[float | None, int, tuple | None]:
    """'between 2,500 and 3,000', '2,500 to 3,000', '3-5%': (upper value, new end, (upper span, its unit)).

    Not a range: 'from X to Y' and a change then a level ('rose 3% to 5%', 'rose $12 to $2,034'),
    or two ends in different units ('3.2% to $187.50').
    """
    none = (None, end, None)
    if end + 1 >= len(doc) or doc[end].lower_ not in FIGURE_WORDS.range_joiners:
        return none
    joiner = doc[end].lower_
    before = [t for t in doc[max(0, span.start - 3):span.start]]
    first_before = before[-1].lower_ if before else ""
    if joiner in ("and", "or") and first_before != "between" or joiner == "to" and first_before == "from":
        return none
    if joiner == "to" and any(t.lower_ == "by" or t.pos_ in ("VERB", "AUX") and t.lemma_ in FIGURE_WORDS.change_verbs
                              for t in before):
        return none
    j = end + 1
    if j < len(doc) and (CURRENCY.symbols.get(doc[j].lower_) or CURRENCY.glued.get(doc[j].lower_)):
        j += 1
    k = j
    while k < len(doc) and is_number_token(doc[k].text) and doc[k].lower_ != "and":
        k += 1
    upper = parse_number(doc[j:k].text) if k > j else None
    low = parse_number(span.text)
    if upper is None or low is None or upper <= low:
        return none
    upper_span = doc[j:k]
    tail = _money(doc, upper_span) or _percent(doc, upper_span) or _measure(doc, upper_span)
    if tail is not None and unit_kind is not None and tail[:2] != unit_kind or tail is None and unit_kind is not None \
            and unit_kind[1] == "money" and k < len(doc) and doc[k].pos_ == "NOUN" and doc[k].tag_ == "NNS":
        return none
    consumed.update(range(j, k))
    return upper, (tail[3] if tail else max(end, k)), (upper_span, tail and tail[:2])


def _qualifier(doc, span, start: int, end: int) -> tuple[str, int]:
    """The qualifier words before (or 'or more' after) a number, and the start they extend to."""
    words = [t.lower_ for t in doc[max(0, start - 4):start]]
    for phrase, q in _QUALIFIER_PHRASES:
        n = len(phrase)
        if n <= len(words) and words[-n:] == phrase:
            if phrase == ["between"]:
                break
            return q, start - n
    after = [t.lower_ for t in doc[end:end + 2]]
    if after[:2] == ["or", "more"] or after[:2] == ["or", "above"]:
        return "at_least", start
    return "exact", start


def _of_phrase(doc, end: int) -> str | None:
    """The noun phrase of an 'of' right after a figure, without determiners."""
    if end >= len(doc) or doc[end].lower_ != "of":
        return None
    obj = next((c for c in doc[end].children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None)
    if obj is None:
        return None
    words = [t for t in doc[obj.left_edge.i:obj.i + 1]]
    while words and (words[0].lower_ in _DETERMINERS or words[0].dep_ in ("det", "poss", "case")):
        words = words[1:]
    return "".join(t.text_with_ws for t in words).strip() or None


def _subject_head(span):
    root = _span_root(span)
    return root.head if root.dep_ == "nummod" and root.head.i > root.i else root


def _subject(doc, span) -> str | None:
    """The counted noun phrase: 'US armored vehicles'."""
    root = _span_root(span)
    head = root.head if root.dep_ == "nummod" and root.head.i > root.i else None
    if head is None or head.pos_ not in ("NOUN", "PROPN"):
        return None
    left = head.i
    for tok in reversed(list(head.lefts)):
        if tok.i >= span.end and tok.dep_ in ("compound", "amod", "nmod", "npadvmod") or tok.text == "-" and tok.i >= span.end:
            left = min(left, tok.left_edge.i)
    return doc[max(left, span.end):head.i + 1].text


def attribution(sent, span, aliases: dict | None = None) -> str | None:
    """Who the sentence says stated the figure: 'according to X', 'X said', 'X's estimates'."""
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            obj = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if obj is not None:
                return source_name(obj, aliases)
    node = _span_root(span)
    while node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB" and node.lemma_ in ATTRIBUTION.verbs:
            subj = _source_of(node, span)
            if subj is not None and node.lemma_ != "put" or subj is not None and any(c.lower_ in ("number", "figure", "toll", "total") for c in node.children):
                return source_name(subj, aliases)
    for tok in sent:
        if tok.lemma_ in ATTRIBUTION.possessive_nouns and tok.tag_ in ("NNS", "NN"):
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            if owner is not None and owner.pos_ != "PRON":
                return source_name(owner, aliases)
    return None


def _source_of(verb, span):
    """The active subject, or the passive agent ('by X'), of an attribution verb; not the figure itself."""
    for child in verb.children:
        if child.dep_ == "nsubj" and child.pos_ != "PRON" and not (child.left_edge.i <= span.start < child.right_edge.i + 1):
            return child
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def source_name(tok, aliases: dict | None = None) -> str:
    """The canonical name of a source phrase: an entity it ends in, or the phrase without determiners."""
    doc = tok.doc
    for ent in doc.ents:
        if ent.start <= tok.i < ent.end and ent.label_ in ("ORG", "PERSON", "GPE", "NORP") \
                and (ent.end - 1 == tok.i or ent.label_ == "ORG" and ent.start < tok.i):
            return canonical_name(ent.text, ent.label_, aliases)
    appos = next((c for c in tok.children if c.dep_ == "appos"), None)
    if appos is not None and appos.ent_type_:
        return source_name(appos, aliases)
    words = [t for t in doc[tok.left_edge.i:tok.i + 1] if t.dep_ != "case" and t.text not in ("'s", "’s")]
    while words and (words[0].lower_ in _DETERMINERS or words[0].dep_ in ("det", "poss", "punct")):
        words = words[1:]
    text = "".join(t.text_with_ws for t in words).strip()
    expanded = _expand(doc, text)
    return expanded or text


def _expand(doc, text: str) -> str | None:
    """'defense ministry' -> 'Russian Defense Ministry' when the article names it in full earlier."""
    if not text or text[:1].isupper():
        return None
    pattern = re.compile(r"((?:[A-Z][\w-]*\s+){1,3})" + r"\s+".join(re.escape(w.capitalize()) for w in text.split()) + r"\b")
    m = pattern.search(doc.text)
    return m.group(0) if m else None
