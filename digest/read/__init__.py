"""Turn one command-line input into Articles.

An input is a file, an http(s) URL, `-` for stdin, a folder (its article files in name
order) or `@LIST`, a text file naming one input per line (blank lines and `#` comments are
ignored, relative paths are relative to the list). Each document is recognised by its
content (see sniff.py) and read by the matching module: text, markdown, html, jsonl, feeds.

`read_entries` is what multi-input digests use: it returns Articles and, for items inside
an input that failed (a JSON object without text, a feed item whose page is gone, a bad file
in a folder), `Skipped` records, and raises InputError only when the input as a whole fails.
With `ReadSettings.seen` (as `digest sync` reads), feed items read before are `Known` records.
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import replace
from importlib import import_module
from pathlib import Path, PurePosixPath
from typing import Callable
from urllib.parse import urlsplit

from digest.errors import InputError, NothingToRead
from digest.models import Article
from digest.read.base import (
    DEFAULT_FEED_LIMIT,
    DEFAULT_MAX_CHARS,
    Document,
    Known,
    ReadSettings,
    Skipped,
    finish,
    too_large,
    unexpected_failure,
)
from digest.read.budget import downloads_end, run_within_budget
from digest.read.charset import decode_document
from digest.read.sniff import SUFFIX_KINDS, detect_kind, is_url
from digest.read.text import parse_plain_text

__all__ = [
    "DEFAULT_FEED_LIMIT", "DEFAULT_MAX_CHARS", "LIST_PREFIX", "Known", "ReadSettings", "Skipped",
    "parse_plain_text", "read_entries", "read_feed_title", "read_input", "read_within_budget",
]

log = logging.getLogger(__name__)

LIST_PREFIX = "@"
# Kind of document (digest.read.sniff tells which) -> the function that reads it, as
# "module:function", imported on first use so a run reads only what it needs. A new kind of
# input is a module with a read_document(Document) function, a line here and its signs in sniff.
READERS = {
    "feed": "digest.read.feeds:read_document",
    "json": "digest.read.jsonl:read_document",
    "html": "digest.read.html:read_document",
    "markdown": "digest.read.markdown:read_document",
    "text": "digest.read.text:read_document",
}
FOLDER_SUFFIXES = frozenset(SUFFIX_KINDS) | {".xml"}

Entries = list[Article | Skipped | Known]


def read_input(spec: str, settings: ReadSettings | None = None, *, stdin=None) -> list[Article]:
    """Read one input; items inside it that fail are logged and left out."""
    entries = read_entries(spec, settings, stdin=stdin)
    articles = [entry for entry in entries if isinstance(entry, Article)]
    problems = [entry.message for entry in entries if isinstance(entry, Skipped)]
    if not articles:
        raise InputError(problems[0] if len(problems) == 1 else f"{_label(spec)}: has no article that could be read")
    for problem in problems:
        log.warning("%s", problem)
    return articles


def read_entries(spec: str, settings: ReadSettings | None = None, *, stdin=None) -> Entries:
    settings = settings or ReadSettings()
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return _read_document(stream.read(settings.max_bytes + 1), "stdin", settings)
    if spec.startswith(LIST_PREFIX) and len(spec) > 1:
        return _read_list(Path(spec[len(LIST_PREFIX):]), settings)
    if is_url(spec) or spec.lower().startswith(("file:", "ftp:", "data:")):
        return _read_url(spec, settings)
    path = Path(spec)
    if not path.exists():
        raise InputError(f"{spec}: no such file")
    if path.is_dir():
        return _read_folder(path, settings)
    return _read_file(path, spec, settings)


def _label(spec: str) -> str:
    return "stdin" if spec == "-" else spec


def _read_file(path: Path, name: str, settings: ReadSettings) -> Entries:
    try:
        # A size known up front is refused without reading a byte.
        if path.stat().st_size > settings.max_bytes:
            raise too_large(name, settings)
        with path.open("rb") as handle:
            data = handle.read(settings.max_bytes + 1)
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror})") from error
    return _read_document(data, name, settings, suffix=path.suffix)


def _read_document(
    data: bytes, name: str, settings: ReadSettings, *, suffix: str = "", url: str | None = None,
    content_type: str = "", charset: str | None = None,
) -> Entries:
    if len(data) > settings.max_bytes:
        raise too_large(name, settings)
    if not data.strip():
        raise InputError(f"{name}: is empty")
    text = decode_document(data, name, charset)
    kind = detect_kind(text, suffix, content_type)
    log.debug("%s: read as %s", name, kind)
    if kind not in READERS:
        raise InputError(f"{name}: is XML but not an RSS or Atom feed or a web page")
    document = Document(data, text, name, settings, url=url, content_type=content_type, charset=charset,
                        read_page=lambda link: _read_page(link, settings))
    entries = _reader(kind)(document)
    if url and len(entries) == 1 and isinstance(entries[0], Article) and not entries[0].url:
        entries = [replace(entries[0], url=url)]
    return _finish_all(entries, name, settings)


def _reader(kind: str) -> Callable[[Document], Entries]:
    module_name, _, function = READERS[kind].partition(":")
    return getattr(import_module(module_name), function)


def _finish_all(entries: Entries, name: str, settings: ReadSettings) -> Entries:
    if len(entries) == 1:
        return [finish(entries[0], name, settings) if isinstance(entries[0], Article) else entries[0]]
    finished: Entries = []
    for number, entry in enumerate(entries, 1):
        if isinstance(entry, Article):
            label = f"{name}: item {entry.title.strip()!r}" if entry.title.strip() else f"{name}: item {number}"
            try:
                entry = finish(entry, label, settings)
            except InputError as error:
                entry = Skipped(str(error))
        finished.append(entry)
    return finished


def _read_url(url: str, settings: ReadSettings) -> Entries:
    from digest.read.url import fetch

    page = fetch(url, settings)
    suffix = PurePosixPath(urlsplit(page.url).path).suffix
    return _read_document(page.data, url, settings, suffix=suffix, url=page.url,
                          content_type=page.content_type, charset=page.charset)


def _read_page(url: str, settings: ReadSettings) -> Article:
    """A feed item's own page, read like any other URL input."""
    articles = [entry for entry in _read_url(url, settings) if isinstance(entry, Article)]
    if not articles:
        raise InputError(f"{url}: has no article")
    return articles[0]


def read_within_budget(spec: str, settings: ReadSettings, *, stdin=None) -> Entries:
    """read_entries for one input, within the input's time and memory budget.

    Every failure is the input's InputError: an unexpected one says so, and so does a read
    that overruns its budget (a document built to defeat a parser). A folder or a list is only
    a set of inputs: each of its members gets a budget of its own instead.
    """
    if spec != "-" and (spec.startswith(LIST_PREFIX) and len(spec) > 1 or _is_folder(spec)):
        try:
            return read_entries(spec, settings)
        except InputError:
            raise
        except Exception as error:  # a hostile input must not stop the others
            raise unexpected_failure(spec, error) from error
    settings = replace(settings, deadline=downloads_end(settings.budget_seconds))
    return run_within_budget(lambda: read_entries(spec, settings, stdin=stdin), spec, settings)


def read_feed_title(url: str, settings: ReadSettings) -> str | None:
    """The title of the feed at `url`, within the usual budget: None when the URL is not a feed
    (a page) or the feed has no title; an InputError when it cannot be fetched. Its items'
    pages are never fetched."""
    def title() -> str | None:
        from digest.read.feeds import feed_title
        from digest.read.url import fetch

        page = fetch(url, settings)
        if len(page.data) > settings.max_bytes:
            raise too_large(url, settings)
        suffix = PurePosixPath(urlsplit(page.url).path).suffix
        if detect_kind(decode_document(page.data, url, page.charset), suffix, page.content_type) != "feed":
            return None
        return feed_title(page.data, url=page.url, content_type=page.content_type or None)

    settings = replace(settings, deadline=downloads_end(settings.budget_seconds))
    return run_within_budget(title, url, settings)


def _is_folder(spec: str) -> bool:
    try:
        return not is_url(spec) and Path(spec).is_dir()
    except (OSError, ValueError):
        return False


def _read_members(specs: list[str], settings: ReadSettings) -> Entries:
    """Read each member of a folder or list; one that fails becomes a Skipped, the rest go on."""
    entries: Entries = []
    for spec in specs:
        # Each member within its own budget: one hostile member costs only itself.
        try:
            entries.extend(read_within_budget(spec, settings))
        except InputError as error:
            entries.append(Skipped(str(error), empty=isinstance(error, NothingToRead)))
    return entries


def _read_folder(folder: Path, settings: ReadSettings) -> Entries:
    members = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    names = {p.name for p in members}
    files = sorted(
        (p for p in members if p.suffix.lower() in FOLDER_SUFFIXES and not settings.own_files.excludes(p, names)),
        key=lambda p: p.name,
    )
    if not files:
        kinds = ", ".join(sorted(FOLDER_SUFFIXES))
        raise NothingToRead(f"{folder}: is a directory with no article files ({kinds})")
    return _read_members([str(p) for p in files], settings)


_TRAILING_COMMENT = re.compile(r"(?:^|\s)#(?:\s.*)?$")


def _read_list(path: Path, settings: ReadSettings) -> Entries:
    name = f"{LIST_PREFIX}{path}"
    try:
        if path.stat().st_size > settings.max_bytes:
            raise too_large(name, settings)
        text = decode_document(path.read_bytes(), name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such list file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a list file") from None
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror})") from error
    specs: list[str] = []
    for line in text.splitlines():
        # "# " after whitespace starts a comment; "#2" in a file name or a URL's "#part" does not.
        entry = _TRAILING_COMMENT.sub("", line).strip()
        if not entry or entry.startswith("#"):
            continue
        if entry == "-" or entry.startswith(LIST_PREFIX):
            # Lists inside lists could loop; stdin inside a list would hang a script.
            raise InputError(f"{name}: may not name {entry!r}; list files hold files, folders and URLs")
        if not is_url(entry) and not Path(entry).is_absolute():
            entry = str(path.parent / entry)
        specs.append(entry)
    if not specs:
        raise NothingToRead(f"{name}: lists no inputs")
    return _read_members(specs, settings)
