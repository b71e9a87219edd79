"""One lock per output folder, so concurrent runs publish one at a time.

Episodes are stitched outside the lock (that is the slow part); only naming the episode,
moving it into place and rebuilding feed.xml happen under it, so two `digest make` runs
into one folder both land in the feed and never take the same file name.
"""

from __future__ import annotations

import threading
from pathlib import Path

from filelock import FileLock, Timeout

from digest.errors import OutputError

LOCK_NAME = ".digest.lock"
WAIT_SECONDS = 600

_locks: dict[Path, FileLock] = {}
_registry_guard = threading.Lock()


class _FolderLock:
    def __init__(self, folder: Path):
        self.folder = folder
        key = folder.resolve()
        with _registry_guard:
            # One FileLock object per folder and process, so nested use is re-entrant.
            self._lock = _locks.setdefault(key, FileLock(str(key / LOCK_NAME), timeout=WAIT_SECONDS))

    def __enter__(self) -> None:
        try:
            self._lock.acquire()
        except Timeout as error:
            raise OutputError(f"another digest run has held {self.folder} for {WAIT_SECONDS} s; try again later") from error

    def __exit__(self, *exc) -> None:
        self._lock.release()


def folder_lock(folder: Path) -> _FolderLock:
    Path(folder).mkdir(parents=True, exist_ok=True)
    return _FolderLock(Path(folder))
