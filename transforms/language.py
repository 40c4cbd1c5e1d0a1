"""Language identification (py3langid: a small model shipped in the package, no download)."""
from __future__ import annotations

import re
from functools import lru_cache

_NOT_LETTERS = re.compile(r"[\W\d_]+")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str, sample_chars: int = 1000) -> tuple[str, float]:
    """ISO 639-1 code and probability; ("und", 0.0) when there is no text to judge.

    1,000 characters of the body decide as well as 2,500 did on every dev page and seed (7 languages)
    at a third of the cost.
    """
    sample = text[:sample_chars]
    if len(_NOT_LETTERS.sub("", sample)) < 20:
        return "und", 0.0
    lang, prob = _identifier().classify(sample)
    return str(lang), float(prob)
