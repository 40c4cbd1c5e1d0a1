"""Claims that state the same quantity: groups of figures with one measure, a compatible unit, one
place, published within a window of each other (`claim_groups`).

A group starts with its earliest claim and takes every later claim of its key up to
`claim_window_days` (transforms/options.py) after that first one; a claim later than that starts the
next group. A group's id is a hash of its key and its first day, so a claim published today joins
last week's group and the id stays put.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date

from transforms.options import DEFAULT


def unit_class(kind: str | None, unit: str | None) -> str | None:
    """Units that compare: every count with every count (troops, soldiers), money in one currency,
    percentages with percentages, a measure in one unit."""
    return "count" if kind == "count" else unit


def group_ids(claims: list[tuple], window_days: int = DEFAULT.compare.claim_window_days) -> dict[tuple, str]:
    """{(article_id, seq): group_id} for claims given as (article_id, seq, measure, unit_class, place, day)."""
    by_key: dict[tuple, list] = defaultdict(list)
    for article_id, seq, measure, unit, place, day in claims:
        if measure and unit and place and day is not None:
            by_key[(measure, unit, place)].append((_day(day), article_id, seq))
    out = {}
    for key, items in by_key.items():
        start = None
        for day, article_id, seq in sorted(items):
            if start is None or (day - start).days > window_days:
                start = day
            out[(article_id, seq)] = group_id(key, start)
    return out


def group_id(key: tuple, first_day: date) -> str:
    return hashlib.sha1("|".join([*key, first_day.isoformat()]).encode()).hexdigest()[:16]


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
