"""English speakable rules for figures: phone numbers, ranges, money, percentages, measures,
decades, ordinals, years, identifiers and plain numbers as words.

Each rule is a small `str -> str` function; speakable_en.RULES runs them after the dates and
times (whose figures they would otherwise take) and in this module's order: money and measures
before bare numbers, years before other four-digit numbers.
"""

from __future__ import annotations

import re

from digest import numwords

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _number_words(text: str) -> str:
    """'1,234.5' -> 'one thousand two hundred and thirty-four point five'."""
    plain = text.replace(",", "")
    if "." in plain:
        return numwords.decimal(plain)
    return numwords.cardinal(plain)


# --- phone numbers --------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w.,+/-])(?:"
    r"\+\d{1,3}(?:[ .-]\d{1,4}){2,5}"  # +1 555 123 4567, +44 20 7946 0958
    r"|(?:1[-. ])?\d{3}([-. ])\d{3}\1\d{4}"  # 555-123-4567, 1-800-555-1234, 555 123 4567
    r"|\d{3}-\d{4}"  # 555-1234
    r"|(?:18001 )?0\d{2,4}(?: \d{2,4}){1,3}"  # 0345 744 4422, 020 7946 0958 (a UK number starts with 0)
    r")(?![\w]|[-.,]\d)"
)


_DIALLING_WORDS = re.compile(
    r"\b(?:call(?:ing|ed)?|phone|telephone|tel|fax|dial(?:ling)?|ring|text|hotline|helpline|"
    r"number|contact|reach)\b\W*(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)


# Relay UK's prefix, dialled before a number from a textphone: '18001 0800 123 4567'.
_RELAY_PREFIX = "18001 "


def _is_phone_number(number: str, before: str) -> bool:
    number = number.removeprefix(_RELAY_PREFIX)
    digits = re.sub(r"\D", "", number)
    if not 7 <= len(digits) <= 15:
        return False
    if number.startswith("0") and " " in number and 10 <= len(digits) <= 11:
        return True
    if number.startswith("+") or re.fullmatch(r"(?:1-)?\d{3}([-.])\d{3}\1\d{4}", number):
        return True
    # '555-1234' and '555 123 4567' look just like a range ('100-1250 words') or a row of figures;
    # only a word such as "call" or "phone" just before makes them a number to dial.
    return bool(_DIALLING_WORDS.search(before[-40:]))


def speak_phone_numbers(text: str) -> str:
    """'555-1234' -> 'five five five, one two three four', '+1 555 123 4567' -> 'plus one, five
    five five, ...': read digit by digit in their groups, not as a range or an amount."""

    def replace(match: re.Match) -> str:
        number = match[0]
        if not _is_phone_number(number, match.string[: match.start()]):
            return number
        groups = [numwords.digits(group) for group in re.findall(r"\d+", number)]
        return ("plus " if number.startswith("+") else "") + ", ".join(groups)

    return _PHONE.sub(replace, text)


# '(800) 555-0199', '1 (800) 555-0199': an American area code in brackets.
_BRACKETED_AREA_CODE = re.compile(r"(?<![\w.,+/(-])(?:(1)[ .-]?)?\((\d{3})\)[ .-]?(\d{3})[-. ](\d{4})(?![\w]|[-.,]\d)")


def unbracket_area_codes(text: str) -> str:
    """'(800) 555-0199' -> '800-555-0199', so the phone rule reads it digit by digit; it runs
    before the typography rules, which would make the brackets an aside ('Call, eight hundred,')."""
    return _BRACKETED_AREA_CODE.sub(lambda m: "-".join(part for part in m.groups() if part), text)


# --- ranges, money, percentages, measures ---------------------------------------------------

_RANGE = re.compile(rf"(?<![\w.,/$€£-])({_NUMBER})\s?[-\u2013]\s?({_NUMBER})(?![\w/-]|[.,]\d)")


def speak_ranges(text: str) -> str:
    """'2019-2021' -> '2019 to 2021', '2019-21' -> '2019 to 2021', 'voted 7-2' -> 'voted 7 to 2';
    a season, '2011-12', -> '2011 to 12', as fans and presenters say it."""

    def replace(match: re.Match) -> str:
        first, second = match[1], match[2]
        short = len(first) == 4 and len(second) == 2 and first.isdigit() and second.isdigit()
        # '2019-21' is two years apart and said in full; a season's '2011-12' is said short.
        if short and int(second) > int(first[2:]) + 1:
            second = first[:2] + second
        # "between 10-20" reads "between ten and twenty"; "between ten to twenty" is not English.
        joiner = "and" if re.search(r"\bbetween\s+$", match.string[: match.start()], re.IGNORECASE) else "to"
        return f"{first} {joiner} {second}"

    return _RANGE.sub(replace, text)


_SCALES = {"k": "thousand", "m": "million", "mn": "million", "bn": "billion", "b": "billion",
           "tn": "trillion", "thousand": "thousand", "million": "million", "billion": "billion",
           "trillion": "trillion"}
_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("US dollar", "US dollars", "cent", "cents"),
    "USD": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "GBP": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", None, None),
    "JPY": ("yen", "yen", None, None),
}
# 'a $5-million grant' as well as '$5 million': a hyphen must not leave 'dollars-million'.
_SCALE = r"(?:\s?(?:k|mn|m|bn|b|tn)\b|[\s-](?:thousand|million|billion|trillion)\b)"
_CURRENCY_BEFORE = r"(US\$|\$|€|£|¥|\b(?:USD|EUR|GBP|JPY)\s?)"
_MONEY_BEFORE = re.compile(rf"{_CURRENCY_BEFORE}({_NUMBER})({_SCALE})?", re.IGNORECASE)
# '$5-10 million', '$5m-$10m', '$5 to $10 million': the currency is said once, after both.
_MONEY_RANGE = re.compile(
    rf"{_CURRENCY_BEFORE}({_NUMBER})({_SCALE})?(\s?[-\u2013]\s?|\s(?:to|and)\s)(US\$|\$|€|£|¥)?({_NUMBER})({_SCALE})?",
    re.IGNORECASE,
)
_MONEY_AFTER = re.compile(rf"(?<![\w.,])({_NUMBER})({_SCALE})?\s?(€|£|\b(?:USD|EUR|GBP|JPY)\b)")


def _scale_word(scale: str) -> str:
    return _SCALES[scale.strip(" -").lower()]


def _money(amount: str, scale: str | None, currency: str, describes_noun: bool = False) -> str:
    one, many, minor_one, minor_many = _CURRENCIES[currency]
    plain = amount.replace(",", "")
    if describes_noun and (scale or "." not in plain):
        many = one  # 'a $2m grant' -> 'a two million dollar grant'
    if scale:
        # '$2.5bn' -> 'two point five billion dollars': the scale word carries the amount.
        return f"{_number_words(plain)} {_scale_word(scale)} {many}"
    whole, _, fraction = plain.partition(".")
    if len(whole) > numwords.MAX_CARDINAL_DIGITS:
        return f"{_number_words(plain)} {many}"
    units = int(whole or "0")
    cents = int((fraction + "00")[:2]) if fraction and minor_one and len(fraction) <= 2 else None
    if fraction and cents is None:
        return f"{numwords.decimal(plain)} {many}"
    if describes_noun and cents:
        # 'a $3.50 coffee' -> 'a three dollar fifty coffee'; 'a $0.50 stamp' -> 'a fifty cent stamp'.
        if units:
            return f"{numwords.cardinal(units)} {one} {numwords.cardinal(cents)}"
        return f"{numwords.cardinal(cents)} {minor_one}"
    parts = []
    if units or not cents:
        parts.append(f"{numwords.cardinal(units)} {one if units == 1 else many}")
    if cents:
        parts.append(f"{numwords.cardinal(cents)} {minor_one if cents == 1 else minor_many}")
    return " and ".join(parts)


# Capitalised words after an amount that begin a new clause rather than name something.
_BEGINS_A_CLAUSE = {"I", "The", "A", "An", "He", "She", "It", "They", "We", "You", "But", "And", "This", "That"}
# Words after an amount that show it is the amount itself, not a description of a noun.
_NOT_A_NOUN = {
    "a", "an", "and", "or", "but", "of", "for", "to", "in", "on", "at", "by", "from", "with",
    "per", "each", "the", "is", "was", "were", "are", "will", "would", "has", "had", "have",
    "more", "less", "than", "that", "which", "who", "this", "last", "next", "over", "into",
    "as", "so", "if", "when", "while", "since", "until", "after", "before", "be", "been",
}


_NOUN_FOLLOWS = re.compile(r"(?<!\s)\s+([A-Za-z][A-Za-z-]*)")
_LOWERCASE_WORD_FOLLOWS = re.compile(r"(?<!\s)\s+([a-z]+)")
_ARTICLE_BEFORE = re.compile(r"(?=[A-Za-z])(?<![\w'])(a|an|the|its|their|his|her|our|this|that|[A-Za-z]+'s)\s+$", re.IGNORECASE)
# "It's $5 now" is no possessive.
_NOT_POSSESSIVE = {"it's", "that's", "there's", "here's", "what's", "he's", "she's", "who's", "let's", "where's"}


# Nouns an amount describes even with no determiner before it: 'faces £1,000 fine' (headlines
# drop their articles), 'wins $5m prize'.
_PRICED_NOUNS = {
    "fine", "fines", "penalty", "penalties", "fee", "fees", "bill", "bills", "grant", "grants", "bonus", "bonuses",
    "payout", "payouts", "settlement", "prize", "loan", "loans", "deal", "deals", "contract", "budget",
    "investment", "donation", "donations", "charge", "levy", "tax", "salary", "reward", "bounty", "bail",
    "deposit", "subsidy", "award", "payment", "payments", "refund", "rebate", "bet", "jackpot", "ticket",
    "tickets", "lawsuit", "package", "price", "pay", "raise", "fund", "upgrade", "overhaul", "project",
}


def _describes_noun(text: str, match: re.Match) -> bool:
    """'a $2m grant', "the studio's $2m Netflix film": a determiner before the amount and a
    noun-like word, or a name, after it; or, with no determiner, a word such as 'fine' after it."""
    before = _ARTICLE_BEFORE.search(text[max(0, match.start() - 20):match.start()])
    after = _NOUN_FOLLOWS.match(text, match.end(), match.end() + 30)
    if after and not before and after[1] in _PRICED_NOUNS:
        return True
    if not before or before[1].lower() in _NOT_POSSESSIVE or not after:
        return False
    word = after[1]
    return word.lower() not in _NOT_A_NOUN and word not in _BEGINS_A_CLAUSE


def _money_range(text: str, match: re.Match) -> str:
    currency, first, first_scale, joiner, second_sign, second, second_scale = match.groups()
    currency = currency.strip().upper()
    joiner = joiner.strip() if joiner.strip() in ("to", "and") else "to"
    if joiner != "to" and not re.search(r"\bbetween\s+$", text[max(0, match.start() - 10):match.start()], re.IGNORECASE):
        return match[0]  # '$5 and $10' without 'between' are two amounts
    if match[4].strip() in ("to", "and") and not (second_sign or second_scale):
        return match[0]  # 'paid $5 to 10 people'
    noun = _describes_noun(text, match)
    if not (first_scale or second_scale) and "." in first + second:
        return f"{_money(first, None, currency, noun)} {joiner} {_money(second, None, currency, noun)}"
    one, many = _CURRENCIES[currency][:2]
    spoken = [_number_words(amount) + (f" {_scale_word(scale)}" if scale else "")
              for amount, scale in ((first, first_scale), (second, second_scale))]
    return f"{spoken[0]} {joiner} {spoken[1]} {one if noun else many}"


def speak_money(text: str) -> str:
    """'$2m' -> 'two million dollars', '€3.50' -> 'three euros and fifty cents',
    '£1.2bn' -> 'one point two billion pounds', '40 EUR' -> 'forty euros',
    'a $2m grant' -> 'a two million dollar grant', '$5-10 million' -> 'five to ten million dollars'."""
    text = _MONEY_RANGE.sub(lambda m: _money_range(text, m), text)
    text = _MONEY_BEFORE.sub(lambda m: _money(m[2], m[3], m[1].strip().upper(), _describes_noun(text, m)), text)
    return _MONEY_AFTER.sub(lambda m: _money(m[1], m[2], m[3].upper(), _describes_noun(text, m)), text)


_PERCENT = re.compile(rf"(?<![\w.,])([-\u2212]?)({_NUMBER})\s?(?:%|per ?cent\b)(?P<glued>(?=[A-Za-z]))?")


def speak_percentages(text: str) -> str:
    """'3.5%' -> 'three point five percent', '-2 per cent' -> 'minus two percent'."""
    # "33%of" (a page's markup glued the next word on) must not become "percentof".
    return _PERCENT.sub(lambda m: ("minus " if m[1] else "") + _number_words(m[2]) + " percent"
                        + (" " if m["glued"] is not None else ""), text)


_UNITS = {
    "km/h": ("kilometre per hour", "kilometres per hour"), "kph": ("kilometre per hour", "kilometres per hour"),
    "mph": ("mile per hour", "miles per hour"), "km": ("kilometre", "kilometres"),
    "cm": ("centimetre", "centimetres"), "mm": ("millimetre", "millimetres"),
    "kg": ("kilogram", "kilograms"), "mg": ("milligram", "milligrams"), "g": ("gram", "grams"),
    "lb": ("pound", "pounds"), "lbs": ("pounds", "pounds"), "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"), "mi": ("mile", "miles"), "ha": ("hectare", "hectares"),
    "ml": ("millilitre", "millilitres"), "kWh": ("kilowatt hour", "kilowatt hours"),
    "kW": ("kilowatt", "kilowatts"), "MW": ("megawatt", "megawatts"), "GW": ("gigawatt", "gigawatts"),
    "GB/s": ("gigabyte per second", "gigabytes per second"), "MB/s": ("megabyte per second", "megabytes per second"),
    "kb": ("kilobyte", "kilobytes"), "x": ("times", "times"),
    "GB": ("gigabyte", "gigabytes"), "MB": ("megabyte", "megabytes"), "TB": ("terabyte", "terabytes"),
    "KB": ("kilobyte", "kilobytes"), "kB": ("kilobyte", "kilobytes"),
    "kbps": ("kilobit per second", "kilobits per second"), "Kbps": ("kilobit per second", "kilobits per second"),
    "Mbps": ("megabit per second", "megabits per second"), "Gbps": ("gigabit per second", "gigabits per second"),
    "Hz": ("hertz", "hertz"), "kHz": ("kilohertz", "kilohertz"), "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
    "°C": ("degree Celsius", "degrees Celsius"), "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "ºC": ("degree Celsius", "degrees Celsius"), "°": ("degree", "degrees"),
    "min": ("minute", "minutes"), "mins": ("minutes", "minutes"), "hr": ("hour", "hours"),
    "hrs": ("hours", "hours"), "sec": ("second", "seconds"), "secs": ("seconds", "seconds"),
}
# Their full stop, when the sentence runs on ('a 20 min. walk'), would be read as its end.
_DOTTED_UNITS = {"min", "mins", "hr", "hrs", "sec", "secs"}
_UNIT = re.compile(
    rf"(?<![\w.,])([-\u2212]?)({_NUMBER})\s?("
    + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
    + r")(?![\w/])(\.(?=\s+[a-z]))?"
)


def speak_units(text: str) -> str:
    """'12 km' -> 'twelve kilometres', '1 kg' -> 'one kilogram', '-5°C' -> 'minus five degrees Celsius',
    'a 20 min. walk' -> 'a twenty minute walk' (a measure that describes a noun is singular,
    like money's 'a two million dollar grant')."""

    def replace(match: re.Match) -> str:
        one, many = _UNITS[match[3]]
        number = match[2].replace(",", "")
        spoken = ("minus " if match[1] else "") + _number_words(number)
        stop = match[4] if match[4] and match[3] not in _DOTTED_UNITS else ""
        singular = number == "1" or (not stop and _describes_noun(text, match))
        return f"{spoken} {one if singular else many}{stop}"

    return _UNIT.sub(replace, text)


# --- years, ordinals and plain numbers ------------------------------------------------------

_DECADE = re.compile(r"(?<![\w'])(1[1-9]|20)(\d)0s\b|(?<![\w])'(\d)0s\b|\b([2-9])0s\b")


def speak_decades(text: str) -> str:
    """'the 1990s' -> 'the nineteen nineties', "the '80s" -> 'the eighties'."""

    def replace(match: re.Match) -> str:
        if match[1]:
            return numwords.plural_of_tens(numwords.year(int(match[1] + match[2] + "0")))
        tens = int(match[3] or match[4])
        return numwords.plural_of_tens(numwords.cardinal(tens * 10))

    return _DECADE.sub(replace, text)


_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.IGNORECASE)


def speak_ordinals(text: str) -> str:
    """'the 3rd time', '21st century' -> 'the third time', 'twenty-first century'."""
    return _ORDINAL.sub(lambda m: numwords.ordinal(m[1]), text)


_YEAR = re.compile(r"(?<![\w.,$€£¥#-])(1[1-9]\d\d|20\d\d)(?![\w%°]|[.,]\d)")
# After these a four-digit number is a year even when a counted noun follows ("in 2020 prices").
_YEAR_CUES = {"in", "since", "by", "from", "until", "till", "year", "around", "early", "late",
              "mid", "before", "after", "during", "summer", "winter", "spring", "autumn", "fall",
              "season", "class", "through", "between"}
# Otherwise, these nouns make a four-digit number a count: "1500 people", "1200 homes".
COUNTED_NOUNS = {
    "people", "persons", "children", "men", "women", "staff", "workers", "employees", "jobs",
    "homes", "houses", "students", "pupils", "residents", "visitors", "cars", "vehicles",
    "members", "patients", "troops", "soldiers", "officers", "votes", "signatures", "copies",
    "units", "times", "tonnes", "tons", "metres", "meters", "miles", "kilometres", "feet",
    "words", "pages", "acres", "hectares", "cases", "deaths", "more", "fewer", "of", "new", "extra", "additional", "other", "birds", "trees", "animals", "seats", "beds",
}


_FIGURE_FOLLOWS = re.compile(r"(?<!\s)\s+\d")
# 'gsoc-2018', 'PyCon-2019', 'mid-2018': a word joined to a year by a hyphen.
_WORD_DASH_YEAR = re.compile(r"(?<![\w.-])([A-Za-z]{2,})-((?:1[89]|20)\d\d)(?![\w-]|[.,]\d)")
# 'between 2000 and 2016' said 'between two thousand and twenty sixteen' is heard as "two
# thousand and twenty", then "sixteen": a year said with 'thousand' does not take 'and' after it.
_BETWEEN_THOUSAND_YEARS = re.compile(r"\b([Bb]etween) (200\d) and (20\d\d)\b(?![.,]\d)")


def _between_years(match: re.Match) -> str:
    following = _LOWERCASE_WORD_FOLLOWS.match(match.string, match.end())
    if int(match[3]) <= int(match[2]) or (following and following[1] in COUNTED_NOUNS):
        return match[0]
    return f"{'From' if match[1][0] == 'B' else 'from'} {match[2]} to {match[3]}"


def speak_years(text: str) -> str:
    """'in 1988' -> 'in nineteen eighty-eight', 'by 2030,' -> 'by twenty thirty', 'In 2019 400
    people' -> 'In twenty nineteen, 400 people'; '1500 people' stays a count for the number rule.
    'gsoc-2018' -> 'gsoc twenty eighteen'; 'between 2000 and 2016' -> 'from two thousand to
    twenty sixteen'."""

    def replace(match: re.Match) -> str:
        before = re.search(r"([A-Za-z]+)\W*$", text[max(0, match.start() - 20):match.start()])
        following = _LOWERCASE_WORD_FOLLOWS.match(text, match.end())
        cued = before is not None and before[1].lower() in _YEAR_CUES
        if not cued and following and following[1] in COUNTED_NOUNS:
            return match[0]
        # 'In 2019 400 people': without a pause the two figures run into one number.
        return numwords.year(int(match[1])) + ("," if _FIGURE_FOLLOWS.match(text, match.end()) else "")

    text = _BETWEEN_THOUSAND_YEARS.sub(_between_years, _WORD_DASH_YEAR.sub(r"\1 \2", text))
    return _YEAR.sub(replace, text)


_SIGNED_NUMBER = re.compile(rf"(?<![\w.,])([-\u2212])(?=\d)({_NUMBER})(?![\w.,]\d|\w)")
_GROUPED = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w]|[.,]\d)")
_PLAIN = re.compile(r"(?<![\w.,])\d+(?:\.\d+)?(?![\w]|[.,]\d)")
_LEADING_ZERO = re.compile(r"(?<![\w.,])0\d+(?![\w]|[.,]\d)")


# Words that name a number as an identifier: what follows is read digit by digit.
IDENTIFIER_WORDS = {
    "number", "no", "id", "model", "serial", "code", "ref", "reference", "case", "account", "order",
    "item", "part", "ticket", "invoice", "patent", "catalogue", "catalog", "file", "batch", "lot",
    "flight", "train", "route", "permit", "licence", "license",
}
_LONG_FIGURE = re.compile(r"(?<![\w.,])\d{5,}(?![\w]|[.,]\d)")
_NAMING_WORD_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\.?[ \t]$")


def _in_threes(number: str) -> str:
    """'12345678' -> 'one two, three four five, six seven eight'."""
    head = len(number) % 3
    groups = ([number[:head]] if head else []) + [number[i:i + 3] for i in range(head, len(number), 3)]
    return ", ".join(numwords.digits(group) for group in groups)


def speak_numbers(text: str) -> str:
    """'1,234,567' -> 'one million two hundred and thirty-four thousand five hundred and
    sixty-seven', '3.05' -> 'three point zero five', '-4' -> 'minus four', '007' -> 'zero zero
    seven', 'ID 121102' -> 'ID one two one, one zero two' (an identifier of five digits or
    more is read in threes). Numbers glued to letters (A380, M25, 5G) are codes and stay as written."""

    def identifier(match: re.Match) -> str:
        before = _NAMING_WORD_BEFORE.search(text[max(0, match.start() - 20):match.start()])
        return _in_threes(match[0]) if before and before[1].lower() in IDENTIFIER_WORDS else match[0]

    text = _LONG_FIGURE.sub(identifier, text)
    text = _SIGNED_NUMBER.sub(lambda m: "minus " + _number_words(m[2]), text)
    text = _GROUPED.sub(lambda m: _number_words(m[0]), text)
    text = _LEADING_ZERO.sub(lambda m: numwords.digits(m[0]), text)
    return _PLAIN.sub(lambda m: _number_words(m[0]), text)
