"""The podcast feed: every digest episode in the output folder, newest first, as RSS 2.0."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from feedgen.feed import FeedGenerator
from lxml import etree

from . import __version__
from .fsutil import write_atomic
from .tags import EpisodeFile, read_episode

log = logging.getLogger(__name__)

FEED_NAME = "feed.xml"


@dataclass
class FeedSettings:
    title: str = "Digest"
    description: str = "Articles read aloud, made with digest."
    base_url: str = ""
    language: str = "en"
    author: str = "digest"


def default_base_url(folder: Path) -> str:
    return folder.resolve().as_uri() + "/"


def episode_url(base_url: str, path: Path) -> str:
    return base_url.rstrip("/") + "/" + quote(path.name)


def list_episodes(folder: Path) -> list[EpisodeFile]:
    """Episodes made by digest in `folder`, newest first; unfinished (hidden) files are ignored."""
    episodes = []
    for path in sorted(folder.glob("*.mp3")):
        if path.name.startswith("."):
            continue
        episode = read_episode(path)
        if episode is not None:
            episodes.append(episode)
    episodes.sort(key=lambda e: (e.tags.published, e.path.name), reverse=True)
    return episodes


def _duration(seconds: float) -> str:
    total = int(round(seconds))
    return f"{total // 3600:d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def build_feed(folder: Path, settings: FeedSettings) -> bytes:
    base_url = settings.base_url or default_base_url(folder)
    generator = FeedGenerator()
    generator.load_extension("podcast")
    generator.title(settings.title)
    generator.description(settings.description)
    generator.link(href=base_url)
    generator.language(settings.language)
    generator.generator("digest", version=__version__)
    generator.podcast.itunes_author(settings.author)
    generator.podcast.itunes_category("News")
    generator.podcast.itunes_explicit("no")

    # feedgen prepends entries, so add the oldest first to get newest first in the XML.
    for episode in reversed(list_episodes(folder)):
        tags = episode.tags
        entry = generator.add_entry()
        entry.id(tags.guid)
        entry.guid(tags.guid, permalink=False)
        entry.title(tags.title)
        entry.description(tags.description or tags.title)
        published = tags.published if tags.published.tzinfo else tags.published.replace(tzinfo=dt.timezone.utc)
        entry.pubDate(published)
        entry.enclosure(episode_url(base_url, episode.path), str(episode.size), "audio/mpeg")
        entry.podcast.itunes_duration(_duration(episode.duration))
    return generator.rss_str(pretty=True)


def _is_readable_feed(path: Path) -> bool:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (etree.XMLSyntaxError, OSError):
        return False
    return root.tag == "rss"


def write_feed(folder: Path, settings: FeedSettings) -> Path:
    """Rebuild feed.xml from the episodes in `folder`; a damaged old feed is kept as a backup."""
    path = folder / FEED_NAME
    if path.exists() and not _is_readable_feed(path):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{FEED_NAME}.broken-{stamp}")
        shutil.copy2(path, backup)
        log.warning("%s was not a readable feed; kept it as %s and rebuilt it", path, backup.name)
    write_atomic(path, build_feed(folder, settings))
    return path
