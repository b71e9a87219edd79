"""English rules for what news about technology and public services writes in symbols: a slash
between words ("bus/coach"), version numbers ("Python 3.6.0"), ".js" names, simple fractions
("1/2 a cup"). They run before the number rules, which would read "3.6.0" as a decimal and a
fraction's figures as a count.
"""

from __future__ import annotations

import re

from digest import numwords
from digest.dates import MONTHS_EN

# Two words joined by a slash, not inside a path or URL (no "/", ".", ":" or word before) and not
# a unit ("km/h", "GB/s": a word of one letter or in capitals is left to the unit rules).
_WORD_SLASH = re.compile(r"(?<![\w/.:@-])([A-Za-z][a-z]+) ?/ ?([A-Za-z][a-z]+)(?![\w/]|\.\w)")
_VERSION = re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4}))?(?![\w]|\.\d)")
_JS_NAME = re.compile(r"\b([A-Z][A-Za-z]+)\.js\b")
_FRACTION_WORDS = {"1/2": "half", "1/4": "a quarter", "3/4": "three quarters"}


def _fraction_words(numerator: str, denominator: str) -> str:
    """'1/2' -> 'half', '3/8' -> 'three eighths', '1/5' -> 'a fifth', '2/4' -> 'two quarters'."""
    if f"{numerator}/{denominator}" in _FRACTION_WORDS:
        return _FRACTION_WORDS[f"{numerator}/{denominator}"]
    count = int(numerator)
    part = "quarter" if denominator == "4" else "half" if denominator == "2" else numwords.ordinal(int(denominator))
    if count == 1:
        return f"{'an' if part[0] in 'aeiou' else 'a'} {part}"
    return f"{numwords.cardinal(count)} {'halves' if part == 'half' else part + 's'}"


# Only before what a fraction measures: "Python 2/3 native" is two versions, not two thirds.
_FRACTION = re.compile(
    r"(?<![\w/.])([1-9])/([2-9]|1[0-2]|16|32|64|100)(?= (a|an|of|the|cups?|miles?|inch(?:es)?|hours?|teaspoons?|tablespoons?|pounds?"
    r"|ounces?|pints?|litres?|liters?|kilos?|acres?|points?)\b)"
)


# Two figures joined by a slash, not part of a date (3/4/2025), a path or an address.
_FIGURE_SLASH = re.compile(r"(?<![\w/.:,-])(\d{1,4}(?:\.\d{1,3})?)/(\d{1,4}(?:\.\d{1,3})?)(?![\w/]|[.,]\d)")
# A figure with a plus: 'Python 3.5+', '10+ years'. Not a sum ('1+1') nor a dialling code ('+44').
_FIGURE_PLUS = re.compile(r"(?<![\w.+])(\d{1,4}(?:\.\d{1,3}){0,2})\+(?![\w+])")
# A name before a figure makes it a version: 'Python 3', 'Android 10', 'Windows 7/8'.
_NAME_BEFORE = re.compile(r"(?<![\w'])([A-Z][A-Za-z]*|[a-z]+[A-Z][A-Za-z]*) $")
# Capitalised words before a figure that are no product's name.
_NOT_A_NAME = {"The", "A", "An", "In", "On", "At", "By", "Of", "To", "For", "From", "And", "Or", "But", "With",
               "Only", "About", "Around", "Some", "Over", "Under", "Nearly", "Almost", "Just", "Top", "Page",
               "Chapter", "Section", "Part", "Rated", "Score", "Scored", "Grade", "Ages", "Aged", "Step", "Round"}
_OUT_OF = {"5", "10", "20", "100"}
_WORD_BEFORE = re.compile(r"(?<![\w'])([A-Za-z]+) $")
_ARTICLE_BEFORE = re.compile(r"(?<![\w'])(?:a|an|the|A|An|The) $")
# After these a month and day in figures ('on 3/15') is a date.
_DATE_CUES = {"on", "since", "until", "till", "through", "by", "before", "after"}


def _is_version(text: str, match: re.Match) -> bool:
    name = _NAME_BEFORE.search(text, max(0, match.start() - 30), match.start())
    return bool(name) and name[1] not in _NOT_A_NAME


def speak_figure_slashes(text: str) -> str:
    """'Python 2/3' -> 'Python 2 or 3', '3.4/3.5' -> '3.4 or 3.5', '20/20' -> 'twenty-twenty',
    'rated 4/5' -> 'rated 4 out of 5', 'the 2020/21 season' -> 'the 2020 to 21 season';
    'Python 3.5+' -> 'Python 3.5 or later', '10+ years' -> '10-plus years'. Figures only: the
    number rules say them after. A fraction before what it measures ('1/2 a cup') is the
    fraction rule's; '24/7' is the symbol rule's."""

    def slash(match: re.Match) -> str:
        first, second = match[1], match[2]
        if match[0] == "24/7":
            return match[0]
        if match[0] == "9/11":
            return "nine eleven"
        before = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start())
        if before and before[1].lower() in _DATE_CUES and 1 <= int(first) <= 12 and 1 <= int(second) <= 31:
            return f"{MONTHS_EN[int(first) - 1]} {numwords.ordinal(int(second))}"  # 'on 3/15', US order
        if "." in first + second or _is_version(text, match):
            return f"{first} or {second}"
        if first == second:
            return f"{numwords.cardinal(int(first))}-{numwords.cardinal(int(second))}"
        if len(first) == 4 and len(second) == 2:
            return f"{first} to {second}"  # a season, as speak_ranges says '2011-12'
        if second in _OUT_OF and int(first) <= int(second):
            return f"{first} out of {second}"
        if int(first) > int(second):
            return f"{first} to {second}"  # odds: 'a 5/1 favourite'
        if second in ("2", "3", "4", "8"):
            return _fraction_words(first, second)  # 'a 2/3 majority'
        return f"{first} out of {second}"

    def plus(match: re.Match) -> str:
        if "." in match[1] or _is_version(text, match):
            return f"{match[1]} or later"
        return f"{match[1]}-plus"

    return _FIGURE_PLUS.sub(plus, _FIGURE_SLASH.sub(slash, text))


# How English words may begin: a word that starts otherwise ('nlohmann', 'json') is a name
# from code, and a slash beside it is a path or a repository's ('nlohmann/json'), said 'slash'.
_ENGLISH_ONSETS = set(
    "bl br ch cl cr dr dw fl fr gl gn gr kn kl kr ph pl pr ps qu rh sc sch scr sh shr sk sl sm sn sp sph spl spr squ"
    " st str sw th thr tr tw wh wr".split()
)
_ONSET = re.compile(r"[^aeiouy]*")
# Beside a spaced slash, these show the slash is the symbol itself ('and / is special').
_FUNCTION_WORDS = {"and", "or", "is", "are", "was", "were", "the", "a", "an", "to", "of", "in", "on", "it", "be", "as"}


def _english_looking(word: str) -> bool:
    onset = _ONSET.match(word.lower())[0]
    return len(onset) < 2 or onset in _ENGLISH_ONSETS


def speak_word_slashes(text: str) -> str:
    """'bus/coach' -> 'bus or coach', 'Yes/No' -> 'Yes or No', 'and/or' -> 'and or';
    'nlohmann/json' and 'django/django' -> '... slash ...' (a repository, not a choice), and
    'and / is special' -> 'and slash is special'."""

    def replace(match: re.Match) -> str:
        first, second = match[1], match[2]
        if first.lower() == "and" and second.lower() == "or":
            return f"{first} or"
        spaced = match[0] != f"{first}/{second}"
        if (first.lower() == second.lower() or not (_english_looking(first) and _english_looking(second))
                or (spaced and {first.lower(), second.lower()} & _FUNCTION_WORDS)):
            return f"{first} slash {second}"
        return f"{first} or {second}"

    return _WORD_SLASH.sub(replace, text)


# --- code written in prose ------------------------------------------------------------------

# 'mercurial.pycompat', 'contrib.staticfiles', 'test-check-py3-compat.t': a dotted name in
# lower case (web addresses, file types and 'e.g.' have been read by then).
_DOTTED_NAME = re.compile(r"(?<![\w.@/\\-])([a-z][a-z0-9_]*[a-z0-9](?:-[a-z0-9_]+)*(?:\.[a-z_][a-z0-9_]*)+)(?![\w@/-]|\.\w)")
# Words around a dotted name that show it is code, not two words a page glued ('the end.then').
_CODE_NOUN_AFTER = re.compile(r"(?<!\s)\s+(?:modules?|packages?|library|libraries|files?|functions?|methods?|class(?:es)?"
                              r"|attributes?|settings?|related|apps?|objects?|namespaces?|calls?|imports?)\b")
_IMPORT_BEFORE = re.compile(r"(?<![\w'])(?:import|from|in|use|using|call|calls|called)\s+$")


def _is_code_name(text: str, match: re.Match) -> bool:
    name = match[1]
    return (name.count(".") > 1 or any(c in name for c in "-_0123456789")
            or bool(_CODE_NOUN_AFTER.match(text, match.end()))
            or bool(_IMPORT_BEFORE.search(text, max(0, match.start() - 12), match.start())))


# '\0', '\n': an escape, said with its backslash.
_ESCAPE = re.compile(r"(?<![\w\\])\\([0-9a-z])(?!\w)")
# 'char *', 'void*': a C pointer type.
_POINTER = re.compile(r"\b(char|int|void|long|short|float|double|size_t|uint8_t|wchar_t|FILE) ?(\*{1,2})(?!\*)")
# '**kwargs', '*args', 'use ** with a dict': Python's unpacking stars. One star before a word
# is more often a note's mark ('*terms apply'), so only these names and code names take it.
_STARRED_NAME = re.compile(r"(?<![\w*])(\*\*(?=[a-z_])|\*(?=args\b|kwargs\b|argv\b|[a-z]+_))([a-z_][a-z0-9_]*)(?![\w*])")
_LONE_STARS = re.compile(r"(?<![\w'])((?:use|using|with|pass|passing|the|and)\s+)\*\*(?=\s+[a-z])", re.IGNORECASE)


def speak_code_in_prose(text: str) -> str:
    """'the mercurial.pycompat module' -> 'the mercurial dot pycompat module', '\\0' ->
    'backslash zero', 'char *' -> 'char pointer', '**kwargs' -> 'star star kwargs'."""
    text = _DOTTED_NAME.sub(lambda m: m[1].replace(".", " dot ") if _is_code_name(text, m) else m[0], text)
    text = _ESCAPE.sub(lambda m: "backslash " + (numwords.cardinal(int(m[1])) if m[1].isdigit() else m[1]), text)
    text = _POINTER.sub(lambda m: m[1] + " pointer" * len(m[2]), text)
    text = _STARRED_NAME.sub(lambda m: "star " * len(m[1]) + m[2], text)
    return _LONE_STARS.sub(r"\1star star", text)


# "''", "b''", "u''": a string literal with nothing in it, which the quotation rules would drop.
_EMPTY_LITERAL = re.compile(r"(?<![\w'\"])([bBuUrRfF]?)(''|\"\")(?![\w'\"])")


def speak_empty_string_literals(text: str) -> str:
    """"from '' to b''" -> 'from quote quote to b quote quote': code's empty literals, said as
    programmers say them. It runs before the typography rules drop quotation marks."""
    return _EMPTY_LITERAL.sub(lambda m: (f"{m[1].lower()} " if m[1] else "") + "quote quote", text)


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
    """'1/2 a cup' -> 'half a cup', '3/4 of the vote' -> 'three quarters of the vote', '1/2 cup'
    -> 'half a cup', '3/4 hour' -> 'three quarters of an hour', '3/8 inch' -> 'three eighths of
    an inch'."""

    def replace(match: re.Match) -> str:
        if int(match[1]) >= int(match[2]):
            return match[0]
        words = _fraction_words(match[1], match[2])
        if match[3] in ("a", "an", "of", "the") or _ARTICLE_BEFORE.search(text, max(0, match.start() - 5), match.start()):
            return words  # 'a 3/8 inch bolt' -> 'a three eighths inch bolt'
        article = "an" if match[3].startswith(("hour", "inch", "ounce", "acre")) else "a"
        return f"{words} {article}" if words == "half" else f"{words} of {article}"

    return _FRACTION.sub(replace, text)


RULES = [speak_fractions, speak_figure_slashes, speak_versions, speak_js_names, speak_word_slashes, speak_code_in_prose]
