"""Claims across sources, end to end: the hand-made set's groups, near-copies and disputes, and the seeds' group."""
import tempfile
from pathlib import Path

from tests.claims_eval import report, run_pipeline, scores
from tests.flows.test_end_to_end import q


def test_the_claims_set_groups_every_quantity_purely_and_finds_the_syndicated_copy(prefect_api):
    with tempfile.TemporaryDirectory() as tmp:
        run_pipeline(Path(tmp) / "wh", env=prefect_api)
        result = scores(Path(tmp) / "wh")
    assert report(result), result


def test_the_seeds_group_about_us_troops_in_iraq_is_disputed(seeds_warehouse):
    rows = q(seeds_warehouse, """SELECT disputed,
                                        [(c.value, c.qualifier, c.attributed_to, c.source_name) FOR c IN claims]
                                 FROM claim_groups WHERE measure = 'United States troops' AND place = 'Iraq'""")
    assert len(rows) == 1
    disputed, claims = rows[0]
    assert disputed
    assert (2500.0, "approx", "US government", None) in claims
    assert (3000.0, "at_least", "Iraqi sources", None) in claims
    assert any(v == 3000.0 and qual == "at_least" and source == "Press TV" for v, qual, _, source in claims)
