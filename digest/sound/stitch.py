"""Clips + designed pauses -> one loudness-normalised MP3.

Clips are appended to a raw PCM spool file one at a time, which makes joining linear in the
total audio and keeps memory to one clip, however long the episode; the speech level is
tallied on the way. ffmpeg then reads the spool in two rounds: two fast loudness measurements
through the mastering chain (digest.loudness), side by side on the two cores, and one pass
that changes the tempo, masters and encodes, with an Xing/LAME header so players know the
duration and can seek.
"""

from __future__ import annotations

import logging
import math
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Union

from pydub import AudioSegment

from digest.errors import DigestError
from digest.models import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH
from digest.sound import loudness
from digest.sound.ffmpeg import run_ffmpeg

log = logging.getLogger(__name__)

BITRATE = "64k"
# LAME's -q 7: about three times faster than the default and indistinguishable on speech at 64 kbps.
LAME_QUALITY = "7"

# What follows a clip: that many milliseconds of silence, or designed audio (e.g. a chime).
Gap = Union[int, AudioSegment]


@dataclass(frozen=True)
class Span:
    start: float  # seconds in the finished episode
    end: float


@dataclass(frozen=True)
class StitchResult:
    duration: float
    spans: list[Span]  # one per clip, in order
    loudness: dict


def _tempo_filter(speed: float) -> str | None:
    if abs(speed - 1.0) < 1e-9:
        return None
    # atempo (WSOLA) keeps the pitch, is in every ffmpeg build and costs a few seconds per hour of
    # speech; Rubber Band sounds no better on speech at these rates and is ten times slower.
    return f"atempo={speed:.4f}"


def _spool_input(spool: Path) -> list[str]:
    return ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS), "-i", str(spool)]


def encode(spool: Path, destination: Path, speed: float = 1.0, speech_level: float | None = None,
           on_step: Callable[[str], None] | None = None) -> dict:
    """Master the PCM spool to the podcast loudness target and encode it to MP3 at `destination`.

    `speech_level` is the speech's level in dBFS RMS when the caller tallied it; otherwise the
    spool is measured first. `on_step` is told "mastering" as the loudness is measured and
    "encoding" as the final pass (tempo, mastering filters, MP3) begins.
    """
    if on_step:
        on_step("mastering")
    source = _spool_input(spool)
    seconds = spool.stat().st_size / (SAMPLE_RATE * SAMPLE_WIDTH * CHANNELS)
    sample = [loudness.SAMPLE_FILTER] if seconds > loudness.SAMPLE_LONGER_THAN_SECONDS else []
    if speech_level is None:
        speech_level = loudness.measure(source, sample).integrated
    plan = loudness.plan_mastering(speech_level, lambda chains: _measure_all(source, [sample + c for c in chains]))
    chain = [f for f in [_tempo_filter(speed)] if f]
    if plan is not None:
        chain += plan.filters()
    if on_step:
        on_step("encoding")
    run_ffmpeg([
        "-v", "error", *source,
        *(["-af", ",".join(chain)] if chain else []), "-ac", "1", "-ar", str(SAMPLE_RATE),
        "-c:a", "libmp3lame", "-b:a", BITRATE, "-compression_level", LAME_QUALITY,
        "-map_metadata", "-1", "-id3v2_version", "0", "-write_xing", "1", "-f", "mp3", str(destination),
    ], step="master" if plan is not None else "encode")
    return {"speech_level": speech_level, **(asdict(plan) if plan else {})}


def self_test() -> None:
    """Measure, master and encode a second and a half of warbling tone, as an episode would be.

    Run with an ffmpeg before trusting it (digest.ffmpeg.choose): a build may list every
    filter and still refuse an option or fail to encode. Raises FfmpegError when it does.
    """
    import numpy as np

    seconds = np.arange(int(SAMPLE_RATE * 1.5)) / SAMPLE_RATE
    warble = np.sin(2 * math.pi * 220 * seconds) * (1 + 0.5 * np.sin(2 * math.pi * 3 * seconds))
    with tempfile.TemporaryDirectory(prefix="digest-ffmpeg-test-") as workdir:
        spool = Path(workdir) / "tone.pcm"
        spool.write_bytes((warble * 0.15 * 32767).astype(np.int16).tobytes())
        # The tempo change is part of the test: atempo is the one filter a fast run adds.
        encode(spool, Path(workdir) / "tone.mp3", speed=1.25)


def _measure_all(source: list[str], chains: list[list[str]]) -> list[loudness.Loudness]:
    # Each measurement is one single-threaded ffmpeg; side by side they use both cores.
    with ThreadPoolExecutor(max_workers=len(chains)) as pool:
        return list(pool.map(lambda chain: loudness.measure(source, chain), chains))


class _LevelTally:
    """Running RMS level of the speech clips (pauses excluded), in dBFS."""

    def __init__(self) -> None:
        self.energy = 0.0
        self.frames = 0

    def add(self, segment: AudioSegment) -> None:
        frames = int(segment.frame_count())
        if frames:
            self.energy += float(segment.rms) ** 2 * frames
            self.frames += frames

    @property
    def dbfs(self) -> float:
        if not self.energy:
            return -math.inf
        return 20 * math.log10(math.sqrt(self.energy / self.frames) / 32768)


class Spool:
    """(clip, gap after it) pairs joined in order into a raw PCM file, as they come.

    Each clip's span and the speech level are tallied as it is added, so that once the last
    clip is in only `master` is left. `clear` starts the episode over (a fall-back to another
    engine means other clips). Use as a context manager: the file goes when it closes.
    """

    def __init__(self) -> None:
        self._workdir = tempfile.TemporaryDirectory(prefix="digest-")
        self.path = Path(self._workdir.name) / "episode.pcm"
        self._out = self.path.open("wb")
        self.clear()

    def clear(self) -> None:
        self._out.seek(0)
        self._out.truncate()
        self.clips = 0
        self.position = 0  # in samples of the unscaled spool
        self._spans: list[tuple[int, int]] = []  # each clip's (start, end) in samples
        self._level = _LevelTally()

    def add(self, segment: AudioSegment, gap: Gap) -> None:
        _check_format(segment)
        start = self.position
        self._out.write(segment.raw_data)
        self._level.add(segment)
        self.position += int(segment.frame_count())
        self._spans.append((start, self.position))
        if isinstance(gap, AudioSegment):
            _check_format(gap)
            self._out.write(gap.raw_data)
            self.position += int(gap.frame_count())
        elif gap:
            self._out.write(bytes(gap * _BYTES_PER_MS))
            self.position += gap * SAMPLE_RATE // 1000
        self.clips += 1

    @property
    def speech_level(self) -> float:
        """The clips' RMS level in dBFS, pauses excluded."""
        return self._level.dbfs

    def spans(self, speed: float = 1.0) -> list[Span]:
        return [Span(start / SAMPLE_RATE / speed, end / SAMPLE_RATE / speed) for start, end in self._spans]

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        self._out.close()
        self._workdir.cleanup()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_) -> None:
        self.close()


_BYTES_PER_MS = SAMPLE_RATE * SAMPLE_WIDTH * CHANNELS // 1000


def master(spool: Spool, destination: Path, speed: float = 1.0,
           on_step: Callable[[str], None] | None = None) -> StitchResult:
    """Master and encode the joined clips to `destination` (see `encode` for `on_step`)."""
    if spool.position == 0:
        raise DigestError("nothing to stitch: every clip was empty")
    spool.flush()
    measured = encode(spool.path, destination, speed, speech_level=spool.speech_level, on_step=on_step)
    return StitchResult(duration=spool.position / SAMPLE_RATE / speed, spans=spool.spans(speed), loudness=measured)


def stitch(clips: Iterable[tuple[AudioSegment, Gap]], destination: Path, speed: float = 1.0,
           on_step: Callable[[str], None] | None = None) -> StitchResult:
    """Join (clip, gap after it) pairs in order and encode them to `destination` (see `encode`
    for `on_step`)."""
    with Spool() as spool:
        for segment, gap in clips:
            spool.add(segment, gap)
        return master(spool, destination, speed, on_step)


def _check_format(segment: AudioSegment) -> None:
    if (segment.frame_rate, segment.sample_width, segment.channels) != (SAMPLE_RATE, SAMPLE_WIDTH, CHANNELS):
        raise DigestError("a clip is not in the common PCM format")
