"""The small interface every speech engine implements."""

from __future__ import annotations

from typing import Protocol

from digest.models import Clip, Voice


class Engine(Protocol):
    name: str
    # Longest utterance accepted in one call; the chunker keeps every utterance within it.
    max_chars: int
    # How many utterances may be synthesized at once by default.
    default_jobs: int

    def check(self, voice: Voice) -> None:
        """Raise InputError when this engine cannot speak with `voice` (language, model file)."""

    def identity(self, voice: Voice) -> str:
        """A string that changes whenever the audio for the same text would change."""

    def synthesize(self, text: str, voice: Voice) -> Clip:
        """Speak one utterance. Raise EngineError when it finally fails."""
