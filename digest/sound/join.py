"""Clips joined into the episode's spool in script order while synthesis is still going on.

Synthesis makes clips several at a time and in any order. The joiner, on a thread of its own,
adds each clip to the spool (digest.sound.stitch.Spool) as soon as it and every clip before it
are in the cache, tallying spans and level on the way and feeding the live master
(digest.sound.live), so that once the last clip is made little more than the end of the
encoding is left. It joins only while clips are being made: when the cache held them all, the episode may well be up to date, and `finish` joins them only if the
caller still wants the episode. A fall-back to another engine (new keys) starts the spool over.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

from digest.sound.stitch import Gap, Spool
from digest.speech.synth import Arrivals

if TYPE_CHECKING:
    from pydub import AudioSegment

# (key, text spoken for it) -> the clip from the cache (digest.speech.synth.load_clip)
Fetch = Callable[[str, str], "AudioSegment"]


class Joiner:
    """Give `arrivals` to synthesis; `finish` returns the spool with every clip joined."""

    def __init__(self, gaps: list[Gap], fetch: Fetch, speed: float = 1.0, master_alongside: bool = True,
                 encode_on_guess: bool = True) -> None:
        self.arrivals = Arrivals()
        self.spool = Spool(speed if master_alongside else None, encode_on_guess)
        self._gaps = gaps
        self._fetch = fetch
        self._round = 0  # the round of synthesis whose clips the spool holds
        self._keys: list[str] = []
        self._texts: dict[str, str] = {}
        self._stopped = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="join", daemon=True)
        self._thread.start()

    def finish(self, keys: list[str], step: Callable[..., None]) -> Spool:
        """Once synthesis has returned `keys`: the spool, with the clips not yet joined added (`step`
        hears "joining", done, total)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._keys != keys:  # synthesis never told of these keys: join them all here
            self.spool.clear()
            self._keys, self._texts = list(keys), dict(self.arrivals.texts)
        total = len(keys)
        for done in range(self.spool.clips, total):
            step("joining", done, total)
            self._add(done)
        step("joining", total, total)
        return self.spool

    def close(self) -> None:
        with self.arrivals.changed:
            self._stopped = True
            self.arrivals.changed.notify_all()
        self._thread.join()
        self.spool.close()

    def _add(self, index: int) -> None:
        key = self._keys[index]
        self.spool.add(self._fetch(key, self._texts[key]), self._gaps[index])

    def _run(self) -> None:
        try:
            while (index := self._next()) is not None:
                self._add(index)
        except BaseException as error:  # given to the caller by finish
            self._error = error

    def _next(self) -> int | None:
        """The index of the next clip to join, once it is in the cache; None when joining is over
        for this thread (synthesis returned, or the joiner was closed)."""
        arrivals = self.arrivals
        with arrivals.changed:
            while True:
                if self._stopped or arrivals.over:
                    return None
                if arrivals.round != self._round:
                    self._round, self._keys, self._texts = arrivals.round, arrivals.keys, arrivals.texts
                    self.spool.clear()
                    if arrivals.synthesizing:
                        self.spool.expect_clips()
                index = self.spool.clips
                if arrivals.synthesizing and index < len(self._keys) and self._keys[index] in arrivals.ready:
                    return index
                arrivals.changed.wait()


@contextmanager
def joining(gaps: list[Gap], fetch: Fetch, speed: float = 1.0, master_alongside: bool = True,
            encode_on_guess: bool = True) -> Iterator[Joiner]:
    """A joiner for the clips followed by `gaps`, for an episode at `speed`, stopped and its spool
    removed on the way out. `master_alongside=False` leaves mastering until the last clip is in
    (digest.sound.live), for an engine that keeps the cores busy itself; `encode_on_guess=False`
    masters alongside but does not start encoding before the plan is known, for an engine that
    keeps them busy when it is the only job."""
    joiner = Joiner(gaps, fetch, speed, master_alongside, encode_on_guess)
    try:
        yield joiner
    finally:
        joiner.close()
