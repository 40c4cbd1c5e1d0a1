"""Stop words for the language of a page, from jusText's lists (about 100 languages); none typed in here."""
from __future__ import annotations

from functools import lru_cache
from itertools import chain

import numpy as np

# ISO 639-1 codes whose jusText list is not CLD2's language name, capitalised.
_JUSTEXT_NAMES = {"no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk",
                  "fy": "West_Frisian", "pa": "Western_Panjabi", "ht": "Haitian", "sh": "Serbo_Croatian"}


class StopWords:
    """A set of lower-case words held as their sorted 64-bit hashes, counted line by line.

    The union of every list (178,000 words, for pages in a language without one) takes 1.4 MB so,
    where a frozenset of the strs took 20 MB in every worker process. Python's str hash is 64 bits
    (SipHash): two words share one with a chance of about 1e-14 a token.
    """

    __slots__ = ("_hashes", "own_list")

    def __init__(self, words, own_list: bool):
        self._hashes = np.unique(np.fromiter((hash(w.lower()) for w in words), np.int64))
        self.own_list = own_list  # the language has a list of its own (else: every language's words)

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, word: str) -> bool:
        return bool(self.count([[word]])[0])

    def count(self, lines: list[list[str]]) -> np.ndarray:
        """How many of each line's tokens are stop words."""
        sizes = np.fromiter(map(len, lines), np.int64, len(lines))
        tokens = np.fromiter(map(hash, chain.from_iterable(lines)), np.int64, int(sizes.sum()))
        if not len(tokens) or not len(self._hashes):
            return np.zeros(len(lines), np.int64)
        found = self._hashes[self._hashes.searchsorted(tokens).clip(max=len(self._hashes) - 1)] == tokens
        line = np.repeat(np.arange(len(lines)), sizes)
        return np.bincount(line, weights=found, minlength=len(lines)).astype(np.int64)


@lru_cache(maxsize=64)
def stop_words(language: str) -> StopWords:
    """The stop words of a language (ISO 639-1); languages without a list of their own get the union
    of all lists, so stop-word density still means something."""
    import justext
    import pycld2

    names = {code: name for name, code in pycld2.LANGUAGES}
    name = _JUSTEXT_NAMES.get(language) or (names.get(language) or "").capitalize()
    if name in justext.get_stoplists():
        return StopWords(justext.get_stoplist(name), own_list=True)
    return _all_stop_words()


@lru_cache(maxsize=1)
def _all_stop_words() -> StopWords:
    import justext

    lists = (justext.get_stoplist(name) for name in justext.get_stoplists())
    return StopWords(chain.from_iterable(lists), own_list=False)
