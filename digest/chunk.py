"""Split spoken text into utterances an engine accepts in one call.

Guarantees of `chunk_text(text, limit)`:
- every chunk is non-empty and at most `limit` characters long;
- joining the chunks with single spaces gives back the text with its whitespace collapsed,
  so nothing is lost or reordered (when a word longer than `limit` had to be cut, joining
  its pieces without a space gives it back);
- a chunk ends inside a word only when that single word is longer than `limit`;
- each sentence starts a new chunk; a sentence longer than `limit` is split at clause
  punctuation, then before a phrase word ("and", "which", ...), then at any other space, and
  inside a number ("twenty twenty-four", "1 500", "12 km") or after an abbreviation
  ("Mr. Smith") only when nothing else fits;
- among the splits of a long sentence into as few chunks as practical, the one with the best
  boundaries and the most even lengths wins, so no tiny fragment is left on its own.
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
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u00c0-\u024f])")
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


def _is_abbreviation(text: str, period_index: int) -> bool:
    start = period_index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:period_index].lower().lstrip("(\"'")
    if word in ABBREVIATIONS:
        return True
    # Single initials ("J. R. R. Tolkien") and dotted acronyms ("U.S.A").
    return len(word) == 1 and word.isalpha() or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def split_sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
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


def _boundary_cost(words: list[str], j: int) -> float:
    """How good a place the space before `words[j]` is to end a chunk."""
    before, after = words[j - 1], words[j]
    if before[-1:] in ",;:" or before.endswith((",\"", ",'", ";\"", ":\"", "),", ");")):
        return _CLAUSE
    bare_after = after.lower().strip("\"'()[],;:.!?")
    if before.lower().rstrip(".") in ABBREVIATIONS and before.endswith("."):
        return _GLUED  # "Mr. | Smith"
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


def _split_long_sentence(sentence: str, limit: int) -> list[tuple[str, bool]]:
    """Best split of one sentence into (chunk, ends at clause punctuation) pairs."""
    tokens = _tokens(sentence, limit)
    count = len(tokens)
    # boundary[j]: cost of ending a chunk just before token j (j == count: the sentence end).
    words = [t.text for t in tokens]
    boundary = [0.0] * (count + 1)
    for j in range(1, count):
        boundary[j] = _boundary_cost(words, j) if tokens[j].spaced else 0.0
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


def chunk_text(text: str, limit: int) -> list[Chunk]:
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[Chunk] = []
    for sentence in split_sentences(text):
        if len(sentence) <= limit:
            chunks.append(Chunk(sentence, ends_sentence=True))
            continue
        parts = _split_long_sentence(sentence, limit)
        for index, (part, at_clause) in enumerate(parts):
            last = index == len(parts) - 1
            chunks.append(Chunk(part, ends_sentence=last, ends_clause=at_clause and not last))
    return chunks
