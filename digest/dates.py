"""Parse the date formats articles carry and say dates the way a presenter would."""

from __future__ import annotations

import datetime as dt
import re

from digest import numwords

MONTHS_EN = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
_MONTH_LOOKUP = {name.lower(): index for index, name in enumerate(MONTHS_EN, start=1)}
_MONTH_LOOKUP.update({name[:3].lower(): index for index, name in enumerate(MONTHS_EN, start=1)})
_MONTH_LOOKUP["sept"] = 9

_MONTHS = {
    "en": MONTHS_EN,
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni",
           "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin",
           "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio",
           "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
}
_WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}

_NUMERIC = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_MONTH_FIRST = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$")
_DAY_FIRST = re.compile(r"^(\d{1,2}) ([A-Za-z]+)\.? (\d{4})$")


def month_number(name: str) -> int:
    """'Sept' or 'september' -> 9; 0 when `name` is not an English month."""
    return _MONTH_LOOKUP.get(name.lower().rstrip("."), 0)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """Parse ISO-like (2024-03-02, 2024/3/2) and English month-name dates; None if unsure."""
    text = text.strip()
    if match := _NUMERIC.match(text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _MONTH_FIRST.match(text):
        month = _MONTH_LOOKUP.get(match[1].lower())
        return _safe_date(int(match[3]), month, int(match[2])) if month else None
    if match := _DAY_FIRST.match(text):
        month = _MONTH_LOOKUP.get(match[2].lower())
        return _safe_date(int(match[3]), month, int(match[1])) if month else None
    return None


def write_date(date: dt.date, lang: str = "en") -> str:
    """'2 December 2026' in English; the local written order in the other languages we know."""
    base = lang.split("-")[0].lower()
    month = _MONTHS.get(base, MONTHS_EN)[date.month - 1]
    if base == "de":
        return f"{date.day}. {month} {date.year}"
    if base == "fr":
        return f"{'1er' if date.day == 1 else date.day} {month} {date.year}"
    if base == "es":
        return f"{date.day} de {month} de {date.year}"
    return f"{date.day} {month} {date.year}"


def speak_date(date: dt.date, lang: str = "en", weekday: bool = False) -> str:
    """'March second, twenty twenty-four' in English; the local order in the other languages we
    know, with figures, which their voices read correctly."""
    base = lang.split("-")[0].lower()
    months = _MONTHS.get(base, MONTHS_EN)
    month = months[date.month - 1]
    if base == "de":
        spoken = f"{date.day}. {month} {date.year}"
    elif base == "fr":
        spoken = f"{'1er' if date.day == 1 else date.day} {month} {date.year}"
    elif base == "es":
        spoken = f"{date.day} de {month} de {date.year}"
    else:
        spoken = f"{month} {numwords.ordinal(date.day)}, {numwords.year(date.year)}"
    if weekday:
        day_name = _WEEKDAYS.get(base, _WEEKDAYS["en"])[date.weekday()]
        separator = " " if base == "fr" else ", "
        spoken = f"{day_name}{separator}{spoken}"
    return spoken
