"""Script -> utterances: each segment chunked to the engine's limit, with the pause after each.

The pauses are designed: engine silence is trimmed from every clip, so these are the only gaps
a listener hears between clips.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.models import Script
from digest.script.chunk import chunk_text
from digest.script.lexicon import phonemize

# Designed pauses (ms) after an utterance, by where it sits in the script.
PAUSE_PHRASE = 60  # a long sentence split where there is no punctuation: keep it flowing
PAUSE_CLAUSE = 150
PAUSE_SENTENCE = 400
PAUSE_PARAGRAPH = 800
PAUSE_AFTER_HEADING = 700
PAUSE_SECTION = 1300


@dataclass(frozen=True)
class Utterance:
    text: str
    segment_index: int
    pause_after_ms: int
    story_follows: bool = False  # the next utterance starts a story (where a chime may go)
    # The text with the dictionary's Piper phonemes as `[[ ... ]]`, for an engine that reads them.
    phonemized: str | None = None

    def text_for(self, reads_phonemes: bool) -> str:
        """What an engine is given: the phonemized text if it reads phonemes and there are any."""
        return self.phonemized if reads_phonemes and self.phonemized else self.text


def _segment_pause(script: Script, index: int) -> int:
    segments = script.segments
    if index == len(segments) - 1:
        return 0
    current, following = segments[index], segments[index + 1]
    if current.chapter != following.chapter or current.kind in ("intro", "transition"):
        return PAUSE_SECTION
    if current.kind == "title":
        return PAUSE_AFTER_HEADING
    return PAUSE_PARAGRAPH


def _starts_story(script: Script, index: int) -> bool:
    """Whether the segment after `index` opens a story (not the outro)."""
    segments = script.segments
    if index + 1 >= len(segments):
        return False
    current, following = segments[index], segments[index + 1]
    return following.chapter != current.chapter and following.kind in ("title", "paragraph")


def plan_utterances(script: Script, max_chars: int) -> list[Utterance]:
    planned: list[Utterance] = []
    for index, segment in enumerate(script.segments):
        chunks = chunk_text(segment.text, max_chars, script.lang)
        for position, chunk in enumerate(chunks):
            last = position == len(chunks) - 1
            if last:
                pause = _segment_pause(script, index)
            elif chunk.ends_sentence:
                pause = PAUSE_SENTENCE
            else:
                pause = PAUSE_CLAUSE if chunk.ends_clause else PAUSE_PHRASE
            planned.append(Utterance(chunk.text, index, pause, story_follows=last and _starts_story(script, index),
                                     phonemized=phonemize(chunk.text, script.phonemes)))
    return planned
