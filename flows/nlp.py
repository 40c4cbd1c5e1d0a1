"""The spaCy model, loaded once per process behind an importable function (safe for Dask workers)."""
from __future__ import annotations

import threading
from functools import lru_cache

from flows.settings import SPACY_MODEL

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load():
    import spacy

    from transforms.extract.parse import selective
    from transforms.extract.tokenize import customize

    return selective(customize(spacy.load(SPACY_MODEL)))


def get_nlp():
    """The English pipeline, loaded on first use: NER and sentences over every body, tags, parse and lemmas
    over the sentences extraction reads (transforms/extract/parse.py)."""
    with _LOCK:
        return _load()

