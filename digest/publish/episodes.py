"""`digest episodes`: list the episodes of an output folder, and remove some of them.

Removing one takes its MP3, the outputs digest wrote for it (only files whose bytes still match
the fingerprints its tags recorded: a user's notes at one of those names stay), its index entry
and its feed item, in one step under the folder lock:

1. the feed and the show page are rebuilt without the episodes and written atomically (the
   files are still there, so at no moment does either list a missing file);
2. the files are moved into a hidden folder beside them (a rename each, in the same folder);
   if one cannot be moved, those already moved are put back and the old feed and page restored;
3. the index forgets them and the hidden folder is deleted.

A removal killed between 2 and 3 leaves the hidden folder; the next removal deletes it.
Retention (`keep_episodes`, `keep_days`, applied by `digest sync`) removes the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from digest.errors import InputError, OutputError
from digest.fsutil import existing_folder, read_regular, write_atomic
from digest.limits import MAX_FEED_BYTES
from digest.publish.channel import plan_channel, publish
from digest.publish.folderlock import folder_lock
from digest.publish.identity import local_date
from digest.publish.library import Library
from digest.publish.outputs import OUTPUTS, matches_fingerprint, parse_fingerprints, sidecar_path
from digest.publish.pages import SHOW_PAGE_NAME
from digest.publish.settings import FEED_NAME
from digest.publish.tags import EpisodeFile

TRASH_PREFIX = ".digest-removing-"
# How many candidates an error message names before it says "..."
NAMED_CANDIDATES = 8


@dataclass(frozen=True)
class Removal:
    episode: EpisodeFile
    files: list[Path]  # the MP3, then the outputs digest wrote for it
    kept: list[Path] = field(default_factory=list)  # at its outputs' names, but not digest's


def listing(folder: Path) -> tuple[Library, list[EpisodeFile]]:
    """The folder's episodes, newest first, read without changing anything."""
    library = Library.open(existing_folder(folder))
    return library, library.episodes


def describe(episode: EpisodeFile, outputs: dict[str, Path]) -> dict:
    """One episode as `digest episodes --json` prints it."""
    tags = episode.tags
    return {
        "guid": tags.guid, "file": episode.path.name, "title": tags.title,
        "published": tags.published.isoformat(), "date": tags.published.date().isoformat(),
        "duration": round(episode.duration, 3), "size": episode.size,
        "outputs": {key: path.name for key, path in outputs.items()},
    }


def duration_text(seconds: float) -> str:
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


def table(episodes: list[EpisodeFile], width: int | None = None) -> list[str]:
    """Aligned lines, a header first; with `width` (a terminal's), long titles are cut to fit."""
    header = ("DATE", "TITLE", "DURATION", "SIZE", "FILE")
    rows = [(e.tags.published.date().isoformat(), " ".join(e.tags.title.split()), duration_text(e.duration),
             size_text(e.size), e.path.name) for e in episodes]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    if width:
        others = sum(widths) - widths[1] + 2 * (len(header) - 1)
        title_width = max(len(header[1]), min(widths[1], width - others))
        if title_width < widths[1]:
            rows = [(d, t if len(t) <= title_width else t[:title_width - 1] + "\u2026", *rest)
                    for d, t, *rest in rows]
            widths[1] = title_width
    right = {2, 3}  # numbers line up on the right
    return ["  ".join(cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in
                      enumerate(zip(row, widths))).rstrip() for row in [header, *rows]]


def _candidates(episodes: list[EpisodeFile]) -> str:
    names = [e.path.name for e in episodes]
    shown = ", ".join(names[:NAMED_CANDIDATES])
    return shown + (f", ... ({len(names)} in all)" if len(names) > NAMED_CANDIDATES else "")


def match(folder: Path, episodes: list[EpisodeFile], wanted: str) -> EpisodeFile:
    """The one episode `wanted` names: its GUID, its file name (with or without .mp3, or as a
    path in the folder), or a prefix of the file name that no other episode's shares."""
    exact = [e for e in episodes if e.tags.guid == wanted]  # first: a GUID edited by hand may hold a "/"
    name = wanted
    if not exact and (os.sep in wanted or (os.altsep and os.altsep in wanted)):
        path = Path(wanted)
        if path.parent.resolve() != folder.resolve():
            raise InputError(f"{wanted} is not in {folder}")
        name = path.name
    exact = exact or [e for e in episodes if name in (e.path.name, e.path.stem)]
    if len(exact) == 1:
        return exact[0]
    found = exact or [e for e in episodes if e.path.name.startswith(name)]
    if len(found) == 1:
        return found[0]
    if not found:
        listed = f"; episodes there: {_candidates(episodes)}" if episodes else "; it has no episodes"
        raise InputError(f"no episode in {folder} is {wanted!r}{listed}")
    raise InputError(f"{wanted!r} could be any of {len(found)} episodes: {_candidates(found)}; "
                     f"give more of the file name or the GUID")


def _own_outputs(library: Library, episode: EpisodeFile) -> tuple[list[Path], list[Path]]:
    """The episode's outputs that digest wrote (their bytes match its record), and the others."""
    recorded = parse_fingerprints(episode.tags.extra.get("SIDECARS"))
    ours, others = [], []
    for key in OUTPUTS:
        path = sidecar_path(episode.path, key)
        if path.name not in library.names:
            continue
        if key in recorded and matches_fingerprint(path, key, recorded[key]):
            ours.append(path)
        else:
            others.append(path)
    return ours, others


def plan(library: Library, wanted: list[str]) -> list[Removal]:
    """What removing the episodes `wanted` names would remove; InputError if any name fails."""
    chosen: dict[str, EpisodeFile] = {}
    for name in wanted:
        episode = match(library.folder, library.episodes, name)
        chosen.setdefault(episode.path.name, episode)
    removals = []
    for episode in chosen.values():
        ours, others = _own_outputs(library, episode)
        removals.append(Removal(episode, [episode.path, *ours], others))
    return removals


def remove_episodes(folder: Path, wanted: list[str], dry_run: bool = False) -> list[Removal]:
    """Remove the episodes `wanted` names (see the module docstring); with `dry_run`, only say what."""
    folder = existing_folder(folder)
    if not wanted:
        raise InputError("name at least one episode to remove (its file name or GUID)")
    if dry_run:
        return plan(Library.open(folder), wanted)
    with folder_lock(folder):
        library = Library.open(folder)
        library.tidy()  # what `digest feed` would do first; done now, so the listing stays as planned
        removals = plan(library, wanted)
        _remove(library, removals)
    return removals


def _remove(library: Library, removals: list[Removal]) -> None:
    folder = library.folder
    for stale in folder.glob(TRASH_PREFIX + "*"):
        # Left by a removal that was killed after its feed was written (this lock is held, so
        # no other removal is running): its files are already out of the feed; finish the job.
        shutil.rmtree(stale, ignore_errors=True)
    # The feed and the show page are rebuilt without the episodes first, and put back on failure.
    published = {name: _read_feed(folder / name) for name in (FEED_NAME, SHOW_PAGE_NAME)}
    library.exclude({r.episode.path.name for r in removals})
    publish(folder, plan_channel(folder), library=library)
    files = [path for removal in removals for path in removal.files]
    trash = Path(tempfile.mkdtemp(dir=folder, prefix=TRASH_PREFIX))
    moved: list[tuple[Path, Path]] = []
    try:
        for path in files:
            _move(path, trash / path.name)
            moved.append((path, trash / path.name))
    except BaseException as error:
        for path, aside in reversed(moved):
            _move(aside, path)
        for name, data in published.items():
            _restore_feed(folder / name, data)
        shutil.rmtree(trash, ignore_errors=True)
        if isinstance(error, OSError):
            raise OutputError(f"cannot remove {Path(error.filename or '').name or 'a file'}: "
                              f"{error.strerror or error}; nothing was removed") from error
        raise
    library.forget({path.name for path in files})
    library.save_index()
    shutil.rmtree(trash, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    """A rename within the folder: atomic, and undone by renaming back (one seam for tests)."""
    os.replace(source, target)


def _read_feed(path: Path) -> bytes | None:
    try:
        return read_regular(path, MAX_FEED_BYTES, "feed")
    except (OSError, OutputError):
        return None


def _restore_feed(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
    elif _read_feed(path) != data:
        write_atomic(path, data)


def expired(episodes: list[EpisodeFile], today: dt.date, keep_episodes: int | None = None,
            keep_days: int | None = None, protect: frozenset[str] = frozenset()) -> list[EpisodeFile]:
    """The episodes a retention rule lets go: past the `keep_episodes` newest, or published
    `keep_days` days or more before `today`. `protect` (GUIDs: those just made) always stay, and
    count first among the episodes kept, even when back-dated with --date."""
    newest_first = sorted(episodes, key=lambda e: (e.tags.guid in protect, e.tags.published), reverse=True)
    gone = []
    for position, episode in enumerate(newest_first):
        if episode.tags.guid in protect:
            continue
        too_many = keep_episodes is not None and position >= keep_episodes
        too_old = keep_days is not None and (today - local_date(episode.tags.published)).days >= keep_days
        if too_many or too_old:
            gone.append(episode)
    return gone


def expire_episodes(folder: Path, today: dt.date, keep_episodes: int | None = None, keep_days: int | None = None,
                    protect: frozenset[str] = frozenset()) -> list[Removal]:
    """Remove what the retention rules let go, with their outputs and feed items, in one step."""
    if keep_episodes is None and keep_days is None:
        return []
    with folder_lock(folder):
        library = Library.open(existing_folder(folder))
        library.tidy()
        gone = expired(library.episodes, today, keep_episodes, keep_days, protect)
        if not gone:
            return []
        removals = plan(library, [episode.tags.guid for episode in gone])
        _remove(library, removals)
    return removals
