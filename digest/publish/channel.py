"""The podcast as a whole: settings from digest.toml, the cover, and publishing the feed.

`plan_channel` only reads and checks (so bad input fails before any audio is made);
`publish` writes: it remembers the settings, puts the cover in the folder, moves or removes
the transcripts and chapters of episodes renamed or deleted by hand (through the folder's
Library), and rebuilds feed.xml.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path, PurePath

from digest.errors import InputError, OutputError
from digest.fsutil import read_regular, write_atomic
from digest.limits import MAX_COVER_BYTES
from digest.publish.cover import DEFAULT_COVER_NAME, embedded_jpeg_remembered, read_cover, reusable_default_cover
from digest.publish.folderlock import folder_lock
from digest.publish.library import Library
from digest.publish.settings import FeedSettings, load_settings, remember, with_overrides

log = logging.getLogger(__name__)

CUSTOM_COVER_STEM = "cover"


@dataclass(frozen=True)
class Channel:
    settings: FeedSettings
    # The full-size cover image, JPEG or PNG; a default cover still being drawn is a Future.
    cover_image: bytes | Future
    cover_name: str  # its file name in the folder
    cover_is_new: bool  # came from --cover: to be copied into the folder on publish

    @property
    def cover(self) -> bytes:
        return self.cover_image.result() if isinstance(self.cover_image, Future) else self.cover_image

    @property
    def embedded_cover(self) -> bytes:
        return embedded_jpeg_remembered(self.cover)


def _cover_in_folder(folder: Path, name: str) -> Path:
    # The cover is served from the folder, so it has to live there.
    if not name or PurePath(name).name != name or name.startswith("."):
        raise InputError(f"digest.toml: cover {name!r} must be the name of an image file in {folder}")
    return folder / name


def plan_channel(folder: Path, programme: str | None = None, cover: Path | None = None) -> Channel:
    """The channel as it will be published, checked, without writing anything."""
    folder = Path(folder)
    settings = with_overrides(load_settings(folder), title=programme)
    if cover is not None:
        data, info = read_cover(cover)
        return Channel(settings, data, CUSTOM_COVER_STEM + info.suffix, cover_is_new=True)
    if settings.cover:
        data, _ = read_cover(_cover_in_folder(folder, settings.cover), follow_links=False)
        return Channel(settings, data, settings.cover, cover_is_new=False)
    return Channel(settings, _drawn_aside(folder / DEFAULT_COVER_NAME, settings.title), DEFAULT_COVER_NAME,
                   cover_is_new=False)


def _drawn_aside(path: Path, title: str) -> Future:
    """The default cover, drawn on a thread of its own: a new folder's first episode would
    otherwise wait a tenth of a second for it before any speech is made, though it is needed
    only once the audio is done."""
    drawn: Future = Future()

    def draw() -> None:
        try:
            drawn.set_result(reusable_default_cover(path, title))
        except BaseException as error:  # given to whoever asks for the cover
            drawn.set_exception(error)

    threading.Thread(target=draw, name="cover", daemon=True).start()
    return drawn


def _write_if_changed(path: Path, data: bytes) -> None:
    # Podcast apps cache artwork; rewriting identical bytes would only churn the file's date.
    try:
        if read_regular(path, MAX_COVER_BYTES, "cover") == data:
            return
    except (OSError, OutputError):
        pass
    write_atomic(path, data)


def publish(folder: Path, channel: Channel, seed: dict | None = None, transient: dict | None = None,
            library: Library | None = None, **overrides) -> tuple[Path, FeedSettings]:
    """Save the settings, place the cover, tidy outputs and rebuild feed.xml.

    `overrides` are remembered in digest.toml; `transient` ones (a server on a port picked
    at random) only shape this build of the feed. `library` is the folder's episodes when
    the caller has listed them (under this same lock); otherwise they are listed here.
    """
    folder = Path(folder)
    with folder_lock(folder):
        chosen = {"title": channel.settings.title}
        if channel.cover_is_new:
            chosen["cover"] = channel.cover_name
        settings = remember(folder, seed=seed, **chosen, **overrides)
        settings = with_overrides(settings, **(transient or {}))
        _write_if_changed(folder / channel.cover_name, channel.cover)
        library = library or Library.open(folder)
        library.tidy()
        return library.write_feed(settings, channel.cover_name), settings
