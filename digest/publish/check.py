"""`digest feed --check`: does feed.xml, and what it points to, meet what podcast apps need?

The rules are Apple Podcasts' RSS requirements and the Podcasting 2.0 tags digest writes.
Files the feed links to under its own address are looked up in the folder and checked too:
enclosure sizes and durations, the cover, transcripts, chapters, and the MP3's ID3 tags.
Each problem is a Finding; "fail" ones make the check fail, "warn" ones are advice.
"""

from __future__ import annotations

import email.utils
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from digest.errors import InputError, OutputError
from digest.fsutil import read_regular
from digest.limits import MAX_COVER_BYTES, MAX_FEED_BYTES, MAX_OUTPUT_BYTES
from digest.publish.cover import cover_problems, inspect_cover
from digest.publish.feed_ext import ITUNES_NS
from digest.publish.feedxml import file_name, podcast_elements, safe_parser
from digest.publish.outputs import OUTPUTS, by_link, by_mime
from digest.publish.settings import FEED_NAME, PLACEHOLDER_EMAIL, FeedSettings, load_settings, podcast_guid
from digest.publish.tags import has_xing_header, read_episode

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Apple Podcasts' top-level categories.
APPLE_CATEGORIES = {
    "Arts", "Business", "Comedy", "Education", "Fiction", "Government", "History", "Health & Fitness",
    "Kids & Family", "Leisure", "Music", "News", "Religion & Spirituality", "Science",
    "Society & Culture", "Sports", "Technology", "True Crime", "TV & Film",
}
EPISODE_TYPES = {"full", "trailer", "bonus"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DURATION = re.compile(r"^(?:(\d+):)?(?:(\d{1,2}):)?(\d+)$")
# Seconds the feed's rounded duration may differ from the audio.
DURATION_TOLERANCE = 1.0


@dataclass(frozen=True)
class Finding:
    where: str
    message: str
    severity: str = "fail"

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def failed(findings: list[Finding]) -> bool:
    return any(finding.severity == "fail" for finding in findings)


class _Checker:
    def __init__(self, folder: Path | None, settings: FeedSettings | None) -> None:
        self.folder = folder
        self.settings = settings
        self.findings: list[Finding] = []
        self.base: str | None = None
        self._channel_link = ""

    def fail(self, where: str, message: str) -> None:
        self.findings.append(Finding(where, message))

    def warn(self, where: str, message: str) -> None:
        self.findings.append(Finding(where, message, "warn"))

    # --- helpers -------------------------------------------------------------------------
    @staticmethod
    def text(parent, tag: str) -> str:
        element = parent.find(tag)
        return (element.text or "").strip() if element is not None else ""

    @staticmethod
    def podcast(parent, name: str, many: bool = False):
        """podcast:<name> in either spelling of the namespace."""
        found = podcast_elements(parent, name)
        return found if many else (found[0] if found else None)

    def absolute(self, where: str, what: str, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(where, f"{what} {url!r} is not an absolute http(s) URL")
            return False
        return True

    def local(self, url: str) -> Path | None:
        """The file in the folder that `url` names, when it lies under the feed's address."""
        if self.folder is None or not self.base:
            return None
        name = file_name(url, self.base)
        return self.folder / name if name else None

    def existing(self, where: str, what: str, url: str) -> Path | None:
        path = self.local(url)
        if path is not None and not path.is_file():
            self.fail(where, f"{what} {url} is missing from the folder ({path.name})")
            return None
        return path

    # --- channel -------------------------------------------------------------------------
    def channel(self, channel) -> None:
        where = "channel"
        for tag in ("title", "description", "link"):
            if not self.text(channel, tag):
                self.fail(where, f"<{tag}> is missing or empty")
        link = self.text(channel, "link")
        if link and self.absolute(where, "<link>", link):
            self._channel_link = link
        language = self.text(channel, "language")
        if not _LANGUAGE.match(language):
            self.fail(where, f"<language> {language!r} is not a language code such as en or en-GB")

        self_links = [link for link in channel.findall(f"{{{ATOM_NS}}}link") if link.get("rel") == "self"]
        if not self_links:
            self.fail(where, "atom:link rel=\"self\" is missing")
            self_url = ""
        else:
            self_url = self_links[0].get("href", "")
            if self.absolute(where, "atom:link rel=self", self_url):
                self.base = self_url.rsplit("/", 1)[0] + "/"

        if not self.text(channel, f"{{{ITUNES_NS}}}author"):
            self.fail(where, "itunes:author is missing or empty")
        owner = channel.find(f"{{{ITUNES_NS}}}owner")
        owner_name = self.text(owner, f"{{{ITUNES_NS}}}name") if owner is not None else ""
        owner_email = self.text(owner, f"{{{ITUNES_NS}}}email") if owner is not None else ""
        if not owner_name or "@" not in owner_email:
            self.fail(where, "itunes:owner needs a name and an email address")
        elif owner_email == PLACEHOLDER_EMAIL:
            self.warn(where, f"itunes:owner email is the placeholder {PLACEHOLDER_EMAIL}; "
                             "set owner_email in digest.toml before listing the feed in Apple Podcasts")
        categories = channel.findall(f"{{{ITUNES_NS}}}category")
        if not categories:
            self.fail(where, "itunes:category is missing")
        for category in categories:
            if category.get("text") not in APPLE_CATEGORIES:
                self.fail(where, f"itunes:category {category.get('text')!r} is not an Apple Podcasts category")
        explicit = self.text(channel, f"{{{ITUNES_NS}}}explicit")
        if explicit not in ("true", "false"):
            self.fail(where, f"itunes:explicit is {explicit!r}, not true or false")
        self.cover(channel)
        if self._channel_link and self.base and self._channel_link != self.base:
            self.existing(where, "<link>", self._channel_link)  # the show page

        guid = self.podcast(channel, "guid")
        guid_text = (guid.text or "").strip() if guid is not None else ""
        if not guid_text:
            self.fail(where, "podcast:guid is missing")
        else:
            try:
                uuid.UUID(guid_text)
            except ValueError:
                self.fail(where, f"podcast:guid {guid_text!r} is not a UUID")
            else:
                pinned = self.settings.guid if self.settings else ""
                expected = pinned or (podcast_guid(self_url) if self_url else "")
                if expected and guid_text != expected:
                    self.fail(where, f"podcast:guid is {guid_text}, but the feed URL gives {expected}")
        locked = self.podcast(channel, "locked")
        if locked is None or (locked.text or "").strip() not in ("yes", "no"):
            self.fail(where, "podcast:locked is missing or not yes/no")

    def cover(self, channel) -> None:
        where = "channel"
        image = channel.find(f"{{{ITUNES_NS}}}image")
        href = image.get("href", "") if image is not None else ""
        if not href:
            self.fail(where, "itunes:image is missing")
            return
        if not self.absolute(where, "itunes:image", href):
            return
        if not href.lower().endswith((".jpg", ".jpeg", ".png")):
            self.fail(where, f"itunes:image {href} does not end in .jpg or .png")
        path = self.existing(where, "itunes:image", href)
        if path is None:
            return
        try:
            problems = cover_problems(inspect_cover(read_regular(path, MAX_COVER_BYTES, "cover")))
        except (InputError, OutputError) as error:
            problems = [str(error)]
        for problem in problems:
            self.fail(where, f"cover {path.name} {problem}")

    # --- items ---------------------------------------------------------------------------
    def items(self, channel) -> None:
        items = channel.findall("item")
        if not items:
            self.warn("channel", "the feed has no episodes yet (Apple Podcasts needs at least one)")
        seen: set[str] = set()
        for number, item in enumerate(items, start=1):
            where = f"item {number} ({self.text(item, 'title') or 'untitled'})"
            self.item(item, where, seen)

    def item(self, item, where: str, seen: set[str]) -> None:
        for tag in ("title", "description"):
            if not self.text(item, tag):
                self.fail(where, f"<{tag}> is missing or empty")
        if not self.text(item, f"{{{CONTENT_NS}}}encoded"):
            self.warn(where, "content:encoded (show notes) is missing")
        published = self.text(item, "pubDate")
        try:
            parsed = email.utils.parsedate_to_datetime(published)
            if parsed.tzinfo is None:
                raise ValueError
        except (TypeError, ValueError):
            self.fail(where, f"pubDate {published!r} is not an RFC 2822 date with a time zone")
        guid = self.text(item, "guid")
        if not guid:
            self.fail(where, "guid is missing")
        elif guid in seen:
            self.fail(where, f"guid {guid} is used by another episode too")
        seen.add(guid)
        episode_type = self.text(item, f"{{{ITUNES_NS}}}episodeType")
        if episode_type not in EPISODE_TYPES:
            self.fail(where, f"itunes:episodeType is {episode_type!r}, not one of {', '.join(sorted(EPISODE_TYPES))}")

        duration = self.duration(item, where)
        mp3 = self.enclosure(item, where)
        episode = read_episode(mp3) if mp3 is not None else None
        if mp3 is not None and episode is None:
            self.fail(where, f"{mp3.name} is not an MP3 made by digest")
        if episode is not None:
            if duration is not None and abs(duration - episode.duration) > DURATION_TOLERANCE:
                self.fail(where, f"itunes:duration says {duration:.0f} s, the MP3 lasts {episode.duration:.1f} s")
            self.mp3(episode, where)
        self.transcripts(item, where, episode)
        self.chapters(item, where, episode)
        self.page(item, where, episode)

    def page(self, item, where: str, episode) -> None:
        """The item's <link>: the episode's web page, which must play the enclosure's MP3."""
        url = self.text(item, "link")
        if not url:
            self.warn(where, "has no <link> to a web page of the episode")
            return
        if not self.absolute(where, "<link>", url):
            return
        path = self.existing(where, "<link>", url)
        kind = OUTPUTS["page"]
        if path is None or not path.name.endswith(kind.suffix):
            return
        try:
            data = read_regular(path, MAX_OUTPUT_BYTES, kind.key)
        except (OSError, OutputError) as error:
            self.fail(where, str(error))
            return
        for problem in kind.problems(data, episode):
            self.fail(where, f"{path.name}{'' if problem.startswith(':') else ' '}{problem}")

    def duration(self, item, where: str) -> float | None:
        text = self.text(item, f"{{{ITUNES_NS}}}duration")
        match = _DURATION.match(text)
        if not match:
            self.fail(where, f"itunes:duration {text!r} is not seconds or H:MM:SS")
            return None
        hours, minutes, seconds = match.groups()
        if minutes is None and hours is not None:
            hours, minutes = None, hours
        return int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds)

    def enclosure(self, item, where: str) -> Path | None:
        enclosures = item.findall("enclosure")
        if len(enclosures) != 1:
            self.fail(where, f"has {len(enclosures)} enclosures, not one")
            return None
        enclosure = enclosures[0]
        url, length, mime = enclosure.get("url", ""), enclosure.get("length", ""), enclosure.get("type", "")
        if mime != "audio/mpeg":
            self.fail(where, f"enclosure type is {mime!r}, not audio/mpeg")
        if not length.isdigit() or int(length) <= 0:
            self.fail(where, f"enclosure length {length!r} is not a byte count")
        if not self.absolute(where, "enclosure", url):
            return None
        path = self.existing(where, "enclosure", url)
        if path is None:
            if self.local(url) is None:
                self.warn(where, f"enclosure {url} is not under the feed's address; not compared with a file")
            return None
        size = path.stat().st_size
        if length.isdigit() and int(length) != size:
            self.fail(where, f"enclosure length is {length} bytes, {path.name} has {size}")
        return path

    def mp3(self, episode, where: str) -> None:
        tags, name = episode.tags, episode.path.name
        if not has_xing_header(episode.path):
            self.fail(where, f"{name} has no Xing/Info header, so players guess its length and seek badly")
        if not tags.cover_jpeg:
            self.warn(where, f"{name} has no cover art (APIC)")
        if not tags.chapters:
            self.warn(where, f"{name} has no chapter frames (CHAP)")

    def transcripts(self, item, where: str, episode) -> None:
        self.outputs(item, where, episode, "transcript")

    def chapters(self, item, where: str, episode) -> None:
        self.outputs(item, where, episode, "chapters")

    def outputs(self, item, where: str, episode, link: str) -> None:
        """Every output kind the feed links with podcast:<link> is there, typed, and sound."""
        elements = self.podcast(item, link, many=True)
        types = {element.get("type") for element in elements}
        for kind in by_link(link):
            if kind.mime not in types:
                self.fail(where, f"podcast:{link} of type {kind.mime} is missing" if link == "transcript"
                          else f"podcast:{link} is missing" if not elements
                          else f"podcast:{link} type is {elements[0].get('type', '')!r}, not {kind.mime}")
        for element in elements:
            url, mime = element.get("url", ""), element.get("type", "")
            if not mime:
                self.fail(where, f"podcast:{link} {url} has no type")
            if not self.absolute(where, f"podcast:{link}", url):
                continue
            path = self.existing(where, f"podcast:{link}", url)
            kind = by_mime(link, mime)
            if path is None or kind is None:
                continue
            try:
                data = read_regular(path, MAX_OUTPUT_BYTES, kind.key)
            except (OSError, OutputError) as error:
                self.fail(where, str(error))
                continue
            for problem in kind.problems(data, episode):
                self.fail(where, f"{path.name}{'' if problem.startswith(':') else ' '}{problem}")


def check_feed(xml: bytes, folder: Path | None = None, settings: FeedSettings | None = None) -> list[Finding]:
    """Every problem found in the feed `xml`, checking linked files in `folder` when given."""
    try:
        root = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError as error:
        return [Finding("feed", f"is not well-formed XML ({error})")]
    if root.tag != "rss" or root.get("version") != "2.0" or root.find("channel") is None:
        return [Finding("feed", "is not an RSS 2.0 document with a <channel>")]
    checker = _Checker(Path(folder) if folder is not None else None, settings)
    channel = root.find("channel")
    checker.channel(channel)
    checker.items(channel)
    _warn_of_loopback(channel, checker)
    return checker.findings


def _warn_of_loopback(channel, checker: _Checker) -> None:
    """Links to this machine's own address work only for a podcast app on this machine."""
    import ipaddress
    from urllib.parse import urlsplit

    for enclosure in channel.iter("enclosure"):
        host = urlsplit(enclosure.get("url", "")).hostname or ""
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            checker.warn("feed", f"episodes are linked at {host}, which only this machine can reach; a phone "
                                 "needs --base-url with an address it can reach")
            return


def check_folder(folder: Path) -> list[Finding]:
    folder = Path(folder)
    path = folder / FEED_NAME
    try:
        xml = read_regular(path, MAX_FEED_BYTES, "feed")
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: No such file or directory") from None
    except OutputError as error:
        raise InputError(str(error)) from None
    return check_feed(xml, folder, load_settings(folder))
