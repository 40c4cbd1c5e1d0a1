"""The spaCy model, loaded once per process behind an importable function (safe for Dask workers)."""
from __future__ import annotations

import threading
from functools import lru_cache

from flows.settings import SPACY_MODEL

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load():
    import spacy

    from transforms.extract.tokenize import customize

    return customize(spacy.load(SPACY_MODEL))


def get_nlp():
    """The English pipeline (tagger, parser, lemmatizer, NER), loaded on first use."""
    with _LOCK:
        return _load()

