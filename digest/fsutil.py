"""Writing files so that readers only ever see the old version or the complete new one."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from digest.errors import InputError, OutputError

PARTIAL_SUFFIX = ".partial"


@contextmanager
def staged_file(final: Path) -> Iterator[Path]:
    """Yield a hidden temporary path beside `final`; rename it over `final` only on success.

    The temporary file lives in the same folder so the rename is atomic, and its name starts
    with a dot and ends in `.partial` so that feed building never picks it up.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=PARTIAL_SUFFIX)
    os.close(handle)
    temp = Path(name)
    # mkstemp makes the file private (0600); episodes are meant to be served and shared.
    os.chmod(temp, 0o666 & ~_UMASK)
    try:
        yield temp
        _fsync(temp)
        os.replace(temp, final)
    except OSError as error:
        raise OutputError(f"cannot write {final}: {error.strerror or error}") from error
    finally:
        temp.unlink(missing_ok=True)


class Staged:
    """A hidden temporary file in a folder, moved to its final name only by commit()."""

    def __init__(self, path: Path):
        self.path = path
        self.committed_to: Path | None = None

    def commit(self, final: Path) -> None:
        try:
            _fsync(self.path)
            os.replace(self.path, final)
        except OSError as error:
            raise OutputError(f"cannot write {final}: {error.strerror or error}") from error
        self.committed_to = final


@contextmanager
def staged_in(folder: Path, suffix: str) -> Iterator[Staged]:
    """Like staged_file, for when the final name is only chosen once the content is ready."""
    folder.mkdir(parents=True, exist_ok=True)
    staged = Staged(new_partial(folder, suffix))
    try:
        yield staged
    except OSError as error:
        raise OutputError(f"cannot write in {folder}: {error.strerror or error}") from error
    finally:
        if staged.committed_to is None:
            staged.path.unlink(missing_ok=True)


def new_partial(folder: Path, suffix: str) -> Path:
    """A new empty hidden `.partial` file in `folder`, readable like a finished file will be."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=".digest-", suffix=suffix + PARTIAL_SUFFIX)
    os.close(handle)
    os.chmod(name, 0o666 & ~_UMASK)
    return Path(name)


def sweep_stale_partials(folder: Path, older_than: float = 3600) -> list[Path]:
    """Remove unfinished files left by runs that were killed; recent ones may still be in use."""
    import time

    removed = []
    cutoff = time.time() - older_than
    for path in folder.glob(f".*{PARTIAL_SUFFIX}"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except OSError:
            pass
    return removed


def write_atomic(final: Path, data: bytes) -> None:
    with staged_file(final) as temp:
        temp.write_bytes(data)


def _read_umask() -> int:
    # os.umask can only be read by setting it; do that once, at import, before any threads run.
    current = os.umask(0o022)
    os.umask(current)
    return current


_UMASK = _read_umask()


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def read_regular(path: Path, max_bytes: int, what: str = "file", follow_links: bool = False) -> bytes:
    """The bytes of `path` if it is a regular file of at most `max_bytes`; OutputError otherwise.

    A FIFO would hang a plain read and a link to /dev/zero would fill memory: the file is
    opened without blocking and, unless `follow_links`, without following a link, and only a
    regular file is read. FileNotFoundError and NotADirectoryError pass through for callers that
    treat them as absent.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    try:
        descriptor = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        raise
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OutputError(f"{what} {path} is a link; digest reads only plain files there") from None
        raise OutputError(f"cannot read {what} {path}: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{what} {path} is not a plain file")
        if info.st_size > max_bytes:
            raise OutputError(f"{what} {path} is larger than {max_bytes // (1024 * 1024)} MB")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:  # it grew while being read
        raise OutputError(f"{what} {path} is larger than {max_bytes // (1024 * 1024)} MB")
    return data


def existing_folder(path: Path) -> Path:
    """`path` when it is a folder; InputError naming what is wrong otherwise (exit 2 in the CLI)."""
    path = Path(path)
    if path.is_dir():
        return path
    if not os.path.lexists(path):
        raise InputError(f"{path}: no such folder")
    raise InputError(f"{path} is not a folder")
