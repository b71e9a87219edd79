"""Transcripts of an episode: WebVTT and SRT captions timed by the real clips, and plain text.

Each cue is one utterance, so a cue lasts exactly as long as its clip in the finished MP3 and
is never longer than the engine's chunk limit (about two caption lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Cue:
    start: float  # seconds in the episode
    end: float
    text: str


def _timestamp(seconds: float, decimal: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{millis:03d}"


def _caption_text(text: str) -> str:
    # A blank line ends a cue in both formats, and WebVTT gives "-->" and "<", "&" meaning.
    return " ".join(text.split())


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _usable(cues: Iterable[Cue]) -> list[Cue]:
    return [cue for cue in cues if cue.end > cue.start and _caption_text(cue.text)]


def to_webvtt(cues: Iterable[Cue]) -> str:
    # The language goes in the feed's podcast:transcript tag; WebVTT has no standard header for it.
    blocks = ["WEBVTT"]
    for number, cue in enumerate(_usable(cues), start=1):
        timing = f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}"
        blocks.append(f"{number}\n{timing}\n{_vtt_escape(_caption_text(cue.text))}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: Iterable[Cue]) -> str:
    blocks = []
    for number, cue in enumerate(_usable(cues), start=1):
        timing = f"{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}"
        # SRT has no escaping; an arrow in the words would read as a second timing line.
        blocks.append(f"{number}\n{timing}\n{_caption_text(cue.text).replace('-->', '->')}")
    return "\n\n".join(blocks) + "\n"


def to_text(paragraphs: Iterable[str]) -> str:
    """The words as spoken, one paragraph per script segment."""
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip()) + "\n"


def parse_timestamp(text: str) -> float:
    """Seconds from a WebVTT (`00:01.500`, `00:00:01.500`) or SRT (`00:00:01,500`) timestamp."""
    parts = text.strip().replace(",", ".").split(":")
    if not 2 <= len(parts) <= 3:
        raise ValueError(f"not a caption timestamp: {text!r}")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def read_cues(text: str) -> list[Cue]:
    """Cues from WebVTT or SRT text (enough of either to check what digest writes)."""
    cues = []
    for block in text.replace("\r\n", "\n").strip().split("\n\n"):
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue
        start, end = lines[timing].split("-->")
        cues.append(Cue(parse_timestamp(start), parse_timestamp(end.split()[0]), " ".join(lines[timing + 1:])))
    return cues
