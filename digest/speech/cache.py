"""Content-addressed cache of normalised clips on disk, kept under a size limit.

The key covers everything that changes the audio (engine identity with voice, language,
accent and speed; the normalisation version; the exact text), so a hit is always the right
sound. Entries are written to a temporary file in the same folder and renamed into place,
which is atomic, so concurrent runs and killed runs never leave a torn entry behind.

Pruning (least recently used first). A clip's mtime is its last use: `get` touches it, since
many filesystems mount noatime. `prune` removes the oldest clips until the cache fits its
limit, and clips unused for some days when asked.

Concurrent runs never lose a clip in use. A run claims the keys it is about to use before it
looks them up (`claim`): it writes them to `.runs/<id>.keys` and holds an OS lock on
`.runs/<id>.lock` until it ends (`release`, or its process dies and the OS drops the lock).
`prune` skips every key claimed by a run whose lock is held, this run's own included, so a
run's prune never removes the clips of its own episode nor those another run is reading,
however long that run takes. Claims and prunes take the cache's `.guard.lock` in turn, so a
claim lands either before a prune reads the claims (its clips are kept) or after the prune
(its lookups then miss and the clips are made again). A marker whose lock nobody holds is
left by a killed run and is removed. Anything else that deletes clips under a run (`cache
clear`, a user's `rm`) costs that run a new synthesis of the clip, not a failure.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import time
import uuid
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from filelock import FileLock, Timeout
from pydub import AudioSegment

from digest.errors import InputError, OutputError
from digest.models import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH

# 500 MB holds about 4.5 hours of speech (a clip costs ~27 MB per 15 minutes): a week or two of
# daily digests, enough that regenerating or re-fitting any recent episode is free, while a
# user cache folder on a laptop stays modest. Reuse is mostly of recent episodes, so LRU fits.
DEFAULT_CACHE_MAX = 500_000_000
ENV_VAR = "DIGEST_CACHE_MAX"
RUNS_DIR = ".runs"
GUARD_NAME = ".guard.lock"
GUARD_WAIT_SECONDS = 60
# Temporary files of a killed `put` are removed by a prune once this old (a put takes ms).
STALE_TEMP_SECONDS = 3600

_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """'500MB', '1G', '200 mb', '1.5GB', '2GiB' or plain bytes -> bytes (K/M/G are powers of 1000)."""
    match = _SIZE.match(str(text))
    unit = match[2].lower() if match else None
    if not match or unit not in _UNITS:
        raise InputError(f"not a size: {text!r} (use e.g. 500MB, 1G or a number of bytes)")
    return int(float(match[1]) * _UNITS[unit])


def format_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def cache_limit(flag: int | None = None, setting: int | None = None) -> tuple[int, str]:
    """The cache limit in bytes and where it came from: the flag, DIGEST_CACHE_MAX, a setting
    (the output folder's digest.toml, once wired), else the default."""
    if flag is not None:
        return flag, "--cache-max"
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        try:
            return parse_size(env), ENV_VAR
        except InputError as error:
            raise InputError(f"{ENV_VAR}: {error}") from None
    if setting is not None:
        return setting, "setting"
    return DEFAULT_CACHE_MAX, "default"


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


@dataclass
class PruneReport:
    removed: int = 0
    freed: int = 0
    entries: int = 0  # what is left
    bytes: int = 0
    in_use_bytes: int = 0  # of what is left, clips claimed by running runs (this one included)


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
    """One run's handle on the cache folder: what it claims is released by `release`."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._claimed: set[str] = set()
        self._run_id: str | None = None
        self._run_lock: FileLock | None = None

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
        _touch(path)
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
            try:
                # The first writer wins: Piper never speaks a line twice the same way, and two
                # processes that made the same clip at once (a batch's shared outro) must both
                # stitch the one that stays, so equal fingerprints mean equal episodes.
                os.link(temp_name, path)
            except FileExistsError:
                if self.get(key) is None:  # a damaged entry: the fresh clip replaces it
                    os.replace(temp_name, path)
            except OSError:
                os.replace(temp_name, path)  # a file system without hard links
        finally:
            Path(temp_name).unlink(missing_ok=True)

    # -- claims: the clips a running run is using (see the module docstring) --

    def claim(self, keys: Iterable[str]) -> None:
        """Mark `keys` in use by this run until `release`; call it before looking them up."""
        new = set(keys) - self._claimed
        if not new:
            return
        runs = self.root / RUNS_DIR
        runs.mkdir(parents=True, exist_ok=True)
        with self._guard():
            if self._run_lock is None:
                self._run_id = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
                # Taken before the keys file exists, so a prune never mistakes this run for a dead one.
                self._run_lock = FileLock(str(runs / f"{self._run_id}.lock"), timeout=0)
                self._run_lock.acquire()
            with open(runs / f"{self._run_id}.keys", "a", encoding="ascii") as marker:
                marker.write("".join(f"{key}\n" for key in sorted(new)))
            self._claimed |= new

    def release(self) -> None:
        """This run no longer uses its clips: a prune may remove them (least recently used first)."""
        if self._run_lock is None:
            return
        runs = self.root / RUNS_DIR
        (runs / f"{self._run_id}.keys").unlink(missing_ok=True)
        self._run_lock.release()
        (runs / f"{self._run_id}.lock").unlink(missing_ok=True)
        self._run_lock = self._run_id = None
        self._claimed = set()

    def _guard(self) -> _Guard:
        return _Guard(self.root / GUARD_NAME)

    def _claimed_by_running_runs(self) -> set[str]:
        """Keys claimed by live runs (this one too); markers of dead runs are removed. Under the guard."""
        held = set(self._claimed)
        for marker in (self.root / RUNS_DIR).glob("*.keys"):
            lock = FileLock(str(marker.with_suffix(".lock")), timeout=0)
            try:
                lock.acquire()
            except Timeout:  # the run is alive
                try:
                    held.update(marker.read_text(encoding="ascii").split())
                except OSError:
                    pass  # it released meanwhile
                continue
            # Nobody holds the lock: the run was killed. Its claim goes with it.
            marker.unlink(missing_ok=True)
            lock.release()
            marker.with_suffix(".lock").unlink(missing_ok=True)
        return held

    # -- size and pruning --

    def _entries(self) -> list[tuple[Path, int, float]]:
        entries = []
        if self.root.exists():
            for path in self.root.glob("*/*.wav"):
                try:
                    info = path.stat()
                except FileNotFoundError:
                    continue
                entries.append((path, info.st_size, info.st_mtime))
        return entries

    def stats(self) -> CacheStats:
        entries = self._entries()
        return CacheStats(len(entries), sum(size for _, size, _ in entries))

    def prune(self, max_bytes: int | None = None, older_than_days: float | None = None) -> PruneReport:
        """Remove clips not used for `older_than_days`, then the least recently used ones until
        the cache holds at most `max_bytes`. Clips claimed by running runs are never removed, so
        the cache may stay over the limit (the report's `in_use_bytes` says by how much)."""
        report = PruneReport()
        if not self.root.is_dir():
            return report
        now = time.time()
        cutoff = now - older_than_days * 86400 if older_than_days is not None else None
        with self._guard():
            held = self._claimed_by_running_runs()
            entries = sorted(self._entries(), key=lambda entry: entry[2])
            total = sum(size for _, size, _ in entries)
            left: list[tuple[Path, int]] = []
            for path, size, mtime in entries:
                too_old = cutoff is not None and mtime < cutoff
                too_big = max_bytes is not None and total > max_bytes
                if path.stem in held or not (too_old or too_big):
                    left.append((path, size))
                    continue
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass  # removed by someone else: gone all the same
                except OSError:
                    left.append((path, size))
                    continue
                total -= size
                report.removed += 1
                report.freed += size
            _sweep_temp_files(self.root, now)
        report.entries = len(left)
        report.bytes = sum(size for _, size in left)
        report.in_use_bytes = sum(size for path, size in left if path.stem in held)
        return report

    def clear(self) -> int:
        removed = 0
        if self.root.exists():
            for path in self.root.glob("*/*.wav"):
                path.unlink(missing_ok=True)
                removed += 1
        return removed


class _Guard:
    """The cache-wide lock that orders claims and prunes."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = FileLock(str(path), timeout=GUARD_WAIT_SECONDS)

    def __enter__(self) -> None:
        try:
            self._lock.acquire()
        except Timeout as error:
            raise OutputError(f"the clip cache {self.path.parent} has been busy for {GUARD_WAIT_SECONDS} s; "
                              "try again later") from error

    def __exit__(self, *exc) -> None:
        self._lock.release()


def _touch(path: Path) -> None:
    """Record a use in the mtime (atime is not kept on noatime mounts)."""
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache still serves clips; it just cannot be pruned by use


def _sweep_temp_files(root: Path, now: float) -> None:
    for temp in root.glob("*/.tmp-*"):
        try:
            if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                temp.unlink()
        except OSError:
            pass
