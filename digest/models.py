"""Dataclasses that carry work from one pipeline stage to the next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The one PCM format clips travel in from the speech stage to the sound stage: 16-bit mono at
# gTTS's own rate (Piper's 22.05 kHz is resampled up to it).
SAMPLE_RATE = 24000
SAMPLE_WIDTH = 2
CHANNELS = 1


@dataclass(frozen=True)
class Article:
    title: str
    body: str
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    # A feed item's own ID (RSS guid, Atom id): how `digest sync` knows it read the item before.
    guid: str | None = None


@dataclass(frozen=True)
class Segment:
    """One unit of the spoken script.

    `kind` is one of intro, title, paragraph, transition, outro. Pauses are chosen by kind,
    and `chapter` names the chapter the segment belongs to.
    """

    kind: str
    text: str
    chapter: str


@dataclass(frozen=True)
class Script:
    segments: tuple[Segment, ...]
    lang: str = "en"  # where sentences end depends on it ("am 25. November")
    # (respelling, Piper phonemes) for each dictionary respelling in the text that has phonemes.
    phonemes: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        return "\n\n".join(segment.text for segment in self.segments)

    def chapters(self) -> list[str]:
        seen: list[str] = []
        for segment in self.segments:
            if not seen or seen[-1] != segment.chapter:
                seen.append(segment.chapter)
        return seen


@dataclass(frozen=True)
class Voice:
    """Everything besides the text that changes what an engine produces: the language, and the
    engine's own options by name (gtts: tld, slow; piper: voice), each engine's declared
    default when absent."""

    lang: str = "en"
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Clip:
    """Encoded audio for one utterance, exactly as the engine produced it."""

    data: bytes
    format: str  # "mp3" or "wav"


@dataclass
class Episode:
    title: str
    guid: str
    published: dt.datetime
    mp3_path: str
    duration: float
    engine: str
    description: str = ""
    programme: str = "Digest"
    stories: list[Article] = field(default_factory=list)
