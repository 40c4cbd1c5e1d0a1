"""Exact TreeSHAP values of a LightGBM model, as tables looked up per row.

The cleaner names each removal by the feature group that pulled its probability down the most,
from SHAP values (`CleanerModel.reasons`). LightGBM's own `pred_contrib` walks every tree per row
(Lundberg et al.'s Algorithm 2), ~0.23 ms a row for this model: a third of the cleaner's time.

Under the tree's own conditioning (path-dependent SHAP), a leaf reached through the distinct
features P = {1..k} adds, to the expectation given a coalition S, v * prod_{j in S} o_j *
prod_{j not in S} z_j, where v is the leaf's value, z_j the share of the training rows that follow
the path's splits on feature j, and o_j is 1 if the row satisfies them, else 0. A leaf's SHAP
value for feature i on its path is then

    v * (o_i - z_i) * sum_{S in P without i} |S|! (k - |S| - 1)! / k! * prod_{j in S} o_j * prod_{j not in S, i} z_j,

a function of the row only through which of the k features it agrees with: 2^k patterns. Tabled
once per model (every leaf, every pattern, every feature on its path; ~5 MB for the shipped model),
a row's values are a few array operations over all leaves at once: which conditions it meets,
the pattern of each leaf, and the tabled values summed per feature. The same numbers as
`pred_contrib` up to rounding (tests/transforms/clean/test_treeshap.py).
"""
from __future__ import annotations

from math import factorial

import numpy as np


class TreeShap:
    """SHAP values per feature (no bias column) of a LightGBM booster with numerical `<=` splits."""

    def __init__(self, booster):
        dump = booster.dump_model()
        self.n_features = dump["max_feature_idx"] + 1
        leaves = [leaf for tree in dump["tree_info"] for leaf in _leaves(tree["tree_structure"])]
        leaves = [leaf for leaf in leaves if leaf[1]]  # a tree of one leaf explains nothing
        # a slot: one feature on one leaf's path; the row agrees with the path's splits on it when low < x <= high
        slots = [(n, pos, f, max((t for t, left, _ in splits if not left), default=-np.inf),
                  min((t for t, left, _ in splits if left), default=np.inf))
                 for n, (_, path) in enumerate(leaves) for pos, (f, splits) in enumerate(path.items())]
        leaf, pos, feature, low, high = (np.array(column) for column in zip(*slots, strict=True))
        self.feature, self.low, self.high = feature, low[:, None], high[:, None]
        self.bit = (np.int64(1) << pos)[:, None]
        self.leaf_start = np.flatnonzero(pos == 0)
        self.leaf = leaf
        self.table, offsets, widths = _tables(leaves)
        self.offset, self.width = (offsets[leaf] + pos)[:, None], widths[leaf][:, None]
        self.by_feature = np.argsort(feature, kind="stable")
        self.features = np.unique(feature)
        self.feature_start = np.searchsorted(feature[self.by_feature], self.features)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """The SHAP values of each row of x (rows x features)."""
        x = np.nan_to_num(np.asarray(x, np.float64).T, nan=0.0)[self.feature]  # missing type None: NaN is 0
        agree = (x > self.low) & (x <= self.high)
        pattern = np.add.reduceat(agree * self.bit, self.leaf_start, axis=0)
        values = self.table[self.offset + pattern[self.leaf] * self.width]
        out = np.zeros((self.n_features, x.shape[1]))
        out[self.features] = np.add.reduceat(values[self.by_feature], self.feature_start, axis=0)
        return out.T


def supported(booster) -> bool:
    """Whether every split of the booster is one `TreeShap` reads: numerical `<=`, no missing-value branch."""
    def ok(node) -> bool:
        return "leaf_value" in node or (node["decision_type"] == "<=" and node["missing_type"] == "None"
                                        and ok(node["left_child"]) and ok(node["right_child"]))
    return all(ok(tree["tree_structure"]) for tree in booster.dump_model()["tree_info"])


def _leaves(node, path: dict | None = None):
    """(value, {feature: [(threshold, went left, share of the rows), ...]}) of each leaf under node."""
    path = path or {}
    if "leaf_value" in node:
        yield node["leaf_value"], path
        return
    f, count = node["split_feature"], node["internal_count"]
    for child, went_left in ((node["left_child"], True), (node["right_child"], False)):
        share = (child["leaf_count"] if "leaf_value" in child else child["internal_count"]) / count
        yield from _leaves(child, {**path, f: [*path.get(f, []), (node["threshold"], went_left, share)]})


def _tables(leaves: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All leaves' tables, flat: leaf n's value for the feature at path position j under pattern p is at
    offsets[n] + p * widths[n] + j. Leaves with the same number of path features are tabled together."""
    widths = np.array([len(path) for _, path in leaves], np.int64)
    sizes = widths * (1 << widths)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    table = np.zeros(int(sizes.sum()))
    for k in np.unique(widths).tolist():
        members = np.flatnonzero(widths == k)
        value = np.array([leaves[n][0] for n in members])
        zero = np.array([[np.prod([s for _, _, s in splits]) for splits in leaves[n][1].values()] for n in members])
        one = (np.arange(1 << k)[:, None] >> np.arange(k)) & 1  # pattern x position
        weight = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
        phi = np.empty((len(members), 1 << k, k))
        for i in range(k):
            poly = np.ones((len(members), 1 << k, 1))  # prod_{j != i} (z_j + o_j t), coefficients by power of t
            for j in range(k):
                if j != i:
                    z, o = zero[:, None, j, None], one[None, :, j, None]
                    poly = np.concatenate([poly * z, np.zeros_like(poly[..., :1])], axis=2) \
                        + np.concatenate([np.zeros_like(poly[..., :1]), poly * o], axis=2)
            phi[:, :, i] = value[:, None] * (one[None, :, i] - zero[:, None, i]) * (poly @ weight)
        for row, n in enumerate(members.tolist()):
            table[offsets[n]:offsets[n] + sizes[n]] = phi[row].ravel()
    return table, offsets, widths
