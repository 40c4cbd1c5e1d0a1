"""Stop words for the language of a page, from jusText's lists (about 100 languages); none typed in here."""
from __future__ import annotations

from functools import lru_cache

# ISO 639-1 codes whose jusText list is not CLD2's language name, capitalised.
_JUSTEXT_NAMES = {"no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk",
                  "fy": "West_Frisian", "pa": "Western_Panjabi", "ht": "Haitian", "sh": "Serbo_Croatian"}


@lru_cache(maxsize=64)
def stop_words(language: str) -> tuple[frozenset[str], bool]:
    """The lower-case stop words of a language (ISO 639-1) and whether the language has its own list;
    languages without one get the union of all lists, so stop-word density still means something."""
    import justext
    import pycld2

    names = {code: name for name, code in pycld2.LANGUAGES}
    name = _JUSTEXT_NAMES.get(language) or (names.get(language) or "").capitalize()
    if name in justext.get_stoplists():
        return frozenset(w.lower() for w in justext.get_stoplist(name)), True
    return _all_stop_words(), False


@lru_cache(maxsize=1)
def _all_stop_words() -> frozenset[str]:
    import justext

    return frozenset(w.lower() for name in justext.get_stoplists() for w in justext.get_stoplist(name))
