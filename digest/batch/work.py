"""A worker's job: one planned episode in, one finished MP3 in the staging folder out.

Runs in a worker process (a local one, or a Dask worker on any machine). It synthesizes the
clips, stitches, masters and tags the MP3, and builds the episode's outputs (transcripts,
chapters), but names and places nothing: the client does that, under the folder lock. Engines
are kept per process, so a Piper voice is loaded once per process, not once per article.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ContextManager, Iterator

from digest.fsutil import new_partial
from digest.make import Timer, assemble
from digest.models import Script, Voice
from digest.publish.identity import episode_fingerprint
from digest.publish.tags import EpisodeTags
from digest.script.utterances import Utterance
from digest.sound.chime import gap_after
from digest.sound.clips import RECIPE
from digest.sound.ffmpeg import configure_pydub, use_setting
from digest.sound.join import joining
from digest.speech.cache import ClipCache, default_cache_dir
from digest.speech.engines import get_engine
from digest.speech.engines.base import Engine
from digest.speech.synth import load_clip, synthesize_all

log = logging.getLogger(__name__)

# What holds one of the cluster-wide gTTS slots: a multiprocessing or Dask semaphore, used as
# a context manager. Set per process (local mode) or passed with each task (Dask).
Limiter = ContextManager


@dataclass(frozen=True)
class ArticleJob:
    """Everything a worker needs for one episode; the client planned the words and the tags."""

    index: int
    script: Script
    utterances: list[Utterance]
    tags: EpisodeTags  # the planned tags; the engine actually used is filled in by the worker
    staging: Path  # hidden folder inside the output folder, where the finished MP3 is left
    engine: str
    voice: Voice
    speed: float = 1.0
    chime: bool = False
    jobs: int | None = None
    retry_seconds: float = 90.0
    cache_dir: Path | None = None  # None: the worker's own user cache folder
    use_cache: bool = True
    ffmpeg: str | None = None  # the output folder's ffmpeg setting


def worker_name() -> str:
    """This worker process, as a batch's outcomes name it: host and process id."""
    return f"{os.uname().nodename}:{os.getpid()}"


@dataclass
class ArticleDone:
    """A finished episode, not yet placed: its MP3 in the staging folder (or its bytes, when the
    worker cannot see that folder) and the outputs to write beside it."""

    index: int
    staged: str | None
    mp3: bytes | None
    outputs: dict[str, bytes]
    duration: float
    engine: str
    fallback_reason: str | None
    requests: int
    retries: int
    clips: int
    cache_hits: int
    seconds: float
    peak_mb: float = 0.0  # the worker process's peak resident memory so far
    worker: str = field(default_factory=worker_name)


_engines: dict[str, Engine] = {}
_engines_guard = threading.Lock()
_ffmpeg_setting: list[str | None] = []
_process_limiter: Limiter | None = None


def set_process_limiter(limiter: Limiter | None) -> None:
    """The gTTS limit for every job of this process (local mode's pool initializer)."""
    global _process_limiter
    _process_limiter = limiter


def _engine(job: ArticleJob) -> Engine:
    with _engines_guard:
        engine = _engines.get(job.engine)
        if engine is None:
            engine = get_engine(job.engine)
            engine.check(job.voice)
            _engines[job.engine] = engine
    engine.limit_retries(job.retry_seconds)
    return engine


def _choose_ffmpeg(setting: str | None) -> None:
    if _ffmpeg_setting != [setting]:
        use_setting(setting, "the output folder's ffmpeg setting")
        configure_pydub()
        _ffmpeg_setting[:] = [setting]


def _bound(limiter: Limiter | None) -> Limiter | None:
    """The limiter, ready for the synthesis threads.

    A Dask semaphore arrives with a task unbound and finds its worker's scheduler and event
    loop on first use, through the worker's thread-local state: from one of the synthesis
    threads it finds neither and fails ('NoneType' object has no attribute 'asyncio_loop').
    Reading them here, in the task's own thread, binds it.
    """
    if limiter is not None and type(limiter).__module__.startswith("distributed."):
        limiter.scheduler, limiter.loop  # noqa: B018 (properties that bind on first read)
    return limiter


def _limit_google(engine: Engine, limiter: Limiter | None):
    """The engine's synthesize, holding a cluster-wide slot around each request to Google."""
    speak = type(engine).synthesize.__get__(engine)
    limiter = _bound(limiter)
    if limiter is None:
        return speak

    def limited(text: str, voice: Voice):
        if engine.used != "gtts":
            return speak(text, voice)  # Piper (or auto after its fall-back) is not rationed
        with limiter:
            return speak(text, voice)

    return limited


def make_episode(job: ArticleJob, limiter: Limiter | None = None) -> ArticleDone:
    """Synthesize, stitch and tag one episode into the staging folder."""
    start = time.perf_counter()
    _choose_ffmpeg(job.ffmpeg)
    engine = _engine(job)
    engine.synthesize = _limit_google(engine, limiter or _process_limiter)
    before = engine.requests, engine.retries
    timer = Timer()
    with _clip_cache(job) as cache, joining(
            [gap_after(u, job.chime) for u in job.utterances],
            lambda key, text: load_clip(key, text, engine, job.voice, cache, recipe=RECIPE), job.speed,
            # A worker per core already keeps them busy with Piper: mastering alongside would compete.
            master_alongside=not engine.cpu_bound) as joiner:
        # The clips are joined as they come, so that after the last one only mastering is left.
        report = synthesize_all(job.utterances, engine, job.voice, cache, recipe=RECIPE,
                                jobs=job.jobs or engine.default_jobs, arrivals=joiner.arrivals)
        tags = replace(job.tags, engine=engine.used, extra=dict(job.tags.extra), chapters=[])
        if engine.fallback_reason:
            tags.extra["FALLBACK"] = engine.fallback_reason
        tags.extra["FINGERPRINT"] = episode_fingerprint(report.keys, [u.pause_after_ms for u in job.utterances],
                                                        job.speed, job.chime, tags)
        with _staged(job.staging) as (path, keep):
            duration, outputs = assemble(path, job.script, job.utterances, report.keys, joiner, tags, job.speed,
                                         timer)
            staged, mp3 = keep()
    return ArticleDone(
        index=job.index, staged=staged, mp3=mp3, outputs=outputs, duration=duration, engine=engine.used,
        fallback_reason=engine.fallback_reason, requests=engine.requests - before[0],
        retries=engine.retries - before[1], clips=report.unique_clips, cache_hits=report.cache_hits,
        seconds=time.perf_counter() - start, peak_mb=_peak_mb(),
    )


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextmanager
def _staged(staging: Path) -> Iterator[tuple[Path, object]]:
    """A hidden file in the staging folder, left there for the client once `keep()` is called.

    A worker that cannot see the staging folder (another machine, no shared disk) stitches into
    a temporary file of its own and hands back the bytes instead.
    """
    shared = staging.is_dir()
    path = new_partial(staging if shared else Path(tempfile.gettempdir()), ".mp3")
    kept = False

    def keep() -> tuple[str | None, bytes | None]:
        nonlocal kept
        if not shared:
            return None, path.read_bytes()
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
        kept = True
        return str(path), None

    try:
        yield path, keep
    finally:
        if not kept:
            path.unlink(missing_ok=True)


def _clip_cache(job: ArticleJob):
    if not job.use_cache:
        return _scratch_cache()
    cache = ClipCache(job.cache_dir or default_cache_dir())
    return _released(cache)


@contextmanager
def _released(cache: ClipCache) -> Iterator[ClipCache]:
    try:
        yield cache
    finally:
        cache.release()


@contextmanager
def _scratch_cache() -> Iterator[ClipCache]:
    with tempfile.TemporaryDirectory(prefix="digest-clips-") as scratch:
        yield ClipCache(Path(scratch))

