"""Utterances -> normalised clips in the cache, synthesized concurrently.

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

from pydub import AudioSegment

from digest.errors import EngineError
from digest.models import Clip, Voice
from digest.script.utterances import Utterance
from digest.speech.cache import ClipCache, clip_key
from digest.speech.engines.base import Engine

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class ClipRecipe:
    """How an engine's clip becomes the PCM clip the sound stage joins (decoded, edges trimmed).

    The sound stage supplies it (digest.sound.clips.RECIPE); its `name` is part of every cache
    key, so clips normalised another way are never reused.
    """

    name: str
    normalize: Callable[[Clip], AudioSegment]
    # Loads what normalizing clips of a format (an Engine.clip_format) needs, so that it can be
    # done while the first clips are being made.
    prepare: Callable[[str], None] | None = None


@dataclass
class SynthReport:
    utterances: int = 0
    unique_clips: int = 0
    cache_hits: int = 0
    synthesized: int = 0
    keys: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # key -> the text spoken for it


class Arrivals:
    """The clips of a synthesis as they land in the cache, for a reader that takes them in
    script order while later ones are still being made (digest.sound.join).

    `synthesize_all` tells it the keys and the clips already cached when it starts, each clip
    as it is cached, and when it ends, either way. A fall-back to another engine starts a new
    round: other keys, so whatever the reader took from the old round is void.
    """

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.round = 0  # 0 until synthesis starts
        self.keys: list[str] = []  # in script order
        self.texts: dict[str, str] = {}  # key -> the text spoken for it
        self.ready: set[str] = set()
        self.synthesizing = False  # this round had clips to make, beyond those the cache held
        self.over = False

    def start(self, keys: list[str], texts: dict[str, str], ready: set[str]) -> None:
        with self.changed:
            self.round += 1
            self.keys, self.texts, self.ready = list(keys), dict(texts), set(ready)
            self.synthesizing = not self.ready.issuperset(keys)
            self.changed.notify_all()

    def arrived(self, key: str) -> None:
        with self.changed:
            self.ready.add(key)
            self.changed.notify_all()

    def end(self) -> None:
        with self.changed:
            self.over = True
            self.changed.notify_all()


def synthesize_all(
    utterances: list[Utterance],
    engine: Engine,
    voice: Voice,
    cache: ClipCache,
    *,
    recipe: ClipRecipe,
    jobs: int,
    progress: Callable[[int, int, int], None] | None = None,
    arrivals: Arrivals | None = None,
) -> SynthReport:
    """Make sure every utterance has a clip in `cache`; report the keys in script order.

    `progress(cached, made, total)` is called once the cache is looked in, then as each unique
    clip is made; cached and made clips are told apart so that a resumed run's rate counts
    only the work done now. After a fall-back the count starts again with the new engine.
    `arrivals`, when given, hears of each clip as it is cached (see Arrivals).
    """
    try:
        return _synthesize_all(utterances, engine, voice, cache, recipe, jobs, progress, arrivals or Arrivals())
    finally:
        if arrivals is not None:
            arrivals.end()


def _synthesize_all(utterances: list[Utterance], engine: Engine, voice: Voice, cache: ClipCache,
                    recipe: ClipRecipe, jobs: int, progress: Callable[[int, int, int], None] | None,
                    arrivals: Arrivals) -> SynthReport:
    report = SynthReport(utterances=len(utterances))
    lock = threading.Lock()

    def made(key: str, text: str, clip: Clip) -> None:
        segment = recipe.normalize(clip)
        if len(segment) == 0:
            raise EngineError(f"{engine.name} produced only silence for {text[:50]!r}")
        cache.put(key, segment)
        arrivals.arrived(key)
        with lock:
            report.synthesized += 1
            if progress:
                progress(report.cache_hits, report.synthesized, report.unique_clips)

    while True:
        identity = engine.identity(voice)
        # Recomputed after a fall-back too: the engine now speaking may read phonemes.
        spoken = [u.text_for(engine.reads_phonemes) for u in utterances]
        keys = [clip_key(identity, text, recipe.name) for text in spoken]
        texts = dict(zip(keys, spoken))
        # Claimed before the lookups, so a concurrent run's prune keeps what this run found.
        cache.claim(keys)
        missing = {key: text for key, text in texts.items() if cache.get(key) is None}
        report.keys = keys
        report.texts = texts
        report.unique_clips = len(texts)
        report.cache_hits = len(texts) - len(missing)
        report.synthesized = 0
        if progress:
            progress(report.cache_hits, 0, report.unique_clips)
        arrivals.start(keys, texts, set(texts) - set(missing))
        try:
            _prepare_decoding(recipe, engine, missing)
            _run(missing, engine, voice, jobs, made)
        except EngineError as error:
            # auto: whatever made Google fail for good, the rest is spoken offline.
            if engine.can_fall_back():
                engine.fall_back(error.cause or str(error))
                continue
            raise
        return report


def load_clip(key: str, text: str, engine: Engine, voice: Voice, cache: ClipCache, *,
              recipe: ClipRecipe) -> AudioSegment:
    """The clip `synthesize_all` made sure of (`text` spoken); spoken again if it vanished from
    the cache since (a `digest cache clear`, a file removed by hand), rather than failing the run."""
    segment = cache.get(key)
    if segment is not None:
        return segment
    log.warning("the clip for %r vanished from the cache; synthesizing it again", text[:50])
    segment = recipe.normalize(engine.synthesize(text, voice))
    if len(segment) == 0:
        raise EngineError(f"{engine.name} produced only silence for {text[:50]!r}")
    cache.put(key, segment)
    return segment


def _prepare_decoding(recipe: ClipRecipe, engine: Engine, missing: dict[str, str]) -> None:
    # The first clips wait on the network (or on Piper's model) anyway: that is when the decoder
    # loads best, instead of holding every worker up when the first clip arrives.
    if not (missing and recipe.prepare is not None and engine.clip_format):
        return

    def prepare() -> None:
        try:
            recipe.prepare(engine.clip_format)
        except Exception as error:  # the first clip's decoding meets it again and reports it
            log.debug("could not prepare decoding %s clips: %s", engine.clip_format, error)

    threading.Thread(target=prepare, name="prepare-decoding", daemon=True).start()


def _run(missing: dict[str, str], engine: Engine, voice: Voice, jobs: int,
         made: Callable[[str, str, Clip], None]) -> None:
    """Synthesize `missing` (key -> text), `jobs` at a time, giving each clip to `made`.

    The clips are decoded and cached (`made`) on one thread of their own, so that a worker sends
    its next request as soon as its answer is in, never waiting on decoding (nor on the
    decoder's first loading).
    """
    items = list(missing.items())
    if not items:
        return
    decoding = ThreadPoolExecutor(max_workers=1, thread_name_prefix="decode")
    decoded: list[Future] = []
    failed = threading.Event()  # a clip could not be decoded: no more requests

    def job(key: str, text: str) -> None:
        if failed.is_set():
            return
        clip = engine.synthesize(text, voice)
        decoded.append(decoding.submit(_or_flag, failed, made, key, text, clip))

    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="synth")
    try:
        # An engine that has not yet shown it can answer gets one request alone first, so a dead
        # network costs one quick failure instead of `jobs` slow ones.
        if engine.can_fall_back():
            job(*items[0])
            decoded[0].result()
            items = items[1:]
        futures: list[Future] = [pool.submit(job, key, text) for key, text in items]
        wait(futures, return_when=FIRST_EXCEPTION)
    except KeyboardInterrupt:
        # Ctrl-C: drop queued clips and do not wait for requests in flight.
        pool.shutdown(wait=False, cancel_futures=True)
        decoding.shutdown(wait=False, cancel_futures=True)
        raise
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        decoding.shutdown(wait=True)
        raise
    # On a failure, queued clips are dropped but clips already being made are finished and
    # cached, so that the next run resumes with them.
    pool.shutdown(wait=True, cancel_futures=True)
    decoding.shutdown(wait=True)
    failure = next((f.exception() for f in [*futures, *decoded]
                    if f.done() and not f.cancelled() and f.exception() is not None), None)
    if failure is not None:
        raise failure


def _or_flag(failed: threading.Event, made: Callable[[str, str, Clip], None], key: str, text: str,
             clip: Clip) -> None:
    try:
        made(key, text, clip)
    except BaseException:
        failed.set()
        raise
