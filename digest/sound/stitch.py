"""Clips + designed pauses -> one loudness-normalised MP3.

Clips are appended to a raw PCM spool file one at a time, which makes joining linear in the
total audio and keeps memory to one clip, however long the episode; the speech level is
tallied on the way. Mastering (tempo, loudness, MP3 with an Xing/LAME header so players
know the duration and can seek) mostly starts while clips are still coming (digest.sound.live);
when it cannot, or misses the target, ffmpeg reads the whole spool in two rounds: two fast
loudness measurements through the mastering chain (digest.sound.loudness), side by side on
the two cores, and one pass that changes the tempo, masters and encodes.
"""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Union

from pydub import AudioSegment

from digest.errors import DigestError
from digest.models import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH
from digest.sound import loudness
from digest.sound.ffmpeg import run_ffmpeg
from digest.sound.live import LiveMaster
from digest.sound.mp3 import mp3_output, pcm_input, tempo_filter

log = logging.getLogger(__name__)

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


def encode(spool: Path, destination: Path, speed: float = 1.0, speech_level: float | None = None,
           on_step: Callable[[str], None] | None = None) -> dict:
    """Master the PCM spool to the podcast loudness target and encode it to MP3 at `destination`.

    `speech_level` is the speech's level in dBFS RMS when the caller tallied it; otherwise the
    spool is measured first. `on_step` is told "mastering" as the loudness is measured and
    "encoding" as the final pass (tempo, mastering filters, MP3) begins.
    """
    if on_step:
        on_step("mastering")
    source = pcm_input(spool)
    seconds = spool.stat().st_size / (SAMPLE_RATE * SAMPLE_WIDTH * CHANNELS)
    sample = [loudness.SAMPLE_FILTER] if seconds > loudness.SAMPLE_LONGER_THAN_SECONDS else []
    if speech_level is None:
        speech_level = loudness.measure(source, sample).integrated
    plan = loudness.plan_mastering(speech_level, lambda chains: loudness.measure_all(source, [sample + c for c in chains]))
    chain = [f for f in [tempo_filter(speed)] if f]
    if plan is not None:
        chain += plan.filters()
    if on_step:
        on_step("encoding")
    run_ffmpeg(["-v", "error", *source, *(["-af", ",".join(chain)] if chain else []), *mp3_output(destination)],
               step="master" if plan is not None else "encode")
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
    clip is in only `master` is left. Given the `speed` the episode will be mastered at, the
    spool also starts mastering while clips are still coming (digest.sound.live). `clear`
    starts the episode over (a fall-back to another engine means other clips). Use as a
    context manager: the files go when it closes.
    """

    def __init__(self, speed: float | None = None, encode_on_guess: bool = True) -> None:
        self._workdir = tempfile.TemporaryDirectory(prefix="digest-")
        self.path = Path(self._workdir.name) / "episode.pcm"
        self._out = self.path.open("wb")
        self._speed = speed
        self._encode_on_guess = encode_on_guess  # digest.sound.live.LiveMaster's
        self.live: LiveMaster | None = None
        self.clear()

    def clear(self) -> None:
        self._out.seek(0)
        self._out.truncate()
        self.clips = 0
        self.position = 0  # in samples of the unscaled spool
        self._spans: list[tuple[int, int]] = []  # each clip's (start, end) in samples
        self._level = _LevelTally()
        if self.live is not None:
            self.live.stop()
        self.live = (LiveMaster(self._speed, Path(self._workdir.name), self._encode_on_guess)
                     if self._speed is not None else None)

    def add(self, segment: AudioSegment, gap: Gap) -> None:
        _check_format(segment)
        if isinstance(gap, AudioSegment):
            _check_format(gap)
            pause = gap.raw_data
        else:
            pause = bytes(gap * _BYTES_PER_MS)
        start = self.position
        added = segment.raw_data + pause
        self._out.write(added)
        self._level.add(segment)
        self.position += int(segment.frame_count())
        self._spans.append((start, self.position))
        self.position += len(pause) // (SAMPLE_WIDTH * CHANNELS)
        self.clips += 1
        if self.live is not None:
            self.live.joined(self, added)

    def expect_clips(self) -> None:
        """Clips are about to be made: the live master gets ready while they are."""
        if self.live is not None:
            self.live.prepare()

    @property
    def speech_level(self) -> float:
        """The clips' RMS level in dBFS, pauses excluded."""
        return self._level.dbfs

    def spans(self, speed: float = 1.0) -> list[Span]:
        return [Span(start / SAMPLE_RATE / speed, end / SAMPLE_RATE / speed) for start, end in self._spans]

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
        self._out.close()
        self._workdir.cleanup()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_) -> None:
        self.close()


_BYTES_PER_MS = SAMPLE_RATE * SAMPLE_WIDTH * CHANNELS // 1000


def master(spool: Spool, destination: Path, speed: float = 1.0,
           on_step: Callable[[str], None] | None = None) -> StitchResult:
    """Master and encode the joined clips to `destination` (see `encode` for `on_step`): the
    spool's live master when it reached the target, else the whole spool measured and encoded now."""
    if spool.position == 0:
        raise DigestError("nothing to stitch: every clip was empty")
    spool.flush()
    live = spool.live.finish() if spool.live is not None and spool.live.speed == speed else None
    if live is not None:
        if on_step:
            on_step("encoding")
        shutil.copyfile(live.path, destination)
        measured = {"speech_level": live.speech_level, **asdict(live.plan), "measured": live.measured}
    else:
        measured = encode(spool.path, destination, speed, speech_level=spool.speech_level, on_step=on_step)
    return StitchResult(duration=spool.position / SAMPLE_RATE / speed, spans=spool.spans(speed), loudness=measured)


def stitch(clips: Iterable[tuple[AudioSegment, Gap]], destination: Path, speed: float = 1.0,
           on_step: Callable[[str], None] | None = None) -> StitchResult:
    """Join (clip, gap after it) pairs in order and encode them to `destination` (see `encode`
    for `on_step`)."""
    with Spool(speed) as spool:
        for segment, gap in clips:
            spool.add(segment, gap)
        return master(spool, destination, speed, on_step)


def _check_format(segment: AudioSegment) -> None:
    if (segment.frame_rate, segment.sample_width, segment.channels) != (SAMPLE_RATE, SAMPLE_WIDTH, CHANNELS):
        raise DigestError("a clip is not in the common PCM format")
