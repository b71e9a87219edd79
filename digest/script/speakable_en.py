"""English speakable rules: abbreviations, dates, times, symbols and sentence capitals, and
RULES, the order every English rule runs in.

Each rule is a small `str -> str` function. The rules for figures (money, measures, years,
numbers) are in speakable_en_numbers, those for letters and names (initialisms, acronyms,
file types) in speakable_en_letters. Order matters: letters are read right after the
abbreviations; dates and times before the ranges and numbers inside them, money and measures
before bare numbers, and years before other four-digit numbers.
"""

from __future__ import annotations

import re

from digest import numwords
from digest.dates import MONTHS_EN, month_number
from digest.script import speakable_en_letters, speakable_en_names, speakable_en_tech
from digest.script.chunk import continues_after
from digest.script.speakable_en_numbers import (
    speak_decades,
    speak_money,
    speak_numbers,
    speak_ordinals,
    speak_percentages,
    speak_phone_numbers,
    speak_ranges,
    speak_units,
    speak_years,
    unbracket_area_codes,
)

# A capitalised word that begins a sentence after an abbreviation's full stop ("in the U.S. The").
SENTENCE_STARTERS = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "But", "And", "In", "On",
    "At", "This", "That", "These", "Those", "There", "His", "Her", "Their", "Our", "Its", "Yet",
    "So", "Then", "Now", "However", "Meanwhile", "After", "Before", "When", "While", "If",
}


# Matched at a position, never on a slice: slicing the rest of the text at every abbreviation
# made "St. St. St. ..." quadratic. (?<!\s) keeps them linear wherever they are tried.
_NOTHING_FOLLOWS = re.compile(r"(?<!\s)\s*\Z")
_CAPITALISED_WORD_FOLLOWS = re.compile(r"(?<!\s)\s+([A-Z][a-z]*)")
_CAPITAL_FOLLOWS = re.compile(r"(?<!\s)\s+[A-Z]")
_WORD_BEFORE = re.compile(r"([A-Za-z']+)\W*$")
# How far back the word before an abbreviation or a year is looked for.
_LOOKBACK = 40


def _stop_if_sentence_ends(text: str, end: int) -> str:
    """'.' when the abbreviation's full stop at `end` also ended the sentence, else ''."""
    if _NOTHING_FOLLOWS.match(text, end):
        return "."
    following = _CAPITALISED_WORD_FOLLOWS.match(text, end)
    return "." if following and following[1] in SENTENCE_STARTERS else ""


# --- abbreviations --------------------------------------------------------------------------

_TITLES = {
    "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "Prof": "Professor",
    "Gen": "General", "Sen": "Senator", "Rep": "Representative", "Gov": "Governor",
    "Capt": "Captain", "Lt": "Lieutenant", "Col": "Colonel", "Sgt": "Sergeant",
    "Insp": "Inspector", "Supt": "Superintendent", "Rev": "Reverend", "Fr": "Father",
}
# Bare titles without a full stop are British style; only the common ones are safe to expand.
_TITLE = re.compile(r"\b(?:(Mr|Mrs|Ms|Dr)\.?|(" + "|".join(_TITLES) + r")\.)(?=\s+[A-Z])")
_AFTER_NAME = {"Jr": "Junior", "Sr": "Senior", "Inc": "Incorporated", "Ltd": "Limited", "Corp": "Corporation"}
_NAME_SUFFIX = re.compile(r"(?<=\w)(,?\s)(Jr|Sr|Inc|Ltd|Corp)\.")
_ST = re.compile(r"\bSt\b\.?")
_INITIALISM = re.compile(r"\b((?:[A-Z]\.){2,})")
_LATIN = [
    # 'e.g cat crate': the last full stop is often left out.
    (re.compile(r"\be\.\s?g\b\.?,?", re.IGNORECASE), "for example,"),
    (re.compile(r"\bi\.\s?e\b\.?,?", re.IGNORECASE), "that is,"),
    (re.compile(r"\bvs\.?(?=\s)", re.IGNORECASE), "versus"),
    (re.compile(r"\bapprox\.(?=\s)", re.IGNORECASE), "approximately"),
    (re.compile(r"\b[Nn]o\.\s?(?=\d)"), "number "),
]
_ETC = re.compile(r"\betc\b\.?")
# A day or month cut short with a full stop ('for Wed. after', 'in Sept.'); a date with a day
# after the month ('Sept. 30') is the date rule's. Those that are also a name or a word (Jan,
# Mar, Sat, Sun, Mon) are read only after a word that introduces a day or a month.
_DAYS_AND_MONTHS = {
    "Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
    "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday",
    "Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June", "Jul": "July",
    "Aug": "August", "Sep": "September", "Sept": "September", "Oct": "October", "Nov": "November",
    "Dec": "December",
}
_AMBIGUOUS_DAYS_AND_MONTHS = {"Mon", "Sat", "Sun", "Jan", "Mar", "Jun", "Jul"}
_DAY_OR_MONTH = re.compile(r"\b(" + "|".join(sorted(_DAYS_AND_MONTHS, key=len, reverse=True)) + r")\.(?!\w|\s*\d)")
_DAY_CUE_BEFORE = re.compile(r"(?<![\w'])(?:on|for|until|till|by|from|since|next|last|this|every|in|early|late|mid"
                             r"|through|before|after|of)\s+$", re.IGNORECASE)
_PLACES = {"Ave": "Avenue", "Rd": "Road", "Blvd": "Boulevard", "Mt": "Mount", "Ft": "Fort", "Dept": "Department"}
_PLACE = re.compile(r"\b(" + "|".join(_PLACES) + r")\.")


def _street_or_saint(text: str, match: re.Match) -> str:
    """'Mill St.' is a street; 'St. Mary's' and 'St Ives' are saints."""
    previous = _WORD_BEFORE.search(text[max(0, match.start() - _LOOKBACK):match.start()])
    following = _CAPITAL_FOLLOWS.match(text, match.end())
    if previous and previous[1][0].isupper() and previous[1] not in SENTENCE_STARTERS and previous[1] != "Saint":
        return "Street" + (_stop_if_sentence_ends(text, match.end()) if match[0].endswith(".") else "")
    if following:
        return "Saint"
    return match[0]


def _day_or_month(text: str, match: re.Match) -> str:
    if match[1] in _AMBIGUOUS_DAYS_AND_MONTHS and not _DAY_CUE_BEFORE.search(text, max(0, match.start() - 12), match.start()):
        return match[0]  # 'I met Jan.'
    return _DAYS_AND_MONTHS[match[1]] + _stop_if_sentence_ends(text, match.end())


def _etc_stop(text: str, match: re.Match) -> str:
    """After 'etc.' a capital begins a new sentence ('fruit etc. No alcohol'): no name follows it."""
    if not match[0].endswith("."):
        return ""
    return "." if _NOTHING_FOLLOWS.match(text, match.end()) or _CAPITAL_FOLLOWS.match(text, match.end()) else ""


def expand_abbreviations(text: str) -> str:
    """'Dr. Osei met Mr Reyes on Mill St. in the U.S., e.g. at St. Mary's' -> the words a presenter says.

    A full stop an abbreviation took with it is put back when it also ended the sentence.
    """
    text = _TITLE.sub(lambda m: _TITLES[m[1] or m[2]], text)
    text = _NAME_SUFFIX.sub(lambda m: m[1] + _AFTER_NAME[m[2]] + _stop_if_sentence_ends(text, m.end()), text)
    text = _ST.sub(lambda m: _street_or_saint(text, m), text)
    text = _PLACE.sub(lambda m: _PLACES[m[1]] + _stop_if_sentence_ends(text, m.end()), text)
    text = _DAY_OR_MONTH.sub(lambda m: _day_or_month(text, m), text)
    for pattern, words in _LATIN:
        text = pattern.sub(words, text)
    text = _ETC.sub(lambda m: "et cetera" + _etc_stop(text, m), text)
    # 'U S', not 'US': spaced letters are spelled by every voice, and "US" is also a word.
    return _INITIALISM.sub(lambda m: " ".join(m[1].replace(".", "")) + _stop_if_sentence_ends(text, m.end()), text)


# --- dates and times ------------------------------------------------------------------------

_MONTH_NAMES = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
                r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b")
_ISO_DATE = re.compile(r"(?<![\d/.-])(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?![\d/-]|\.\d)")
# Slashes: US order unless the first number cannot be a month. Dots: day first, and two-digit
# day and month, so that version numbers (1.2.2024) stay as written.
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(?:(\d{1,2})(/)(\d{1,2})/|(\d{2})(\.)(\d{2})\.)(\d{4})(?![\d/]|\.\d)")
_MONTH_DAY = re.compile(rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(\d{{4}})\b)?")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAMES})\.?(?:,?\s+(\d{{4}})\b)?")


_DETERMINER_BEFORE = re.compile(r"(?=[A-Za-z])(?<![\w'])(the|a|an|this|that|its|their|his|her|our|last|next)\s+$", re.IGNORECASE)


def _spoken_date(month: int, day: int, year: int | None, day_first: bool = False) -> str | None:
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    name = MONTHS_EN[month - 1]
    spoken = f"the {numwords.ordinal(day)} of {name}" if day_first else f"{name} {numwords.ordinal(day)}"
    return spoken + (f", {numwords.year(year)}" if year else "")


def speak_dates(text: str) -> str:
    """'2025-01-10', 'Jan. 10, 2025' -> 'January tenth, twenty twenty-five'; '10 January 2025' ->
    'the tenth of January, twenty twenty-five', but 'a 26 Dec. ruling' -> 'a December
    twenty-sixth ruling'. '03/04/2025' is read month first, as in the US,
    unless the first number cannot be a month."""

    def iso(match: re.Match) -> str:
        return _spoken_date(int(match[3]), int(match[4]), int(match[1])) or match[0]

    def numeric(match: re.Match) -> str:
        first, separator, second = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
        first, second, year = int(first), int(second), int(match[7])
        day_first = separator == "." or first > 12
        month, day = (second, first) if day_first else (first, second)
        return _spoken_date(month, day, year) or match[0]

    def month_day(match: re.Match) -> str:
        return _spoken_date(month_number(match[1]), int(match[2]), int(match[3]) if match[3] else None) or match[0]

    def day_month(match: re.Match) -> str:
        before = _DETERMINER_BEFORE.search(text[max(0, match.start() - _LOOKBACK):match.start()])
        # 'a 26 Dec. ruling' is 'a December twenty-sixth ruling': 'a the twenty-sixth of' is no English.
        day_first = not (before and before[1].lower() != "the")
        spoken = _spoken_date(month_number(match[2]), int(match[1]), int(match[3]) if match[3] else None, day_first=day_first)
        if spoken and before and day_first:
            spoken = spoken[len("the "):]  # "on the 1st of March"
        return spoken or match[0]

    text = _ISO_DATE.sub(iso, text)
    text = _NUMERIC_DATE.sub(numeric, text)
    text = _MONTH_DAY.sub(month_day, text)
    return _DAY_MONTH.sub(day_month, text)


# Said in full after a time; GMT and UTC are said as letters, as presenters do.
TIME_ZONES = {
    "ET": "Eastern Time", "EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time",
    "CT": "Central Time", "CST": "Central Standard Time", "CDT": "Central Daylight Time",
    "MT": "Mountain Time", "MST": "Mountain Standard Time", "MDT": "Mountain Daylight Time",
    "PT": "Pacific Time", "PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time",
    "GMT": "G M T", "UTC": "U T C", "BST": "British Summer Time", "CET": "Central European Time",
    "CEST": "Central European Summer Time", "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time", "AEDT": "Australian Eastern Daylight Time",
}
_ZONE = r"(?:\s(" + "|".join(sorted(TIME_ZONES, key=len, reverse=True)) + r")\b)?"
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s?m\b\.?|([AP])\.?\s?M\b\.?)" + _ZONE)
_HOUR_MINUTE = r"([01]?\d|2[0-3]):([0-5]\d)"
_TWENTY_FOUR_HOUR = re.compile(rf"(?<![\d:.,]){_HOUR_MINUTE}(?![\d:]){_ZONE}")
# '1800 GMT', '0930 hours': four figures with a time zone or 'hours' after them.
_MILITARY_TIME = re.compile(
    r"(?<![\w.,:$€£])([01]\d|2[0-3])([0-5]\d)(?:\s?(?:hours|hrs)\b|\s("
    + "|".join(sorted(TIME_ZONES, key=len, reverse=True)) + r")\b)"
)
# Before a dotted figure, these make it a price or a rate, not a time ('shares closed at 21.30').
_PRICE_WORDS = re.compile(
    r"\b(?:shares?|stocks?|trad(?:ed|ing)|prices?d?|valued|index|rates?|yields?|closed|opened|stood|fell|rose"
    r"|dropped|climbed|cost|costs|sold|bought|odds|scored?|averag\w*|ratio|points)\b",
    re.IGNORECASE,
)
_YEAR_CUE_BEFORE = re.compile(r"(?<![\w'])(?:in|since|of|year|circa)\s+$", re.IGNORECASE)
# '21.30', British style, read as a time only after a word that introduces one, and when it
# cannot be a price or a score: a 24-hour hour, or a time zone after it.
_DOTTED_TIME = re.compile(rf"(?<![\w.,:])([01]?\d|2[0-3])\.([0-5]\d)(?![\w.,]\d|\.\d|\w){_ZONE}")
# Only these introduce an hour that could also be an amount ('at 7.30', not 'by 7.30').
_CLOCK_CUE_BEFORE = re.compile(r"(?<![\w'])(?:at|from|until|till)\s+$", re.IGNORECASE)
_TIME_CUE_BEFORE = re.compile(r"(?<![\w'])(?:at|from|until|till|before|after|by|between)\s+$", re.IGNORECASE)
_NOT_A_TIME_AFTER = re.compile(
    r"(?<!\s)(?:[%A-Za-z]|\s+(?:%|percent|per|points?|a|an|each|euros?|dollars?|pounds?|pence|cents?|times"
    r"|seconds?|metres?|meters?|kilo[a-z]*|mph)\b)"
)
# 'from 20.00 to 22.30': a range of dotted times, both ends read as times when either is.
_DOTTED_TIME_RANGE = re.compile(
    r"(?<![\w'])(from|between)\s+([01]?\d|2[0-3])\.([0-5]\d)(\s?[-\u2013]\s?|\s(?:to|and|until|till)\s)"
    rf"([01]?\d|2[0-3])\.([0-5]\d)(?![\w.,]\d|\.\d|\w){_ZONE}",
    re.IGNORECASE,
)
_TIME_RANGE = re.compile(
    rf"(?<![\d:.,]){_HOUR_MINUTE}(\s?[-\u2013]\s?|\s(?:to|until|till)\s){_HOUR_MINUTE}(?![\d:]){_ZONE}"
)


# '2:30 minutes', '1:15 hours': a length of time, not a time of day. Without the unit ('songs
# under 2:30') it is said as written, 'two thirty', as people say a song's or a race's length.
_DURATION = re.compile(r"(?<![\d:.,])(\d{1,2}):([0-5]\d)\s?(minutes|mins?|hours|hrs?)\b(?!\.\w)")


def _duration(match: re.Match) -> str:
    whole, part = int(match[1]), int(match[2])
    unit = "minute" if match[3].startswith("m") else "hour"
    spoken = f"{numwords.cardinal(whole)} {unit}{'' if whole == 1 else 's'}"
    return spoken + (f" {numwords.cardinal(part)}" if part else "")


def _minutes(minutes: int) -> str:
    return f"oh {numwords.cardinal(minutes)}" if minutes < 10 else numwords.cardinal(minutes)


def _zone(abbreviation: str | None) -> str:
    return f" {TIME_ZONES[abbreviation]}" if abbreviation else ""


def _twelve_hour(hour: int, minutes: int) -> str:
    """15, 30 -> 'three thirty PM'; 12, 0 -> 'noon'; 0, 0 -> 'midnight'."""
    if not minutes and hour in (0, 12):
        return "noon" if hour == 12 else "midnight"
    spoken = numwords.cardinal(hour % 12 or 12) + (f" {_minutes(minutes)}" if minutes else "")
    return spoken + (" PM" if hour >= 12 else " AM")


def _is_twenty_four_hour(hour: str) -> bool:
    """'21', '00', '07': an hour only a 24-hour clock writes ('7' or '12' may be either)."""
    return int(hour) > 12 or hour.startswith("0")


def speak_times(text: str) -> str:
    """'3:30 pm' -> 'three thirty PM', '9 a.m. ET' -> 'nine AM Eastern Time', '9:00' -> "nine
    o'clock"; a time on the 24-hour clock is said on the twelve-hour one, as presenters do:
    '21:45' -> 'nine forty-five PM', '07:30' -> 'seven thirty AM', '1800 GMT' -> 'six PM G M T',
    'at 21.30' -> 'at nine thirty PM'; '10:00 to 16:00' -> 'ten AM to four PM' (both ends of a
    range in one form). '2:30 minutes' -> 'two minutes thirty'."""

    def time_range(match: re.Match) -> str:
        first, second = (int(match[1]), int(match[2])), (int(match[4]), int(match[5]))
        if all(1 <= hour <= 12 for hour, _ in (first, second)) and not (match[1] + match[4]).startswith("0") \
                and not match[4].startswith("0"):
            return match[0]  # 'nine o'clock to eleven thirty' already reads as one form
        joiner = match[3].strip()
        joiner = "to" if joiner in ("-", "\u2013") else joiner
        return f"{_twelve_hour(*first)} {joiner} {_twelve_hour(*second)}{_zone(match[6])}"

    def clock(match: re.Match) -> str:
        hour = int(match[1])
        if not 1 <= hour <= 12:
            return match[0]
        minutes = int(match[2] or 0)
        half = (match[3] or match[4]).upper()
        spoken = numwords.cardinal(hour) + (f" {_minutes(minutes)}" if minutes else "")
        # 'at 7pm. Meet': with no stops inside 'pm', its stop is the sentence's.
        own_stop = match[0].endswith(".") and not re.search(r"[APap]\.\s?[Mm]", match[0])
        stop = "." if match[0].endswith(".") and (own_stop or _stop_if_sentence_ends(text, match.end())) else ""
        return f"{spoken} {half}M{_zone(match[5])}{stop}"

    def twenty_four(match: re.Match) -> str:
        hour, minutes = int(match[1]), int(match[2])
        if _is_twenty_four_hour(match[1]):
            return _twelve_hour(hour, minutes) + _zone(match[3])
        if minutes:
            return f"{numwords.cardinal(hour)} {_minutes(minutes)}{_zone(match[3])}"
        return f"{numwords.cardinal(hour)} o'clock" + _zone(match[3])

    def military(match: re.Match) -> str:
        if _YEAR_CUE_BEFORE.search(text, max(0, match.start() - 10), match.start()):
            return match[0]  # 'in 1945 GMT was adopted': a year
        return _twelve_hour(int(match[1]), int(match[2])) + _zone(match[3])

    def dotted_range(match: re.Match) -> str:
        if not (match[7] or _is_twenty_four_hour(match[2]) or _is_twenty_four_hour(match[5])):
            return match[0]
        joiner = match[4].strip()
        joiner = "to" if joiner in ("-", "\u2013") else joiner
        first, second = _twelve_hour(int(match[2]), int(match[3])), _twelve_hour(int(match[5]), int(match[6]))
        return f"{match[1]} {first} {joiner} {second}{_zone(match[7])}"

    def dotted(match: re.Match) -> str:
        cued = _TIME_CUE_BEFORE.search(text, max(0, match.start() - 10), match.start())
        priced = _PRICE_WORDS.search(text, max(0, match.start() - 50), match.start())
        if not (match[3] or (cued and not priced)) or _NOT_A_TIME_AFTER.match(text, match.end()):
            return match[0]
        hour, minutes = int(match[1]), int(match[2])
        if not (_is_twenty_four_hour(match[1]) or match[3]):
            if not hour or not _CLOCK_CUE_BEFORE.search(text, max(0, match.start() - 10), match.start()):
                return match[0]  # 'grew by 3.15': an amount
            # 'at 7.30' may be morning or evening: said as written, 'seven thirty'.
            return numwords.cardinal(hour) + (f" {_minutes(minutes)}" if minutes else " o'clock")
        return _twelve_hour(hour, minutes) + _zone(match[3])

    text = _DURATION.sub(_duration, text)
    text = _TIME_RANGE.sub(time_range, text)
    text = _CLOCK.sub(clock, text)
    text = _MILITARY_TIME.sub(military, text)
    text = _DOTTED_TIME_RANGE.sub(dotted_range, text)
    text = _DOTTED_TIME.sub(dotted, text)
    return _TWENTY_FOUR_HOUR.sub(twenty_four, text)


_FRACTIONS = {"½": "one half", "⅓": "one third", "¼": "one quarter", "¾": "three quarters"}


# 'Apple TV+', 'Disney+': a plus glued to the end of a name. 'C++' has two and stays.
_NAME_PLUS = re.compile(r"(?<=[A-Za-z])\+(?![+\w])")


def speak_symbols(text: str) -> str:
    """'R&D' -> 'R and D', 'rock & roll' -> 'rock and roll', '24/7' -> 'twenty-four seven',
    '½' -> 'one half', '#1' -> 'number one', ' + ' -> ' plus ', ' = ' -> ' equals ',
    'Apple TV+' -> 'Apple TV plus'."""
    text = re.sub(r"(?<!\s)\s*&\s*", " and ", text)
    text = _NAME_PLUS.sub(" plus", text)
    text = re.sub(r"\b24/7\b", "twenty-four seven", text)
    text = re.sub(r"(?<![\w&])#(?=\d)", "number ", text)
    text = re.sub(r"\s\+\s", " plus ", text)
    text = re.sub(r"\s=\s", " equals ", text)
    for sign, words in _FRACTIONS.items():
        text = re.sub(rf"(\d)\s?{sign}", rf"\1 and {words}", text).replace(sign, words)
    return text


# --- capitals -------------------------------------------------------------------------------

def _spoken_vocabulary() -> frozenset[str]:
    words = {"number", "minus", "point", "oh", "for", "that", "versus", "approximately", "et", "the",
             "half", "quarter", "quarters", "third", "thirds", "o'clock", "hashtag", "dot", "a", "an"}
    for n in range(100):
        spoken = [numwords.cardinal(n), numwords.ordinal(n)]
        if n % 10 == 0 and n:
            spoken.append(numwords.plural_of_tens(numwords.cardinal(n)))
        words.update(part for phrase in spoken for part in re.split(r"[\s-]+", phrase))
    for scale in ("hundred", "thousand", "million", "billion", "trillion"):
        words.update({scale, scale + "th", scale + "s"})
    return frozenset(words)


# What the rules above put where a figure, symbol or abbreviation was: 'two', 'number', 'for'.
SPOKEN_WORDS = _spoken_vocabulary()
_SENTENCE_OPENING = re.compile(r"(?:^|(?<=[.!?])[\"')\]]*\s+)[\"'(\[]*([a-z][a-z'-]*)")


def capitalise_sentence_starts(text: str) -> str:
    """'#1 song' -> 'Number one song', '... Report. 2 of them' -> '... Report. Two of them':
    a sentence that began with a figure, symbol or abbreviation still begins with a capital
    once the rules have spelled it out in lower case. Other words are left as written."""

    def replace(match: re.Match) -> str:
        word = match[1]
        stop = match.start() - 1
        while stop >= 0 and text[stop] in "\"')]":
            stop -= 1
        if word.split("-")[0] not in SPOKEN_WORDS or (stop >= 0 and text[stop] == "." and continues_after(text, stop)):
            return match[0]
        start = match.start(1) - match.start()
        return match[0][:start] + word[0].upper() + match[0][start + 1:]

    return _SENTENCE_OPENING.sub(replace, text)


# Rules that need the brackets and full stops the typography rules (speakable_common) take away.
BEFORE_TYPOGRAPHY = [*speakable_en_names.RULES, unbracket_area_codes, speakable_en_tech.speak_empty_string_literals]

RULES = [
    expand_abbreviations,
    *speakable_en_letters.RULES,
    *speakable_en_tech.RULES,
    speak_phone_numbers,
    speak_dates,
    speak_times,
    speak_ranges,
    speak_money,
    speak_percentages,
    speak_units,
    speak_decades,
    speak_ordinals,
    speak_years,
    speak_symbols,
    speak_numbers,
    capitalise_sentence_starts,
]
