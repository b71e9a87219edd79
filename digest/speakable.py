"""Clean text -> text a speech engine reads the way a presenter would.

Rules are small `str -> str` functions run in order. Rules in COMMON apply to every language;
the others only to the language they are listed under, so that text in a language we have no
rules for is left as written rather than mangled.
"""

from __future__ import annotations

import re
from typing import Callable

from .dates import parse_date, speak_date

Rule = Callable[[str], str]

_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def _iso_dates(lang: str) -> Rule:
    def speak_iso_dates(text: str) -> str:
        """'2024-03-02' -> 'March 2, 2024' (in the episode's language)."""

        def replace(match: re.Match) -> str:
            date = parse_date(match.group(0))
            return speak_date(date, lang) if date else match.group(0)

        return _ISO_DATE.sub(replace, text)

    return speak_iso_dates


def rules_for(lang: str) -> list[Rule]:
    return [_iso_dates(lang)]


def speakable(text: str, lang: str = "en") -> str:
    for rule in rules_for(lang):
        text = rule(text)
    return text
