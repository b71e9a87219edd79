"""What digest publishes beside each episode MP3: one class per kind of file, in one registry.

A kind says its suffix (the file is the MP3's stem plus it: `2026-11-25-harbour.vtt`), its
MIME type, how it is built from the episode's material, how the feed links it, and what makes
a file of its kind wrong. The feed, `feed --check`, `digest serve`, the episode library and
the readers' skip list all read this registry, so a new kind of output is one class here and
one `register` line.

Also here: the files of one episode (found, written, missing) and the fingerprints its tags
record of them, so that a user's file at one of those names is never taken for the episode's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from digest.errors import OutputError
from digest.fsutil import read_regular, write_atomic
from digest.limits import MAX_OUTPUT_BYTES
from digest.publish import chapters as json_chapters
from digest.publish import pages
from digest.publish.settings import CONFIG_NAME, FEED_NAME
from digest.publish.tags import Chapter, EpisodeFile, EpisodeTags
from digest.publish.transcripts import Cue, read_cues, to_srt, to_text, to_webvtt
from digest.read.base import OwnFiles

log = logging.getLogger(__name__)

# Seconds a transcript may run past the audio's end (the feed rounds durations).
DURATION_TOLERANCE = 1.0
# Seconds the JSON chapter marks may differ from the MP3's CHAP frames.
CHAPTER_TOLERANCE = 0.01


@dataclass(frozen=True)
class Material:
    """What an episode's outputs are made from, all known once its audio is stitched."""

    cues: list[Cue]  # one per utterance, timed by the real clips
    paragraphs: list[str]  # the script's segments as spoken
    chapters: list[Chapter]
    stories: list[dict]  # title, source, url, date, author of each story
    tags: EpisodeTags | None = None  # title, programme, date, description: what a page shows
    duration: float = 0.0


class OutputKind:
    """One kind of file published beside each episode MP3."""

    key: str  # the name tags, fingerprints and code use: "vtt"
    suffix: str  # after the MP3's stem: ".vtt"
    mime: str  # in the feed's type attribute
    text: bool = True  # served with "; charset=utf-8"
    link: str | None = None  # the podcast: element the feed links it with: "transcript" or "chapters"
    rel: str | None = None  # podcast:transcript's rel attribute
    # Order of an item's transcript links: parsers that keep one keep the last, so the timed
    # WebVTT one goes last.
    link_order: int = 0

    @property
    def served_type(self) -> str:
        return f"{self.mime}; charset=utf-8" if self.text else self.mime

    def build(self, material: Material) -> bytes:
        raise NotImplementedError

    def problems(self, data: bytes, episode: EpisodeFile | None) -> list[str]:
        """What is wrong with `data` as this kind of file of `episode` (None when not found).

        Each problem reads after the file's name: "has no cues", or ": <detail>".
        """
        return []

    # A kind whose file names its episode's other files (a page) is built and fingerprinted in
    # a canonical form, and written with the episode's real names: `placed` makes the file for
    # the MP3 named `stem`.mp3, `canonical` takes the names out again.
    def placed(self, data: bytes, stem: str) -> bytes:
        return data

    def canonical(self, data: bytes, stem: str) -> bytes:
        return data


class _Captions(OutputKind):
    rel = "captions"

    def problems(self, data: bytes, episode: EpisodeFile | None) -> list[str]:
        text = data.decode("utf-8", errors="replace")
        try:
            cues = read_cues(text)
        except ValueError as error:
            return [f": {error}"]
        if not cues:
            return ["has no cues"]
        if any(b.start < a.start for a, b in zip(cues, cues[1:])) or any(c.end < c.start for c in cues):
            return ["has cues out of order"]
        if episode is not None and cues[-1].end > episode.duration + DURATION_TOLERANCE:
            return ["runs past the end of the audio"]
        return []


class WebVtt(_Captions):
    key, suffix, mime = "vtt", ".vtt", "text/vtt"
    link, link_order = "transcript", 2

    def build(self, material: Material) -> bytes:
        return to_webvtt(material.cues).encode("utf-8")

    def problems(self, data: bytes, episode: EpisodeFile | None) -> list[str]:
        if not data.startswith(b"WEBVTT") and not data.startswith(b"\xef\xbb\xbfWEBVTT"):
            return ["does not start with WEBVTT"]
        return super().problems(data, episode)


class Srt(_Captions):
    key, suffix, mime = "srt", ".srt", "application/x-subrip"
    link, link_order = "transcript", 1

    def build(self, material: Material) -> bytes:
        return to_srt(material.cues).encode("utf-8")


class PlainText(OutputKind):
    key, suffix, mime = "text", ".txt", "text/plain"
    link, link_order = "transcript", 0

    def build(self, material: Material) -> bytes:
        return to_text(material.paragraphs).encode("utf-8")


class JsonChapters(OutputKind):
    key, suffix, mime, text = "chapters", ".chapters.json", json_chapters.MIME, False
    link = "chapters"

    def build(self, material: Material) -> bytes:
        return json_chapters.dumps(json_chapters.to_json_chapters(material.chapters, material.stories))

    def problems(self, data: bytes, episode: EpisodeFile | None) -> list[str]:
        try:
            document = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return ["is not JSON"]
        problems = json_chapters.chapter_problems(document)
        if problems or episode is None:
            return problems
        marks = [(c["title"], float(c["startTime"])) for c in document["chapters"]]
        frames = [(c.title, c.start) for c in episode.tags.chapters]
        if marks[-1][1] >= episode.duration:
            problems.append(": the last chapter starts after the audio ends")
        if frames and ([t for t, _ in marks] != [t for t, _ in frames] or any(
                abs(a - b) > CHAPTER_TOLERANCE for (_, a), (_, b) in zip(marks, frames))):
            problems.append("and the MP3's CHAP frames disagree")
        return problems


class EpisodePage(OutputKind):
    """The episode's web page: player, chapters, a transcript that follows along, show notes.

    The feed links it as the item's <link>, not with a podcast: tag.
    """

    key, suffix, mime = "page", pages.PAGE_SUFFIX, "text/html"

    def build(self, material: Material) -> bytes:
        tags = material.tags or EpisodeTags(title=material.chapters[0].title if material.chapters else "Episode",
                                            programme="Digest", guid="", published=_EPOCH, engine="")
        return pages.episode_page(tags, material.duration, material.cues, material.chapters)

    def placed(self, data: bytes, stem: str) -> bytes:
        return pages.placed(data, stem)

    def canonical(self, data: bytes, stem: str) -> bytes:
        return pages.canonical(data, stem)

    def problems(self, data: bytes, episode: EpisodeFile | None) -> list[str]:
        return pages.page_problems(data, episode)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

OUTPUTS: dict[str, OutputKind] = {}


def register(kind: OutputKind) -> None:
    OUTPUTS[kind.key] = kind


for _builtin in (WebVtt(), Srt(), PlainText(), JsonChapters(), EpisodePage()):
    register(_builtin)


def by_link(link: str) -> list[OutputKind]:
    """The kinds the feed links with podcast:<link>, in the order their links are written."""
    return sorted((kind for kind in OUTPUTS.values() if kind.link == link), key=lambda kind: kind.link_order)


def by_mime(link: str, mime: str) -> OutputKind | None:
    return next((kind for kind in OUTPUTS.values() if kind.link == link and kind.mime == mime), None)


def own_files() -> OwnFiles:
    """What a folder input leaves out: episodes' outputs beside their MP3, and a folder's feed."""
    return OwnFiles(companion_suffixes=tuple(kind.suffix for kind in OUTPUTS.values()), companion_of=".mp3",
                    names_when_marked=(FEED_NAME, pages.SHOW_PAGE_NAME), marker=CONFIG_NAME)


# --- the files of one episode ---------------------------------------------------------------

def sidecar_path(mp3_path: Path, key: str) -> Path:
    return mp3_path.with_name(mp3_path.stem + OUTPUTS[key].suffix)


def build_sidecars(material: Material) -> dict[str, bytes]:
    """The contents of every output of one episode, by kind."""
    return {key: kind.build(material) for key, kind in OUTPUTS.items()}


def write_sidecars(mp3_path: Path, contents: dict[str, bytes], recorded: str | None = None) -> None:
    """Write (or replace) each output atomically, and drop kinds this episode no longer has.

    `recorded` is what the episode's previous tags say its outputs were: a file at one of
    those names that does not match is a user's, and is neither replaced nor removed.
    """
    expected = parse_fingerprints(recorded)
    for key in OUTPUTS:
        path = sidecar_path(mp3_path, key)
        if path.is_file() and _is_foreign(path, key, expected):
            log.warning("left %s alone: it is not %s's own %s file", path.name, mp3_path.name, key)
            continue
        if key in contents:
            write_atomic(path, OUTPUTS[key].placed(contents[key], mp3_path.stem))
        else:
            path.unlink(missing_ok=True)


def fingerprint_sidecars(contents: dict[str, bytes]) -> str:
    """What the episode's tags record of its outputs, to tell them from a user's same-named file.

    `contents` are as built: a kind that names the episode's files is in its canonical form.
    """
    return json.dumps({key: _fingerprint(data) for key, data in sorted(contents.items())})


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def stem_of(path: Path, key: str) -> str:
    """The MP3 stem an output file's name belongs to: "a.chapters.json" -> "a"."""
    return path.name[: -len(OUTPUTS[key].suffix)]


def canonical_bytes(path: Path, key: str) -> bytes:
    """The output at `path` as it was built: what its fingerprint was taken of."""
    return OUTPUTS[key].canonical(read_regular(path, MAX_OUTPUT_BYTES), stem_of(path, key))


def find_sidecars(mp3_path: Path, recorded: str | None = None, present: set[str] | None = None,
                  verified: "SidecarVerdicts | None" = None) -> dict[str, Path]:
    """The outputs present for an MP3, by kind.

    With the fingerprints `recorded` in the episode's tags, a file whose bytes differ is not the
    episode's (an MP3 renamed by hand onto the name of the user's own notes): it is left out,
    so the feed never links it and a later tidy-up never removes it. `present` (the folder's
    file names, when the caller has listed it) spares a stat per kind; `verified` remembers
    which files were already found to match, by name, size and modification time.
    """
    expected = parse_fingerprints(recorded)
    found = {}
    for key in OUTPUTS:
        path = sidecar_path(mp3_path, key)
        if present is not None and path.name not in present:
            continue
        if present is None and not path.is_file():
            continue
        if _is_foreign(path, key, expected, verified):
            log.warning("%s is not %s's own %s file; it is left out of the feed", path.name, mp3_path.name, key)
            continue
        found[key] = path
    return found


def missing_sidecars(mp3_path: Path) -> list[Path]:
    """The outputs an episode should have and does not."""
    return [path for key in OUTPUTS if not (path := sidecar_path(mp3_path, key)).is_file()]


class SidecarVerdicts:
    """Files already checked against their episode's fingerprints, by name, size and mtime.

    `stat_of(path)` gives (size, mtime_ns) when the caller already knows them (a folder
    listing), or None to ask the file system.
    """

    def __init__(self, known: dict[str, list] | None = None, stat_of=None) -> None:
        self.known: dict[str, list] = dict(known or {})
        self._stat_of = stat_of or (lambda path: None)

    def _stat(self, path: Path) -> tuple[int, int] | None:
        found = self._stat_of(path)
        if found is not None:
            return found
        try:
            stat = path.stat()
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def matches(self, path: Path, fingerprint: str) -> bool:
        stat = self._stat(path)
        return stat is not None and self.known.get(path.name) == [*stat, fingerprint]

    def remember(self, path: Path, fingerprint: str) -> None:
        stat = self._stat(path)
        if stat is not None:
            self.known[path.name] = [*stat, fingerprint]


def parse_fingerprints(recorded: str | None) -> dict[str, str]:
    try:
        parsed = json.loads(recorded) if recorded else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def matches_fingerprint(path: Path, key: str, fingerprint: str) -> bool:
    """Whether the `key` output at `path` holds exactly what a recorded output fingerprint stands for."""
    try:
        return _fingerprint(canonical_bytes(path, key)) == fingerprint
    except (OSError, OutputError):
        return False


def _is_foreign(path: Path, key: str, expected: dict[str, str], verified: SidecarVerdicts | None = None) -> bool:
    """Whether the file at `path` differs from the `key` output the episode's tags recorded."""
    if not expected:
        return False  # episodes made before fingerprints were recorded: trusted by name
    if key not in expected:
        return True  # a kind this episode's digest did not write: a user's file with that name
    if verified is not None and verified.matches(path, expected[key]):
        return False
    try:
        foreign = _fingerprint(canonical_bytes(path, key)) != expected[key]
    except (OSError, OutputError):
        return True
    if not foreign and verified is not None:
        verified.remember(path, expected[key])
    return foreign
