"""Files that travel with an episode MP3: transcripts and chapters, named by the MP3's stem.

`2026-11-25-harbour.mp3` has `2026-11-25-harbour.vtt`, `.srt`, `.txt` and `.chapters.json`
beside it. They are written atomically just before the MP3 itself, found again by stem when
the feed is rebuilt, and removed by the feed rebuild once their MP3 is gone.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from . import chapters as json_chapters
from .fsutil import write_atomic
from .tags import Chapter
from .transcripts import Cue, to_srt, to_text, to_webvtt

log = logging.getLogger(__name__)

# kind -> (file suffix, MIME type used in the feed and by `digest serve`)
KINDS: dict[str, tuple[str, str]] = {
    "vtt": (".vtt", "text/vtt"),
    "srt": (".srt", "application/x-subrip"),
    "text": (".txt", "text/plain"),
    "chapters": (".chapters.json", json_chapters.MIME),
}
# Episode files are named <date>-<slug>[-N].mp3; only sidecars of that shape are ever pruned,
# so a user's own notes.txt in the folder is left alone.
_EPISODE_STEM = re.compile(r"^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$")


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


def write_sidecars(mp3_path: Path, contents: dict[str, bytes]) -> None:
    """Write (or replace) each sidecar atomically, and drop kinds this episode no longer has."""
    for kind in KINDS:
        path = sidecar_path(mp3_path, kind)
        if kind in contents:
            write_atomic(path, contents[kind])
        else:
            path.unlink(missing_ok=True)


def find_sidecars(mp3_path: Path) -> dict[str, Path]:
    """The sidecars present for an MP3, by kind."""
    return {kind: path for kind in KINDS if (path := sidecar_path(mp3_path, kind)).is_file()}


def _stem_of(path: Path) -> str | None:
    for suffix, _ in KINDS.values():
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return None


def prune_orphans(folder: Path) -> list[Path]:
    """Remove sidecars whose episode MP3 was deleted or renamed; returns what was removed."""
    removed = []
    for path in sorted(Path(folder).iterdir()):
        stem = _stem_of(path)
        if stem is None or not path.is_file() or not _EPISODE_STEM.match(stem):
            continue
        if not (path.parent / f"{stem}.mp3").exists():
            path.unlink(missing_ok=True)
            removed.append(path)
            log.info("removed %s: its episode %s.mp3 is gone", path.name, stem)
    return removed
