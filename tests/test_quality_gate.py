"""CI gate on quality: fails when a dev-set score falls under its pinned floor (see eval_gate.py)."""
from tests.eval_gate import below_floor, measure


def test_quality_does_not_regress():
    failures = below_floor(measure())
    assert not failures, "quality regression: " + "; ".join(failures)
