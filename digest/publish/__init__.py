"""Publishing: tags, outputs, pages, the feed and the folder they live in.

Its heavier libraries (mutagen, feedgen, lxml, Pillow) are imported where they are first used,
so that a run's settings are chosen and its speech started without waiting for them;
`preload` loads them on a thread while the speech is made.
"""

from __future__ import annotations

import importlib
import logging
import threading

log = logging.getLogger(__name__)

# What every published episode needs: its tags written and read back, the feed built and the
# old one read. Pillow is left to the cover's own thread, and only a cover not drawn before needs it.
_DEFERRED = ("mutagen.id3", "mutagen.mp3", "feedgen.feed", "digest.publish.feed_ext", "digest.publish.feedxml")


def preload() -> None:
    """Import publishing's deferred libraries on a thread of their own (about 0.05 s), for a run
    that will publish and is about to wait on speech; whatever fails here fails again, and is
    reported, where it is used."""

    def load() -> None:
        for name in _DEFERRED:
            try:
                importlib.import_module(name)
            except Exception as error:  # reported where it is used
                log.debug("could not preload %s: %s", name, error)
                return

    threading.Thread(target=load, name="preload-publishing", daemon=True).start()
