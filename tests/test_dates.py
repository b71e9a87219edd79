import datetime as dt

import pytest

from digest.dates import month_number, parse_date, speak_date

DAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize("lang, spoken", [
    ("en", "Wednesday, November twenty-fifth, twenty twenty-six"),
    ("en-GB", "Wednesday, November twenty-fifth, twenty twenty-six"),
    ("de", "Mittwoch, 25. November 2026"),
    ("fr", "mercredi 25 novembre 2026"),
    ("es", "mi\u00e9rcoles, 25 de noviembre de 2026"),
])
def test_dates_are_spoken_in_the_episode_language(lang, spoken):
    assert speak_date(DAY, lang, weekday=True) == spoken


def test_french_first_of_the_month():
    assert speak_date(dt.date(2026, 3, 1), "fr") == "1er mars 2026"


@pytest.mark.parametrize("text, date", [
    ("2024-03-02", dt.date(2024, 3, 2)), ("2024/3/2", dt.date(2024, 3, 2)),
    ("March 2, 2024", dt.date(2024, 3, 2)), ("2 Mar 2024", dt.date(2024, 3, 2)), ("2024-02-30", None),
    ("someday", None),
])
def test_parse_date(text, date):
    assert parse_date(text) == date


def test_month_number():
    assert [month_number(n) for n in ("Jan", "sept", "December", "Dec.", "Smarch")] == [1, 9, 12, 12, 0]
