"""Figures (docs/figures.md): numeric claims with value, unit, kind, qualifier, subject and source."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from transforms.constants import ATTRIBUTION, CURRENCY, FIGURE_WORDS, NUMBER_WORDS, vocabulary
from transforms.extract.attribution import attribution
from transforms.extract.figure_filters import excluded
from transforms.extract.measures import valued_noun
from transforms.extract.numbers import FRACTIONS, decimal, is_glued, is_number_token, parse_number, slash_fraction
from transforms.extract.sentences import doc_text, sentence_index
from transforms.extract.units import (
    Counted,
    Unit,
    counted_noun,
    measure,
    money,
    number_of,
    of_noun,
    percent,
    span_root,
)
from transforms.options import DEFAULT, ExtractOptions

_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_QUALIFIER_PHRASES = sorted(((phrase.split(), q) for q, phrases in FIGURE_WORDS.qualifier.items()
                             for phrase in phrases),
                            key=lambda pq: -len(pq[0]))


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
    sent_index = sentence_index(doc)
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
    """Maximal runs of number tokens ('one million', '3,000', '30mln'). Only a token like a number or
    starting with a digit can start one: those are found from two arrays, not by making every token."""
    from spacy.attrs import IDX, LIKE_NUM

    if not len(doc):
        return
    rows = doc.to_array([LIKE_NUM, IDX])
    text = doc_text(doc)
    starts = ("dozen", "Dozen", "\u2212", "half", "Half", "quarter", "Quarter", "tenth", "third")  # U+2212: a minus
    candidates = rows[:, 0].astype(bool) | np.array([text[x].isdigit() or text.startswith(starts, x)  # ("−5°C")
                                                     for x in rows[:, 1].tolist()])
    end = 0
    for i in np.flatnonzero(candidates).tolist():
        if i < end:
            continue
        if doc[i].lower_ in FRACTIONS:  # 'half a percentage point', 'a quarter-point'
            j = _part_of_a_point(doc, i)
            if j is not None:
                start = i - 1 if i - 1 >= end and doc[i - 1].lower_ in ("a", "an", "one") else i
                yield doc[start:j]
                end = j
            continue
        if not starts_number(doc[i]):
            continue
        j = _digit_groups(doc, i)
        while j < len(doc) and _continues_number(doc[j], doc[j - 1]):
            j += 1
        while j > i + 1 and doc[j - 1].lower_ == "and":
            j -= 1
        start, j = _fraction_bounds(doc, _article_start(doc, i, end), j, end)
        yield doc[start:j]
        end = j


def _part_of_a_point(doc, i: int) -> int | None:
    """The end of a fraction of one point that starts with the fraction word at token i ('quarter of a' in 'a
    quarter of a percentage point', 'half a' point, 'quarter' in 'a quarter-point'), else None."""
    j = i + 1
    if j < len(doc) and doc[j].lower_ == "of":
        j += 1
    if j < len(doc) and doc[j].lower_ in ("a", "an", "one"):
        j += 1
    nxt = doc[j] if j < len(doc) else None
    if nxt is not None and nxt.text == "-" and j == i + 1 and not doc[i].whitespace_ and not nxt.whitespace_:
        nxt = doc[j + 1] if j + 1 < len(doc) else None  # 'a quarter-point'
    return j if nxt is not None and nxt.lower_ in ("percentage", "point", "points") else None


def _digit_groups(doc, i: int) -> int:
    """The end of the number at token i when it is digits grouped by spaces ("20 000", "1 250 000", "2 500":
    numbers.GROUPED); else i + 1. A run with a "000" group is one number up to its last such group; one
    without is one number only when it stands alone: no digits or date before it, no hyphen or more
    digits after it ("12 100-metre races", "March 3 250", a phone number "555 123 4567" are not one)."""
    j = i + 1
    if not (doc[i].text.isdigit() and len(doc[i].text) <= 3):
        return j
    while j < len(doc) and len(doc[j].text) == 3 and doc[j].text.isdigit() and doc[j - 1].whitespace_ == " ":
        j += 1
    last_round = max((k for k in range(i + 1, j) if doc[k].text == "000"), default=None)
    if last_round is not None:
        return last_round + 1
    if j > i + 1 and not doc[i].text.startswith("0") and _stands_alone(doc, i, j):
        return j
    return i + 1


def _stands_alone(doc, i: int, j: int) -> bool:
    before = doc[i - 1] if i > 0 else None
    after = doc[j] if j < len(doc) else None
    if before is not None and (before.like_num or before.ent_type_ in ("DATE", "TIME") or before.text in "(+#"):
        return False
    return after is None or not (after.like_num and after.lower_ not in NUMBER_WORDS.full_scales  # "R2 500 million"
                                 or (after.text == "-" and not doc[j - 1].whitespace_)
                                 or after.text[:1].isdigit())


def _article_start(doc, i: int, end: int) -> int:
    """Where a number that opens with a scale word starts: 'a million', 'half a million', 'a dozen' take the
    article."""
    start = i
    if (doc[i].lower_ in NUMBER_WORDS.full_scales or doc[i].lower_ == "dozen") and i - 1 >= end \
            and doc[i - 1].lower_ in ("a", "an"):
        start = i - 1
        if start - 1 >= end and doc[start - 1].lower_ == "half":
            start -= 1
    return start


_FRACTION_STARTS = frozenset({"a", "an"} | NUMBER_WORDS.full_scales)  # 'a quarter of a million', 'a half-million'


def _fraction_bounds(doc, start: int, j: int, end: int) -> tuple[int, int]:
    """A number's span with the fraction written around it (numbers.parse_number reads them): 'two and a half
    million', 'two-and-a-half million', 'a million and a half' (after), 'a quarter of a million', 'three
    quarters of a million', 'a half-million' (before)."""
    nxt = doc[j].lower_ if j < len(doc) else ""
    if nxt not in ("and", "-") and nxt not in FRACTIONS and doc[start].lower_ not in _FRACTION_STARTS:
        return start, j  # most numbers: no fraction around them
    ahead = [t for t in doc[j:j + 7] if t.text != "-"]
    words = [t.lower_ for t in ahead]
    if words[:3] == ["and", "a", "half"]:
        j = ahead[2].i + 1
        if j < len(doc) and doc[j].lower_ in NUMBER_WORDS.full_scales and not any(
                t.lower_ in NUMBER_WORDS.full_scales for t in doc[start:j]):
            j += 1  # 'two and a half million'
    elif len(words) >= 4 and words[0] in FRACTIONS and words[1] == "of" and words[2] in ("a", "an") \
            and words[3] in NUMBER_WORDS.full_scales and doc[start:j].text.lower() in ("a", "an", "one", "two",
                                                                                      "three"):
        j = ahead[3].i + 1  # 'three quarters of a million', 'three-quarters of a million'
    elif words and words[0] in FRACTIONS and doc[start:j].text.lower() in NUMBER_WORDS.units \
            and (part_end := _part_of_a_point(doc, ahead[0].i)) is not None:
        j = part_end  # 'three quarters of a percentage point'
    before = [t.lower_ for t in doc[max(end, start - 4):start]]
    if doc[start].lower_ in ("a", "an") and before[-2:] in (["quarter", "of"], ["quarters", "of"], ["third", "of"],
                                                            ["thirds", "of"]):
        start -= 2  # 'quarter of' + 'a million'
        times = doc[start - 1] if start - 1 >= end else None
        if times is not None and times.text == "-" and start - 2 >= end:
            times = doc[start - 2]  # 'three-quarters'
        if times is not None and times.lower_ in ("a", "an", "one", "two", "three"):
            start = times.i
    elif doc[start].lower_ in NUMBER_WORDS.full_scales and before[-3:] in (["a", "half", "-"], ["an", "half", "-"]):
        start -= 3  # 'a half-million'
    return start, j


def starts_number(tok) -> bool:
    """A token a figure can start with: digits, or a number word ('twenty', 'million' only after one)."""
    low = tok.lower_
    if low in NUMBER_WORDS.scales and low not in NUMBER_WORDS.full_scales:
        return False
    if low == "dozen":  # "a dozen people", "half a dozen"; "two dozen" starts at "two"
        return tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("a", "an")
    return is_number_token(tok.text) and low != "and" and (tok.like_num or tok.text.lstrip("\u2212")[:1].isdigit())


def _continues_number(tok, prev) -> bool:
    low = tok.lower_
    if _glued_scale(tok, prev):
        return True
    if low == "and":
        return prev.lower_ in ("hundred", "thousand", "million")
    if tok.text == "-" or prev.text == "-":
        return _hyphen_joins(tok, prev)
    if prev.text.isdigit() and prev.whitespace_ and slash_fraction(tok.text) is not None:
        return True  # "3 1/2 miles"
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
    """'60m people', '$3m', '£180m.', '900m rand': a one-letter scale glued to digits is a multiplier when
    a plural noun or a currency's name follows or a currency comes before ('a 30m wall' is in metres; 'won'
    follows a race as often: 'the 400m won by'). At a sentence's end the tokenizer keeps the full stop with
    the letter ('m.', an abbreviation to it)."""
    doc = tok.doc
    low = tok.lower_[:-1] if len(tok) == 2 and tok.text.endswith(".") else tok.lower_
    if low not in NUMBER_WORDS.scales or low in NUMBER_WORDS.full_scales or prev.whitespace_ \
            or not prev.text[0].isdigit():
        return False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return nxt is not None and (nxt.tag_ in ("NNS", "NNPS") or nxt.lower_ in CURRENCY.names and nxt.lower_ != "won") \
        or prev.i > 0 and money(doc, doc[prev.i:prev.i + 1]) is not None


def _figure(doc, span, sent_index, previous, opts, consumed, aliases) -> Figure | None:
    value = parse_number(span.text)
    if value is None or not math.isfinite(value) or excluded(doc, span, value):
        return None
    sent = span.sent
    start, end = span.start, span.end
    unit_kind = money(doc, span) or percent(doc, span) or measure(doc, span)
    antecedent = None
    if unit_kind:
        unit, kind, start, end, minor = unit_kind
        value_max, end, _, scale = _range_end(doc, span, end, consumed, unit_kind)
    else:
        value_max, end, upper, scale = _range_end(doc, span, end, consumed, None)
        found = upper and upper.unit or counted_noun(doc, span) or number_of(doc, span)
        if found is None and upper is not None:  # "3,000 to 4,000 people": the noun follows the upper end
            found = counted_noun(doc, upper.span) or Counted(of_noun(doc, upper.span), "count")
        if found is None or found[0] is None:
            found = _change_target(doc, span)
        if found is None or found[0] is None:
            antecedent = _antecedent(span, previous, sent_index, opts)
            found = Counted(antecedent.unit, antecedent.kind) if antecedent is not None else None
        if found is None or found[0] is None:
            found = _people_by_verb(span)
        if found is None or found[0] is None:
            consumed.difference_update(range(span.end, end))
            return None
        unit, kind, minor = found[0], found[1], found[2]
    if kind == "count" and _DOTTED_THOUSANDS.fullmatch(span.text):
        value = float(span.text.replace(".", ""))  # "1.000 lights": a count has no fraction, the dot groups thousands
    value = decimal(value * scale * minor)
    if start > 0 and doc[start - 1].lower_ == "minus" and kind in ("quantity", "percent") and value_max is None \
            and not (start > 2 and doc[start - 3].lower_ == "plus" and doc[start - 2].lower_ in ("or", "/")):
        value, start = -value, start - 1  # "minus 12 degrees"; "plus or minus 3 points" is a margin's size
    qualifier, start = _qualifier(doc, span, start, end)
    if value_max is not None:
        qualifier = "range"
    subject = _subject(doc, span) if kind != "money" or valued_noun(doc[start:end]) is None else None
    if subject is not None and _subject_head(span).i < end:
        subject = _of_phrase(doc, end)  # "40,000 tonnes of wheat", "8% of its workforce"
    elif subject is None and antecedent is not None:
        subject = antecedent.subject
    text, end_char = doc[start:end].text, doc[end - 1].idx + len(doc[end - 1])
    if text.endswith("."):  # "£180m.": the sentence's full stop, which the tokenizer kept with the scale
        text, end_char = text[:-1], end_char - 1
    here = sent_index.get(sent.start, 0)
    return Figure(text=text, start_char=doc[start].idx, end_char=end_char,
                  value=value, value_max=value_max, unit=unit, kind=kind, qualifier=qualifier, subject=subject,
                  attributed_to=attribution(sent, span, aliases, _earlier_source(previous, here)),
                  sentence_idx=here, sentence=sent.text.strip())


def _change_target(doc, span) -> Counted | None:
    """'rose from 10,000 to 15,000 euros', 'grew by 20,000 to 150,000 soldiers': a 'from' or 'by' amount without a
    unit takes that of its 'to' amount."""
    j = span.end + 1
    if span.start == 0 or doc[span.start - 1].lower_ not in ("from", "by") or j >= len(doc) \
            or doc[span.end].lower_ != "to" \
            or not parse_number(span.text):
        return None  # not "from zero to 60 mph" either
    k = j
    while k < len(doc) and is_number_token(doc[k].text) and doc[k].lower_ != "and":
        k += 1
    if k == j:
        return None
    target = doc[j:k]
    unit = money(doc, target) or percent(doc, target) or measure(doc, target)
    return Counted(unit.unit, unit.kind, unit.scale) if unit else counted_noun(doc, target)


def _earlier_source(previous: list[Figure], here: int) -> str | None:
    """Who stated the figure before this one, when it was in this sentence or the one before ('It added ...')."""
    return previous[-1].attributed_to if previous and here - previous[-1].sentence_idx <= 1 else None


def _is_elliptical(span) -> bool:
    """No noun of its own: 'almost 17,000 more', and '12 others' after 'killed five people'."""
    root = span_root(span)
    return not (root.dep_ in ("nummod",) and root.head.pos_ in ("NOUN", "PROPN")) or root.head.lower_ == "others"


def _antecedent(span, previous: list[Figure], sent_index, opts: ExtractOptions) -> Figure | None:
    """The figure whose unit (and subject) a number without a noun takes: 'almost 17,000 more', 'put the number at
    over 3,000': the last count in the sentence, or in one of the sentences before when the number goes on that count
    ('more', 'others', 'another') or its sentence names a count before it ('put the number at over 3,000');
    'up from 10.9 million' after '11.3 million barrels': an amount in the same sentence."""
    if not previous or not _is_elliptical(span):
        return None
    here = sent_index.get(span.sent.start, 0)
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if not span[0].text[0].isdigit() and before != "another" and after not in _MORE:
        return None  # a number in words goes on a count only explicitly: 'twelve more', 'another two hundred'
    compared = before in _COMPARED or before == "with" and span.start > 1 and doc[span.start - 2].lower_ in _COMPARING
    goes_on = None  # whether it goes on a count of a sentence before: read when such a count is the candidate
    text = doc_text(doc)
    for fig in reversed(previous):
        back = here - fig.sentence_idx
        if back > 0 and goes_on is None:
            goes_on = after in _MORE or before == "another" or any(  # 'put the number at over 3,000'
                t.lemma_ in _COUNT_WORDS for t in doc[span.sent.start:span.start]) or _acts(span)
        if back > (opts.ellipsis_lookback_sentences if goes_on else 0):
            break  # the figures before are further back still
        if text[max(0, fig.start_char - 16):fig.start_char].rstrip().lower().endswith(_PART_OF) \
                and any(f.kind == "count" and f.sentence_idx == fig.sentence_idx for f in previous if f is not fig):
            continue  # 'killed 14 people, including three children, and wounded 60 others': people, not children
        if fig.kind == "count" and (back == 0 or goes_on and back <= opts.ellipsis_lookback_sentences) \
                or fig.kind in ("money", "quantity") and back == 0 and compared:
            return fig
    return None


def _acts(span) -> bool:
    """A bare number that is a verb's subject, or what a source claims, stands for things of a count before it:
    '12 came at home', 'Russia claims 5,000', 'claiming 5,000 are already there'."""
    root = span_root(span)
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX") \
        or root.dep_ == "dobj" and root.head.lemma_ in ATTRIBUTION.verbs


# a count that goes on one in an earlier sentence: 'almost 17,000 more', '12 others', 'another 300' (or after a word
# naming a count: 'put the number at over 3,000'); without one of these, a bare number there ('in front of 15,522 in
# the arena') is no count of that sentence's noun
_MORE = frozenset({"more", "others", "additional", "extra", "fewer", "less"})
_COUNT_WORDS = frozenset(FIGURE_WORDS.count_nouns) | {"figure", "estimate"}
_PART_OF = ("including", "among them", "among whom", "among those")  # a count of some of an earlier count's
# an amount compared with one before it in the sentence, in its unit: 'up from 10.9 million', '$5 million, compared
# with 3 million', 'more than', 'versus'
_COMPARED = frozenset({"from", "to", "than", "at", "versus", "vs", "vs."})
_COMPARING = frozenset({"compared", "comparison"})


def _people_by_verb(span) -> Counted | None:
    """'30 were killed', 'killing 12 and wounding 40': a number with no noun, the subject or object of a verb
    done to people (the measure table's: killed, died, injured, arrested, fled, evacuated; not deployed,
    which counts troops), counts people."""
    root = span_root(span)
    verbs = vocabulary().verbs
    if root.lower_ in ("one", "a", "an") or root.head.pos_ != "VERB" or verbs.get(root.head.lemma_) in (None, "troops"):
        return None
    return Counted("people", "count") if root.dep_ in ("nsubj", "nsubjpass", "dobj") else None


class Upper(NamedTuple):
    """The upper end of a range: its tokens, and its unit and kind when it carries them ('3-5%')."""

    span: Any
    unit: Counted | None


class RangeEnd(NamedTuple):
    """What a range adds to a figure: the upper value, where the figure now ends, the upper end."""

    value_max: float | None
    end: int
    upper: Upper | None
    scale: float = 1.0  # what the lower end is multiplied by when it shares the upper's scale ("$5-6 billion")


def _range_end(doc, span, end: int, consumed: set[int], unit_kind: Unit | None) -> RangeEnd:
    """'between 2,500 and 3,000', '2,500 to 3,000', '3-5%': the upper value, the new end, the upper end.

    Not a range: 'from X to Y' and a change then a level ('rose 3% to 5%', 'rose $12 to $2,034'),
    or two ends in different units ('3.2% to $187.50').
    """
    none = RangeEnd(None, end, None)
    if end + 1 >= len(doc) or doc[end].lower_ not in FIGURE_WORDS.range_joiners:
        return none
    joiner = doc[end].lower_
    currency = money(doc, span)  # "between $1m and $2m": the word before the currency
    start = currency.start if currency is not None and currency.start < span.start else span.start
    before = [t for t in doc[max(0, start - 3):start]]
    first_before = before[-1].lower_ if before else ""
    verbs = doc[max(0, start - 7):start]
    changing = first_before == "from" and (not parse_number(span.text) or any(
        t.lemma_ in FIGURE_WORDS.change_verbs or t.lower_ in FIGURE_WORDS.change_verbs for t in verbs))
    if joiner in ("and", "or") and first_before != "between" or joiner == "to" and changing:
        return none  # "rose from 10,000 to 15,000" is a change, "from zero to 60 mph" a speed; "from $6 to $12" a range
    change = joiner == "to" and any(t.lower_ == "by" or t.pos_ in ("VERB", "AUX")
                                    and t.lemma_ in FIGURE_WORDS.change_verbs for t in before)
    j = end + 1
    if j < len(doc) and (CURRENCY.symbols.get(doc[j].lower_) or CURRENCY.glued.get(doc[j].lower_)):
        j += 1
    k = j
    while k < len(doc) and (is_number_token(doc[k].text) and doc[k].lower_ != "and"
                            or k > j and _glued_scale(doc[k], doc[k - 1])):  # "and $2m"
        k += 1
    upper = parse_number(doc[j:k].text) if k > j else None
    low = parse_number(span.text)
    if upper is None or low is None or upper <= low:
        return none
    upper_span = doc[j:k]
    tail = money(doc, upper_span) or percent(doc, upper_span) or measure(doc, upper_span)
    if change and (unit_kind is not None or tail is None or low * _shared_scale(span, upper_span, low) < upper / 4):
        return none  # "rose 3% to 5%", "rose by 0.2 to 4.1%": a change, then a level; "rose 10 to 15 per cent": a range
    if tail is not None and unit_kind is not None and (tail.unit, tail.kind) != (unit_kind.unit, unit_kind.kind) \
            or tail is None and unit_kind is not None \
            and unit_kind[1] == "money" and k < len(doc) and doc[k].pos_ == "NOUN" and doc[k].tag_ == "NNS":
        return none
    consumed.update(range(j, k))
    unit = Counted(tail.unit, tail.kind, tail.scale) if tail else None
    minor = tail.scale if tail else unit_kind.scale if unit_kind else 1.0  # "between 20 and 30 cents"
    upper = decimal(upper * minor) if minor != 1.0 else upper
    return RangeEnd(upper, tail.end if tail else max(end, k), Upper(upper_span, unit),
                    _shared_scale(span, upper_span, low))


def _shared_scale(lower, upper_span, low: float) -> float:
    """'$5-6 billion', 'between 2 and 3 million': a lower end without a scale of its own, smaller than the
    upper end's number, takes the upper end's scale ('500 to 1 million' does not)."""
    if any(t.lower_ in NUMBER_WORDS.scales or is_glued(t.text) for t in lower):
        return 1.0
    last = upper_span[-1]
    if last.lower_ in NUMBER_WORDS.scales and len(upper_span) > 1:
        base, scale = parse_number(upper_span[:-1].text), NUMBER_WORDS.scales[last.lower_]
    elif len(upper_span) == 1 and is_glued(last.text):
        scale = parse_number(last.text) or 0.0
        base = parse_number(re.sub(r"[^\d.,]+\.?$", "", last.text))
        scale = scale / base if base else 1.0
    else:
        return 1.0
    return float(scale) if base is not None and low < base else 1.0


_RISING = frozenset({"rise", "climb", "jump", "surge", "soar", "push", "edge", "creep", "shoot", "go", "move"})


def _qualifier(doc, span, start: int, end: int) -> tuple[str, int]:
    """The qualifier words before (or 'or more' after) a number, and the start they extend to."""
    words = [t.lower_ for t in doc[max(0, start - 4):start]]
    for phrase, q in _QUALIFIER_PHRASES:
        n = len(phrase)
        if n <= len(words) and words[-n:] == phrase:
            if phrase == ["between"]:
                break
            if phrase[0] in ("top", "tops") and doc[start - 1].pos_ != "VERB":
                continue  # "the top 1% of earners": a rank, where "could top 1,000" is at least
            if phrase == ["past"] and (start < 2 or doc[start - 2].lemma_ not in _RISING):
                continue  # "climbed past 300"; not "the past 3 presidents", "walked past 3 houses"
            return q, start - n
    after = [t.lower_ for t in doc[end:end + 2]]
    if after[:2] == ["or", "more"] or after[:2] == ["or", "above"] \
            or after[:2] == ["-", "plus"] and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        return "at_least", start  # "2,000 or more", "the 500-plus delegates"
    return "exact", start


def _of_phrase(doc, end: int) -> str | None:
    """The noun phrase of an 'of' right after a figure, without determiners."""
    if end >= len(doc) or doc[end].lower_ != "of":
        return None
    obj = next((c for c in doc[end].children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None)
    if obj is None:
        return None
    words = [t for t in doc[obj.left_edge.i:obj.i + 1]]
    while words and (words[0].lower_ in FIGURE_WORDS.determiners or words[0].dep_ in ("det", "poss", "case")):
        words = words[1:]
    return "".join(t.text_with_ws for t in words).strip() or None


def _subject_head(span):
    root = span_root(span)
    return root.head if root.dep_ == "nummod" and root.head.i > root.i else root


def _subject(doc, span) -> str | None:
    """The counted noun phrase: 'US armored vehicles'."""
    root = span_root(span)
    head = root.head if root.dep_ == "nummod" and root.head.i > root.i else None
    if head is None or head.pos_ not in ("NOUN", "PROPN"):
        return None
    left = head.i
    for tok in reversed(list(head.lefts)):
        if (tok.i >= span.end and tok.dep_ in ("compound", "amod", "nmod", "npadvmod")
                or tok.text == "-" and tok.i >= span.end):
            left = min(left, tok.left_edge.i)
    return doc[max(left, span.end):head.i + 1].text
