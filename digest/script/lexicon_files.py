"""Pronunciation dictionary files -> the Lexicon for an episode's language.

Layers, each replacing the one before for the same word: the built-in dictionary
(digest/script/pronunciations/<lang>.toml), the output folder's `pronunciations.toml`, then
each `--lexicon FILE` in the order given. A file is TOML (the format in README.md), or a W3C
PLS lexicon when it ends in .pls or .xml.

Every problem in a file is one InputError naming the file and line, raised before any work.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError

from digest.errors import InputError
from digest.script.lexicon import Entry, Lexicon, check_entry, merge
from digest.script.lexicon_pls import read_pls

FOLDER_FILE = "pronunciations.toml"
ANY_LANGUAGE = "*"
ENTRY_KEYS = ("say", "phonemes", "match_case", "regex")
_LANGUAGE_TABLE = re.compile(r"^[a-z]{2,3}$")
_KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")
_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")


def base_language(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def _key_text(raw: str) -> str:
    if raw.startswith('"'):
        try:
            return json.loads(raw)
        except ValueError:
            return raw[1:-1]
    if raw.startswith("'"):
        return raw[1:-1]
    return raw


class _Lines:
    """Where each key of a TOML file was written: (table, key) -> line number."""

    def __init__(self, text: str):
        self.lines: dict[tuple[str, str], int] = {}
        self.tables: dict[str, int] = {}
        table = ""
        for number, line in enumerate(text.splitlines(), start=1):
            header = _TABLE.match(line)
            if header:
                table = ".".join(_key_text(part.strip()) for part in header.group(1).split("."))
                self.tables.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                self.lines.setdefault((table, _key_text(key.group(1))), number)

    def of(self, table: str, key: str) -> int:
        return self.lines.get((table, key)) or self.tables.get(f"{table}.{key}" if table else key) \
            or self.tables.get(table) or 1


def _entry(path: Path, lines: _Lines, table: str, word: str, value) -> Entry:
    where = f"{path}:{lines.of(table, word)}"
    if value is False:
        return Entry(word, "", where, removes=True)
    if isinstance(value, str):
        entry = Entry(word, value, where)
    elif isinstance(value, dict):
        unknown = [key for key in value if key not in ENTRY_KEYS]
        if unknown:
            raise InputError(f"{where}: unknown key {unknown[0]!r} in the entry for {word!r} "
                             f"(an entry takes {', '.join(ENTRY_KEYS)})")
        for key in ("say", "phonemes"):
            if key in value and not isinstance(value[key], str):
                raise InputError(f"{where}: {key} for {word!r} must be a string, not {_kind(value[key])}")
        for key in ("match_case", "regex"):
            if key in value and not isinstance(value[key], bool):
                raise InputError(f"{where}: {key} for {word!r} must be true or false, not {_kind(value[key])}")
        if "say" not in value and "phonemes" not in value:
            raise InputError(f"{where}: the entry for {word!r} needs `say` (a respelling) or `phonemes`")
        # Phonemes alone: Piper says them, every other engine says the word as written.
        entry = Entry(word, value.get("say", word), where, phonemes=value.get("phonemes"),
                      match_case=value.get("match_case"), regex=value.get("regex", False))
    else:
        raise InputError(f"{where}: the entry for {word!r} must be a respelling in quotes, a table "
                         f"or false, not {_kind(value)}")
    check_entry(entry)
    return entry


def _kind(value) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__)


def read_toml(path: Path, text: str) -> dict[str, list[Entry]]:
    try:
        document = tomlkit.parse(text)
    except ParseError as error:
        message = re.sub(r" at line \d+ col \d+$", "", str(error))
        raise InputError(f"{path}:{error.line}: not valid TOML: {message}") from None
    lines = _Lines(text)
    found: dict[str, list[Entry]] = {ANY_LANGUAGE: []}
    for key, value in document.items():
        if isinstance(value, tomlkit.items.Table) and not isinstance(value, tomlkit.items.InlineTable) \
                and not set(value) <= set(ENTRY_KEYS):
            if not _LANGUAGE_TABLE.match(key):
                raise InputError(f"{path}:{lines.of('', key)}: the table [{key}] is not a language code; "
                                 "tables name a language (en, de, fr, ...)")
            found.setdefault(key, []).extend(
                _entry(path, lines, key, word, _plain(entry)) for word, entry in value.items())
        else:
            found[ANY_LANGUAGE].append(_entry(path, lines, "", key, _plain(value)))
    return found


def _plain(value):
    return value.unwrap() if hasattr(value, "unwrap") else value


def read_file(path: Path) -> dict[str, list[Entry]]:
    """A dictionary file's entries by language (`*`: every language)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"pronunciation dictionary {path} cannot be read ({error.strerror or error})") from None
    if Path(path).suffix.lower() in (".pls", ".xml"):
        return read_pls(Path(path), data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text") from None
    return read_toml(Path(path), text)


def _for_language(found: dict[str, list[Entry]], lang: str) -> list[Entry]:
    return [*found.get(ANY_LANGUAGE, []), *found.get(base_language(lang), [])]


def builtin_entries(lang: str) -> list[Entry]:
    """The built-in dictionary's entries for `lang` (none for languages without one)."""
    name = f"{base_language(lang)}.toml"
    source = resources.files("digest.script") / "pronunciations" / name
    if not source.is_file():
        return []
    return _for_language(read_toml(Path("digest/script/pronunciations") / name, source.read_text("utf-8")), lang)


def load_lexicon(lang: str, folder: Path | None = None, files: list[Path] | tuple[Path, ...] = (),
                 builtin: bool = True) -> Lexicon:
    """The dictionary an episode in `lang` is spoken with (see the module docstring for the layers)."""
    layers = [builtin_entries(lang)] if builtin else []
    if folder is not None and (Path(folder) / FOLDER_FILE).is_file():
        layers.append(_for_language(read_file(Path(folder) / FOLDER_FILE), lang))
    for path in files:
        layers.append(_for_language(read_file(Path(path)), lang))
    return Lexicon(merge(*layers))
