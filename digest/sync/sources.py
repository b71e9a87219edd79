"""`digest sources`: what `digest sync` reads, kept in the output folder's digest.toml.

Each source is a [[sources]] table: `url` (a feed or page URL, a folder, an article file, or
@LIST, a list file naming one input per line; paths are stored absolute, since a scheduled
run starts elsewhere), an optional `name` (how commands and warnings call it; `sources add`
names a feed by its title, anything else by its URL or path), `limit` (the newest items taken
from it) and `lang` (the language its stories are spoken in). Edits go through tomlkit, so the
user's comments and layout stay.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import tomlkit

from digest.errors import InputError, OutputError
from digest.fsutil import read_regular
from digest.publish import settings as folder_settings
from digest.publish.settings import SOURCES_KEY, config_path
from digest.read import LIST_PREFIX
from digest.read.clean import clean_line
from digest.read.sniff import is_url

log = logging.getLogger(__name__)

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_FIELDS = ("url", "name", "limit", "lang")
MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    url: str  # what `digest make` would take as an input
    name: str
    limit: int | None = None  # None: the run's --limit
    lang: str | None = None  # None: the run's --lang

    @property
    def kind(self) -> str:
        if is_url(self.url):
            return "url"
        if self.url.startswith(LIST_PREFIX):
            return "list"
        return "folder" if Path(self.url).is_dir() else "file"

    def as_json(self) -> dict:
        return {"name": self.name, "url": self.url, "kind": self.kind, "limit": self.limit, "lang": self.lang}


def _check_limit(limit, where: str) -> int | None:
    if limit is None:
        return None
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InputError(f"{where}limit must be a whole number of at least 1, not {limit!r}")
    return limit


def _check_lang(lang, where: str) -> str | None:
    if lang is None:
        return None
    if not isinstance(lang, str) or not _LANGUAGE.match(lang):
        raise InputError(f"{where}lang {lang!r} is not a language code such as en or en-GB")
    return lang


def _check_name(name, where: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{where}name must be non-empty text, not {name!r}")
    if any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in name):
        raise InputError(f"{where}name {name!r} contains control characters")
    return " ".join(name.split())


def is_web(spec: str) -> bool:
    return is_url(spec) and spec.split("://", 1)[0].lower() in ("http", "https")


def load_sources(folder: Path) -> list[Source]:
    """The folder's sources, each checked; a bad entry is named with the file and its place."""
    path = config_path(folder)
    raw = folder_settings.read_values(folder).get(SOURCES_KEY, [])
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        raise InputError(f"{path}: sources must be [[sources]] tables (digest sources add URL writes them)")
    _check_placement(raw, path)
    found: list[Source] = []
    for number, entry in enumerate(raw, 1):
        where = f"{path}: source {number}: "
        unknown = sorted(set(entry) - set(_FIELDS))
        if unknown:
            raise InputError(f"{where}unknown key {unknown[0]!r} (a source has {', '.join(_FIELDS)})")
        url = entry.get("url")
        if not isinstance(url, str) or not url.strip():
            raise InputError(f"{where}has no url")
        name = _check_name(entry.get("name") or default_name(url.strip()), where)
        if any(other.name == name for other in found):
            raise InputError(f"{where}name {name!r} is used twice")
        found.append(Source(url.strip(), name, _check_limit(entry.get("limit"), where),
                            _check_lang(entry.get("lang"), where)))
    return found


class MisplacedSetting(InputError):
    """A setting's line inside a [[sources]] table: the folder's settings read without it."""


def _check_placement(raw: list[dict], path: Path) -> None:
    """A setting's name in a source means its line was written below a [[sources]] header
    (appended at the end of the file, say), where TOML gives it to that source."""
    known = set(folder_settings.known_keys()) - set(_FIELDS)
    for number, entry in enumerate(raw, 1):
        setting = next((key for key in sorted(entry) if key in known), None)
        if setting is not None:
            raise MisplacedSetting(
                f"{path}: source {number}: unknown key {setting!r} (a source has {', '.join(_FIELDS)}); "
                f"{setting!r} is a setting: move its line above the first [[sources]] "
                "(a line below a [[sources]] header belongs to that source)")


def normalize(spec: str, cwd: Path | None = None) -> str:
    """The input as a scheduled run will find it: URLs as given, paths made absolute and checked."""
    spec = spec.strip()
    if is_web(spec):
        return spec
    if spec.lower().startswith(("file:", "ftp:", "data:")) or is_url(spec):
        raise InputError(f"{spec}: a source is an http(s) URL, a folder, a file or @LIST")
    listed = spec.startswith(LIST_PREFIX) and len(spec) > 1
    path = Path(spec[len(LIST_PREFIX):] if listed else spec).expanduser()
    path = (Path(cwd or Path.cwd()) / path).resolve()
    if listed and not path.is_file():
        raise InputError(f"{spec}: no such list file")
    if not path.exists():
        raise InputError(f"{spec}: no such file or folder")
    return f"{LIST_PREFIX}{path}" if listed else str(path)


def default_name(spec: str) -> str:
    if is_url(spec):
        parts = urlsplit(spec)
        host = parts.netloc.rpartition("@")[2].lower().removeprefix("www.") or spec  # a port kept: another server
        path = parts.path.strip("/")
        return f"{host}/{path}" if path else host
    return Path(spec.removeprefix(LIST_PREFIX)).name or spec


def _unique(name: str, taken: set[str]) -> str:
    candidate, counter = name, 2
    while candidate in taken:
        candidate = f"{name} {counter}"
        counter += 1
    return candidate


def _table(source: Source) -> tomlkit.items.Table:
    table = tomlkit.table()
    table["name"] = source.name
    table["url"] = source.url
    if source.limit is not None:
        table["limit"] = source.limit
    if source.lang is not None:
        table["lang"] = source.lang
    return table


def _append(folder: Path, new: list[Source]) -> None:
    def change(document) -> bool:
        if SOURCES_KEY not in document:
            document[SOURCES_KEY] = tomlkit.aot()
        for source in new:
            document[SOURCES_KEY].append(_table(source))
        return bool(new)

    folder_settings.load_settings(folder)  # a broken file is reported, never overwritten
    Path(folder).mkdir(parents=True, exist_ok=True)
    folder_settings.update(folder, change)


def add_source(folder: Path, spec: str, name: str | None = None, limit: int | None = None,
               lang: str | None = None, cwd: Path | None = None) -> Source:
    """Add a source to the folder's digest.toml. A web URL is looked at once, as sync will read
    it: a feed is named by its title (unless `name` is given), and what would stop sync from
    reading it (a private address not allowed, a failed download) is a warning, never a failure."""
    existing = load_sources(folder)
    url = normalize(spec, cwd)
    same = next((s for s in existing if s.url == url), None)
    if same is not None:
        raise InputError(f"{url} is already a source, named {same.name!r}")
    taken = {s.name for s in existing}
    if name is not None:
        name = _check_name(name, "")
        if name in taken:
            raise InputError(f"a source is already named {name!r}; choose another --name")
    limit, lang = _check_limit(limit, "--"), _check_lang(lang, "--")
    title = _look_at(folder, url, named=name is not None) if is_web(url) else None
    source = Source(url, name or _unique(title or default_name(url), taken), limit, lang)
    _append(folder, [source])
    return source


def _look_at(folder: Path, url: str, named: bool) -> str | None:
    """The feed's title, fetched as sync fetches (the folder's allow_private, the usual budget);
    None, with a warning saying what sync will meet, when it cannot be had."""
    from digest.publish.preferences import file_values
    from digest.read import ReadSettings, read_feed_title
    from digest.read.url import PrivateAddress, check_target

    try:
        allow_private = bool(file_values(folder).get("allow_private", False))
    except InputError:  # another setting is wrong: sync says so; adding a source needs none of them
        allow_private = False
    try:
        if not allow_private:
            check_target(url, url, allow_private=False)  # at once, without a download
        return read_feed_title(url, ReadSettings(allow_private=allow_private))
    except PrivateAddress as error:
        log.warning("%s is a private or local address, which `digest sync` reads only when allowed: "
                    "run `digest settings set allow_private true -o %s` (or `digest sync --allow-private`)",
                    error.where, folder)
    except InputError as error:
        log.warning("%s (%s`digest sync` tries it each run)", error, "" if named else "named after its URL; ")
    return None


def find_source(sources: list[Source], wanted: str) -> Source:
    """The source `wanted` names: its name (any case) or its URL."""
    for test in (lambda s: s.name == wanted, lambda s: s.name.casefold() == wanted.casefold(),
                 lambda s: s.url == wanted):
        found = [s for s in sources if test(s)]
        if len(found) == 1:
            return found[0]
    names = ", ".join(repr(s.name) for s in sources) or "none yet"
    raise InputError(f"no source is named {wanted!r} (sources: {names})")


def remove_source(folder: Path, wanted: str) -> Source:
    sources = load_sources(folder)
    source = find_source(sources, wanted)
    index = sources.index(source)  # the tables are in the same order as the sources read from them

    def change(document) -> bool:
        tables = document[SOURCES_KEY]
        del tables[index]
        if not len(tables):
            del document[SOURCES_KEY]
        return True

    folder_settings.update(folder, change, create=False)
    return source


@dataclass(frozen=True)
class Imported:
    added: list[Source]
    already: list[str]  # feed URLs that were sources before


def import_opml(folder: Path, path: Path) -> Imported:
    """Every feed an OPML subscription list names (nested outlines included), as sources.

    Feeds already subscribed are left as they are; a name taken gets a number.
    """
    import listparser

    try:
        data = read_regular(Path(path), MAX_OPML_BYTES, "OPML file", follow_links=True)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{path}: no such file") from None
    except OutputError as error:
        raise InputError(str(error)) from None
    # Bytes, never a str: listparser fetches a string that looks like a URL.
    parsed = listparser.parse(data)
    if not parsed.get("version", "").startswith("opml") and not parsed.feeds:
        raise InputError(f"{path} is not an OPML subscription list")
    feeds = [feed for feed in parsed.feeds if is_web((feed.get("url") or "").strip())]
    if not feeds:
        raise InputError(f"{path} lists no http(s) feeds")
    existing = load_sources(folder)
    urls = {s.url for s in existing}
    taken = {s.name for s in existing}
    added: list[Source] = []
    already: list[str] = []
    for feed in feeds:
        url = feed["url"].strip()
        if url in urls:
            already.append(url)
            continue
        title = " ".join(clean_line(feed.get("title") or "").split())
        name = _unique(title or default_name(url), taken)
        taken.add(name)
        urls.add(url)
        added.append(Source(url, name))
    _append(folder, added)
    return Imported(added, already)
