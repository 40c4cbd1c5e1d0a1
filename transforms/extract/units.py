"""What a figure counts: money (currency before or after), percentages, measures with a unit, and the
counted noun of a count (its own, its phrase's, or the noun it is a number of)."""
from __future__ import annotations

from typing import NamedTuple

from transforms.constants import CURRENCY, FIGURE_WORDS, LEMMA_EXCEPTIONS, MEASURES, NUMBER_WORDS, vocabulary
from transforms.extract.numbers import parse_number

_PERCENT_WORDS = sorted(MEASURES.percent, key=lambda p: -len(p.split()))  # "per cent" before "per"


_TITLED_SYMBOLS = frozenset({"rs", "rs.", "rp", "ksh"})  # currency abbreviations written "Rs", "Rp", "KSh"


class Unit(NamedTuple):
    """What a number is in (money, percent, a measure) and the tokens [start, end) the figure spans with it."""

    unit: str
    kind: str
    start: int
    end: int
    scale: float = 1.0  # what the number is worth in the unit: 0.01 for a minor unit ("50 cents")


class Counted(NamedTuple):
    """What a count counts: the noun (singular) and the kind, "count" (or a unit and kind taken from another
    amount, with its scale)."""

    unit: str | None
    kind: str
    scale: float = 1.0


def has_currency(doc, span) -> bool:
    return money(doc, span) is not None


def money(doc, span) -> Unit | None:
    """(ISO code, 'money', start, end) when a currency symbol, code or name sits by the number."""
    first = span[0]
    before = doc[first.i - 1] if first.i > 0 else None
    if before is not None:
        found = _currency_before(doc, before, span)
        if found is not None:
            return Unit(found[0], "money", found[1], _scale_end(doc, span.end))
    end = _scale_end(doc, span.end)
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        end += 1  # "a 2-billion-euro deal"
    for n in (3, 2):  # "Hong Kong dollars", "Swiss francs"
        words = " ".join(t.lower_ for t in doc[end:end + n])
        code = CURRENCY.qualified.get(words) or words.endswith("s") and CURRENCY.qualified.get(words[:-1])
        if code and end + n <= len(doc):
            return Unit(code, "money", first.i, end + n)
    after = doc[end] if end < len(doc) else None
    if after is None:
        return None
    named = CURRENCY.names.get(after.lower_) or (CURRENCY.symbols.get(after.lower_) if after.is_upper else None)
    if end + 1 < len(doc) and doc[end + 1].lower_ in _CENTS:
        code = named or CURRENCY.qualified.get(f"{after.lower_} dollar")
        if code is not None:
            return Unit(code, "money", first.i, end + 2, 0.01)  # "20 euro cents", "50 US cents"
    if named is not None:
        return Unit(named, "money", first.i, end + 1)
    return _minor(doc, span, end)


_CENTS = frozenset(k for k, v in CURRENCY.minor.items() if v is None)
_RESOLUTIONS = frozenset({"240", "360", "480", "540", "720", "1080", "1440", "2160", "4320"})  # "1080p" video
_STERLING = frozenset({"£", "gbp", "sterling", "pence", "pound", "pounds"})
# words that name a currency but mostly mean something else: no sign of the currency of the cents nearby
_NOT_CURRENCY = frozenset({"won", "real", "rand", "dong", "pound", "pounds", "try"})


def _minor(doc, span, end: int) -> Unit | None:
    """'50 cents', '12 pence', '350p' (glued, in an article that names sterling; not '1080p'): a hundredth
    of a currency, the cents' that of the nearest amount with a currency (the sentence's, else one before)."""
    low = doc[end].lower_
    if low not in CURRENCY.minor:
        return None
    if low == "p" and (doc[end - 1].whitespace_ or span.text in _RESOLUTIONS
                       or not any(t.lower_ in _STERLING for t in doc)):
        return None
    code = CURRENCY.minor[low] or _nearby_currency(doc, span)
    return Unit(code, "money", span.start, end + 1, 0.01)


def _nearby_currency(doc, span) -> str:
    sent = span.sent
    for tokens in (sent, reversed(doc[:sent.start])):
        for tok in tokens:
            low = tok.lower_
            code = CURRENCY.symbols.get(low) if not tok.is_alpha or tok.is_upper else None
            code = code or (CURRENCY.names.get(low) if low not in _NOT_CURRENCY else None)
            if code is not None:
                return code
    return "USD"


def _currency_before(doc, before, span) -> tuple[str, int] | None:
    """(ISO code, start token) of a currency written before the number: '$', 'Rs', 'US $', 'HK$', 'Sh2.5bn'."""
    low = before.lower_
    prior = doc[before.i - 1] if before.i > 0 else None
    if low == "$" and prior is not None and len(prior) > 1 and prior.is_upper and prior.whitespace_ \
            and CURRENCY.glued.get(prior.lower_ + "$"):
        return CURRENCY.glued[prior.lower_ + "$"], prior.i  # "US $5"
    if low in CURRENCY.symbols and (not before.is_alpha or before.is_upper  # "$", "USD"; "Try 5 times" is no lira
                                    or before.text[0].isupper() and low in _TITLED_SYMBOLS):
        return CURRENCY.symbols[low], before.i
    if low in CURRENCY.glued and not before.whitespace_:
        if not before.is_alpha:
            return CURRENCY.glued[low], before.i
        scaled = _scale_end(doc, span.end) > span.end or len(span) > 1 or span.end < len(doc) \
            and not span[-1].whitespace_ and doc[span.end].lower_.rstrip(".") in NUMBER_WORDS.letter_scales
        if scaled or "," in span[0].text or "." in span[0].text or _priced(doc, before.i, span.end):
            return CURRENCY.glued[low], before.i  # "Sh2.5 billion", "N500 million", "cost R250"; not "N95"
    return None


_PRICE_VERBS = frozenset({"cost", "pay", "charge", "fetch", "earn", "spend"})  # their object is a price
_PRICED_FOR = frozenset({"sell", "buy", "price", "value", "rent", "trade", "go"})  # 'for' or 'at' a price


def _priced(doc, i: int, end: int) -> bool:
    """Whether the words around a letter and digits give a price: 'Tickets cost R250', 'sold for R300', 'priced at
    N500'; not a model before its noun ('paid for N95 masks')."""
    if end < len(doc) and doc[end].pos_ in ("NOUN", "PROPN"):
        return False
    prior = doc[i - 1] if i > 0 else None
    if prior is not None and prior.lower_ in ("for", "at") and i > 1:
        return doc[i - 2].lemma_ in _PRICED_FOR | _PRICE_VERBS
    return prior is not None and prior.lemma_ in _PRICE_VERBS


def _scale_end(doc, end: int) -> int:
    while (end < len(doc) and doc[end].lower_ in NUMBER_WORDS.scales
           and doc[end].lower_ not in NUMBER_WORDS.letter_scales):
        end += 1
    return end


def percent(doc, span) -> Unit | None:
    """Percent, percentage points, basis points, or index points ('the Dow fell 200 points')."""
    end = span.end
    if end < len(doc) and doc[end].text == "%":
        return Unit("percent", "percent", span.start, end + 1)
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end].whitespace_ and not doc[end - 1].whitespace_:
        end += 1  # "a 10-percent cut"
    words = [t.lower_ for t in doc[end:end + 3]]
    for phrase in sorted(MEASURES.basis_points, key=len, reverse=True):
        n = len(phrase.split())
        if " ".join(words[:n]) == phrase:
            return Unit("basis_point", "percent", span.start, end + n)
    for phrase in sorted(MEASURES.points, key=len, reverse=True):
        n = len(phrase.split())
        if " ".join(words[:n]) == phrase:
            if phrase.startswith("percentage") or _percent_context(doc, span):
                return Unit("percentage_point", "percent", span.start, end + n)
            return Unit("point", "quantity", span.start, end + n)
    for phrase in _PERCENT_WORDS:
        n = len(phrase.split())
        if " ".join(words[:n]) == phrase:
            return Unit("percent", "percent", span.start, end + n)
    return None


def _percent_context(doc, span) -> bool:
    """Bare 'points' are percentage points only for a small change near a rate, never beside an index."""
    sent = span.sent
    value = parse_number(span.text) or 0
    if value > 20 or any(t.lower_ in MEASURES.index_words for t in sent):
        return False
    return any(t.text == "%" or t.lower_ in ("percent", "rate", "rates", "yield", "yields") for t in sent)


def measure(doc, span) -> Unit | None:
    if span.start > 0 and doc[span.start - 1].lower_ == "magnitude":  # "a magnitude 6.1 earthquake"
        return Unit("magnitude", "quantity", span.start - 1, span.end)
    if span.start > 1 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ == "magnitude":
        return Unit("magnitude", "quantity", span.start, span.end)  # "a quake with a magnitude of 5.4"
    end = _scale_end(doc, span.end)
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end].whitespace_ and not doc[end - 1].whitespace_:
        end += 1  # "a 10-kilometre stretch"
    if end >= len(doc):
        return None
    three = "".join(t.lower_ for t in doc[end:end + 3]) if end + 2 < len(doc) else ""
    if three in MEASURES.units and "/" in three and not doc[end].whitespace_ and not doc[end + 1].whitespace_:
        return Unit(MEASURES.units[three], "quantity", span.start, end + 3)  # "200 km/h": spaCy splits the slash
    two = f"{doc[end].lower_} {doc[end + 1].lower_}" if end + 1 < len(doc) else ""
    if two in MEASURES.units:
        return Unit(MEASURES.units[two], "quantity", span.start, end + 2)
    if end + 2 < len(doc) and doc[end + 1].text == "-" and not doc[end].whitespace_ and not doc[end + 1].whitespace_:
        hyphened = f"{doc[end].lower_} {doc[end + 2].lower_}"  # "a 5,000-square-foot home"
        if hyphened in MEASURES.units:
            return Unit(MEASURES.units[hyphened], "quantity", span.start, end + 3)
    low = doc[end].lower_
    if glued_degrees(doc, span, end):
        return Unit(MEASURES.units[low], "quantity", span.start, end + 1)
    if low in MEASURES.units and (len(low) > 1 or doc[end].whitespace_ or end + 1 == len(doc)):
        if low in ("pound", "pounds") or (low == "m" and end > span.end):
            return None
        return Unit(MEASURES.units[low], "quantity", span.start, end + 1)
    return None


def glued_degrees(doc, span, end: int) -> bool:
    """'1.5C', '40C' in a sentence about temperatures: degrees. '4C' elsewhere is a flat or a code ('5G', '4K')."""
    tok = doc[end]
    if tok.text not in ("C", "F") or doc[end - 1].whitespace_ or not doc[end - 1].text[-1:].isdigit():
        return False
    return "." in doc[end - 1].text or any(t.lemma_.lower() in FIGURE_WORDS.temperature_words or
                                           t.lower_ in FIGURE_WORDS.temperature_words for t in span.sent)


def counted_noun(doc, span) -> Counted | None:
    """(lemma of the counted noun, 'count') from the dependency parse."""
    strong = _strong(doc, span.end)
    if strong is not None:
        return Counted(singular(strong), "count")
    root = span_root(span)
    modifies = root.dep_ in ("nummod", "quantmod", "compound", "amod", "appos") and root.head.i > root.i
    head = root.head if modifies else None
    if head is not None and head.lower_ == "plus" and head.head.i > head.i:
        head = head.head  # "the 500-plus delegates"
    while head is not None and head.dep_ == "compound" and head.tag_ == "NNS" and head.head.i > head.i \
            and head.head.pos_ == "NOUN":
        head = head.head  # "300 special forces soldiers": the soldiers (a "three-game streak" counts games)
    if head is not None and head.dep_ == "nummod" and head.head.i > head.i and head.head.pos_ == "NOUN" \
            and any(c.isalpha() for c in head.text) and any(c.isdigit() for c in head.text):
        head = head.head  # "12 F-16 jets": the model code the parser read as a second number names the jets
    if head is not None and head.pos_ == "PROPN":  # "350 US Army and Air National Guard personnel": the parser
        head = next((c for c in head.children if c.dep_ == "conj" and c.pos_ == "NOUN"  # hangs the number on the
                     and (c.tag_ == "NNS" or c.lower_ in _INVARIANT)), head)  # first name, the count's noun is last
    if head is None:
        nxt = doc[span.end] if span.end < len(doc) else None
        if (nxt is not None and nxt.pos_ in ("NOUN", "PROPN")
                and (nxt.head.i >= nxt.i or span.start <= nxt.head.i < span.end
                     or root.lower_ in NUMBER_WORDS.letter_scales and nxt.tag_ == "NNS")):
            head = nxt  # the parser takes a glued scale for a noun of its own: '1.2m units'
    if head is None or head.pos_ not in ("NOUN", "PROPN"):
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lower_ in FIGURE_WORDS.people_adjectives:
            return Counted(nxt.lower_, "count")  # "left 40 dead and 30 wounded": people the word describes
        of = of_noun(doc, span)
        return Counted(of, "count") if of else None
    if head.dep_ == "appos" and not span.start <= head.head.i < span.end \
            and not (head.tag_ == "NNS" and any(t.text == ":" for t in doc[head.head.i + 1:span.start])) \
            or referential(doc, span):
        return None  # "X and Y, two influential figures"; "the two countries"; "Highlights: 1.2 million jobs" counts
    unit = singular(head)
    if unit in FIGURE_WORDS.non_units or unit in MEASURES.durations.values() or not unit.isalpha() and "-" not in unit \
            or unit in NUMBER_WORDS.units:  # a number counts no number: "a 7-Eleven store"
        return None
    if _names_one(doc, span, head, unit):
        return None
    return Counted(unit, "count")


# Nouns whose plural is the singular: "30 aircraft", "200 police" count
_INVARIANT = frozenset({"aircraft", "police", "personnel", "staff", "people", "crew", "cattle", "livestock", "sheep",
                        "deer", "fish", "militia", "infantry", "clergy", "youth", "offspring", "series", "species",
                        "headquarters", "military", "faculty", "family", "team", "squad", "audience", "public"})


def _names_one(doc, span, head, unit: str) -> bool:
    """A number above one before a singular noun it is not hyphened to names one thing, it counts nothing:
    a model or a code ("iPhone 11 Pro", "the 737 NG plane", "a 911 call", "5.1 surround sound"). Counts
    take plurals ("11 phones"), nouns whose plural is the same word ("30 aircraft") aside; "a 20-member
    delegation" stays a count."""
    if head.tag_ not in ("NN", "NNP") or head.lower_ != unit or unit in _INVARIANT:
        return False
    if any(t.lower_ in NUMBER_WORDS.full_scales for t in span):
        return False  # "1 million robotaxis" (tagged a singular): no model or code is numbered in millions
    if unit == "head" and head.i + 1 < len(doc) and doc[head.i + 1].lower_ == "of":
        return False  # "300 head of cattle": livestock are counted by the head
    if span.end < len(doc) and doc[span.end].text == "-":
        return False
    value = parse_number(span.text)
    return value is not None and value > 1


def _strong(doc, end: int):
    """The noun of 'a 12,000-strong workforce', 'the 300-strong crowd': what the number counts the members of."""
    if end + 2 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ == "strong" \
            and not doc[end].whitespace_ and not doc[end - 1].whitespace_:
        return next((t for t in doc[end + 2:end + 5] if t.pos_ in ("NOUN", "PROPN")  # the head, not a modifier
                     and not (t.dep_ in ("compound", "amod", "nmod") and end + 2 <= t.head.i < end + 5
                              and t.head.i > t.i)), None)  # "the 2,500-strong US contingent": the contingent
    return None


def number_of(doc, span) -> Counted | None:
    """A count with no noun after it takes the noun of its phrase: 'the number of trucks ... rose to
    150' (trucks), 'the death toll rose to 212' (deaths), 'put the casualty count at 76'."""
    root = span_root(span)
    if root.dep_ == "quantmod" and root.head.like_num and root.head.i > root.i:
        root = root.head  # "rose by 1,500 to 12,300": the parser reads a range, the change's amount hangs on the level
    misread = root.dep_ == "nummod" and root.head.ent_type_ == "DATE" and root.ent_type_ != "DATE"
    if root.dep_ not in ("pobj", "attr", "dobj") and not misread:  # "reached 45,000 last year": not of the year
        return None
    for tok in span.sent:
        if tok.lemma_ in FIGURE_WORDS.count_nouns and tok.i < span.start:
            noun = _counted_by(tok)
            if noun is not None:
                return Counted(noun, "count")
    return _risen_to(root)


def _risen_to(root) -> Counted | None:
    """'Deaths rose to 1,200', 'cases rose by 1,500', 'infections exceeded 10,000': a number a change or
    threshold verb brings its subject to (or changes it by) counts that subject, when it is a plural the
    measure table knows (deaths, cases, troops, ...); or its object: 'cut its force from 5,200 to 3,000'."""
    verb = root.head
    while root.dep_ == "pobj" and verb.pos_ == "ADP" and verb.lower_ in ("to", "by", "from") and verb.head.i != verb.i:
        verb = verb.head  # "from 5,000 to 3,500": up the prepositions to the verb
    if verb.pos_ != "VERB" or verb.lemma_ not in FIGURE_WORDS.change_verbs | FIGURE_WORDS.threshold_verbs:
        return None
    nouns = vocabulary().nouns
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and subj.tag_ == "NNS" and singular(subj) in nouns:
        return Counted(singular(subj), "count")
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)  # "cut its force from 5,200 to 3,000"
    if obj is not None and obj.tag_ in ("NN", "NNS") and singular(obj) in nouns:
        return Counted(singular(obj), "count")
    return None


def _counted_by(count_noun) -> str | None:
    """What a noun such as 'number' or 'toll' counts: its 'of' object ('the number of dead'), the noun
    before it ('death toll', 'casualty count'); a toll by itself counts deaths, a crowd or a population
    people ('the population of the city' is the city's people; 'a population of 300 elephants' counts them)."""
    for prep in count_noun.children:
        if prep.lower_ == "of":
            noun = next((c for c in prep.children if c.dep_ == "pobj" and (  # "the number of displaced": a participle
                c.pos_ in ("NOUN", "ADJ") or c.lower_ in FIGURE_WORDS.people_adjectives)), None)
            whole = FIGURE_WORDS.count_nouns[count_noun.lemma_] is not None and noun is not None and noun.tag_ != "NNS"
            if noun is not None and not noun.like_num and not whole:
                return singular(noun) if noun.pos_ == "NOUN" else noun.lower_
    modifier = next((c for c in count_noun.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"), None)
    if modifier is not None:
        return singular(modifier)
    return FIGURE_WORDS.count_nouns[count_noun.lemma_]


def of_noun(doc, span) -> str | None:
    """'3,000 of the troops' -> 'troop'."""
    end = span.end
    if end < len(doc) and doc[end].lower_ == "of":
        for child in doc[end].children:
            if child.dep_ == "pobj" and child.pos_ == "NOUN" and (
                    child.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" for c in child.children)) \
                    and singular(child) not in FIGURE_WORDS.non_units:  # not "12 of the best ones"
                return singular(child)  # "3,000 of the troops", "100 of the 2,000 staff"
    return None


def singular(tok) -> str:
    """Lower-case singular lemma of a noun, proper plurals included ('Iraqis' -> 'iraqi')."""
    lemma = LEMMA_EXCEPTIONS.get(tok.lower_) or (tok.lemma_.lower() if tok.pos_ == "NOUN" else tok.lower_)
    if tok.text.isupper():
        return lemma  # an acronym: "US" is no plural of "U"
    if tok.tag_ in ("NNPS",) or tok.pos_ == "PROPN" and lemma.endswith("s") and not lemma.endswith("ss"):
        lemma = lemma[:-1]
    return lemma


def span_root(span):
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head.i == tok.i:
            return tok
    return span[-1]


def referential(doc, span) -> bool:
    """A small number in words after a definite determiner points back, it states nothing new."""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return before in ("the", "these", "those", "both", "its", "their") and not span[0].text[0].isdigit()
