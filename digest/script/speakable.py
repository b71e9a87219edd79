"""Clean text -> text a speech engine reads the way a presenter would.

Rules are small `str -> str` functions with docstrings, run in order. Each language we have
rules for gets the language-neutral typography rules (speakable_common) and then its own;
English has the full set (speakable_en). German, French and Spanish voices read figures
correctly, so for them only dates are rewritten. Text in any other language is left exactly
as written: a wrong rule would mangle it, and its voice knows its own conventions.
"""

from __future__ import annotations

import re
from typing import Callable

from digest.dates import parse_date, speak_date
from digest.script import speakable_en
from digest.script.speakable_common import calm_shouting, tidy_spaces, typography_rules

Rule = Callable[[str], str]

_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def _iso_dates(lang: str) -> Rule:
    def speak_iso_dates(text: str) -> str:
        """'2024-03-02' -> '2. März 2024' (in the episode's language)."""

        def replace(match: re.Match) -> str:
            date = parse_date(match.group(0))
            return speak_date(date, lang) if date else match.group(0)

        return _ISO_DATE.sub(replace, text)

    return speak_iso_dates


def _language(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def rules_for(lang: str) -> list[Rule]:
    """The rules for `lang` in the order they run; empty for languages we have no rules for."""
    base = _language(lang)
    if base == "en":
        return [*speakable_en.BEFORE_TYPOGRAPHY, *typography_rules("en"), *speakable_en.RULES, tidy_spaces]
    if base in ("de", "fr", "es"):
        return [*typography_rules(base), _iso_dates(base), tidy_spaces]
    return []


def speakable(text: str, lang: str = "en", *, inside_sentence: bool = False,
              names: frozenset[str] = frozenset()) -> str:
    """`text` as the presenter says it. With `inside_sentence` the text is a piece that goes
    into a sentence ('Today, {count} stories'), so its first word is not capitalised.
    `names` are words to keep capitalised when text in capitals is calmed (a headline's
    names, taken from its story with speakable_common.names_in)."""
    for rule in rules_for(lang):
        if inside_sentence and rule is speakable_en.capitalise_sentence_starts:
            continue
        text = calm_shouting(text, names) if rule is calm_shouting else rule(text)
    return text
