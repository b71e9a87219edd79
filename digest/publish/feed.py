"""The podcast feed: every digest episode in the output folder, newest first, as RSS 2.0.

Channel and items carry what Apple Podcasts asks for (itunes:*) and the Podcasting 2.0 tags
digest can fill (guid, locked, transcript, chapters). feedgen writes the XML; digest's own
tags go through its extension mechanism (digest.feed_ext), never through string edits.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from digest import __version__
from digest.errors import OutputError
from digest.fsutil import read_regular, write_atomic
from digest.publish.outputs import by_link
from digest.publish.settings import FEED_NAME, FeedSettings
from digest.publish.shownotes import show_notes
from digest.publish.tags import EpisodeFile

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

# feedgen and lxml are imported when a feed is built or read: a run needs them only once its
# audio is made (and `make` loads them while speech is being made, see digest.publish.preload).

log = logging.getLogger(__name__)

__all__ = ["FEED_NAME", "FeedSettings", "build_feed", "write_feed", "episode_url"]


# Characters XML 1.0 cannot carry at all, even escaped; lxml refuses the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str | None) -> str:
    """Text safe for any XML element: tags edited by hand or odd settings may carry controls."""
    return _NOT_XML.sub("", text or "")


_PLAIN_NAME = re.compile(r"[A-Za-z0-9._~-]+")


def episode_url(base_url: str, path: Path) -> str:
    name = path.name
    # Slugged names need no quoting; skipping quote() for them is a third of a large feed's links.
    return base_url.rstrip("/") + "/" + (name if _PLAIN_NAME.fullmatch(name) else quote(name))


def _duration(seconds: float) -> str:
    total = int(round(seconds))
    return f"{total // 3600:d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _channel(generator: FeedGenerator, settings: FeedSettings, cover_name: str | None,
             show_page: str | None = None) -> None:
    base_url = settings.feed_base
    generator.title(xml_text(settings.title))
    generator.description(xml_text(settings.description) or xml_text(settings.title))
    # feedgen takes the RSS <link> from the last link added, so the show's page (or the folder's
    # URL) goes last.
    generator.link(href=settings.feed_url, rel="self", type="application/rss+xml")
    generator.link(href=episode_url(base_url, Path(show_page)) if show_page else base_url)
    generator.language(settings.language)
    generator.generator("digest", version=__version__)
    generator.podcast.itunes_author(xml_text(settings.author))
    generator.podcast.itunes_owner(name=xml_text(settings.owner_name), email=xml_text(settings.owner_email))
    generator.podcast.itunes_category(settings.category, settings.subcategory or None)
    generator.podcast.itunes_type("episodic")
    if cover_name:
        cover_url = episode_url(base_url, Path(cover_name))
        generator.podcast.itunes_image(cover_url)
        generator.image(url=cover_url, title=xml_text(settings.title), link=base_url)
    generator.podcastindex.explicit(settings.explicit)
    generator.podcastindex.guid(settings.podcast_guid)
    owner = settings.owner_email if settings.locked else None
    generator.podcastindex.locked(settings.locked, owner=owner)


def _item(generator: FeedGenerator, episode: EpisodeFile, base_url: str, outputs: dict[str, Path]) -> None:
    tags = episode.tags
    entry = generator.add_entry()
    # The GUID comes from the MP3's tags, which anything may have edited.
    guid = xml_text(tags.guid)
    entry.id(guid)
    entry.guid(guid, permalink=False)
    entry.title(xml_text(tags.title))
    notes = xml_text(show_notes(tags.description or tags.title, tags.stories))
    entry.description(notes)
    entry.content(notes, type="CDATA")
    published = tags.published if tags.published.tzinfo else tags.published.replace(tzinfo=dt.timezone.utc)
    entry.pubDate(published)
    entry.enclosure(episode_url(base_url, episode.path), str(episode.size), "audio/mpeg")
    if "page" in outputs:
        entry.link(href=episode_url(base_url, outputs["page"]))
    entry.podcast.itunes_duration(_duration(episode.duration))
    entry.podcast.itunes_episode_type("full")
    # by_link orders transcripts so that the timed WebVTT one comes last: parsers that keep one
    # transcript per episode (podcastparser, feedparser) keep the last.
    for kind in by_link("transcript"):
        if kind.key in outputs:
            entry.podcastindex.transcript(episode_url(base_url, outputs[kind.key]), kind.mime, tags.language, kind.rel)
    for kind in by_link("chapters"):
        if kind.key in outputs:
            entry.podcastindex.chapters(episode_url(base_url, outputs[kind.key]), kind.mime)


def build_feed(settings: FeedSettings, cover_name: str | None, episodes: list[EpisodeFile],
               outputs_of: Callable[[EpisodeFile], dict[str, Path]], show_page: str | None = None) -> bytes:
    """The feed of `episodes` (newest first); `cover_name` is the cover's file name in the folder,
    `outputs_of` gives an episode's transcripts, chapters and page by kind, and `show_page` the
    show page's file name when there is one."""
    from feedgen.feed import FeedGenerator

    from digest.publish.feed_ext import register as register_podcastindex

    generator = FeedGenerator()
    generator.load_extension("podcast")
    register_podcastindex(generator)
    _channel(generator, settings, cover_name, show_page)
    # feedgen prepends entries, so add the oldest first to get newest first in the XML.
    for episode in reversed(episodes):
        _item(generator, episode, settings.feed_base, outputs_of(episode))
    return generator.rss_str(pretty=True, xml_declaration=True, encoding="UTF-8")


def _is_readable_feed(path: Path) -> bool:
    from digest.publish.feedxml import parse_feed

    return parse_feed(path) is not None


def write_feed(folder: Path, settings: FeedSettings, cover_name: str | None, episodes: list[EpisodeFile],
               outputs_of: Callable[[EpisodeFile], dict[str, Path]], show_page: str | None = None) -> Path:
    """Rebuild feed.xml in `folder` from `episodes`; a damaged old feed is kept as a backup."""
    path = folder / FEED_NAME
    if os.path.lexists(path) and not _is_readable_feed(path):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{FEED_NAME}.broken-{stamp}")
        if path.is_symlink() or not path.is_file():
            # A link or a device is moved aside as it is, never read (a link to /dev/zero).
            os.replace(path, backup)
        else:
            shutil.copy2(path, backup)
        log.warning("%s was not a readable feed; kept it as %s and rebuilt it", path, backup.name)
    data = build_feed(settings, cover_name, episodes, outputs_of, show_page)
    if not _same_but_for_build_date(path, data):
        write_atomic(path, data)
    return path


_BUILD_DATE = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>")


def _same_but_for_build_date(path: Path, data: bytes) -> bool:
    """Whether feed.xml already says what `data` says: then it is left alone, its build date and
    file date too, so that an up-to-date run changes nothing a podcast app or a backup sees."""
    try:
        old = read_regular(path, len(data) + 1024, "feed")
    except (OSError, OutputError):
        return False
    return _BUILD_DATE.sub(b"", old) == _BUILD_DATE.sub(b"", data)
