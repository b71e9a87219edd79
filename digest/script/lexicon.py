"""The pronunciation dictionary: words and phrases respelled the way they are said.

Applied to the script after the speakable rules and before chunking, so a respelling is part
of the utterance text, and so of the clip's cache key: changing one entry re-synthesizes only
the clips whose words it changes.

Matching:
- whole words (and phrases, whose spaces match any run of whitespace) only: "GIF" never
  matches inside "GIFT";
- case-insensitive, except an entry written entirely in capitals (two or more letters, like
  "NASA" or "US"), which matches only in capitals, so "US" never respells "us"; `match_case`
  on an entry says otherwise;
- every word entry is tried in one pass, longest first, so a respelling is never respelled
  again; pattern entries (`regex = true`) run after the words, in the order they were
  written, each with a time bound (they run on untrusted article text).

An entry's Piper phonemes (`phonemes`) are not part of the script: the script carries each
respelling that has phonemes, and `phonemize` puts them, as Piper's `[[ raw phonemes ]]`, into
the text only an engine that reads them (Piper) is given.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

import regex

from digest.errors import InputError
from digest.models import Script

# How long one pattern entry may take on one segment of the script.
PATTERN_SECONDS = 0.5

# A group that holds a quantifier and is itself repeated: "(a+)+", "(\w*x?)*", "(a|aa){2,}".
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*(?:[+*?]|\{\d*,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,\d*\})")
_GROUP_REFERENCE = re.compile(r"\\(?:(\d+)|g<(\w+)>)")


@dataclass(frozen=True)
class Entry:
    """One dictionary entry: `word` (a literal word or phrase, or a pattern when `regex`) is
    said as `say`; Piper says it as `phonemes` when given."""

    word: str
    say: str
    where: str  # "file:line", for error messages
    phonemes: str | None = None
    match_case: bool | None = None  # None: the default rule (capitals match only capitals)
    regex: bool = False
    removes: bool = False  # `word = false`: takes out an earlier entry (a built-in one) for the word

    @property
    def key(self) -> tuple[bool, str]:
        """The word a later file's entry replaces (or removes) this one by, whatever its case."""
        return self.regex, self.word if self.regex else " ".join(self.word.casefold().split())

    @property
    def case_sensitive(self) -> bool:
        if self.match_case is not None:
            return self.match_case
        if self.regex:
            return False
        letters = [c for c in self.word if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def check_entry(entry: Entry) -> None:
    """Raise InputError (naming the entry's file and line) for an entry that cannot be used."""
    if not entry.word.strip():
        raise InputError(f"{entry.where}: an entry has an empty word")
    if entry.removes:
        return
    if not entry.say.strip():
        raise InputError(f"{entry.where}: the entry for {entry.word!r} has an empty respelling")
    if entry.phonemes is not None and not _bare_phonemes(entry.phonemes):
        raise InputError(f"{entry.where}: the entry for {entry.word!r} has empty phonemes")
    if entry.phonemes is not None and ("[[" in _bare_phonemes(entry.phonemes) or "]]" in _bare_phonemes(entry.phonemes)):
        raise InputError(f"{entry.where}: the phonemes for {entry.word!r} contain [[ or ]] inside them")
    if not entry.regex:
        return
    if entry.phonemes is not None:
        raise InputError(f"{entry.where}: a pattern entry ({entry.word!r}) cannot have phonemes")
    if _NESTED_QUANTIFIER.search(entry.word):
        raise InputError(f"{entry.where}: the pattern {entry.word!r} repeats a group that repeats "
                         "(like (a+)+), which can take forever on some text; rewrite it without nesting")
    try:
        compiled = regex.compile(entry.word)
    except (regex.error, ValueError, OverflowError) as error:
        raise InputError(f"{entry.where}: the pattern {entry.word!r} does not compile: {error}") from None
    for number, name in _GROUP_REFERENCE.findall(entry.say):
        if (number and int(number) > compiled.groups) or (name and not name.isdigit()
                                                          and name not in compiled.groupindex) \
                or (name.isdigit() and int(name) > compiled.groups):
            raise InputError(f"{entry.where}: the respelling {entry.say!r} refers to a group "
                             f"the pattern {entry.word!r} does not have")


def _bare_phonemes(phonemes: str) -> str:
    """'[[ kuːbɚnˈɛtiːz ]]' or 'kuːbɚnˈɛtiːz' -> 'kuːbɚnˈɛtiːz'."""
    text = phonemes.strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2].strip()
    return text


def merge(*layers: list[Entry]) -> list[Entry]:
    """One layer's entries replace earlier layers' entries for the same word, whatever its case
    ("gif" in a user's file replaces a built-in "GIF"); a `removes` entry only takes them out.
    Within a layer, entries differing in case stay apart (a case-sensitive "QVX" and "Qvx")."""
    merged: dict[tuple[bool, str], list[Entry]] = {}
    for layer in layers:
        replaced = {entry.key for entry in layer}
        for key in replaced:
            merged.pop(key, None)  # re-added last: a later layer's order wins
        for entry in layer:
            if entry.removes:
                continue
            same = merged.setdefault(entry.key, [])
            same[:] = [e for e in same if e.word != entry.word]
            same.append(entry)
    return [entry for same in merged.values() for entry in same]


def _normal(word: str) -> str:
    return " ".join(word.split())


def _edges(entry: Entry) -> list[tuple[str, bool]]:
    """The word as trie edges: (character, matches either case); a space stands for any whitespace."""
    sensitive = entry.case_sensitive
    return [(c.lower() if not sensitive and len(c.lower()) == 1 else c, not sensitive) for c in _normal(entry.word)]


def _edge_pattern(char: str, either_case: bool) -> str:
    if char == " ":
        return r"\s+"
    upper = char.upper()
    if either_case and upper != char and len(upper) == 1:
        return f"[{re.escape(char)}{re.escape(upper)}]"
    return re.escape(char)


def _trie_pattern(words: list[Entry]) -> str:
    """One pattern for every word entry, shaped as a trie: at each position of the text only the
    branches that fit are tried (an alternation of thousands of words is tried whole at every
    position), and a longer word is tried before a shorter one it starts with."""
    trie: dict = {}
    for entry in words:
        node = trie
        for edge in _edges(entry):
            node = node.setdefault(edge, {})
        node[None] = True

    def emit(node: dict) -> str:
        branches = [_edge_pattern(*edge) + emit(child) for edge, child in node.items() if edge is not None]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if None in node:
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return emit(trie)


def _capitalised(replacement: str, matched: str) -> str:
    """'engine x' for 'Nginx' at a sentence start -> 'Engine x'."""
    if matched[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class Lexicon:
    """The entries for one language, compiled: `respell(text)` applies them."""

    def __init__(self, entries: list[Entry] | tuple[Entry, ...] = ()):
        self.entries = tuple(entries)
        words = [e for e in self.entries if not e.regex]
        # Which entry a match is: one with its case first, then one in either case.
        self._exact = {_normal(e.word): e for e in words if e.case_sensitive}
        self._folded = {_normal(e.word).lower(): e for e in words if not e.case_sensitive}
        self._word_pattern = re.compile(rf"(?<!\w)(?:{_trie_pattern(words)})(?!\w)") if words else None
        self._patterns = [
            (e, regex.compile(rf"(?<!\w)(?:{e.word})(?!\w)", 0 if e.case_sensitive else regex.IGNORECASE))
            for e in self.entries if e.regex
        ]

    def __bool__(self) -> bool:
        return bool(self.entries)

    def respell(self, text: str, phonemes: dict[str, str] | None = None) -> str:
        """`text` with every entry applied. Respellings that have phonemes are added to `phonemes`
        (respelling as inserted -> bare phonemes)."""
        if self._word_pattern is not None:
            def replace(match: re.Match) -> str:
                found = _normal(match.group(0))
                entry = self._exact.get(found) or self._folded.get(found.lower())
                if entry is None:  # a case mapping the lookup does not share with the pattern
                    return match.group(0)
                # An entry with phonemes alone (say is the word) leaves the text exactly as written.
                said = match.group(0) if entry.say == entry.word else _capitalised(entry.say, match.group(0))
                if entry.phonemes is not None and phonemes is not None:
                    phonemes[said] = _bare_phonemes(entry.phonemes)
                return said

            text = self._word_pattern.sub(replace, text)
        for entry, pattern in self._patterns:
            try:
                text = pattern.sub(lambda m, e=entry: _capitalised(m.expand(e.say), m.group(0)), text,
                                   timeout=PATTERN_SECONDS)
            except TimeoutError:
                raise InputError(f"{entry.where}: the pattern {entry.word!r} took over {PATTERN_SECONDS:g} s "
                                 f"on {text[:40]!r}...; make it simpler") from None
            except (regex.error, IndexError) as error:
                raise InputError(f"{entry.where}: the respelling {entry.say!r} cannot be used: {error}") from None
        return text


def apply_lexicon(script: Script, lexicon: Lexicon) -> Script:
    """The script with every segment respelled; the respellings that have Piper phonemes ride along."""
    if not lexicon:
        return script
    phonemes: dict[str, str] = {}
    segments = tuple(dataclasses.replace(s, text=lexicon.respell(s.text, phonemes)) for s in script.segments)
    return dataclasses.replace(script, segments=segments, phonemes=tuple(sorted(phonemes.items())))


@functools.lru_cache(maxsize=8)
def _respellings(phonemes: tuple[tuple[str, str], ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(r) for r, _ in sorted(phonemes, key=lambda pair: len(pair[0]), reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def phonemize(text: str, phonemes: tuple[tuple[str, str], ...]) -> str | None:
    """`text` with each respelling that has phonemes replaced by Piper's `[[ phonemes ]]`;
    None when there is none in it."""
    if not phonemes:
        return None
    table = dict(phonemes)
    changed = _respellings(phonemes).sub(lambda m: f"[[ {table[m.group(0)]} ]]", text)
    return changed if changed != text else None
