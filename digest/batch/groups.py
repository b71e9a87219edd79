"""`batch --group-by source`: which source a story came from, and the folder its feed lives in.

A story's source is what it says it came from (a feed's title, a page's site name, a JSON
item's "source"), else its URL's host, else the input it was read from (a folder of text
files, a list, a file: by its full path, however it was typed, its feed titled by its last
part). Each source gets a subfolder of the output folder, named by a slug of the source
that is the same on every run and different for every source: a source that is
already a plain lowercase name (a host such as news.example) is its own folder's name; any
other gets a readable slug followed by `--` and a short hash of the whole name. Plain names
never hold `--`, so the two kinds never meet, and no name can climb out of the output folder
(only a-z, 0-9, `.` and `-`; never starting with a dot).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from digest.models import Article

MAX_SLUG = 60
HASH_CHARS = 10
_PLAIN = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")
# Names a folder cannot safely take: Windows devices, and what could be taken for a file of
# digest's own in the output folder (feed.xml, index.html).
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
_FILE_SUFFIXES = (".xml", ".html", ".htm", ".mp3", ".json", ".toml", ".txt", ".vtt", ".srt", ".jpg", ".png")


def source_of(article: Article, origin: str | None) -> str:
    """The name of the feed or site the story came from, else the input it was read from."""
    if article.source and article.source.strip():
        return " ".join(article.source.split())
    if article.url:
        try:
            host = (urlsplit(article.url).hostname or "").lower().removeprefix("www.")
        except ValueError:
            host = ""
        if host:
            return host
    if not origin:
        return "stdin"
    if "://" in origin:
        return origin.rstrip("/") or origin
    # A local input by its full path: in/news, ./in/news/ and /srv/in/news are one folder.
    return str(Path(origin).expanduser().resolve())


def source_title(source: str) -> str:
    """What a new group's feed is called: its source, or for a local input, that file's or folder's name."""
    path = Path(source)
    if "://" in source or not path.is_absolute() or not path.exists():
        return source
    return (path.stem if path.is_file() else path.name) or source


def group_folder_name(source: str) -> str:
    """The subfolder for `source`: stable across runs, distinct for distinct sources, always safe."""
    if _is_plain(source):
        return source
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:HASH_CHARS]
    return f"{_slug(source)}--{digest}"


def _is_plain(name: str) -> bool:
    return (len(name) <= MAX_SLUG and bool(_PLAIN.match(name)) and "--" not in name and ".." not in name
            and name not in _RESERVED and not name.endswith(_FILE_SUFFIXES))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    if "://" not in ascii_text:  # an input path reads as its last part: /srv/in/news/ is "news"
        ascii_text = re.split(r"[/\\]", ascii_text.rstrip("/\\"))[-1] or ascii_text
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_SLUG].strip("-")
    return slug or "source"
