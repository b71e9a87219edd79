"""`auto`: Google's voices when Google answers, otherwise the offline Piper voice.

An engine composed of two others, through the same contract as any engine: it takes both
engines' options, counts Google's requests, and can fall back. The switch happens once, on
the first request that finds Google unreachable, so that an episode is not a patchwork of two
voices; `fallback_reason` records why for the summary and the tags.
"""

from __future__ import annotations

import logging

from digest.errors import InputError
from digest.models import Clip, Voice
from digest.speech.engines.base import Engine
from digest.speech.engines.gtts_engine import QUICK_PROBE, GttsEngine
from digest.speech.engines.piper_engine import PiperEngine

log = logging.getLogger(__name__)


class AutoEngine(Engine):
    description = "gtts when Google answers, otherwise piper with a warning (default)"
    name = "auto"
    max_chars = min(GttsEngine.max_chars, PiperEngine.max_chars)
    clip_format = GttsEngine.clip_format  # Piper's clips come only after a fall-back
    words_per_minute = GttsEngine.words_per_minute  # the one it means to use
    options = (*GttsEngine.options, *PiperEngine.options)

    def __init__(self) -> None:
        # Not Engine.__init__: requests and retries are the online engine's, read through below.
        self.fallback_reason = None
        self.online = GttsEngine()
        self.offline = PiperEngine()
        self.active = self.online
        self._probed = False
        self._offline_problem: str | None = None

    def languages(self) -> dict[str, str]:
        return self.online.languages()

    @property
    def reads_phonemes(self) -> bool:
        return self.active.reads_phonemes

    @property
    def default_jobs(self) -> int:
        return self.active.default_jobs

    @property
    def cpu_bound(self) -> bool:
        return self.active.cpu_bound

    @property
    def requests(self) -> int:
        return self.online.requests

    @property
    def retries(self) -> int:
        return self.online.retries

    def limit_retries(self, seconds: float) -> None:
        self.online.limit_retries(seconds)

    def check_option(self, name: str, value) -> str | None:
        return self.online.check_option(name, value) or self.offline.check_option(name, value)

    def check(self, voice: Voice) -> None:
        self.online.check(voice)
        try:
            self.offline.check(voice)
        except InputError as error:
            if voice.options.get("voice"):
                raise  # a voice the user named must exist, whether or not Google answers
            # The bundled voice is only needed if Google does not answer.
            self._offline_problem = str(error)
        else:
            self._offline_problem = None

    def identity(self, voice: Voice) -> str:
        return self.active.identity(voice)

    def can_fall_back(self) -> bool:
        return self.active is self.online

    def speakers(self) -> list[Engine]:
        return [self.online, self.offline]

    def fall_back(self, reason: str) -> None:
        if self._offline_problem:
            raise InputError(f"Google is unreachable ({reason}) and the offline voice cannot be used: {self._offline_problem}")
        log.warning("using the offline Piper voice instead of Google TTS (%s)", reason)
        self.active = self.offline
        self.fallback_reason = reason

    def synthesize(self, text: str, voice: Voice) -> Clip:
        if self.active is self.online:
            # The first request doubles as the probe: fail over fast instead of retrying for minutes.
            # GoogleUnavailable propagates: the synthesis stage decides to call fall_back().
            policy = None if self._probed else QUICK_PROBE
            clip = self.online.synthesize(text, voice, policy=policy)
            self._probed = True
            return clip
        return self.offline.synthesize(text, voice)

    @property
    def used(self) -> str:
        return self.active.name

    def counters(self) -> dict[str, dict[str, int]]:
        # Google was asked (at least the probe); Piper only counts once it took over.
        offline = self.offline.counters() if self.active is self.offline else {}
        return {**self.online.counters(), **offline}
