"""Locate ffmpeg and run it: from PATH when installed, else the binary the imageio-ffmpeg wheel ships."""

from __future__ import annotations

import functools
import shutil
import subprocess

from pydub import AudioSegment

from .errors import DigestError


@functools.lru_cache(maxsize=1)
def ffmpeg_path() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as error:
        raise DigestError("ffmpeg was not found on PATH and imageio-ffmpeg is not installed") from error


def configure_pydub() -> None:
    # pydub looks for "ffmpeg" on PATH by default; point it at whichever binary we found.
    AudioSegment.converter = ffmpeg_path()


def run_ffmpeg(args: list[str], *, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run ffmpeg quietly; raise DigestError with ffmpeg's last message when it fails."""
    command = [ffmpeg_path(), "-hide_banner", "-y", *args]
    result = subprocess.run(
        command, input=stdin if stdin is not None else b"", capture_output=True
    )
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DigestError(f"ffmpeg failed: {lines[-1] if lines else 'exit code %d' % result.returncode}")
    return result


@functools.lru_cache(maxsize=None)
def has_filter(name: str) -> bool:
    result = subprocess.run([ffmpeg_path(), "-hide_banner", "-filters"], capture_output=True, text=True)
    return any(line.split()[1:2] == [name] for line in result.stdout.splitlines() if line.strip())
