"""Content-addressed cache of normalised clips on disk.

The key covers everything that changes the audio (engine identity with voice, language,
accent and speed; the normalisation version; the exact text), so a hit is always the right
sound. Entries are written to a temporary file in the same folder and renamed into place,
which is atomic, so concurrent runs and killed runs never leave a torn entry behind.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from pydub import AudioSegment

from digest.errors import InputError
from digest.models import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("digest", appauthor=False)) / "clips"


def clip_key(identity: str, text: str, recipe: str) -> str:
    """The cache key of `text` spoken by the engine and voice `identity`, normalised by `recipe`."""
    material = f"{identity}\n{recipe}\n{text}".encode("utf-8")
    return hashlib.sha256(material).hexdigest()


@dataclass
class CacheStats:
    entries: int
    bytes: int


def check_cache_dir(path: Path) -> None:
    """Fail before any work when the cache folder cannot hold clips, instead of mid-run."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(f"cache folder {path} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path, prefix=".probe-"):
            pass
    except OSError as error:
        raise InputError(f"cache folder {path} cannot be used ({error.strerror or error})") from None


class ClipCache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> AudioSegment | None:
        path = self._path(key)
        try:
            with wave.open(str(path), "rb") as wav:
                if (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) != (
                    SAMPLE_RATE, SAMPLE_WIDTH, CHANNELS,
                ):
                    return None
                frames = wav.readframes(wav.getnframes())
        except FileNotFoundError:
            return None
        except (OSError, EOFError, wave.Error):
            # A damaged entry is a miss; the fresh clip will replace it.
            return None
        return AudioSegment(data=frames, sample_width=SAMPLE_WIDTH, frame_rate=SAMPLE_RATE, channels=CHANNELS)

    def put(self, key: str, segment: AudioSegment) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(CHANNELS)
            wav.setsampwidth(SAMPLE_WIDTH)
            wav.setframerate(SAMPLE_RATE)
            wav.writeframes(segment.raw_data)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(buffer.getvalue())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def stats(self) -> CacheStats:
        entries = 0
        size = 0
        if self.root.exists():
            for path in self.root.glob("*/*.wav"):
                entries += 1
                size += path.stat().st_size
        return CacheStats(entries, size)

    def clear(self) -> int:
        removed = 0
        if self.root.exists():
            for path in self.root.glob("*/*.wav"):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
