"""The lexicon: how much each word (and word start, and word pair) leans to article text or to boilerplate.

Learned by `scripts/train_cleaner.py` from the dev sets as naive-Bayes log-odds (a word's share of
kept lines against its share of dropped lines, smoothed), so it speaks every language the dev sets
hold (German, English, French, Spanish, Polish, ...) without a phrase typed in: "newsletter",
"Datenschutz", "Kommentare" lean to boilerplate because the pages say so. A line's score is over the
distinct tokens it holds.
"""
from __future__ import annotations

import math
import re

import numpy as np

_TOKEN = re.compile(r"\w+|[^\w\s]")
PREFIX_CHARS = 5      # long words also count by their start ("datenschutz" -> "p:daten"): languages inflect
PREFIX_MIN_WORD = 7


def tokens(lower: str) -> set[str]:
    """The tokens of a lower-cased line: words and marks (not numbers), long words' starts, word pairs."""
    words = [w for w in _TOKEN.findall(lower) if not w.isdigit()]
    out = set(words)
    out.update("p:" + w[:PREFIX_CHARS] for w in words if len(w) >= PREFIX_MIN_WORD)
    out.update(a + " " + b for a, b in zip(words, words[1:], strict=False))
    return out


class Lexicon:
    """Token -> log-odds of article text."""

    def __init__(self, scores: dict[str, float]):
        self.scores = scores

    def line_scores(self, lower: list[str]) -> np.ndarray:
        """Per line: the sum, mean and lowest score of its known tokens, and how many it has."""
        get = self.scores.get
        out = np.zeros((len(lower), 4))
        for i, line in enumerate(lower):
            found = [s for s in map(get, tokens(line)) if s is not None]
            if found:  # fsum: the same total whatever order the set gives (string hashes vary per process)
                total = math.fsum(found)
                out[i] = (total, total / len(found), min(found), len(found))
        return out
