"""Sentence numbers from the Doc's sentence starts, read as one array (iterating `doc.sents` builds every token),
and the Doc's text, built once.

spaCy is imported inside the functions: the flow's process imports the extract modules without it."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Doc


def sentence_starts(doc: Doc) -> np.ndarray:
    """For each token, the index of the first token of its sentence."""
    from spacy.attrs import SENT_START

    if not len(doc):
        return np.zeros(0, dtype=np.int64)
    first = doc.to_array(SENT_START).view(np.int64) == 1
    first[0] = True
    return np.maximum.accumulate(np.where(first, np.arange(len(doc)), 0))


def sentence_index(doc: Doc) -> dict[int, int]:
    """The number of each sentence (0, 1, ...) by the index of its first token."""
    starts = sentence_starts(doc)
    return {int(start): i for i, start in enumerate(np.flatnonzero(starts == np.arange(len(doc))))}


_TEXT = "newsetl.text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, kept in the Doc's user data after the first read: spaCy joins it from a new Token object
    for every token each time it is read (~3 ms for a news body), and several steps read it."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text
