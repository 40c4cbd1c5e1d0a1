"""Publication times as pages and feeds write them, to UTC."""
import pytest

from transforms.meta.metadata import parse_published


@pytest.mark.parametrize("value,expected", [
    ("2026-08-14T09:30:00+02:00", "2026-08-14 07:30:00+00:00"),
    ("Fri, 14 Aug 2026 09:30:00 GMT", "2026-08-14 09:30:00+00:00"),
    ("Updated: Aug. 14, 2026, 9:30 a.m. EDT", "2026-08-14 13:30:00+00:00"),
    ("2026-08-14 09:30 PDT", "2026-08-14 16:30:00+00:00"),
    ("14 August 2026 10:30 CEST", "2026-08-14 08:30:00+00:00"),
    ("1786700000", "2026-08-14 09:33:20+00:00"),      # Unix seconds, as feeds give them
    ("1786700000000", "2026-08-14 09:33:20+00:00"),   # and milliseconds
    ("August 14, 2026", "2026-08-14 00:00:00+00:00"),
])
def test_a_publication_time_in_utc(value, expected):
    assert str(parse_published(value)) == expected


@pytest.mark.parametrize("value", [None, "", "3 hours ago", "yesterday", "Monday", "1200 BC"])
def test_not_a_publication_time(value):
    assert parse_published(value) is None
