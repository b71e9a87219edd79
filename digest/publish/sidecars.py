"""Files that travel with an episode MP3: transcripts and chapters, named by the MP3's stem.

`2026-11-25-harbour.mp3` has `2026-11-25-harbour.vtt`, `.srt`, `.txt` and `.chapters.json`
beside it. They are written atomically just before the MP3 itself and found again by stem when
the feed is rebuilt. Before each rebuild, `follow_episodes` keeps them with their episode: renamed
with an MP3 renamed by hand, removed once the MP3 is deleted. It only touches files the previous
feed linked to as an episode's transcript or chapters, so a user's own files are never at risk.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from digest.publish import chapters as json_chapters
from digest.fsutil import write_atomic
from digest.publish.tags import Chapter, EpisodeFile
from digest.publish.transcripts import Cue, to_srt, to_text, to_webvtt

if TYPE_CHECKING:  # feed.py builds on this module
    from digest.publish.feed import ListedEpisode

log = logging.getLogger(__name__)

# kind -> (file suffix, MIME type used in the feed and by `digest serve`)
KINDS: dict[str, tuple[str, str]] = {
    "vtt": (".vtt", "text/vtt"),
    "srt": (".srt", "application/x-subrip"),
    "text": (".txt", "text/plain"),
    "chapters": (".chapters.json", json_chapters.MIME),
}


def sidecar_path(mp3_path: Path, kind: str) -> Path:
    return mp3_path.with_name(mp3_path.stem + KINDS[kind][0])


def build_sidecars(cues: list[Cue], paragraphs: list[str], chapters: list[Chapter],
                   stories: list[dict]) -> dict[str, bytes]:
    """The contents of every sidecar of one episode, by kind."""
    return {
        "vtt": to_webvtt(cues).encode("utf-8"),
        "srt": to_srt(cues).encode("utf-8"),
        "text": to_text(paragraphs).encode("utf-8"),
        "chapters": json_chapters.dumps(json_chapters.to_json_chapters(chapters, stories)),
    }


def write_sidecars(mp3_path: Path, contents: dict[str, bytes], recorded: str | None = None) -> None:
    """Write (or replace) each sidecar atomically, and drop kinds this episode no longer has.

    `recorded` is what the episode's previous tags say its sidecars were: a file at one of
    those names that does not match is a user's, and is neither replaced nor removed.
    """
    expected = _parse_fingerprints(recorded)
    for kind in KINDS:
        path = sidecar_path(mp3_path, kind)
        if path.is_file() and _is_foreign(path, kind, expected):
            log.warning("left %s alone: it is not %s's own %s file", path.name, mp3_path.name, kind)
            continue
        if kind in contents:
            write_atomic(path, contents[kind])
        else:
            path.unlink(missing_ok=True)


def fingerprint_sidecars(contents: dict[str, bytes]) -> str:
    """What the episode's tags record of its sidecars, to tell them from a user's same-named file."""
    return json.dumps({kind: hashlib.sha256(data).hexdigest()[:32] for kind, data in sorted(contents.items())})


def find_sidecars(mp3_path: Path, recorded: str | None = None) -> dict[str, Path]:
    """The sidecars present for an MP3, by kind.

    With the fingerprints `recorded` in the episode's tags, a file whose bytes differ is not the
    episode's (an MP3 renamed by hand onto the name of the user's own notes): it is left out,
    so the feed never links it and a later tidy-up never removes it.
    """
    expected = _parse_fingerprints(recorded)
    found = {}
    for kind in KINDS:
        path = sidecar_path(mp3_path, kind)
        if not path.is_file():
            continue
        if _is_foreign(path, kind, expected):
            log.warning("%s is not %s's own %s file; it is left out of the feed", path.name, mp3_path.name, kind)
            continue
        found[kind] = path
    return found


def _parse_fingerprints(recorded: str | None) -> dict[str, str]:
    try:
        parsed = json.loads(recorded) if recorded else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _is_foreign(path: Path, kind: str, expected: dict[str, str]) -> bool:
    """Whether the file at `path` differs from the `kind` sidecar the episode's tags recorded."""
    if kind not in expected:
        return False  # episodes made before fingerprints were recorded: trusted by name
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:32] != expected[kind]
    except OSError:
        return True


def missing_sidecars(mp3_path: Path) -> list[Path]:
    """The sidecars an episode should have and does not."""
    return [path for kind in KINDS if not (path := sidecar_path(mp3_path, kind)).is_file()]


@dataclass
class Tidied:
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # ours, left where they are (see follow_episodes)


def follow_episodes(folder: Path, listed: list[ListedEpisode], episodes: list[EpisodeFile]) -> Tidied:
    """Rename the sidecars of renamed MP3s to match and remove those of deleted ones.

    `listed` is what the previous feed listed and `episodes` what the folder holds now. An
    episode keeps its GUID (in its tags) under any file name, so its GUID under another name
    is a rename. Only files at an old name with no MP3 left are touched: a file there now may
    be a new episode whose sidecars were just written. Nothing is ever overwritten.
    """
    folder = Path(folder)
    homes: dict[str, list[Path]] = {}
    for episode in episodes:
        homes.setdefault(episode.tags.guid, []).append(episode.path)
    tidied = Tidied()
    for item in listed:
        old_mp3 = folder / item.mp3_name
        if old_mp3.suffix != ".mp3" or old_mp3.exists():
            continue
        ours = {kind: path for kind in KINDS
                if (path := sidecar_path(old_mp3, kind)).name in item.linked_names and path.is_file()}
        if not ours:
            continue
        new_homes = homes.get(item.guid, [])
        if len(new_homes) > 1:
            # Copies of one episode: which of them the files belong with is the user's call.
            tidied.kept.extend(ours.values())
            log.warning("left %s as they are: episode %s is now %s", _names(ours.values()), item.mp3_name,
                        _names(new_homes))
            continue
        for kind, path in ours.items():
            target = sidecar_path(new_homes[0], kind) if new_homes else None
            _follow(path, target, item.mp3_name, tidied)
    return tidied


def _follow(path: Path, target: Path | None, old_mp3_name: str, tidied: Tidied) -> None:
    """Move one sidecar to `target`, or remove it when its episode is gone (target None)."""
    try:
        if target is None:
            path.unlink()
            tidied.removed.append(path)
            log.warning("removed %s: its episode %s is gone", path.name, old_mp3_name)
        elif not target.exists():
            os.replace(path, target)
            tidied.moved.append((path, target))
            log.warning("renamed %s to %s: its episode %s was renamed", path.name, target.name, old_mp3_name)
        elif target.read_bytes() == path.read_bytes():
            path.unlink()
            tidied.removed.append(path)
            log.warning("removed %s: %s is the same file", path.name, target.name)
        else:
            tidied.kept.append(path)
            log.warning("left %s as it is: %s (its episode's new name) already exists", path.name, target.name)
    except OSError as error:
        tidied.kept.append(path)
        log.warning("could not tidy %s: %s", path.name, error.strerror or error)


def _names(paths) -> str:
    return ", ".join(path.name for path in paths)
