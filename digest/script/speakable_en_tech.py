"""English rules for what news about technology and public services writes in symbols: a slash
between words ("bus/coach"), version numbers ("Python 3.6.0"), ".js" names, simple fractions
("1/2 a cup"). They run before the number rules, which would read "3.6.0" as a decimal and a
fraction's figures as a count.
"""

from __future__ import annotations

import re

from digest import numwords

# Two words joined by a slash, not inside a path or URL (no "/", ".", ":" or word before) and not
# a unit ("km/h", "GB/s": a word of one letter or in capitals is left to the unit rules).
_WORD_SLASH = re.compile(r"(?<![\w/.:@-])([A-Za-z][a-z]+) ?/ ?([A-Za-z][a-z]+)(?![\w/.])")
_VERSION = re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4}))?(?![\w]|\.\d)")
_JS_NAME = re.compile(r"\b([A-Z][A-Za-z]+)\.js\b")
_FRACTION_WORDS = {"1/2": "half", "1/3": "a third", "2/3": "two thirds", "1/4": "a quarter", "3/4": "three quarters"}
# Only before what a fraction measures: "Python 2/3 native" is two versions, not two thirds.
_FRACTION = re.compile(
    r"(?<![\w/.])([123])/([234])(?= (?:a|an|of|the|cups?|miles?|inch(?:es)?|hours?|teaspoons?|tablespoons?|pounds?"
    r"|ounces?|pints?|litres?|liters?|kilos?|acres?|points?)\b)"
)


def speak_word_slashes(text: str) -> str:
    """'bus/coach' -> 'bus or coach', 'Yes/No' -> 'Yes or No', 'and/or' -> 'and or'."""

    def replace(match: re.Match) -> str:
        first, second = match[1], match[2]
        if first.lower() == "and" and second.lower() == "or":
            return f"{first} or"
        return f"{first} or {second}"

    return _WORD_SLASH.sub(replace, text)


def speak_versions(text: str) -> str:
    """'Python 3.6.0' -> 'Python three point six point oh': each part, as developers say it."""

    def part(digits: str) -> str:
        return "oh" if digits == "0" else numwords.cardinal(int(digits))

    def replace(match: re.Match) -> str:
        return " point ".join(part(piece) for piece in match.groups() if piece is not None)

    return _VERSION.sub(replace, text)


def speak_js_names(text: str) -> str:
    """'Next.js' -> 'Next J S', as the projects themselves say it."""
    return _JS_NAME.sub(r"\1 J S", text)


def speak_fractions(text: str) -> str:
    """'1/2 a cup' -> 'half a cup', '3/4 of the vote' -> 'three quarters of the vote'."""

    def replace(match: re.Match) -> str:
        return _FRACTION_WORDS.get(f"{match[1]}/{match[2]}", match[0])

    return _FRACTION.sub(replace, text)


RULES = [speak_versions, speak_js_names, speak_fractions, speak_word_slashes]
