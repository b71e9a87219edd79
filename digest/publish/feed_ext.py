"""feedgen extension for the Podcasting 2.0 tags digest uses, and Apple's true/false explicit.

Registered on a FeedGenerator with `register(generator)`; then `generator.podcastindex` sets
channel tags and `entry.podcastindex` sets item tags, the way feedgen's own extensions work.

The namespace is written as the podcast namespace's GitHub address. The specification names
https://podcastindex.org/namespace/1.0 as canonical and requires clients to treat the GitHub
address as identical, while gPodder's parser (podcastparser 0.6) recognises only the GitHub
one; this form is therefore read by both kinds of client.
"""

from __future__ import annotations

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
PODCAST_NS_CANONICAL = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
EXTENSION = "podcastindex"


def _tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


class PodcastindexExtension(BaseExtension):
    """Channel tags: podcast:guid, podcast:locked and itunes:explicit as true/false."""

    def __init__(self) -> None:
        self._guid: str | None = None
        self._locked: bool | None = None
        self._locked_owner: str | None = None
        self._explicit: bool | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def guid(self, value: str) -> None:
        self._guid = value

    def locked(self, value: bool, owner: str | None = None) -> None:
        self._locked, self._locked_owner = value, owner

    def explicit(self, value: bool) -> None:
        # feedgen's podcast extension only writes Apple's older yes/no/clean spelling.
        self._explicit = value

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self._explicit is not None:
            xml_elem(_tag(ITUNES_NS, "explicit"), channel).text = "true" if self._explicit else "false"
        if self._guid:
            xml_elem(_tag(PODCAST_NS, "guid"), channel).text = self._guid
        if self._locked is not None:
            locked = xml_elem(_tag(PODCAST_NS, "locked"), channel)
            locked.text = "yes" if self._locked else "no"
            if self._locked_owner:
                locked.attrib["owner"] = self._locked_owner
        return rss_feed

    def extend_atom(self, atom_feed):
        return atom_feed


class PodcastindexEntryExtension(BaseEntryExtension):
    """Item tags: podcast:transcript (one per format) and podcast:chapters."""

    def __init__(self) -> None:
        self._transcripts: list[dict[str, str]] = []
        self._chapters: dict[str, str] | None = None

    def transcript(self, url: str, mime: str, language: str | None = None, rel: str | None = None) -> None:
        attributes = {"url": url, "type": mime}
        if language:
            attributes["language"] = language
        if rel:
            attributes["rel"] = rel
        self._transcripts.append(attributes)

    def chapters(self, url: str, mime: str) -> None:
        self._chapters = {"url": url, "type": mime}

    def extend_rss(self, entry):
        for attributes in self._transcripts:
            xml_elem(_tag(PODCAST_NS, "transcript"), entry, **attributes)
        if self._chapters:
            xml_elem(_tag(PODCAST_NS, "chapters"), entry, **self._chapters)
        return entry

    def extend_atom(self, entry):
        return entry


def register(generator) -> None:
    """Add the extension to a FeedGenerator (and so to every entry it creates)."""
    generator.register_extension(EXTENSION, PodcastindexExtension, PodcastindexEntryExtension, atom=False)
