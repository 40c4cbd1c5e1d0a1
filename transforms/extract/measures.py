"""What a figure counts and where: `figures.measure` and `figures.place`, so that claims line up across sources.

measure: the counted noun's class in a reviewed synonym table (`data/measures.json`: troops,
soldiers, forces and service members are "troops"), or for a generic noun the verb that counts it
("200 people were killed" counts deaths), prefixed by its actor, a nationality or organisation
modifying the noun ("American soldiers" are "United States troops": demonyms in
`data/demonyms.json`, names through the alias table). An increment ("17,000 more") is its own
measure. Money, percentages and quantities take the noun they are about ("inflation",
"workforce"). An elliptical figure ("put the number at over 3,000") takes its antecedent's.

place: a place the figure's own sentence links to it ("stationed in Iraq", "arrived in Syria"),
else the article's main place (the places its title and first paragraphs put things in).
"""
from __future__ import annotations

from collections import Counter

from transforms.constants import FIGURE_WORDS, MEASURES, Vocabulary, vocabulary
from transforms.extract.entities import canonical_name, entity_at
from transforms.extract.sentences import doc_text
from transforms.options import DEFAULT, ExtractOptions

_AT, _FROM = FIGURE_WORDS.place_at, FIGURE_WORDS.place_from
_COUNT_NOUNS = frozenset(FIGURE_WORDS.count_nouns)
PLACE_LABELS = frozenset({"GPE", "LOC"})
_ACTOR_LABELS = frozenset({"NORP", "GPE", "ORG"})


def annotate(doc, figures: list, title: str | None = None, aliases: dict | None = None,
             opts: ExtractOptions = DEFAULT.extract) -> list[tuple]:
    """(measure, place) of each figure of a parsed body, in order."""
    vocab = vocabulary()
    main = main_place(doc, title, aliases, opts)
    out: list[tuple] = []
    for i, fig in enumerate(figures):
        span = doc.char_span(fig.start_char, fig.end_char, alignment_mode="expand")
        noun = _counted_token(span, fig, opts.counted_noun_window) if span is not None else None
        measure, owner = _measure(noun, span, fig, vocab, aliases) if span is not None else (None, None)
        if noun is None and span is not None and fig.kind == "count" and fig.unit in vocab.people:
            measure = _by_verb(span, vocab)  # "the blast killed two and injured 15": deaths, injured
        place = (_place(noun, span, aliases) or owner) if span is not None else None
        if measure is None:  # elliptical: the antecedent's measure and place, from as far back
            before = next((out[j] for j in range(i - 1, -1, -1) if figures[j].unit == fig.unit  # as a unit is
                           and figures[j].kind == fig.kind  # borrowed
                           and fig.sentence_idx - figures[j].sentence_idx <= opts.ellipsis_lookback_sentences), None)
            if before is not None:
                measure = _increment(span, _elliptical(span, before[0], vocab), vocab)
                place = place or before[1]
        out.append((measure, place or main))
    return out


def opening_chars(text: str, opts: ExtractOptions = DEFAULT.extract) -> int:
    """Where the opening paragraphs end, the ones `main_place` reads for the article's place (a character offset)."""
    return sum(len(p) + 2 for p in text.split("\n\n")[:opts.main_place_paragraphs])


def main_place(doc, title: str | None, aliases: dict | None = None,
               opts: ExtractOptions = DEFAULT.extract) -> str | None:
    """The place an article is about: where its title and first paragraphs put things."""
    limit = opening_chars(doc_text(doc), opts)
    votes: Counter = Counter()
    order: dict[str, int] = {}
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        name = canonical_name(ent.text, ent.label_, aliases)
        order.setdefault(name, ent.start_char)
        in_title = bool(title) and ent.text in (title or "")
        if ent.start_char < limit and _governed_by(ent.root, _AT | _FROM):
            votes[name] += 2 if ent.root.head.lower_ in _AT else 1
        if in_title:
            votes[name] += 1
    if not votes:
        return None
    return max(votes, key=lambda n: (votes[n], -order[n]))


def _counted_token(span, fig, window: int):
    """The noun a figure counts (its unit's lemma), near its number; None for an elliptical figure."""
    if fig.kind != "count":
        return _whole(_about(span, fig.kind == "money"))
    doc = span.doc
    for tok in doc[span.end:min(len(doc), span.end + window)]:
        if tok.pos_ in ("NOUN", "PROPN") and _lemma(tok) == fig.unit or tok.lower_ == fig.unit:
            return tok  # the counted noun, or the adjective that stands for people ("40 dead")
        if tok.is_punct and tok.text not in ("-",):
            break
    root = _root(span)
    if root.dep_ in ("nummod", "quantmod") and root.head.pos_ in ("NOUN", "PROPN") and _lemma(root.head) == fig.unit:
        return root.head
    verb = root.head.head if root.dep_ == "pobj" else root.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < span.start
                 and c.pos_ == "NOUN" and _lemma(c) == fig.unit), None) if verb.pos_ == "VERB" else None
    if subj is not None:
        return subj  # "Deaths rose to 1,200", "Cases of measles topped 1,000": the subject that gave the unit
    for tok in span.sent:  # "the death toll rose to 212": the count noun names the measure (a bare
        if tok.i < span.start and tok.lemma_ in _COUNT_NOUNS and _qualified(tok):  # "the number" does not)
            return tok
    return None


def _by_verb(span, vocab: Vocabulary) -> str | None:
    """The class a verb gives the people a bare number counts, as its subject or object ('wounded 40 others')."""
    root = _root(span)
    if root.dep_ == "nummod":
        root = root.head
    verb = root.head if root.dep_ in ("nsubj", "nsubjpass", "dobj") else None
    return vocab.verbs.get(verb.lemma_) if verb is not None else None


def _qualified(count_noun) -> bool:
    """A count noun that says what it counts: 'death toll', 'the number of refugees', 'the crowd'."""
    return any(c.dep_ == "compound" or c.dep_ == "prep" and c.lower_ == "of" for c in count_noun.children) \
        or FIGURE_WORDS.count_nouns[count_noun.lemma_] is not None


# A level a figure is given as ("held at a record low of 6.3%", "hit a high of $2,790"): about the verb's subject
_LEVELS = frozenset({"high", "low", "peak", "record", "level", "total", "maximum", "minimum", "average", "sum"})
# Verbs that size their object 'at' an amount ("estimated the damage at $2 billion", "put the cost at")
_SIZING = frozenset({"estimate", "put", "value", "peg", "price", "place", "set", "fix", "assess", "cap",
                     "forecast", "project", "calculate", "tally"})
_SHARE_OF = frozenset({"gdp", "output"})  # "a deficit of 5.5% of GDP": a size given as a share, about the subject


def _about(span, money: bool):
    """The noun a money, percent or quantity figure is about: 'of X' (money: 'in X'), else its verb's subject."""
    doc = span.doc
    after = doc[span.end:min(span.sent.end, span.end + 4)]  # within the sentence: not the next one's 'of'
    if money and after and after[0].lower_ == "in":
        obj = next((c for c in after[0].children if c.dep_ == "pobj"), None)
        if obj is not None and obj.pos_ == "NOUN" and not obj.ent_type_ and not any(c.dep_ in ("det", "poss")
                                                                                  for c in obj.children):
            return obj  # "$45 million in damages", "$300 million in new funding"; not "in the north", "in May"
    of = next((t for t in after if t.lower_ == "of"), None)
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if of is not None and not (obj is not None and obj.lower_ in _SHARE_OF):
        return obj if obj is not None and (obj.pos_ == "NOUN" or obj.ent_type_ == "NORP") else None  # "of Americans"
    root = _root(span)
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN" \
            and root.head.head.lemma_ not in _LEVELS:
        return root.head.head  # "revenue of $4.3bn", "a net profit of 3.2 billion francs"
    valued = valued_noun(span) if money else None
    if valued is not None and valued.lemma_ not in _LEVELS:
        return valued
    node = root
    for _ in range(4):
        if node.head.i == node.i:
            break
        node, below = node.head, node
        if below.lower_ == "worth" and money:
            return _worth(node)
        if below.lower_ == "at" and below.dep_ == "prep" and node.dep_ == "dobj" and node.pos_ == "NOUN" \
                and node.head.lemma_ in _SIZING:
            return node  # "estimated the damage at $2 billion to $3 billion", 'at' on the object
        if node.pos_ in ("VERB", "AUX"):
            obj = next((c for c in node.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
            if below.lower_ == "at" and below.dep_ == "prep" and obj is not None and node.lemma_ in _SIZING:
                return obj  # "estimated the damage at $2 billion", "put the cost at": what the verb sizes
            if below.lower_ in ("by", "to") and below.dep_ == "prep" and obj is not None and obj.lemma_ not in _LEVELS:
                return obj  # "raised its dividend by 10 cents to $1.10", "cut prices by 10%": what changes
            subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"
                         and not span.start <= c.i < span.end), None)  # not the figure's own "40 percent"
            if subj is not None and subj.lemma_ in _LEVELS and not any(c.dep_ == "compound" for c in subj.children):
                return None  # "a total of $5 million was raised"; "sea levels rose 10 cm" measure sea levels
            if subj is not None or node.dep_ != "xcomp":
                return subj  # "the deficit is forecast to reach 5.5%": the subject of the verb 'to reach' hangs on

        if node.pos_ == "NOUN" and node.i > span.end - 1 and node.lower_ not in MEASURES.durations:
            return node  # "a 3% raise"; not "grew 5.6% year on year"
    return None


# a part of a whole ("shares" are no part: "Shares of the company rose 5%" measures shares)
_PARTS = frozenset({"half", "third", "quarter", "fifth", "tenth", "part", "portion", "bulk", "majority"})


def _whole(noun):
    """A part's whole: 'almost a third of the budget, or about $2 billion' is about the budget."""
    if noun is None or noun.lemma_ not in _PARTS:
        return noun
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of is not None else None
    return obj if obj is not None else noun


def _worth(node):
    """What is worth an amount: the noun 'worth' follows, or the object of the verb the parser hung it on ('seized
    1.2 tonnes of cocaine worth £100m': cocaine, through the quantity's 'of')."""
    if node.pos_ in ("VERB", "AUX"):
        node = next((c for c in node.children if c.dep_ == "dobj"), None)
    if node is None or node.pos_ != "NOUN":
        return None
    of = next((c for c in node.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    quantity = any(c.dep_ == "nummod" for c in node.children)
    return obj if quantity and obj is not None and obj.pos_ == "NOUN" else node


def valued_noun(span):
    """The noun an amount right after its 'of' values: 'revenue of $24.1 billion beat forecasts', which the parser
    reads as an amount of 'beat forecasts' when it takes the verb for a modifier; None when no 'of' on a noun."""
    of = span.doc[span.start - 1] if span.start > 0 else None
    return of.head if of is not None and of.lower_ == "of" and of.head.pos_ == "NOUN" and of.head.i < of.i else None


def _elliptical(span, antecedent: str | None, vocab: Vocabulary) -> str | None:
    """An elliptical figure's measure: its antecedent's, unless the word after it names another
    ('200 people were killed and 1,000 injured': injured, with the antecedent's actor)."""
    nxt = span.doc[span.end] if span is not None and span.end < len(span.doc) else None
    cls = None
    if nxt is not None:
        cls = vocab.verbs.get(nxt.lemma_) or vocab.nouns.get(nxt.lower_)
    if cls is None or antecedent is None:
        return antecedent if cls is None else cls
    words = antecedent.split(" ")
    actor = " ".join(words[:-1]) if len(words) > 1 and antecedent.split(" ")[-1] in vocab.nouns.values() else ""
    return f"{actor} {cls}".strip()


def _measure(noun, span, fig, vocab: Vocabulary, aliases) -> tuple[str | None, str | None]:
    """The measure, and the place its noun's owner names when that is where an amount is about: 'Turkey's
    inflation' is inflation in Turkey, but 'US troops' are the United States' troops wherever they are."""
    if noun is None:
        return None, None
    cls = _class(noun, fig, vocab)
    actor = _actor(noun, vocab, aliases)
    if actor is not None and actor[1] and fig.kind != "count":
        return _increment(span, cls, vocab), actor[0]
    return _increment(span, f"{actor[0]} {cls}" if actor else cls, vocab), None


def _class(noun, fig, vocab: Vocabulary) -> str:
    """The measure class of a counted noun: a synonym's class, the class a verb gives people, or the lemma."""
    lemma = _lemma(noun)
    if lemma in _COUNT_NOUNS:
        lemma = fig.unit
    pair = next((f"{c.lower_} {lemma}" for c in noun.lefts if c.dep_ in ("compound", "amod")
                 and f"{c.lower_} {lemma}" in vocab.nouns), None)
    if lemma in vocab.people or lemma not in vocab.nouns and pair is None:
        verb = noun.head if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") else None
        if (verb is not None and verb.lemma_ in vocab.verbs and (lemma in vocab.people or lemma not in vocab.nouns)
                and (vocab.verbs[verb.lemma_] != "troops" or lemma in ("soldier", "troop"))):
            return vocab.verbs[verb.lemma_]
    return vocab.nouns.get(pair or lemma, lemma)


def _actor(noun, vocab: Vocabulary, aliases) -> tuple[str, bool] | None:
    """The nationality or organisation a counted noun's modifiers name ('US troops', 'American soldiers'),
    and whether they name it as a place ('Turkey's', not 'Turkish': 'French artists' are from France,
    not necessarily in it)."""
    for child in noun.lefts:
        if child.dep_ not in ("amod", "compound", "nmod", "poss", "npadvmod"):
            continue
        for tok in child.subtree:
            if tok.ent_type_ in _ACTOR_LABELS:
                ent = entity_at(tok.doc, tok.i)
                text = ent.text if ent is not None else tok.text
                name = vocab.demonyms.get(text.lower()) or canonical_name(text, tok.ent_type_, aliases)
                return name, tok.ent_type_ == "GPE"
            if tok.lower_ in vocab.demonyms:
                return vocab.demonyms[tok.lower_], False
    return None


def _increment(span, measure: str | None, vocab: Vocabulary) -> str | None:
    """'17,000 more troops' counts an increment: its own measure."""
    if measure is None or span is None:
        return measure
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    prev = span.doc[span.start - 1] if span.start > 0 else None
    if (nxt is not None and nxt.lower_ in vocab.increment) or (prev is not None and prev.lower_ in ("another",)):
        return measure + " (more)"
    return measure


def _place(noun, span, aliases) -> str | None:
    """A place the sentence links to the figure: a preposition's object on the noun, its clause or its verb."""
    anchors = [t for t in (noun, _root(span)) if t is not None]
    for words in (_AT, _FROM):  # "stationed in Iraq" before "withdrawn from Syria"
        for anchor in anchors:
            for node in _around(anchor):
                for prep in node.children:
                    if prep.dep_ in ("prep", "dative") and prep.lower_ in words:
                        found = _place_in(prep, aliases)
                        if found:
                            return found
    return None


def _around(token):
    """The token, the clauses that modify it ('troops stationed in ...'), and the verbs above it."""
    yield token
    for child in token.children:
        if child.dep_ in ("acl", "relcl"):
            yield child
    node = token
    for _ in range(3):
        if node.head.i == node.i:
            break
        node = node.head
        yield node
        if node.pos_ in ("VERB", "AUX"):
            for child in node.children:
                if child.dep_ in ("xcomp", "advcl", "conj") and child.pos_ == "VERB":
                    yield child
            break


def _place_in(prep, aliases) -> str | None:
    """The place a preposition itself governs ('in Iraq', 'to the Middle East'), not one deeper in its
    phrase ('in response to the attack on the embassy in Baghdad')."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    objects += [c for o in objects for c in o.children if c.dep_ in ("conj", "appos")]
    for obj in objects:
        ent = entity_at(obj.doc, obj.i)
        if ent is not None and ent.label_ in PLACE_LABELS:
            return canonical_name(ent.text, ent.label_, aliases)
    return None


def _governed_by(token, preps: frozenset) -> bool:
    return token.head.lower_ in preps and token.dep_ == "pobj"


def _root(span):
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head.i == tok.i:
            return tok
    return span[-1]


def _lemma(tok) -> str:
    from transforms.extract.units import singular

    return singular(tok)
