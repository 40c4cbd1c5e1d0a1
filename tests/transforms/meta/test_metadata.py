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
    # US zones without the season: standard time in March before the change, daylight time in July
    ("Published 3:45 PM ET, Tue March 5, 2024", "2024-03-05 20:45:00+00:00"),
    ("Updated 10:02 AM ET, July 4, 2024", "2024-07-04 14:02:00+00:00"),
    ("July 4, 2024 10:02 AM PT", "2024-07-04 17:02:00+00:00"),
    ("HARTFORD, CT - March 5, 2024 11:00 PM", "2024-03-05 23:00:00+00:00"),  # a state before the date, no zone
    # a date line's other parts: the first part that is a date
    ("Posted on June 12, 2024 by Mark Allen | 4 Comments", "2024-06-12 00:00:00+00:00"),
    ("12 May 2024 · 5 min read", "2024-05-12 00:00:00+00:00"),
    ("Jan 3, 2000", "2000-01-03 00:00:00+00:00"),
    ("November 18, 2019 | 4:10pm", "2019-11-18 16:10:00+00:00"),
    # the first of two dates: when it was published, not updated
    ("PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: November 19, 2019 at 9:10 pm", "2019-11-19 20:59:00+00:00"),
    ("Published Tue, Nov 19 2019 7:05 AM EST Updated Tue, Nov 19 2019 7:16 AM EST", "2019-11-19 12:05:00+00:00"),
    # a count beside the date is no hour
    ("June 3, 2023 by Sarah Jennings 23 Comments", "2023-06-03 00:00:00+00:00"),
    # an offset as pages write it: "GMT+1" is an hour ahead of UTC (dateutil alone reads it the POSIX way round)
    ("May 2, 2024 3:41 AM GMT+1", "2024-05-02 02:41:00+00:00"),
    ("2 May 2024 15:41 UTC-05:00", "2024-05-02 20:41:00+00:00"),
    # a reading time is no hour either
    ("May 17, 2024 | 5 minute read", "2024-05-17 00:00:00+00:00"),
    ("Lesezeit: 4 Min. · 3. Juni 2023", "2023-06-03 00:00:00+00:00"),
    # the open web's other languages: their month names, and a dotted date is day first
    ("3. Juni 2023 von Anna Schmidt", "2023-06-03 00:00:00+00:00"),
    ("03.06.2023, 14:30 Uhr", "2023-06-03 14:30:00+00:00"),
    ("Publié le 12 mars 2024 à 10h15", "2024-03-12 10:15:00+00:00"),
    ("Publié le 14 novembre 2023 à 08h45 - Mis à jour le 14 novembre 2023 à 10h02", "2023-11-14 08:45:00+00:00"),
    ("Veröffentlicht am 8. September 2022, 14:32 Uhr, aktualisiert am 9. September", "2022-09-08 14:32:00+00:00"),
    ("5 de junio de 2024", "2024-06-05 00:00:00+00:00"),
    ("14 października 2023", "2023-10-14 00:00:00+00:00"),
    ("Madrid - 12 ABR 2023 - 14:20 CEST", "2023-04-12 12:20:00+00:00"), ("3 déc. 2023", "2023-12-03 00:00:00+00:00"),
    ("Gen. Milley spoke on March 3, 2024", "2024-03-03 00:00:00+00:00"),  # "Gen." is no month
])
def test_a_publication_time_in_utc(value, expected):
    assert str(parse_published(value)) == expected


@pytest.mark.parametrize("value", [None, "", "3 hours ago", "yesterday", "Monday", "1200 BC",
                                   "News | 4 Comments", "Updated March 5 at 3pm"])  # no year: not the year 2000
def test_not_a_publication_time(value):
    assert parse_published(value) is None


def test_a_text_page_gives_its_published_line_not_its_updated_one():
    from transforms.clean import clean_text

    page = ("World\nSport\nStorm Ciaran: Thousands without power as winds hit 100mph\nBy Jane Doe\n"
            "Updated 3 hours ago\nPublished 2 November 2023, 10:14 GMT\n"
            + "Storm Ciaran has left about 150,000 homes without power across southern England, with gusts of "
              "up to 100mph recorded on the coast, forecasters said on Thursday.\n" * 3
            + "Related Topics\nWeather\n")
    assert str(parse_published(clean_text(page).published)) == "2023-11-02 10:14:00+00:00"
