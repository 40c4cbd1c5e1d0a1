"""The shipped cleaner model: a LightGBM classifier over line features, and the lexicon it reads.

The model files (`transforms/data/cleaner/`) are made by `make train-cleaner` from the dev sets and
are versioned data: `model.txt` (LightGBM's own text format), `lexicon.json`, `meta.json` (version,
feature names, the keep threshold, what it was trained on). When they are absent, or LightGBM is,
the cleaner falls back to its rules (`rules.py`).
"""
from __future__ import annotations

import json
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

from transforms.clean.features import GROUPS, NAMES
from transforms.clean.lexicon import Lexicon
from transforms.clean.signals import SHAPE_ORDER
from transforms.clean.treeshap import TreeShap, supported

DATA = "data/cleaner"
_SHAPE, _PROSE = NAMES.index("shape"), NAMES.index("prose")
_TEASER = [NAMES.index("teaser_marker"), NAMES.index("teaser_run")]
_LABEL_CODES = [SHAPE_ORDER.index(n) + 1 for n in ("advertisement", "share", "newsletter", "cookie", "widget")]
_BOX_CODES = [SHAPE_ORDER.index(n) + 1 for n in ("advertisement", "share", "newsletter", "caption", "widget")]
# A box inside an article (links to other stories, an ad, a sign-up form, a caption: at most BOX_LINES lines)
# does not end it: the prose after it is kept from BRIDGE_PROBABILITY up. Cross-validated on the dev sets at
# the shipped thresholds: open-web F1 0.8813 -> 0.8827 (P 0.904 -> 0.903, R 0.860 -> 0.863), news 0.9166 ->
# 0.9168; from 0.1 up 0.8817, from 0.3 up 0.8821; boxes of any length the same as of 8 lines; the paragraphs
# after the first from half of it the same as from 0.2 or 0.05.
BRIDGE_PROBABILITY, BOX_LINES = 0.2, 8


class CleanerModel:
    """P(keep) for every line of a page, and the signal behind each removal."""

    def __init__(self, booster, lexicon: Lexicon, meta: dict):
        if tuple(meta["features"]) != NAMES:
            raise ValueError("the cleaner model was trained on other features: run `make train-cleaner`")
        self.booster, self.lexicon, self.meta = booster, lexicon, meta
        self.threshold: float = meta["threshold"]
        self.extend_threshold: float = meta.get("extend_threshold", self.threshold)
        self.version: str = meta["version"]

    @cached_property
    def _tabled(self) -> TreeShap | None:
        return TreeShap(self.booster) if supported(self.booster) else None

    def shap(self, features: np.ndarray) -> np.ndarray:
        """SHAP values per feature of each row: tabled (`treeshap.py`) when the trees allow, else LightGBM's own."""
        if self._tabled is not None:
            return self._tabled(features)
        return self.booster.predict(features, pred_contrib=True, num_threads=1)[:, :-1]

    def keep(self, features: np.ndarray) -> np.ndarray:
        """Which lines to keep (`keep_lines`) at the model's thresholds."""
        return keep_lines(self.keep_probability(features), features, self.threshold, self.extend_threshold)

    def keep_probability(self, features: np.ndarray) -> np.ndarray:
        """The probability that each line (a row of features) belongs to the article."""
        if not len(features):
            return np.zeros(0)
        return self.booster.predict(features, num_threads=1)

    def reasons(self, features: np.ndarray) -> list[str]:
        """For each row, the feature group that pulled its probability down the most (its SHAP share)."""
        if not len(features):
            return []
        contributions = self.shap(features)
        groups = sorted(set(GROUPS))
        column = {g: [i for i, name in enumerate(GROUPS) if name == g] for g in groups}
        by_group = np.column_stack([contributions[:, column[g]].sum(axis=1) for g in groups])
        return [groups[i] for i in np.argmin(by_group, axis=1)]


def keep_lines(probability: np.ndarray, features: np.ndarray, high: float, low: float) -> np.ndarray:
    """Which lines to keep: hysteresis over their probabilities (high, low), where a line shaped as a label no
    article writes is kept only on its own probability (`labels`); then the article's prose after a box
    inside it (`bridge`)."""
    if not len(probability):
        return np.zeros(0, dtype=bool)
    keep = hysteresis(probability, high, low, labels(features))
    boxes = np.isin(features[:, _SHAPE], _BOX_CODES) | features[:, _TEASER].any(axis=1)
    return bridge(keep, probability, boxes, features[:, _PROSE] > 0)


def bridge(keep: np.ndarray, probability: np.ndarray, boxes: np.ndarray, prose: np.ndarray,
           threshold: float = BRIDGE_PROBABILITY, box_lines: int = BOX_LINES) -> np.ndarray:
    """The kept lines, and the prose lines right after a box of at most `box_lines` lines that follows a kept
    line, the first at `threshold` or above, the next at half of it (as hysteresis goes on): "Related: ..." or
    "Advertisement" between two paragraphs of an article leaves the paragraphs after it less likely, as the
    end of an article does, though the article goes on."""
    keep = keep.copy()
    n, i = len(keep), 0
    while i < n - 1:
        if not (keep[i] and not keep[i + 1] and boxes[i + 1]):
            i += 1
            continue
        j = i + 1
        while j < n and boxes[j] and not keep[j]:
            j += 1
        k = j
        if j - i - 1 <= box_lines:
            while k < n and not keep[k] and prose[k] and probability[k] >= (threshold if k == j else threshold / 2):
                keep[k] = True
                k += 1
        i = max(k, i + 1)
    return keep


def labels(features: np.ndarray) -> np.ndarray:
    """Rows whose line has the shape of a label no article writes (an advertisement, share or newsletter
    label, a cookie or copyright notice, a widget: "Loading...", "Categories: ...", "Posted by admin on
    ..."): "ADVERTISEMENT" between two paragraphs is no short paragraph."""
    return np.isin(features[:, _SHAPE], _LABEL_CODES) if len(features) else np.zeros(0, dtype=bool)


def hysteresis(probability: np.ndarray, high: float, low: float, labels: np.ndarray | None = None) -> np.ndarray:
    """Lines kept: those at `high` or above, and with them their neighbours at `low` or above, run by
    run (an article's last short paragraph scores lower than its middle, not lower than a menu); a
    line among `labels` is no neighbour kept so. When no line reaches `high`, the likeliest line at `low`
    or above stands in for it: a page whose article reads unlike the ones the model learned from keeps
    its best sentences rather than being quarantined as having no main text."""
    keep = probability >= high
    weak = probability >= low
    if labels is not None:
        weak &= ~labels
    if not keep.any() and weak.any():
        keep[int(np.argmax(np.where(weak, probability, -1.0)))] = True
    for i in range(1, len(keep)):
        keep[i] |= weak[i] and keep[i - 1]
    for i in range(len(keep) - 2, -1, -1):
        keep[i] |= weak[i] and keep[i + 1]
    return keep


@lru_cache(maxsize=1)
def load_model() -> CleanerModel | None:
    """The shipped model, loaded once per process; None when its files or LightGBM are missing."""
    try:
        import lightgbm

        folder = resources.files("transforms").joinpath(DATA)
        meta = json.loads(folder.joinpath("meta.json").read_text("utf-8"))
        lexicon = Lexicon(json.loads(folder.joinpath("lexicon.json").read_text("utf-8")))
        booster = lightgbm.Booster(model_str=folder.joinpath("model.txt").read_text("utf-8"))
    except (FileNotFoundError, ImportError):
        return None
    return CleanerModel(booster, lexicon, meta)
