"""Names the NER model misses or mislabels, set right after NER (`known_names`, data/known_names.json).

en_core_web_sm learned its entities from text written before Kyiv, Kharkiv or Rafah were in the news:
it calls Kyiv an organisation, "Kharkiv and Odesa" a work of art, Rafah and Khan Younis people, or
nothing at all. The data file lists such names by label; each whole-word, case-sensitive mention
becomes an entity of that label, unless NER found a longer name that holds it ("Kyiv Post", "Gaza
Health Ministry"): an entity made of listed names alone (with "and" or commas between, or a number NER
took in: "gives Biden 306 electoral votes") gives way.
The figures' places and sources read the corrected entities too.
"""
from __future__ import annotations

import json
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

_JOINERS = frozenset({"and", ",", "&"})


def load_known_names() -> dict[str, list[str]]:
    """Label -> names, from the packaged data file."""
    raw = json.loads(resources.files("transforms").joinpath("data/known_names.json").read_text("utf-8"))
    return {label: names for label, names in raw.items() if not label.startswith("_")}


@Language.factory("known_names")
def _make(nlp, name):  # no annotations: confection's pydantic v1 cannot resolve postponed ones
    return KnownNames(nlp)


class KnownNames:
    """The pipeline component: listed names become entities of their label (see the module's doc)."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for label, names in load_known_names().items():
            self.matcher.add(label, [nlp.make_doc(name) for name in names])

    def __call__(self, doc: Doc) -> Doc:
        matches = [Span(doc, start, end, label=label) for label, start, end in self.matcher(doc)]
        if not matches:
            return doc
        listed = {i for span in matches for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not _only_listed(doc, e, listed)]
        taken = {i for e in kept for i in range(e.start, e.end)}
        added = [s for s in _longest(matches) if not any(i in taken for i in range(s.start, s.end))]
        doc.ents = sorted([*kept, *added], key=lambda s: s.start)
        return doc


def _only_listed(doc: Doc, ent: Span, listed: set[int]) -> bool:
    """An entity of listed names and joiners alone, or with a number NER took in ("Biden 306")."""
    return any(i in listed for i in range(ent.start, ent.end)) and all(
        i in listed or doc[i].lower_ in _JOINERS or doc[i].like_num for i in range(ent.start, ent.end))


def _longest(spans: list[Span]) -> list[Span]:
    """Overlapping matches: the longest ('Gaza City' over 'Gaza' if both were listed)."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        if not out or span.start >= out[-1].end:
            out.append(span)
    return out
