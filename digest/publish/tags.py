"""ID3v2.4 tags on the episode MP3, written and read back with mutagen.

The MP3 carries everything the feed needs (title, guid, publication time, description,
engine, stories), so `digest feed` can rebuild feed.xml from the audio files alone.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from digest.errors import DigestError

if TYPE_CHECKING:
    from mutagen.id3 import ID3

# mutagen is imported where a file is read or written: choosing and checking a run's settings,
# before any speech is made, needs only the classes here.

_PREFIX = "DIGEST_"


@dataclass
class Chapter:
    title: str
    start: float
    end: float


@dataclass
class EpisodeTags:
    title: str
    programme: str
    guid: str
    published: dt.datetime
    engine: str
    description: str = ""
    language: str = "en"
    stories: list[dict] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    cover_jpeg: bytes | None = None
    extra: dict[str, str] = field(default_factory=dict)


def write_tags(path: Path, tags: EpisodeTags) -> None:
    from mutagen.id3 import APIC, CHAP, COMM, CTOC, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, TXXX, CTOCFlags

    id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TPE1(encoding=3, text=tags.programme))
    id3.add(TALB(encoding=3, text=tags.programme))
    id3.add(TCON(encoding=3, text="Podcast"))
    id3.add(TDRC(encoding=3, text=tags.published.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")))
    id3.add(TLAN(encoding=3, text=tags.language))
    id3.add(COMM(encoding=3, lang="eng", desc="", text=tags.description))
    for key, value in {
        "GUID": tags.guid,
        "ENGINE": tags.engine,
        "PUBLISHED": tags.published.isoformat(),
        "STORIES": json.dumps(tags.stories, ensure_ascii=False),
        **tags.extra,
    }.items():
        id3.add(TXXX(encoding=3, desc=_PREFIX + key, text=value))
    if tags.cover_jpeg:
        id3.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=tags.cover_jpeg))
    if tags.chapters:
        ids = [f"chp{index}" for index in range(len(tags.chapters))]
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                     sub_frames=[TIT2(encoding=3, text=tags.programme)]))
        for element_id, chapter in zip(ids, tags.chapters):
            id3.add(CHAP(element_id=element_id, start_time=round(chapter.start * 1000), end_time=round(chapter.end * 1000),
                         sub_frames=[TIT2(encoding=3, text=chapter.title)]))
    try:
        id3.save(str(path), v2_version=4)
    except OSError as error:
        raise DigestError(f"cannot write tags to {path}: {error.strerror}") from error


def _text(id3: ID3, frame_id: str) -> str:
    frame = id3.get(frame_id)
    return str(frame.text[0]) if frame is not None and frame.text else ""


@dataclass
class EpisodeFile:
    path: Path
    tags: EpisodeTags
    duration: float
    size: int


def read_episode(path: Path) -> EpisodeFile | None:
    """Read an MP3 made by digest; None for MP3s without our tags (or not MP3s at all)."""
    from mutagen.id3 import ID3, ID3NoHeaderError
    from mutagen.mp3 import MP3, HeaderNotFoundError

    try:
        audio = MP3(str(path))
        id3 = ID3(str(path))
    except (HeaderNotFoundError, ID3NoHeaderError, OSError, Exception):  # mutagen raises many kinds
        return None
    guid = _text(id3, f"TXXX:{_PREFIX}GUID")
    if not guid:
        return None
    published_text = _text(id3, f"TXXX:{_PREFIX}PUBLISHED")
    try:
        published = dt.datetime.fromisoformat(published_text)
    except ValueError:
        published = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    try:
        stories = json.loads(_text(id3, f"TXXX:{_PREFIX}STORIES") or "[]")
    except ValueError:
        stories = []
    chapters = []
    for frame in id3.getall("CHAP"):
        title = frame.sub_frames.get("TIT2")
        chapters.append(Chapter(str(title.text[0]) if title else frame.element_id, frame.start_time / 1000, frame.end_time / 1000))
    chapters.sort(key=lambda chapter: chapter.start)
    comments = id3.getall("COMM")
    extra = {
        frame.desc[len(_PREFIX):]: str(frame.text[0])
        for frame in id3.getall("TXXX")
        if frame.desc.startswith(_PREFIX) and frame.desc[len(_PREFIX):] not in ("GUID", "ENGINE", "PUBLISHED", "STORIES")
    }
    apic = id3.getall("APIC")
    tags = EpisodeTags(
        title=_text(id3, "TIT2") or path.stem,
        programme=_text(id3, "TALB") or _text(id3, "TPE1"),
        guid=guid,
        published=published,
        engine=_text(id3, f"TXXX:{_PREFIX}ENGINE"),
        description=str(comments[0].text[0]) if comments and comments[0].text else "",
        language=_text(id3, "TLAN") or "en",
        stories=stories if isinstance(stories, list) else [],
        chapters=chapters,
        cover_jpeg=apic[0].data if apic else None,
        extra=extra,
    )
    return EpisodeFile(path=path, tags=tags, duration=float(audio.info.length), size=path.stat().st_size)


def has_xing_header(path: Path) -> bool:
    """Whether the first MPEG frame is a Xing/Info frame, which gives players the exact length."""
    from mutagen.mp3 import MP3, HeaderNotFoundError

    try:
        audio = MP3(str(path))
        with open(path, "rb") as handle:
            handle.seek(audio.info.frame_offset)
            first_frame = handle.read(64)
    except (HeaderNotFoundError, OSError, Exception):  # mutagen raises many kinds
        return False
    return b"Xing" in first_frame or b"Info" in first_frame
