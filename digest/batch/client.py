"""`batch`, the client: every story of the inputs becomes its own episode, in one folder and feed.

The client reads the inputs, writes each story's script and tags, and decides which episodes
are already made, by make's rule: an episode of the same GUID whose fingerprint (clips,
pauses, words, settings) is the same and whose outputs are all there. The rest are handed to
the workers (digest.batch.runners), which leave finished MP3s in a staging folder inside the
output folder. Only the client names episodes, moves them into place (under the folder lock,
briefly, one at a time as they arrive) and writes the feed: once, at the end of the batch.

An episode's date is --date, else its story's own date, else today: the intro speaks it and
the file is named by it, so an article made again on another day is still up to date.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from digest.batch.runners import DaskRunner, LocalRunner
from digest.batch.work import ArticleDone, ArticleJob
from digest.errors import DigestError
from digest.fsutil import Staged, new_partial, sweep_stale_partials
from digest.make import check_output_dir, choose_ffmpeg, episode_tags, make_script, prune_cache
from digest.models import Article
from digest.options import MakeOptions
from digest.publish.channel import Channel, plan_channel, publish
from digest.publish.folderlock import folder_lock
from digest.publish.identity import episode_fingerprint, local_date, publication_time
from digest.publish.library import Library
from digest.publish.settings import ffmpeg_setting, load_settings
from digest.read.lineup import read_lineup
from digest.script.compose import display_title
from digest.script.utterances import plan_utterances
from digest.sound.clips import RECIPE
from digest.speech.cache import ClipCache, clip_key, default_cache_dir
from digest.speech.engines import get_engine

log = logging.getLogger(__name__)

STAGING_NAME = ".digest-batch"  # hidden: never listed as an episode, served, or read as an input

# progress(finished, total, failed): called once with (0, total, 0) and after every article.
BatchProgress = Callable[[int, int, int], None]


@dataclass
class BatchOptions:
    make: MakeOptions  # inputs, output folder, engine, voice, speed, cache: as for `make`
    processes: int | None = None  # local mode: worker processes (default: one per core)
    workers: int | None = None  # a LocalCluster of this many Dask workers
    scheduler: str | None = None  # a Dask scheduler's address, tcp://HOST:8786
    gtts_limit: int = 8  # gTTS requests in flight across all workers
    retries: int = 1
    now: dt.datetime | None = None  # the batch's clock reading (default: when it starts)

    def __post_init__(self) -> None:
        from digest.errors import InputError

        for name in ("processes", "workers"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= 1024:
                raise InputError(f"--{name} must be between 1 and 1024, not {value}")
        if not 1 <= self.gtts_limit <= 256:
            raise InputError(f"--gtts-limit must be between 1 and 256, not {self.gtts_limit}")
        if not 0 <= self.retries <= 10:
            raise InputError(f"--retries must be between 0 and 10, not {self.retries}")

    def runner(self, work=None):
        extra = {"work": work} if work else {}
        if self.scheduler or self.workers:
            return DaskRunner(self.scheduler, self.workers, self.gtts_limit, self.retries, **extra)
        return LocalRunner(self.processes, self.gtts_limit, self.retries, **extra)


@dataclass
class ArticleOutcome:
    index: int
    title: str
    guid: str
    status: str  # made, up_to_date or failed
    mp3: Path | None = None
    duration: float | None = None
    engine: str | None = None
    reason: str | None = None
    seconds: float | None = None
    worker: str | None = None
    peak_mb: float | None = None

    def summary(self) -> dict:
        return {
            "index": self.index, "title": self.title, "guid": self.guid, "status": self.status,
            "mp3": str(self.mp3) if self.mp3 else None,
            "duration_seconds": round(self.duration, 3) if self.duration is not None else None,
            "engine": self.engine, "reason": self.reason,
            "seconds": round(self.seconds, 3) if self.seconds is not None else None, "worker": self.worker,
            "worker_peak_mb": round(self.peak_mb, 1) if self.peak_mb is not None else None,
        }


@dataclass
class BatchResult:
    folder: Path
    feed_path: Path | None
    where: str
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    skipped_inputs: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    def summary(self) -> dict:
        return {
            "folder": str(self.folder), "feed": str(self.feed_path) if self.feed_path else None, "ran_on": self.where,
            "articles": len(self.outcomes), "made": self.count("made"), "up_to_date": self.count("up_to_date"),
            "failed": self.count("failed"), "skipped_inputs": self.skipped_inputs, "seconds": round(self.seconds, 3),
            "outcomes": [outcome.summary() for outcome in sorted(self.outcomes, key=lambda o: o.index)],
        }


@dataclass
class _Plan:
    article: Article
    job: ArticleJob
    file_date: dt.date
    fingerprint: str


def run_batch(options: BatchOptions, progress: BatchProgress | None = None, work=None) -> BatchResult:
    """Make an episode of every story of the inputs that is not already made; publish the feed once.

    `work` replaces the workers' job function (tests use it to make one article fail).
    """
    start = time.perf_counter()
    opts = options.make
    folder = opts.output_dir
    runner = options.runner(work)  # a missing Dask is reported before any reading
    choose_ffmpeg(folder)
    engine = get_engine(opts.engine)
    voice = opts.voice
    engine.check(voice)
    lineup = read_lineup(opts.inputs, opts.read_settings)
    channel = plan_channel(folder, opts.programme, opts.cover)
    opts.programme = channel.settings.title
    check_output_dir(folder)
    sweep_stale_partials(folder)
    staging = folder / STAGING_NAME
    staging.mkdir(exist_ok=True)
    sweep_stale_partials(staging)
    now = options.now or dt.datetime.now()
    ffmpeg = ffmpeg_setting(folder, load_settings(folder))
    # Feeds list their newest item first: each story is published a second before the one
    # above it, so the feed keeps the inputs' order among episodes of one day.
    plans = [_plan(index, article, opts, channel, engine, voice, staging, ffmpeg, now - dt.timedelta(seconds=index))
             for index, article in enumerate(lineup.articles)]

    result = BatchResult(folder, None, runner.where, skipped_inputs=lineup.skipped)
    with folder_lock(folder):
        library = Library.open(folder)
        library.tidy()
        todo = []
        for plan in plans:
            existing = library.find(plan.job.tags.guid)
            same = (existing is not None and not opts.force
                    and existing.tags.extra.get("FINGERPRINT") == plan.fingerprint)
            if same and not library.missing_outputs(existing):
                result.outcomes.append(ArticleOutcome(plan.job.index, plan.job.tags.title, plan.job.tags.guid,
                                                      "up_to_date", existing.path, existing.duration,
                                                      existing.tags.engine))
                continue
            if existing is not None and (opts.date is None or opts.date == local_date(existing.tags.published)):
                plan.job.tags.published = existing.tags.published  # made again: same place in the feed
            todo.append(plan)

    total, failed = len(plans), 0
    if progress:
        progress(len(result.outcomes), total, 0)
    by_index = {plan.job.index: plan for plan in todo}
    try:
        if todo:
            for job, done in runner.run([plan.job for plan in todo]):
                plan = by_index[job.index]
                outcome = _place(plan, done, library, folder)
                result.outcomes.append(outcome)
                if outcome.status == "failed":
                    failed += 1
                    log.warning("%s: %s", outcome.title, outcome.reason)
                if progress:
                    progress(len(result.outcomes), total, failed)
    finally:
        # Once per batch, also after Ctrl-C: every episode placed so far is in the feed.
        with folder_lock(folder):
            library.refresh()
            result.feed_path, _ = publish(folder, channel, seed={"language": opts.lang}, base_url=opts.base_url,
                                          library=library)
        if opts.use_cache:
            prune_cache(ClipCache(opts.cache_dir or default_cache_dir()), opts.cache_max)
    result.seconds = time.perf_counter() - start
    return result


def _plan(index: int, article: Article, opts: MakeOptions, channel: Channel, engine, voice, staging: Path,
          ffmpeg: str | None, now: dt.datetime) -> _Plan:
    """The episode's words and tags, and the fingerprint it will have, as `make` would compute them."""
    date = opts.date or article.date or now.date()
    script = make_script([article], opts, date=date)
    utterances = plan_utterances(script, engine.max_chars)
    tags = episode_tags([article], opts, channel, engine.used, None, published=publication_time(date, now))
    identity = engine.identity(voice)
    keys = [clip_key(identity, u.text_for(engine.reads_phonemes), RECIPE.name) for u in utterances]
    fingerprint = episode_fingerprint(keys, [u.pause_after_ms for u in utterances], opts.speed, opts.chime, tags)
    job = ArticleJob(index=index, script=script, utterances=utterances, tags=tags, staging=staging,
                     engine=opts.engine, voice=voice, speed=opts.speed, chime=opts.chime, jobs=opts.jobs,
                     retry_seconds=opts.retry_seconds, cache_dir=opts.cache_dir, use_cache=opts.use_cache,
                     ffmpeg=ffmpeg)
    return _Plan(article, job, date, fingerprint)


def _place(plan: _Plan, done: ArticleDone | BaseException, library: Library, folder: Path) -> ArticleOutcome:
    """Name the finished episode and move it into the folder, with its outputs, under the lock."""
    tags = plan.job.tags
    outcome = ArticleOutcome(plan.job.index, tags.title, tags.guid, "failed")
    if isinstance(done, BaseException):
        outcome.reason = _reason(done)
        return outcome
    staged = Staged(Path(done.staged) if done.staged else new_partial(plan.job.staging, ".mp3"))
    try:
        if done.mp3 is not None:
            staged.path.write_bytes(done.mp3)  # a worker with no view of the folder sent the bytes
        with folder_lock(folder):
            library.refresh()
            mp3_path = library.path_for(tags.guid, plan.file_date, display_title(plan.article))
            library.place(staged, mp3_path, done.outputs)
    except (OSError, DigestError) as error:
        outcome.reason = _reason(error)
        return outcome
    finally:
        if staged.committed_to is None:
            staged.path.unlink(missing_ok=True)
    outcome.status, outcome.mp3, outcome.duration = "made", mp3_path, done.duration
    outcome.engine, outcome.seconds, outcome.worker, outcome.peak_mb = done.engine, done.seconds, done.worker, done.peak_mb
    return outcome


def _reason(error: BaseException) -> str:
    if isinstance(error, DigestError):
        return str(error)
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
