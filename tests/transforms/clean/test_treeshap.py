"""Tabled TreeSHAP: the same values as LightGBM's own `pred_contrib`, on the shipped model and on trees
that split a feature more than once on a path."""
import lightgbm
import numpy as np
import pytest

from tests.conftest import SEEDS, seed_text
from transforms.clean.cleaner import page_facts
from transforms.clean.features import line_features
from transforms.clean.lines import split_lines
from transforms.clean.model import load_model
from transforms.clean.treeshap import TreeShap, supported
from transforms.options import DEFAULT


def _lightgbm(booster, x):
    return booster.predict(x, pred_contrib=True, num_threads=1)[:, :-1]


def _page_rows(model):
    rows = []
    for name in sorted(p.name for p in SEEDS.glob("*.txt")):
        text = seed_text(name)
        lines = split_lines(text)
        rows.append(line_features(lines, page_facts(lines, text, DEFAULT.clean), model.lexicon, DEFAULT.clean))
    return np.vstack(rows)


def test_the_shipped_model_tabled_is_lightgbms_treeshap():
    model = load_model()
    assert supported(model.booster)
    x = _page_rows(model)
    assert len(x) > 50
    ours, theirs = TreeShap(model.booster)(x), _lightgbm(model.booster, x)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    assert np.abs(theirs).max() > 0.1  # not all zero
    assert model.reasons(x[:40]) == _reasons_from(theirs[:40])


def _reasons_from(contributions):
    from transforms.clean.features import GROUPS

    groups = sorted(set(GROUPS))
    sums = np.column_stack([contributions[:, [i for i, g in enumerate(GROUPS) if g == group]].sum(axis=1)
                            for group in groups])
    return [groups[i] for i in np.argmin(sums, axis=1)]


@pytest.mark.parametrize("seed", [0, 1])
def test_deep_trees_with_repeated_features_and_missing_values(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3000, 6))
    y = ((x[:, 0] > 0.3) & (x[:, 0] < 1.2)) ^ (x[:, 1] * x[:, 2] > 0.1) | (x[:, 3] > 1.5)
    booster = lightgbm.train({"objective": "binary", "num_leaves": 40, "min_data_in_leaf": 5, "verbose": -1,
                              "use_missing": False, "seed": seed}, lightgbm.Dataset(x, y.astype(int)), 30)
    assert supported(booster)
    paths = booster.dump_model()["tree_info"]
    assert any(_repeats(tree["tree_structure"], ()) for tree in paths)  # a feature split twice on one path
    probe = rng.normal(size=(500, 6)) * 1.5
    probe[::7, 0] = np.nan  # missing type None: LightGBM reads NaN as 0
    probe[::11, 2] = 0.0
    np.testing.assert_allclose(TreeShap(booster)(probe), _lightgbm(booster, probe), rtol=0, atol=1e-10)


def _repeats(node, seen):
    if "leaf_value" in node:
        return False
    f = node["split_feature"]
    return f in seen or _repeats(node["left_child"], (*seen, f)) or _repeats(node["right_child"], (*seen, f))


def test_a_model_with_missing_value_branches_falls_back_to_lightgbm():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2000, 3))
    x[::5, 0] = np.nan
    y = (np.nan_to_num(x[:, 0], nan=2.0) > 0.5).astype(int)
    booster = lightgbm.train({"objective": "binary", "num_leaves": 8, "verbose": -1},
                             lightgbm.Dataset(x, y), 5)
    assert not supported(booster)  # NaN has its own branch: not what the tables read
