"""The spaCy model, loaded once per process behind an importable function (safe for Dask workers)."""
from __future__ import annotations

import threading
from functools import lru_cache

from flows.settings import SPACY_MODEL

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load():
    import spacy

    from transforms.tokenize import customize

    return customize(spacy.load(SPACY_MODEL))


def get_nlp():
    """The English pipeline (tagger, parser, lemmatizer, NER), loaded on first use."""
    with _LOCK:
        return _load()


def parse(texts: list[str], batch_size: int = 32, n_process: int = 1):
    """Docs for the texts, in order, via nlp.pipe."""
    return list(get_nlp().pipe(texts, batch_size=batch_size, n_process=n_process))
