"""Article metadata from the strings pages give: publication dates."""
from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime

_REL = re.compile(r"\bago\b", re.IGNORECASE)


def parse_published(value: str | None) -> datetime | None:
    """A publication time as UTC (naive times taken as UTC); None when the string is not a date."""
    if not value or _REL.search(value) or not any(ch.isdigit() for ch in value):
        return None
    from dateutil import parser

    try:
        with warnings.catch_warnings():  # unknown zone names are taken as UTC, without a warning
            warnings.simplefilter("ignore")
            parsed = parser.parse(value, fuzzy=True, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1990 <= parsed.year <= 2100:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)
