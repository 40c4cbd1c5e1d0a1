"""Article metadata from the strings pages give: publication dates."""
from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

_REL = re.compile(r"\bago\b", re.IGNORECASE)
# A line that gives a second date after the first: "PUBLISHED: Nov 19, 2019 at 8:59 pm | UPDATED: ..."
_SECOND_DATE = re.compile(r"\b(?:last )?(?:updated|modified|aktualisiert|geändert|mis à jour|modifié|actualizado|"
                          r"atualizado|aggiornato|zaktualizowano|bijgewerkt)\b", re.IGNORECASE)
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


# Month names in the languages of the open web's pages beside English's (dateutil knows English alone, and
# read "3. Juni 2023" as March 1st: the day taken for the month), with their short forms ("12 ABR 2023")
# but those that are words in English date lines ("Gen." for a general, "set", "out", "ago")
_MONTHS = (
    ("januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "janeiro", "januari", "stycznia", "styczeń"),
    ("februar", "février", "févr", "fevrier", "febrero", "fev", "febbraio", "fevereiro", "februari", "lutego", "luty"),
    ("märz", "mär", "maerz", "mars", "marzo", "março", "maart", "marca", "marzec"),
    ("avril", "avr", "abril", "abr", "aprile", "kwietnia", "kwiecień"),
    ("mai", "mayo", "maggio", "mag", "maio", "mei", "maja", "maj"),
    ("juni", "juin", "junio", "giugno", "giu", "junho", "czerwca", "czerwiec"),
    ("juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "lipca", "lipiec"),
    ("août", "aout", "agosto", "augustus", "sierpnia", "sierpień"),
    ("septembre", "septiembre", "setiembre", "settembre", "setembro", "września", "wrzesień"),
    ("oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "października", "październik"),
    ("novembre", "noviembre", "novembro", "listopada", "listopad"),
    ("dezember", "dez", "décembre", "déc", "decembre", "diciembre", "dicembre", "dic", "dezembro", "grudnia",
     "grudzień"),
)
_DAY_FIRST = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b")  # "03.06.2023": day, month, year wherever it is written
# counts a date line gives beside the date ("June 3, 2023 by Sarah Jennings 23 Comments"), read as an hour,
# and the reading time ("4 min read", "Lesezeit: 3 Min.", "Lecture 5 min")
_COUNTS = re.compile(r"\b\d+\s+(?:comments?|responses?|replies|views?|shares?|likes?|kommentare?|commentaires?|"
                     r"comentarios?|commenti|komentarz[ey]?|reacties)\b|"
                     r"(?:\b(?:lesezeit|lecture|lectura|lettura|leestijd|czas czytania)\s*:?\s*)?"
                     r"\b\d+\s*(?:min(?:ute)?s?\.?|minuten|minutos|minuti)"
                     r"(?:\s+(?:read|reading|de lectura|di lettura))?(?=\W|$)", re.IGNORECASE)


# "GMT+1", "UTC-05:00" as written on pages: that many hours ahead of (behind) UTC; dateutil reads them the
# POSIX way round ("GMT+1" one hour behind)
_ZONE_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")


def _offset(m: re.Match) -> str:
    return f"{m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'}"


@lru_cache(maxsize=1)
def _parserinfo():
    from dateutil import parser

    class Months(parser.parserinfo):
        MONTHS = [(*english, *other) for english, other in zip(parser.parserinfo.MONTHS, _MONTHS, strict=True)]

    return Months()


# hours and minutes with a dot, after a year and before a zone, am/pm or the end ("2023 12.01 BST")
_DOTTED_TIME = re.compile(r"(?<=\d{4} )(\d{1,2})\.(\d{2})(?=\s*(?:[ap]\.?m\b|[A-Za-z]{2,5}\b|$))")


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

    value = _COUNTS.sub(" ", value).strip(" \t-–—|,;·•")  # what separated the part from the next: no offset
    value = _ZONE_OFFSET.sub(_offset, value)
    value = _DOTTED_TIME.sub(r"\1:\2", value)  # "Thu 3 Aug 2023 12.01 BST": the Guardian's hours and minutes
    options = {"fuzzy": True, "tzinfos": ZONES, "dayfirst": bool(_DAY_FIRST.search(value)), "parserinfo": _parserinfo()}
    try:
        with warnings.catch_warnings():  # unknown zone names are taken as UTC, without a warning
            warnings.simplefilter("ignore")
            parsed = parser.parse(value, default=datetime(2000, 1, 1), **options)
            if parsed.year == 2000 and parser.parse(value, default=datetime(2001, 1, 1), **options).year != 2000:
                return None  # no year written ("Updated March 5", "4 Comments"): the default's, not the page's
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1990 <= parsed.year <= 2100:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)
