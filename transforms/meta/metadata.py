"""Article metadata from the strings pages give: publication dates."""
from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

_REL = re.compile(r"\bago\b", re.IGNORECASE)
# A line that gives a second date after the first: "PUBLISHED: Nov 19, 2019 at 8:59 pm | UPDATED: ..."
_SECOND_DATE = re.compile(r"\b(?:last )?(?:updated|modified)\b", re.IGNORECASE)
# what a date line adds after a separator: "June 12, 2024 | 4 Comments", "12 May 2024 · 5 min read"
_PARTS = re.compile(r"\s[|•·]\s")
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")  # Unix time in seconds or milliseconds, as feeds give it
# Zone abbreviations news pages print ("9:30 AM EST"), UTC offsets in seconds; the ambiguous ones (IST, CST
# in China) are left out and taken as UTC, as is every name dateutil does not know.
ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
         "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600, "BST": 3600, "CET": 3600,
         "CEST": 7200, "EET": 7200, "EEST": 3 * 3600, "MSK": 3 * 3600, "JST": 9 * 3600, "KST": 9 * 3600,
         "AEST": 10 * 3600, "AEDT": 11 * 3600, "NZST": 12 * 3600, "NZDT": 13 * 3600,
         # US pages' zones without the season ("Updated 3:45 PM ET"): standard or daylight time by the date
         "ET": ZoneInfo("America/New_York"), "CT": ZoneInfo("America/Chicago"), "MT": ZoneInfo("America/Denver"),
         "PT": ZoneInfo("America/Los_Angeles")}


def parse_published(value: str | None) -> datetime | None:
    """A publication time as UTC (naive times taken as UTC); None when the string is not a date. A line
    whose whole is no date gives the first of its parts that is ("June 12, 2024 | 4 Comments")."""
    whole = _parse(value)
    if whole is not None or not value:
        return whole
    return next((t for t in map(_parse, _PARTS.split(value) if _PARTS.search(value) else []) if t), None)


def _parse(value: str | None) -> datetime | None:
    if not value or _REL.search(value) or not any(ch.isdigit() for ch in value):
        return None
    value = next((part for part in _SECOND_DATE.split(value) if part and any(ch.isdigit() for ch in part)), value)
    if _EPOCH.match(value.strip()):
        seconds = int(value) / (1000 if len(value.strip()) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).replace(microsecond=0)
    from dateutil import parser

    try:
        with warnings.catch_warnings():  # unknown zone names are taken as UTC, without a warning
            warnings.simplefilter("ignore")
            parsed = parser.parse(value, fuzzy=True, default=datetime(2000, 1, 1), tzinfos=ZONES)
            if parsed.year == 2000 and parser.parse(value, fuzzy=True, default=datetime(2001, 1, 1),
                                                    tzinfos=ZONES).year != 2000:
                return None  # no year written ("Updated March 5", "4 Comments"): the default's, not the page's
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1990 <= parsed.year <= 2100:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)
