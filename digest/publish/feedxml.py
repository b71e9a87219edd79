"""Reading a feed.xml back, safely: the one hardened parser, podcast: elements in either spelling
of the namespace, and the file in the folder a link names (never anything outside it).

Rebuilding the feed (which files did the old feed link?) and `feed --check` both read feeds
that a user or another program may have edited, so neither may resolve entities, fetch
anything or follow a link out of the folder.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from digest.errors import OutputError
from digest.fsutil import read_regular
from digest.limits import MAX_FEED_BYTES
from digest.publish.feed_ext import PODCAST_NS, PODCAST_NS_CANONICAL


def safe_parser() -> etree.XMLParser:
    # No entity expansion (billion laughs, XXE) and no network access, whatever the feed says.
    return etree.XMLParser(resolve_entities=False, no_network=True)


def parse_feed(path: Path):
    """The root of the RSS feed at `path`, or None when it is missing, damaged, not a plain file
    of a sane size, or not RSS."""
    try:
        root = etree.fromstring(read_regular(path, MAX_FEED_BYTES, "feed"), safe_parser())
    except (etree.XMLSyntaxError, OSError, OutputError):
        return None
    return root if root is not None and root.tag == "rss" else None


def podcast_elements(parent, name: str) -> list:
    """podcast:<name> children of `parent` in either spelling of the namespace."""
    return [element for namespace in (PODCAST_NS, PODCAST_NS_CANONICAL)
            for element in parent.iterfind(f"{{{namespace}}}{name}")]


def file_name(url: str, base: str | None = None) -> str | None:
    """The plain file name in the folder that `url` names, or None.

    With `base`, only a URL under that address names a file. An edited feed must not lead
    digest to any other file: a path, a hidden name or a NUL gives None.
    """
    if base is not None:
        if not url.startswith(base):
            return None
        name = unquote(url[len(base):].split("?", 1)[0].split("#", 1)[0])
    else:
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    if not name or name.startswith(".") or any(c in name for c in "/\\\0"):
        return None
    return name
