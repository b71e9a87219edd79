"""The ffmpeg arguments for the episode's raw PCM going in, its tempo, and its MP3 coming out."""

from __future__ import annotations

from pathlib import Path

from digest.models import CHANNELS, SAMPLE_RATE

BITRATE = "64k"
# LAME's -q 7: about three times faster than the default and indistinguishable on speech at 64 kbps.
LAME_QUALITY = "7"


def pcm_input(source: str | Path) -> list[str]:
    """Read the common PCM format from `source` (a file, or "pipe:0")."""
    return ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS), "-i", str(source)]


def mp3_output(destination: Path) -> list[str]:
    # The Xing/LAME header tells players the duration and lets them seek; the tags come later
    # (digest.publish.tags), so ffmpeg writes none of its own.
    return ["-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "libmp3lame", "-b:a", BITRATE,
            "-compression_level", LAME_QUALITY, "-map_metadata", "-1", "-id3v2_version", "0", "-write_xing", "1",
            "-f", "mp3", str(destination)]


def tempo_filter(speed: float) -> str | None:
    if abs(speed - 1.0) < 1e-9:
        return None
    # atempo (WSOLA) keeps the pitch, is in every ffmpeg build and costs a few seconds per hour of
    # speech; Rubber Band sounds no better on speech at these rates and is ten times slower.
    return f"atempo={speed:.4f}"
