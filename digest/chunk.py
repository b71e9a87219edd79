"""Split spoken text into utterances an engine accepts in one call.

Guarantees of `chunk_text(text, limit)`:
- every chunk is non-empty and at most `limit` characters long;
- joining the chunks with single spaces gives back the text with its whitespace collapsed,
  so nothing is lost or reordered;
- a chunk ends inside a word only when that single word is longer than `limit`;
- splits prefer sentence ends, then clause punctuation, then the space before a phrase word
  ("and", "which", ...), then any space.
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
_CLAUSE_END = re.compile(r"[,;:](?=\s)")
PHRASE_WORDS = {
    "and", "but", "or", "nor", "so", "yet", "which", "who", "whom", "whose", "that", "because",
    "although", "while", "when", "where", "with", "without", "after", "before", "since", "until",
    "if", "unless", "for", "from", "into", "about", "between", "during", "through",
}


@dataclass(frozen=True)
class Chunk:
    text: str
    ends_sentence: bool


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


def _split_words(text: str, limit: int) -> list[str]:
    words = text.split(" ")
    chunks: list[str] = []
    current: list[str] = []
    length = 0
    for word in words:
        while len(word) > limit:
            # Only a single word longer than the limit is ever cut, and only at the limit.
            if current:
                chunks.append(" ".join(current))
                current, length = [], 0
            chunks.append(word[:limit])
            word = word[limit:]
        added = len(word) + (1 if current else 0)
        while current and length + added > limit:
            cut = _phrase_cut(current, limit)
            chunks.append(" ".join(current[:cut]))
            current = current[cut:]
            length = len(" ".join(current))
            added = len(word) + (1 if current else 0)
        current.append(word)
        length += added
    if current:
        chunks.append(" ".join(current))
    return [c for c in chunks if c]


def _phrase_cut(words: list[str], limit: int) -> int:
    """Index to cut `words` at: before the last phrase word in its second half, else at the end."""
    position = len(" ".join(words))
    for index in range(len(words) - 1, 0, -1):
        position -= len(words[index]) + 1
        if position < limit // 2:
            break
        if words[index].lower().strip("\"'(") in PHRASE_WORDS:
            return index
    return len(words)


def _pack(pieces: list[str], limit: int) -> list[str]:
    """Greedily join consecutive pieces with spaces while they fit in `limit`."""
    packed: list[str] = []
    for piece in pieces:
        if packed and len(packed[-1]) + 1 + len(piece) <= limit:
            packed[-1] = f"{packed[-1]} {piece}"
        else:
            packed.append(piece)
    return packed


def _split_long_sentence(sentence: str, limit: int) -> list[str]:
    clauses: list[str] = []
    start = 0
    for match in _CLAUSE_END.finditer(sentence):
        clauses.append(sentence[start:match.end()].strip())
        start = match.end()
    clauses.append(sentence[start:].strip())
    pieces: list[str] = []
    for clause in filter(None, clauses):
        pieces.extend([clause] if len(clause) <= limit else _split_words(clause, limit))
    return _pack(pieces, limit)


def chunk_text(text: str, limit: int) -> list[Chunk]:
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[Chunk] = []
    for sentence in split_sentences(text):
        parts = [sentence] if len(sentence) <= limit else _split_long_sentence(sentence, limit)
        for index, part in enumerate(parts):
            chunks.append(Chunk(part, ends_sentence=index == len(parts) - 1))
    return chunks
