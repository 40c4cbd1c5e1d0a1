"""Selective parsing: the pipeline parses only the sentences extraction reads.

Entities need the NER over every body, and `doc.sents` needs sentence boundaries everywhere; the
tagger, dependency parser, attribute rules and lemmatizer serve figures only: their counted nouns,
qualifiers, ranges and attribution, all read inside the figure's own sentence, and the article's
main place, read from the places its opening paragraphs name. So `selective(nlp)` rearranges a
loaded English pipeline (en_core_web_sm, where NER and senter have their own tok2vec):

    tokenizer -> senter -> paragraph_breaks -> ner -> known_names -> selective_parse

(`known_names`, transforms/extract/known_names.py, sets right the names NER misses or mislabels.)

`selective_parse` gathers each body's needed sentences (`needed_tokens`: a number that can make a
figure, or a place named in the opening paragraphs) into one smaller Doc with the same sentence
boundaries, runs tok2vec, tagger, parser, attribute_ruler and lemmatizer over those Docs a batch at
a time (the attribute rules through `CachedAttributeRuler` and the lemmas through `CachedLemmatizer`:
the same results at a fraction of the cost), and copies tags, morphology, lemmas and trees back. A
sentence nobody reads keeps no tags and a flat tree (its first token the root), so sentences stay
exactly the senter's. `nlp(text)` and `nlp.pipe(texts)` do all of this.
"""
from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator

import numpy as np
from spacy.attrs import DEP, HEAD, IDX, IS_SPACE, LEMMA, LIKE_NUM, LOWER, MORPH, ORTH, POS, SENT_START, SPACY, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.util import minibatch

from transforms.extract import known_names  # noqa: F401  (registers the `known_names` component)
from transforms.extract.figure_filters import dated_number
from transforms.extract.measures import PLACE_LABELS, opening_chars
from transforms.extract.sentences import doc_text, sentence_starts

PARSE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
_DEP_COL, _HEAD_COL = _ATTRS.index(DEP), _ATTRS.index(HEAD)
_DIGIT = re.compile(r"\d")


def selective(nlp: Language) -> Language:
    """The pipeline rearranged for selective parsing (in place; returned for chaining)."""
    missing = [name for name in (*PARSE, "senter", "ner") if name not in nlp.component_names]
    if missing:
        raise ValueError(f"selective parsing needs the components {missing} in the model")
    parts: list[tuple[str, object]] = [(name, nlp.remove_pipe(name)[1]) for name in PARSE]
    parts = [(name, _cached(name, proc)) for name, proc in parts]
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.add_pipe("paragraph_breaks", after="senter")
    nlp.add_pipe("known_names", after="ner")
    component = nlp.add_pipe("selective_parse", last=True)
    assert isinstance(component, SelectiveParse)
    component.parts = parts
    return nlp


def needed_tokens(doc: Doc) -> np.ndarray:
    """The indices of the tokens of the sentences extraction reads (NER has run):

    - a sentence with a number that can make a figure: a number word ("dozen" too) or a token with a digit, unless it
      sits in a date, time or ordinal that `excluded` drops without reading the parse ("March 3, 2024");
    - a sentence of the opening paragraphs that names a place (`main_place` reads what governs it).
    """
    if not len(doc):
        return np.zeros(0, dtype=np.int64)
    starts = sentence_starts(doc)
    bounds = np.append(np.flatnonzero(starts == np.arange(len(doc))), len(doc))
    text = doc_text(doc)
    number = doc.to_array(LIKE_NUM).astype(bool) | (doc.to_array(LOWER) == doc.vocab.strings.add("dozen"))
    digits = [m.start() for m in _DIGIT.finditer(text)]
    if digits:
        number[np.searchsorted(doc.to_array(IDX).astype(np.int64), digits, side="right") - 1] = True
    ent_of = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
    for i in np.flatnonzero(number).tolist():
        ent = ent_of.get(i)
        if ent is not None and dated_number(doc, i, ent):
            number[i] = False
    place, opening = np.zeros(len(doc), dtype=bool), opening_chars(text)
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS and ent.start_char < opening:
            place[ent.start:ent.end] = True
    keep = np.zeros(len(doc), dtype=bool)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if number[a:b].any() or place[a:b].any():
            keep[a:b] = True
    return np.flatnonzero(keep)


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence (senter sometimes runs a heading into the next paragraph)."""
    for i in np.flatnonzero(doc.to_array(IS_SPACE)[:-1]):
        if "\n" in doc[int(i)].text:
            doc[int(i) + 1].is_sent_start = True
    return doc


@Language.factory("selective_parse")
def _make(nlp, name) -> SelectiveParse:  # no annotations: confection's pydantic v1 cannot resolve postponed ones
    return SelectiveParse()


class SelectiveParse:
    """Tagger, parser, attribute rules and lemmatizer over the sentences `needs_parse` picks."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, object]] = []
        self.seconds = 0.0  # CPU seconds spent here since the process started: a run's "parse" stage

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            t0 = time.process_time()
            picked = [_needed(doc) for doc in batch]
            subs = [sub for sub, _ in picked]
            for _name, proc in self.parts:
                subs = list(proc.pipe(subs, batch_size=batch_size)) if hasattr(proc, "pipe") \
                    else [proc(sub) for sub in subs]  # type: ignore[operator]
            for doc, sub, (_, index) in zip(batch, subs, picked, strict=True):
                _copy_back(doc, sub, index)
            self.seconds += time.process_time() - t0
            yield from batch


def _needed(doc: Doc) -> tuple[Doc, np.ndarray]:
    """One Doc of the body's needed sentences, in order, with their boundaries; and where its tokens sit."""
    index = needed_tokens(doc)
    values = doc.to_array([ORTH, SPACY, SENT_START])[index]  # uint64: hashes, flags, 1 / -1 / 0
    strings = doc.vocab.strings
    starts = values[:, 2].view(np.int64) == 1
    if len(starts):
        starts[0] = True
    sub = Doc(doc.vocab, words=[strings[int(orth)] for orth in values[:, 0]], spaces=values[:, 1].astype(bool).tolist(),
              sent_starts=starts.tolist())
    return sub, index


def _copy_back(doc: Doc, sub: Doc, index: np.ndarray) -> None:
    """The sub-Doc's annotations onto the body; other sentences get a flat tree rooted at their first token."""
    if not len(doc):
        return
    values = np.zeros((len(doc), len(_ATTRS)), dtype=np.int64)
    starts = sentence_starts(doc)
    positions = np.arange(len(doc))
    values[:, _HEAD_COL] = starts - positions
    values[:, _DEP_COL] = np.where(starts == positions, doc.vocab.strings.add("ROOT"), doc.vocab.strings.add("dep"))
    if len(index):
        values[index] = sub.to_array(_ATTRS).view(np.int64)
    doc.from_array(_ATTRS, values.view(np.uint64))  # type: ignore[arg-type]  # spaCy's stub wants int32


# What a single-token attribute rule may read for its match to follow from the token's (ORTH, TAG, DEP)
_KEYED = {"ORTH", "TEXT", "LOWER", "IS_SPACE", "TAG", "DEP"}


def _cached(name: str, proc):
    """The attribute ruler with its single-token rules looked up, the lemmatizer with its lemmas remembered;
    the stock component when its rules read more, or it is of another kind."""
    try:
        return {"attribute_ruler": CachedAttributeRuler, "lemmatizer": CachedLemmatizer}[name](proc)
    except (KeyError, ValueError):
        return proc


class CachedAttributeRuler:
    """spaCy's AttributeRuler, with the same result, its single-token rules looked up instead of matched.

    Most of the model's rules read one token (its tag, lower-cased text, dependency label), and the
    Matcher evaluates each rule's predicates on every token: ~10% of the selective parse's CPU. Here the
    rules a token matches are found once per (ORTH, TAG, DEP) by the ruler's own patterns over that
    token alone, and remembered; rules over several tokens still go through a Matcher over the Doc.
    Each token then gets its rules' attributes in the ruler's order (a later rule wins), as
    `AttributeRuler.set_annotations` sets them.
    """

    def __init__(self, ruler, cache_size: int = 40_000) -> None:  # ~10 MB at most
        self.ruler, self.cache_size = ruler, cache_size
        self.single, self.multi = Matcher(ruler.vocab), Matcher(ruler.vocab)
        for attr_id, entry in enumerate(ruler.patterns):
            one = [p for p in entry["patterns"] if len(p) == 1]
            more = [p for p in entry["patterns"] if len(p) != 1]
            if any(name.upper() not in _KEYED for p in one for name in p[0]):
                raise ValueError(f"the attribute rule {entry} reads more than a token's text, tag and dependency")
            if one:
                self.single.add(str(attr_id), one)
            if more:
                self.multi.add(str(attr_id), more)
        # (ORTH, TAG, DEP) -> (the single-token rules it matches, in order; their attributes merged)
        self._rules: dict[tuple[int, ...], tuple[tuple[int, ...], dict]] = {}
        self._merged: dict[tuple[int, ...], tuple[tuple[int, ...], dict]] = {}  # one per set of rules (a few hundred)

    def __call__(self, doc: Doc) -> Doc:
        strings, rules, attrs = doc.vocab.strings, self._rules, self.ruler.attrs
        if len(rules) > self.cache_size:
            rules.clear()
        found = []
        for i, key in enumerate(map(tuple, doc.to_array([ORTH, TAG, DEP]).tolist())):
            hit = rules.get(key)
            if hit is None:
                ids = tuple(sorted(int(strings[m]) for m, _, _ in self.single(doc[i:i + 1], allow_missing=True)))
                hit = self._merged.get(ids)
                if hit is None:
                    hit = self._merged[ids] = (ids, {k: v for a in ids for k, v in attrs[a].items()})
                rules[key] = hit
            found.append(hit)
        extra: dict[int, list[int]] = defaultdict(list)  # token -> the rules over several tokens it takes
        if len(self.multi):
            for m, start, end in self.multi(doc, allow_missing=True):
                attr_id = int(strings[m])
                extra[doc[start:end][self.ruler.indices[attr_id]].i].append(attr_id)
        for i, (ids, merged) in enumerate(found):
            if i in extra:
                for a in sorted((*ids, *extra[i])):
                    set_token_attrs(doc[i], attrs[a])
            elif merged:
                set_token_attrs(doc[i], merged)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


class CachedLemmatizer:
    """spaCy's rule lemmatizer, with the same result, each (ORTH, POS, MORPH) lemmatized once.

    A rule lemma follows from the token's text, part of speech and morphology alone, but spaCy's
    Lemmatizer sets each token's lemma through a Token object, and its cache misses every base form
    (singular nouns, infinitives: `is_base_form` reads the morphology again each time): 12% of the
    selective parse's CPU. Here the keys are read as one array, each new key is lemmatized once by the
    lemmatizer itself, and the lemmas are written back as one array. Lemmas are remembered as strings,
    added to each Doc's vocabulary as it needs them (a memory zone forgets the strings it added).
    As spaCy's, it sets only tokens without a lemma unless the lemmatizer overwrites.
    """

    def __init__(self, lemmatizer, cache_size: int = 100_000) -> None:  # ~15 MB at most
        if getattr(lemmatizer, "mode", None) != "rule":
            raise ValueError(f"only a rule lemmatizer is cached, not {type(lemmatizer).__name__}")
        self.lemmatizer, self.cache_size = lemmatizer, cache_size
        self._lemmas: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        lemmas, lemmatize, strings = self._lemmas, self.lemmatizer.lemmatize, doc.vocab.strings
        if len(lemmas) > self.cache_size:
            lemmas.clear()
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        todo = np.arange(len(doc)) if self.lemmatizer.overwrite else np.flatnonzero(values[:, 3] == 0)
        found = []
        for i, key in zip(todo.tolist(), map(tuple, values[todo, :3].tolist()), strict=True):
            lemma = lemmas.get(key)
            if lemma is None:
                lemma = lemmas[key] = lemmatize(doc[i])[0]
            found.append(lemma)
        out = values[:, 3].copy()
        hashes = {lemma: strings.add(lemma) for lemma in set(found)}
        out[todo] = [hashes[lemma] for lemma in found]
        doc.from_array([LEMMA], out.reshape(-1, 1))  # type: ignore[arg-type]  # spaCy stub: int32
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)
