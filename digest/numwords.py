"""Numbers as words, through num2words, in the forms a presenter says them."""

from __future__ import annotations

from num2words import num2words

_DIGITS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# Longer digit strings are identifiers (phone numbers, codes), read digit by digit.
MAX_CARDINAL_DIGITS = 15


def _tidy(words: str) -> str:
    # num2words writes "one million, two hundred": the commas would become pauses mid-number.
    return words.replace(",", "")


def _too_long(number: int | str) -> bool:
    # Checked on the text: Python refuses to turn a string of over 4,300 digits into an int.
    return len(str(number).lstrip("-")) > MAX_CARDINAL_DIGITS


def cardinal(number: int | str, lang: str = "en") -> str:
    """1234 or '1234' -> 'one thousand two hundred and thirty-four'."""
    if _too_long(number):
        return digits(str(number), lang)
    return _tidy(num2words(int(number), lang=lang))


def ordinal(number: int | str, lang: str = "en") -> str:
    """22 -> 'twenty-second'."""
    if _too_long(number):
        return digits(str(number), lang)
    return _tidy(num2words(int(number), lang=lang, to="ordinal"))


def year(number: int, lang: str = "en") -> str:
    """2024 -> 'twenty twenty-four', 1905 -> 'nineteen oh five', 2005 -> 'two thousand and five'."""
    if lang == "en" and 1100 <= number <= 1999 and number % 100 < 10 and number % 100:
        # num2words says 'nineteen five'; presenters say 'nineteen oh five'.
        return f"{cardinal(number // 100)} oh {cardinal(number % 100)}"
    return _tidy(num2words(number, lang=lang, to="year"))


def digits(text: str, lang: str = "en") -> str:
    """'007' -> 'zero zero seven'."""
    return " ".join(_DIGITS_EN[int(c)] if lang == "en" else num2words(int(c), lang=lang) for c in text if c.isdigit())


def decimal(text: str, lang: str = "en") -> str:
    """'3.05' -> 'three point zero five' (digits after the point are read one by one)."""
    whole, _, fraction = text.partition(".")
    spoken = cardinal(whole or "0", lang)
    if fraction:
        spoken += " point " + digits(fraction, lang)
    return spoken


def plural_of_tens(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties' (for decades)."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith("x") else "s")


def counted(number: int | float, noun: str, plural: str | None = None) -> str:
    """'1 clip', '2 clips', '0 clips': a count in digest's own (English) messages."""
    return f"{number:g} {noun if number == 1 else plural or noun + 's'}"
