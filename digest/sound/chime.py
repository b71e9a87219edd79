"""A short two-note chime between stories, synthesized here (no third-party audio)."""

from __future__ import annotations

import functools
import math
from array import array

from pydub import AudioSegment

from digest.models import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH

# A rising major sixth (E5 then C#6) with a soft octave partial, like a station ident.
NOTES_HZ = (659.26, 1108.73)
NOTE_MS = 260
NOTE_GAP_MS = 90
PEAK_DBFS = -6.0
# Silence around the chime, so that it sits between stories rather than on the speech.
LEAD_MS = 450
TAIL_MS = 650


def _note(frequency: float, milliseconds: int) -> list[float]:
    count = SAMPLE_RATE * milliseconds // 1000
    attack = SAMPLE_RATE * 8 // 1000  # a soft onset avoids a click
    samples = []
    for index in range(count):
        t = index / SAMPLE_RATE
        envelope = min(1.0, index / attack) * math.exp(-5.0 * t / (milliseconds / 1000))
        tone = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(4 * math.pi * frequency * t)
        samples.append(envelope * tone)
    return samples


@functools.lru_cache(maxsize=1)
def chime() -> AudioSegment:
    """The chime itself, in the common PCM format, with no silence around it."""
    samples = _note(NOTES_HZ[0], NOTE_MS) + [0.0] * (SAMPLE_RATE * NOTE_GAP_MS // 1000) + _note(NOTES_HZ[1], NOTE_MS)
    scale = 10 ** (PEAK_DBFS / 20) * 32767 / max(abs(s) for s in samples)
    pcm = array("h", (round(s * scale) for s in samples))
    return AudioSegment(data=pcm.tobytes(), sample_width=SAMPLE_WIDTH, frame_rate=SAMPLE_RATE, channels=CHANNELS)


def chime_gap() -> AudioSegment:
    """What goes between two stories when the chime is on: a pause, the chime, a pause."""
    silence = AudioSegment.silent
    return (silence(LEAD_MS, frame_rate=SAMPLE_RATE) + chime() + silence(TAIL_MS, frame_rate=SAMPLE_RATE))


def gap_after(utterance, chime_between_stories: bool):
    """The gap that follows `utterance` (a synth.Utterance) in the episode: its designed pause,
    or the chime gap where a story begins and the chime is wanted."""
    if chime_between_stories and utterance.story_follows:
        return chime_gap()
    return utterance.pause_after_ms
