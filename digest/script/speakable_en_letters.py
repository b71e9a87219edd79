"""English speakable rules for letters, names and marks rather than figures.

Initialisms a voice might read as a word ("US" as "us"), acronyms, product names with Roman
numerals, wire datelines, file types, links and social-media marks. Each rule is a small
`str -> str` function; RULES lists them in the order they run, right after the abbreviations
are expanded (speakable_en.RULES puts them there).
"""

from __future__ import annotations

import re

# --- initialisms that are also words ----------------------------------------------------------

# Spelled with spaces so that both gTTS and Piper say the letters: "US" in capitals is the
# country to espeak, but a voice that lower-cases first would say the pronoun "us".
_COUNTRY_INITIALS = re.compile(r"\b(US|UK|UN|EU)\b")
# After these an all-caps "US" (left by a calmed headline: "LET US GO") is the pronoun...
_TAKES_US = {
    "let", "to", "for", "with", "join", "tell", "told", "help", "helps", "give", "gave", "show",
    "showed", "about", "from", "among", "against", "like", "than", "of", "save", "call", "follow",
    "contact", "email", "ask", "asked", "thank", "keep", "make", "made", "bring", "brought",
    "take", "took", "send", "sent", "get", "got", "hit", "lead", "led", "leave", "left", "hear",
    "heard", "see", "saw", "meet", "met", "trust", "believe", "hurt", "love", "hate", "beat",
    "beside", "behind", "before", "after", "without", "upon", "on", "at", "by", "into", "onto",
}
# ...unless a word follows that it describes ("for US voters"): these words do not.
_AFTER_PRONOUN = {
    "a", "an", "and", "or", "but", "the", "to", "in", "on", "at", "with", "for", "from", "of",
    "that", "this", "what", "how", "why", "when", "where", "if", "is", "was", "are", "all",
    "both", "now", "today", "tonight", "tomorrow", "here", "there", "again", "back", "out", "up",
    "down", "too", "also", "soon", "off", "over", "alone", "together", "know", "be", "go", "do",
}
# The lookbehinds let a match start only where its run starts, so searches stay linear.
_WORD_BEFORE = re.compile(r"(?<![A-Za-z'])([A-Za-z']+)[ \t]*$")
_WORD_AFTER = re.compile(r"(?<![ \t])[ \t]+([A-Za-z']+)")
# How far back the word before a match is looked for.
_LOOKBACK = 30


def _is_the_pronoun(text: str, match: re.Match) -> bool:
    before = _WORD_BEFORE.search(text[max(0, match.start() - _LOOKBACK):match.start()])
    if not before or before[1].lower() not in _TAKES_US:
        return False
    after = _WORD_AFTER.match(text, match.end())
    return not after or after[1].lower() in _AFTER_PRONOUN


def spell_country_initials(text: str) -> str:
    """'US troops', 'the UK' -> 'U S troops', 'the U K' (letters, never the word "us");
    'Let US go', from a calmed headline, -> 'Let us go'."""

    def replace(match: re.Match) -> str:
        if match[1] == "US" and _is_the_pronoun(text, match):
            return "us"
        return " ".join(match[1])

    return _COUNTRY_INITIALS.sub(replace, text)


# --- acronyms a voice would read as a word --------------------------------------------------

# Presenters spell these, but espeak (Piper) reads 'WHO' as "who", 'ACLU' as "ack-loo".
SPELLED_ACRONYMS = {"WHO", "ACLU", "IAEA", "IMF", "IT"}
_SPELLED = re.compile(r"\b(" + "|".join(sorted(SPELLED_ACRONYMS)) + r")\b")
# 'IT IS OVER', 'WE DID IT!', calmed, are the pronoun: a verb, an adverb or nothing follows.
# Anything else ('the IT department', 'IT giant', 'spending on IT rose') is information technology.
_AFTER_IT_PRONOUN = {
    "is", "was", "will", "would", "has", "had", "can", "could", "may", "might", "must", "should",
    "does", "did", "seems", "seemed", "looks", "looked", "means", "meant", "makes", "made", "takes",
    "took", "says", "said", "gets", "got", "goes", "went", "comes", "came", "happens", "happened",
    "now", "again", "all", "too", "up", "out", "off", "down", "back", "here", "there", "away",
    "yourself", "together", "right", "work", "works", "worked", "isn't", "wasn't", "won't", "not",
}
_DETERMINER = re.compile(r"(?=[A-Za-z])(?<![A-Za-z'])(?:the|an|a|our|their|its|his|her|your|my)[ \t]+$", re.IGNORECASE)
_SENTENCE_BEGINS = re.compile(r"(?:\A|[.!?:][\"')\u201d\u2019]*)\s*[\"'(\u201c\u2018]*$")
_REST_OF_SENTENCE = re.compile(r"[^.!?\n]*([.!?]?)")


def _pronoun(text: str, match: re.Match) -> str | None:
    """'It'/'it' or 'Who'/'who' when a calmed headline left the word in capitals, else None."""
    lead = text[max(0, match.start() - _LOOKBACK):match.start()]
    starts = bool(_SENTENCE_BEGINS.search(lead))
    word = match[1]
    if word == "IT":
        after = _WORD_AFTER.match(text, match.end())
        if _DETERMINER.search(lead) or (after[1].lower() not in _AFTER_IT_PRONOUN if after else not lead.strip()):
            return None
        return "It" if starts else "it"
    if word == "WHO" and starts and _REST_OF_SENTENCE.match(text, match.end())[1] == "?":
        return "Who"
    return None


def spell_acronyms(text: str) -> str:
    """'the WHO said' -> 'the W H O said', 'the IT department' -> 'the I T department':
    acronyms presenters spell but a voice would say as a word. A calmed headline's 'IT IS
    OVER' -> 'It is over', 'WHO WILL WIN?' -> 'Who will win?'."""

    def replace(match: re.Match) -> str:
        pronoun = _pronoun(text, match)
        return pronoun if pronoun else " ".join(match[1])

    return _SPELLED.sub(replace, text)


# --- product names ----------------------------------------------------------------------------

# Apple's X is the Roman ten ('iPhone XS' is "iPhone ten S", 'OS X' is "OS ten"); elsewhere an
# X in a name is a letter ('Windows XP', 'Xbox One X'), so only these names are read this way.
_ROMAN_TEN = re.compile(r"\b(iPhone|OS) X([SR])?\b")


def speak_roman_model_names(text: str) -> str:
    """'iPhone XS' -> 'iPhone ten S', 'iPhone X' -> 'iPhone ten', 'Mac OS X' -> 'Mac OS ten'."""
    return _ROMAN_TEN.sub(lambda m: f"{m[1]} ten" + (f" {m[2]}" if m[2] else ""), text)


# --- file types and acronyms read as letters ------------------------------------------------

# How each is said, whatever its case: letters where the name is no word ('P N G'), the
# word where people say one ('JPEG', 'zip'). Both voices then agree with each other and
# with themselves when an article writes 'PNG' in one place and 'png' in the next.
FILE_TYPES = {
    "pdf": "P D F", "png": "P N G", "jpg": "J P G", "jpeg": "JPEG", "gif": "gif", "svg": "S V G",
    "csv": "C S V", "txt": "T X T", "doc": "doc", "docx": "doc X", "xls": "X L S", "xlsx": "X L S X",
    "ppt": "P P T", "pptx": "P P T X", "zip": "zip", "rar": "rar", "mp3": "M P three",
    "mp4": "M P four", "mov": "M O V", "exe": "E X E", "apk": "A P K", "html": "H T M L",
    "json": "JSON", "xml": "X M L", "webp": "web P", "heic": "H E I C",
}
_EXTENSION = "|".join(sorted(FILE_TYPES, key=len, reverse=True))
# '.zip' standing alone, or the end of a file name ('report.pdf'); not 'e.g.' or '2.5'.
_FILE_TYPE = re.compile(rf"(?<![\w.])(\w+)?\.({_EXTENSION})\b(?![.\w]\w|/)", re.IGNORECASE)
# In capitals a file type is named on its own ('a PNG', 'saved as PDF'); in lower case it is
# a name only where no ordinary word is spelled the same ('png', 'jpeg', not 'zip' or 'gif').
_FILE_TYPE_NAME = re.compile(r"\b(PDF|PNG|JPG|JPEG|SVG|CSV|TXT|DOCX|XLSX|PPTX|MP3|MP4|HTML|XML|HEIC|png|jpg|jpeg|pdf|svg|csv|heic)\b")


def speak_file_types(text: str) -> str:
    """'.zip or .rar' -> 'dot zip or dot rar', 'report.pdf' -> 'report dot P D F', 'a PNG or a
    jpeg' -> 'a P N G or a JPEG': a file type said the same way wherever and however it is written."""
    text = _FILE_TYPE.sub(lambda m: (f"{m[1]} " if m[1] else "") + "dot " + FILE_TYPES[m[2].lower()], text)
    return _FILE_TYPE_NAME.sub(lambda m: FILE_TYPES[m[1].lower()], text)


# --- words written with stars -------------------------------------------------------------

# 'f**k', 'sh*t', 'f***ing': a word the page would not print. A presenter does not say it either.
_CENSORED = re.compile(r"(?<![\w*])([A-Za-z]{1,2})(\*{1,6})([a-z]{0,6})(?![\w*])")


def speak_censored_words(text: str) -> str:
    """'adding f**k ticks' -> 'adding f-word ticks', 'f***ing' -> 'effing', 's**t' -> 's-word'."""

    def replace(match: re.Match) -> str:
        if not match[3] and len(match[2]) < 2:
            return match[0]  # 'A*' or 'x*': a footnote's or a wildcard's star
        letter = match[1][0].lower()
        if match[3].endswith(("ing", "in")):
            return "effing" if letter == "f" else "bleeping"
        return f"{letter}-word"

    return _CENSORED.sub(replace, text)


RULES = [
    speak_censored_words,
    spell_country_initials,
    spell_acronyms,
    speak_file_types,
    speak_roman_model_names,
]
