"""Split spoken text into utterances an engine accepts in one call.

Guarantees of `chunk_text(text, limit)`:
- every chunk is non-empty and at most `limit` characters long;
- joining the chunks with single spaces gives back the text with its whitespace collapsed,
  so nothing is lost or reordered (when a word longer than `limit` had to be cut, joining
  its pieces without a space gives it back);
- a chunk ends inside a word only when that single word is longer than `limit`;
- each sentence starts a new chunk; a sentence longer than `limit` is split at clause
  punctuation, then before a phrase word ("and", "which", ...), then at any other space, and
  inside a number ("twenty twenty-four", "1 500", "12 km"), after an abbreviation
  ("Mr. Smith", "3,5 Mio. Euro") or after a German ordinal ("25. November") only when
  nothing else fits;
- among the splits of a long sentence into as few chunks as practical, the one with the best
  boundaries and the most even lengths wins, so no tiny fragment is left on its own.

Where sentences end depends on the language (`lang`): German and French capitalise what
follows an abbreviation or a date far more often than English does ("3,5 Mio. Euro",
"am 25. November"), so each has its own abbreviations, and German ordinals are recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a period does not end the sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "no", "vs", "etc", "e.g",
    "i.e", "inc", "ltd", "co", "corp", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "approx", "dept", "est", "fig", "vol", "ave",
}
# German and French ones. Kept apart from the English set, whose entries can be ordinary words
# there (French "col", "vol", "est", and "sept", the number); weekday abbreviations are left
# out for the same reason (German "so", "da").
LOCAL_ABBREVIATIONS = {
    "de": {
        "mio", "mrd", "tsd", "nr", "bzw", "ca", "usw", "usf", "etc", "dr", "prof", "st", "str",
        "vgl", "ggf", "evtl", "inkl", "exkl", "zzgl", "bzgl", "insb", "bspw", "sog", "gem", "abs",
        "bd", "jh", "jhd", "hr", "fr", "hrsg", "tel", "min", "std", "mind", "ggü", "vs", "co",
        "jan", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez",
    },
    "fr": {
        "janv", "févr", "fév", "avr", "juil", "oct", "nov", "déc", "av", "apr", "bd", "dr", "pr",
        "mme", "mmes", "mlle", "mm", "me", "st", "ste", "env", "cf", "ex", "etc", "chap", "coll",
        "cie", "éd", "fig", "tél", "min", "mds", "md", "vs", "j.-c", "c.-à-d", "hab",
    },
}
# Abbreviations that may also end a sentence: they do when a sentence's usual first word
# follows ("Äpfel, Birnen usw. Die Preise ...").
_MAY_END_SENTENCE = {"usw", "usf", "etc", "hab"}
SENTENCE_STARTERS = {
    "de": {
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "er",
        "sie", "es", "ich", "wir", "ihr", "man", "dies", "diese", "dieser", "dieses", "damit",
        "dabei", "dann", "danach", "doch", "aber", "und", "oder", "auch", "am", "im", "in", "auf",
        "an", "mit", "nach", "vor", "bei", "für", "von", "zum", "zur", "seit", "bis", "so", "nun",
        "jetzt", "heute", "gestern", "wie", "was", "wer", "wo", "wann", "warum", "als", "wenn",
        "weil", "obwohl", "da", "hier", "dort", "nur", "noch", "schon", "alle", "viele", "zudem",
        "außerdem", "trotzdem", "deshalb", "daher", "allerdings", "jedoch", "insgesamt", "zuvor",
        "seine", "ihre", "unser", "kein", "keine", "nicht", "laut", "mehr",
    },
    "fr": {
        "le", "la", "les", "l", "un", "une", "des", "il", "elle", "ils", "elles", "on", "nous",
        "vous", "je", "ce", "cette", "ces", "c", "mais", "et", "ou", "donc", "puis", "alors",
        "en", "dans", "pour", "avec", "depuis", "selon", "après", "avant", "aujourd", "hier",
        "cependant", "pourtant", "ainsi", "enfin", "lors", "au", "aux", "du", "son", "sa", "ses",
        "leur", "leurs", "si", "quand", "comme",
    },
}
GERMAN_MONTHS = {
    "januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august",
    "september", "oktober", "november", "dezember",
    "jan", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez",
}
# Words before a figure that make "25." an ordinal ("den 3. Platz", "am 25. Tag").
_ORDINAL_CUES = {
    "am", "vom", "zum", "zur", "beim", "im", "bis", "ab", "seit", "den", "dem", "der", "des",
    "die", "das", "ihr", "ihre", "ihrem", "ihren", "ihrer", "sein", "seine", "seinem", "seinen",
    "seiner", "jeder", "jede", "jedes", "jeden", "jedem",
}
# (?<![.!?]): a run of "!!!!" is tried once, from its start, not again from each of its marks.
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u00c0-\u024f])")
PHRASE_WORDS = {
    "and", "but", "or", "nor", "so", "yet", "which", "who", "whom", "whose", "that", "because",
    "although", "while", "when", "where", "with", "without", "after", "before", "since", "until",
    "if", "unless", "for", "from", "into", "about", "between", "during", "through",
}
# Weaker than PHRASE_WORDS, but a split before one still starts a phrase.
MINOR_PHRASE_WORDS = {
    "in", "on", "at", "to", "of", "by", "as", "over", "under", "against", "across", "along",
    "around", "near", "the", "a", "an", "then", "than", "not",
}
NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "trillion", "point", "oh",
}
# What may follow a number without a pause: units, scales and the like.
NUMBER_FOLLOWERS = {
    "%", "percent", "per", "cent", "km", "kg", "m", "cm", "mm", "g", "mg", "lb", "lbs", "oz",
    "mph", "km/h", "°c", "°f", "a.m.", "p.m.", "am", "pm", "gb", "mb", "tb", "kw", "mw", "gw",
    "kwh", "million", "billion", "trillion", "thousand", "hundred", "dollars", "dollar",
    "euros", "euro", "pounds", "pound", "pence", "cents", "cent", "yen", "degrees", "degree",
    "mio", "mrd", "tsd", "millionen", "milliarden", "prozent", "millions", "milliards",
}
_CURRENCY_SIGNS = {"$", "€", "£", "¥"}

# Boundary costs: lower is a better place to end a chunk.
_CLAUSE, _PHRASE, _MINOR_PHRASE, _SPACE, _GLUED = 1.0, 3.0, 4.5, 6.0, 60.0
_CHUNK = 10.0  # each extra chunk costs more than a worse boundary gains
_UNEVEN = 4.0  # weight of the squared unused room in a chunk
_TINY_CHARS, _TINY = 25, 6.0


@dataclass(frozen=True)
class Chunk:
    text: str
    ends_sentence: bool
    ends_clause: bool = False  # split after clause punctuation (a comma-length pause fits)


def _language(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def abbreviations(lang: str = "en") -> set[str]:
    """Words after which a full stop does not end the sentence, in `lang`."""
    base = _language(lang)
    return ABBREVIATIONS if base not in LOCAL_ABBREVIATIONS else LOCAL_ABBREVIATIONS[base]


def _word_before(text: str, period_index: int) -> str:
    start = period_index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:period_index].lower().lstrip("(\"'")


def _word_after(text: str, index: int) -> str:
    match = re.match(r"\s*[\"'(\[]*([^\s.,;:!?\"')\]]*)", text[index:])
    return match[1] if match else ""


def _is_abbreviation(text: str, period_index: int, lang: str = "en") -> bool:
    word = _word_before(text, period_index)
    if word in abbreviations(lang):
        return True
    # Single initials ("J. R. R. Tolkien", "z. B.") and dotted acronyms ("U.S.A", "z.B", "u.a").
    if len(word) == 1 and word.isalpha():
        return not _ends_spelled_letters(text, period_index)
    return bool(re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", word))


def _ends_spelled_letters(text: str, period_index: int) -> bool:
    """'the U S.': the last of letters the speakable rules spelled out with spaces, which keep
    their full stop only where the sentence ended; 'J. R.' are initials, each with its own."""
    letter = period_index - 1
    return (letter >= 2 and text[letter - 1] == " " and text[letter - 2].isalpha()
            and (letter == 2 or text[letter - 3].isspace()))


def _is_german_ordinal(text: str, period_index: int, following: str) -> bool:
    """'am 25. November', 'den 3. Platz': the full stop marks an ordinal, not a sentence end."""
    before = text[:period_index].split()
    if not before or not re.fullmatch(r"\(?\d{1,3}", before[-1]):
        return False
    if following.lower() in GERMAN_MONTHS or following[:1].islower():
        return True
    cue = before[-2].lower().strip("(\"',") if len(before) > 1 else ""
    return cue in _ORDINAL_CUES and following.lower() not in SENTENCE_STARTERS["de"]


def continues_after(text: str, period_index: int, lang: str = "en") -> bool:
    """Whether the full stop at `period_index` leaves the sentence running (an abbreviation,
    an initial or a German ordinal), judged by the words on both sides of it."""
    base = _language(lang)
    following = _word_after(text, period_index + 1)
    if _is_abbreviation(text, period_index, base):
        if base in LOCAL_ABBREVIATIONS and _word_before(text, period_index) in _MAY_END_SENTENCE:
            return not (following[:1].isupper() and following.lower() in SENTENCE_STARTERS[base])
        return True
    return base == "de" and _is_german_ordinal(text, period_index, following)


def split_sentences(text: str, lang: str = "en") -> list[str]:
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == "." and continues_after(text, match.start(), lang):
            continue
        sentence = text[start:match.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


@dataclass(frozen=True)
class _Token:
    text: str
    spaced: bool  # a space separates it from the token before (False: piece of a cut word)


def _tokens(sentence: str, limit: int) -> list[_Token]:
    tokens: list[_Token] = []
    for word in sentence.split(" "):
        # Only a single word longer than the limit is ever cut, and only at the limit.
        pieces = [word[i:i + limit] for i in range(0, len(word), limit)] or [word]
        tokens.extend(_Token(piece, index == 0) for index, piece in enumerate(pieces))
    return tokens


def _is_number(word: str) -> bool:
    bare = word.strip("\"'()[],;:.!?").lower()
    return bool(bare) and (bare[0].isdigit() or all(part in NUMBER_WORDS for part in bare.split("-")))


def _boundary_cost(words: list[str], j: int, lang: str = "en") -> float:
    """How good a place the space before `words[j]` is to end a chunk."""
    before, after = words[j - 1], words[j]
    if before[-1:] in ",;:" or before.endswith((",\"", ",'", ";\"", ":\"", "),", ");")):
        return _CLAUSE
    bare_after = after.lower().strip("\"'()[],;:.!?")
    if before.lower().rstrip(".") in abbreviations(lang) and before.endswith("."):
        return _GLUED  # "Mr. | Smith"
    if _language(lang) == "de" and re.fullmatch(r"\d{1,3}\.", before):
        return _GLUED  # "25. | November": split_sentences already found it is an ordinal
    if before in _CURRENCY_SIGNS:
        return _GLUED  # "$ | 5"
    if _is_number(before) and (_is_number(after) or bare_after in NUMBER_FOLLOWERS or after.startswith("%")):
        return _GLUED  # "twenty | twenty-four", "1 | 500", "12 | km"
    # "one hundred | and | one"
    if after == "and" and _is_number(before) and j + 1 < len(words) and _is_number(words[j + 1]):
        return _GLUED
    if before == "and" and j >= 2 and _is_number(words[j - 2]) and _is_number(after):
        return _GLUED
    if after.lower().strip("\"'(") in PHRASE_WORDS:
        return _PHRASE
    if after.lower().strip("\"'(") in MINOR_PHRASE_WORDS:
        return _MINOR_PHRASE
    return _SPACE


def _chunk_cost(length: int, limit: int) -> float:
    room = (limit - length) / limit
    return _CHUNK + _UNEVEN * room * room + (_TINY if length < min(_TINY_CHARS, limit // 3) else 0.0)


def _split_long_sentence(sentence: str, limit: int, lang: str = "en") -> list[tuple[str, bool]]:
    """Best split of one sentence into (chunk, ends at clause punctuation) pairs."""
    tokens = _tokens(sentence, limit)
    count = len(tokens)
    # boundary[j]: cost of ending a chunk just before token j (j == count: the sentence end).
    words = [t.text for t in tokens]
    boundary = [0.0] * (count + 1)
    for j in range(1, count):
        boundary[j] = _boundary_cost(words, j, lang) if tokens[j].spaced else 0.0
    best = [0.0] + [float("inf")] * count
    previous = [0] * (count + 1)
    for end in range(1, count + 1):
        length = 0
        for start in range(end - 1, -1, -1):
            # Grow the chunk leftwards by one token, with the space that follows it, if any.
            length += len(tokens[start].text) + (1 if start + 1 < end and tokens[start + 1].spaced else 0)
            if length > limit:
                break
            cost = best[start] + _chunk_cost(length, limit) + boundary[end]
            if cost < best[end]:
                best[end], previous[end] = cost, start
    cuts: list[int] = []
    end = count
    while end > 0:
        cuts.append(end)
        end = previous[end]
    pieces: list[tuple[str, bool]] = []
    start = 0
    for end in reversed(cuts):
        text = tokens[start].text + "".join((" " if t.spaced else "") + t.text for t in tokens[start + 1:end])
        pieces.append((text, end < count and boundary[end] == _CLAUSE))
        start = end
    return pieces


def chunk_text(text: str, limit: int, lang: str = "en") -> list[Chunk]:
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[Chunk] = []
    for sentence in split_sentences(text, lang):
        if len(sentence) <= limit:
            chunks.append(Chunk(sentence, ends_sentence=True))
            continue
        parts = _split_long_sentence(sentence, limit, lang)
        for index, (part, at_clause) in enumerate(parts):
            last = index == len(parts) - 1
            chunks.append(Chunk(part, ends_sentence=last, ends_clause=at_clause and not last))
    return chunks
