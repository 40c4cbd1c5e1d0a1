"""Claim groups: one measure, comparable unit and place, within 31 days; ids that stay put."""
from datetime import date

from transforms.compare.claims import group_ids, unit_class


def test_groups_span_batches_within_the_window_and_split_after_it():
    claims = [("a", 0, "troops", "count", "Iraq", date(2026, 11, 1)),
              ("b", 0, "troops", "count", "Iraq", date(2026, 11, 20)),   # joins a's group
              ("c", 0, "troops", "count", "Iraq", date(2026, 12, 15)),   # 44 days after a: the next group
              ("d", 0, "troops", "count", "Syria", date(2026, 11, 2)),   # another place
              ("e", 0, "deaths", "count", "Iraq", date(2026, 11, 2))]    # another measure
    groups = group_ids(claims)
    assert groups[("a", 0)] == groups[("b", 0)] != groups[("c", 0)]
    assert len({groups[("a", 0)], groups[("d", 0)], groups[("e", 0)]}) == 3
    assert group_ids(claims[:2]) == {k: v for k, v in groups.items() if k in (("a", 0), ("b", 0))}  # stable ids


def test_units_compare_within_their_kind():
    assert unit_class("count", "troop") == unit_class("count", "soldier") == "count"
    assert unit_class("money", "USD") != unit_class("money", "EUR")


def test_the_window_is_inclusive_of_its_last_day():
    from datetime import timedelta

    from transforms.options import DEFAULT

    window = DEFAULT.compare.claim_window_days
    first = date(2026, 11, 1)
    claims = [("a", 0, "troops", "count", "Iraq", first),
              ("b", 0, "troops", "count", "Iraq", first + timedelta(days=window)),
              ("c", 0, "troops", "count", "Iraq", first + timedelta(days=window + 1))]
    groups = group_ids(claims)
    assert groups[("a", 0)] == groups[("b", 0)] != groups[("c", 0)]
    assert len(set(group_ids(claims, window_days=window + 1).values())) == 1
