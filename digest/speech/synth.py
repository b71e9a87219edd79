"""Script -> utterances -> normalised clips in the cache, synthesized concurrently.

Clips land in a ClipCache (the user's, or a throwaway one with --no-cache), never all in
memory at once, so a long digest costs one clip of RAM per worker. Identical utterances
("Next story.") are synthesized once.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable

from digest.sound.clips import normalize_clip
from digest.speech.cache import ClipCache, clip_key
from digest.script.chunk import chunk_text
from digest.errors import EngineError
from digest.models import Script, Voice

log = logging.getLogger(__name__)

# Designed pauses (ms) after an utterance, by where it sits in the script. Engine silence is
# trimmed from every clip first, so these are the only gaps a listener hears between clips.
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


@dataclass
class SynthReport:
    utterances: int = 0
    unique_clips: int = 0
    cache_hits: int = 0
    synthesized: int = 0
    keys: list[str] = field(default_factory=list)


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
            planned.append(Utterance(chunk.text, index, pause, story_follows=last and _starts_story(script, index)))
    return planned


def synthesize_all(
    utterances: list[Utterance],
    engine,
    voice: Voice,
    cache: ClipCache,
    *,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> SynthReport:
    """Make sure every utterance has a clip in `cache`; report the keys in script order.

    `progress(done, total)` is called as unique clips become available.
    """
    report = SynthReport(utterances=len(utterances))
    lock = threading.Lock()
    done = 0

    def job(key: str, text: str) -> None:
        nonlocal done
        segment = normalize_clip(engine.synthesize(text, voice))
        if len(segment) == 0:
            raise EngineError(f"{engine.name} produced only silence for {text[:50]!r}")
        cache.put(key, segment)
        with lock:
            report.synthesized += 1
            done += 1
            if progress:
                progress(done, report.unique_clips)

    while True:
        identity = engine.identity(voice)
        keys = [clip_key(identity, u.text) for u in utterances]
        texts = dict(zip(keys, (u.text for u in utterances)))
        missing = {key: text for key, text in texts.items() if cache.get(key) is None}
        report.keys = keys
        report.unique_clips = len(texts)
        report.cache_hits = len(texts) - len(missing)
        done = report.cache_hits
        if progress:
            progress(done, report.unique_clips)
        try:
            _run(job, missing, engine, jobs)
        except EngineError as error:
            # auto: whatever made Google fail for good, the rest is spoken offline.
            if _can_fall_back(engine):
                engine.fall_back(getattr(error, "cause", None) or str(error))
                continue
            raise
        return report


def _can_fall_back(engine) -> bool:
    return getattr(engine, "can_fall_back", lambda: False)()


def _run(job, missing: dict[str, str], engine, jobs: int) -> None:
    items = list(missing.items())
    if not items:
        return
    # An engine that has not yet shown it can answer gets one request alone first, so a dead
    # network costs one quick failure instead of `jobs` slow ones.
    if _can_fall_back(engine):
        job(*items[0])
        items = items[1:]
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="synth")
    futures: list[Future] = [pool.submit(job, key, text) for key, text in items]
    try:
        finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
    except KeyboardInterrupt:
        # Ctrl-C: drop queued clips and do not wait for requests in flight.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # On a failure, queued clips are dropped but clips already being made are finished and
    # cached, so that the next run resumes with them.
    pool.shutdown(wait=True, cancel_futures=True)
    failed = next((f for f in futures if f.done() and not f.cancelled() and f.exception() is not None), None)
    if failed is not None:
        raise failed.exception()
