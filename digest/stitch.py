"""Clips + designed pauses -> one loudness-normalised MP3.

Clips are appended to a raw PCM spool file one at a time, which makes joining linear in the
total audio and keeps memory to one clip, however long the episode. ffmpeg then measures the
spool's loudness (EBU R128) and encodes it once, normalised to the podcast target, with an
Xing/LAME header so players know the duration and can seek.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pydub import AudioSegment

from .audio import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH
from .errors import DigestError
from .ffmpeg import has_filter, run_ffmpeg

log = logging.getLogger(__name__)

TARGET_LUFS = -16.0
# -1.5 dBTP is the ceiling; aim lower because MP3 encoding adds a few tenths of overshoot.
TARGET_TRUE_PEAK = -2.0
TARGET_LRA = 11.0
BITRATE = "64k"


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
    # Rubber Band keeps pitch and sounds cleaner on speech; atempo is in every ffmpeg build.
    if has_filter("rubberband"):
        return f"rubberband=tempo={speed:.4f}"
    return f"atempo={speed:.4f}"


def _measure_loudness(spool: Path, pre_filters: list[str]) -> dict | None:
    chain = ",".join([*pre_filters, f"loudnorm=I={TARGET_LUFS}:TP={TARGET_TRUE_PEAK}:LRA={TARGET_LRA}:print_format=json"])
    result = run_ffmpeg([
        "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS), "-i", str(spool),
        "-af", chain, "-f", "null", "-",
    ])
    text = result.stderr.decode("utf-8", "replace")
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", text)
    if not match:
        raise DigestError("ffmpeg's loudness analysis printed no measurement")
    measured = json.loads(match.group(0))
    if measured.get("input_i") in ("-inf", "inf") or float(measured["input_i"]) < -70:
        return None  # silence: nothing to normalise
    return measured


def encode(spool: Path, destination: Path, speed: float = 1.0) -> dict:
    """Encode the PCM spool to MP3 at `destination`, normalised in two loudnorm passes."""
    pre = [f for f in [_tempo_filter(speed)] if f]
    measured = _measure_loudness(spool, pre)
    chain = list(pre)
    if measured is not None:
        chain.append(
            f"loudnorm=I={TARGET_LUFS}:TP={TARGET_TRUE_PEAK}:LRA={TARGET_LRA}"
            f":measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
            f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
            f":offset={measured['target_offset']}:linear=true"
        )
    # loudnorm works at 192 kHz internally; bring it back to the speech rate.
    chain.append(f"aresample={SAMPLE_RATE}")
    run_ffmpeg([
        "-v", "error", "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS), "-i", str(spool),
        "-af", ",".join(chain), "-ac", "1", "-ar", str(SAMPLE_RATE),
        "-c:a", "libmp3lame", "-b:a", BITRATE, "-map_metadata", "-1", "-id3v2_version", "0",
        "-write_xing", "1", "-f", "mp3", str(destination),
    ])
    return measured or {}


def stitch(clips: Iterable[tuple[AudioSegment, int]], destination: Path, speed: float = 1.0) -> StitchResult:
    """Join (clip, pause_after_ms) pairs in order and encode them to `destination`."""
    spans: list[Span] = []
    position = 0  # in samples of the unscaled spool
    bytes_per_ms = SAMPLE_RATE * SAMPLE_WIDTH * CHANNELS // 1000
    with tempfile.TemporaryDirectory(prefix="digest-") as workdir:
        spool = Path(workdir) / "episode.pcm"
        with spool.open("wb") as out:
            for segment, pause_ms in clips:
                if (segment.frame_rate, segment.sample_width, segment.channels) != (SAMPLE_RATE, SAMPLE_WIDTH, CHANNELS):
                    raise DigestError("a clip is not in the common PCM format")
                start = position
                out.write(segment.raw_data)
                position += int(segment.frame_count())
                spans.append(Span(start / SAMPLE_RATE / speed, position / SAMPLE_RATE / speed))
                if pause_ms:
                    out.write(bytes(pause_ms * bytes_per_ms))
                    position += pause_ms * SAMPLE_RATE // 1000
        if position == 0:
            raise DigestError("nothing to stitch: every clip was empty")
        loudness = encode(spool, destination, speed)
    return StitchResult(duration=position / SAMPLE_RATE / speed, spans=spans, loudness=loudness)
