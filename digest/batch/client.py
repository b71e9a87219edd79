"""`batch`, the client: every story of the inputs becomes its own episode, in one folder and feed
(or, grouped by source, in a subfolder and feed per source: digest.batch.groups).

The client reads the inputs, writes each story's script and tags, and decides which episodes
are already made, by make's rule: an episode of the same GUID whose fingerprint (clips,
pauses, words, settings) is the same and whose outputs are all there. The rest are handed to
the workers (digest.batch.runners), which leave finished MP3s in a staging folder inside the
output folder. Only the client names episodes, moves them into place (under the folder lock,
briefly, one at a time as they arrive) and writes the feed: once, at the end of the batch.

An episode's date is --date, else its story's own date, else today: the intro speaks it and
the file is named by it, so an article made again on another day is still up to date.
--summary and --max-minutes shorten each story as `make` would shorten a one-story episode;
what they change (the words, the intro's note) is in the fingerprint, so changing them makes
the episodes they change again, in place: an episode's GUID is its story's, however told.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import shutil
import tempfile
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote

from digest.batch.groups import group_folder_name, source_of, source_title
from digest.batch.runners import DaskRunner, LocalRunner, ctrl_c_handled_by
from digest.batch.work import ArticleDone, ArticleJob
from digest.errors import DigestError, InputError, Interrupted, NothingToRead
from digest.fsutil import Staged, new_partial, sweep_stale_partials
from digest.make import check_output_dir, choose_ffmpeg, episode_tags, file_state, make_script, prune_cache
from digest.models import Article
from digest.numwords import counted
from digest.options import MakeOptions
from digest.publish.channel import Channel, plan_channel, publish
from digest.publish.folderlock import folder_lock
from digest.publish.identity import episode_fingerprint, episode_guid, local_date, publication_time, story_guid
from digest.publish.library import Library
from digest.publish.settings import (
    config_path,
    feeds_in_subfolders,
    ffmpeg_setting,
    guid_title_of,
    load_settings,
    read_values,
)
from digest.read.lineup import Lineup, read_lineup
from digest.script.compose import display_title
from digest.script.fit import fit_minutes
from digest.script.utterances import plan_utterances
from digest.sound.clips import RECIPE
from digest.speech.cache import ClipCache, clip_key, default_cache_dir
from digest.speech.engines import get_engine

log = logging.getLogger(__name__)

STAGING_NAME = ".digest-batch"  # hidden: never listed as an episode, served, or read as an input
GROUP_BY = ("source",)  # what --group-by takes

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
    group_by: str | None = None  # "source": a subfolder and feed per source; None: one folder
    now: dt.datetime | None = None  # the batch's clock reading (default: when it starts)

    def __post_init__(self) -> None:
        if self.group_by is not None and self.group_by not in GROUP_BY:
            raise InputError(f"--group-by takes {', '.join(GROUP_BY)}, not {self.group_by!r}")
        if self.group_by and self.make.programme:
            raise InputError("--programme names one feed; with --group-by source each feed is named by its "
                             "source (change one in its folder's digest.toml)")
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
    title: str | None  # None: an input that could not be read (its reason says which)
    guid: str | None
    status: str  # made, up_to_date or failed
    mp3: Path | None = None
    duration: float | None = None
    engine: str | None = None
    reason: str | None = None
    seconds: float | None = None
    worker: str | None = None
    peak_mb: float | None = None
    group: str | None = None  # the source, with --group-by source
    folder: Path | None = None  # the folder (and feed) the episode is in

    def summary(self) -> dict:
        return {
            "index": self.index, "title": self.title, "guid": self.guid, "status": self.status,
            "group": self.group, "folder": str(self.folder) if self.folder else None,
            "mp3": str(self.mp3) if self.mp3 else None,
            "duration_seconds": round(self.duration, 3) if self.duration is not None else None,
            "engine": self.engine, "reason": self.reason,
            "seconds": round(self.seconds, 3) if self.seconds is not None else None, "worker": self.worker,
            "worker_peak_mb": round(self.peak_mb, 1) if self.peak_mb is not None else None,
        }


@dataclass
class GroupResult:
    """One folder and feed of a grouped batch: its source and how its articles fared."""

    source: str
    folder: Path
    feed_path: Path | None = None
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    feed_changed: bool = False  # an up-to-date batch leaves feed.xml's bytes and time alone

    def count(self, status: str) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    def summary(self) -> dict:
        return {"source": self.source, "folder": str(self.folder),
                "feed": str(self.feed_path) if self.feed_path else None, "feed_changed": self.feed_changed,
                "articles": len(self.outcomes),
                "made": self.count("made"), "up_to_date": self.count("up_to_date"), "failed": self.count("failed")}


@dataclass
class BatchResult:
    folder: Path
    feed_path: Path | None  # the one feed; None when grouped (each group has its own)
    where: str
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    skipped_inputs: int = 0
    seconds: float = 0.0
    groups: list[GroupResult] = field(default_factory=list)  # with --group-by, in order of first story
    feed_changed: bool = False
    nothing_to_read: str | None = None  # why there was no story at all (an empty folder, a feed of no items)
    started: float = field(default_factory=time.perf_counter, repr=False)

    def count(self, status: str) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    def summary(self) -> dict:
        return {
            "folder": str(self.folder), "feed": str(self.feed_path) if self.feed_path else None,
            "feed_changed": self.feed_changed, "ran_on": self.where, "nothing_to_read": self.nothing_to_read,
            "articles": len(self.outcomes), "made": self.count("made"), "up_to_date": self.count("up_to_date"),
            "failed": self.count("failed"), "skipped_inputs": self.skipped_inputs, "seconds": round(self.seconds, 3),
            "groups": [group.summary() for group in self.groups],
            "outcomes": [outcome.summary() for outcome in sorted(self.outcomes, key=lambda o: o.index)],
        }


@dataclass
class _Group:
    """A folder the batch publishes into: the output folder, or one source's subfolder."""

    source: str | None
    folder: Path
    options: MakeOptions  # the run's options with this folder's programme name
    channel: Channel
    staging: Path | None = None  # this run's own staging folder inside `folder`
    library: Library | None = None
    result: GroupResult | None = None
    held_names: set[str] = field(default_factory=set)  # promised to this run's episodes not yet placed
    seed: dict = field(default_factory=dict)  # settings a new folder's digest.toml starts with
    guid_title: str = ""  # the name its episodes' GUIDs are made from (pinned at the end of the run)


@dataclass
class _Plan:
    article: Article
    job: ArticleJob
    file_date: dt.date
    fingerprints: set[str]  # any of them is this episode unchanged (an auto engine's, whichever voice spoke)
    group: _Group
    held_name: str | None = None  # the file name promised to it, in the inputs' order
    # The GUID it had before a feed item's own ID counted (its words'): an episode made then keeps it.
    earlier_guid: str | None = None


# What a publisher sets once in the output folder's digest.toml for every feed of a --group-by
# batch: a new group's digest.toml starts with them (its title and address are its own).
INHERITED_SETTINGS = ("description", "author", "owner_name", "owner_email", "category", "subcategory", "explicit",
                      "locked")


def run_batch(options: BatchOptions, progress: BatchProgress | None = None, work=None) -> BatchResult:
    """Make an episode of every story of the inputs that is not already made; publish each feed once.

    `work` replaces the workers' job function (tests use it to make one article fail).
    Ctrl-C ends the workers, publishes what was placed and raises Interrupted saying so.
    """
    start = time.perf_counter()
    opts = options.make
    folder = opts.output_dir
    if not options.group_by and (feeds := feeds_in_subfolders(folder)):
        # Without it, the same stories would be made again, into a feed beside the groups'.
        raise InputError(f"{folder} holds the feeds of a batch --group-by source ({len(feeds)} subfolders); "
                         "pass --group-by source again, or another -o folder")
    runner = options.runner(work)  # a missing Dask is reported before any reading
    runner.preflight()  # and a scheduler that cannot be reached, or has no workers, before any writing
    choose_ffmpeg(folder)
    engine = get_engine(opts.engine)
    voice = opts.voice
    engine.check(voice)
    try:
        # Each item with a URL of its own is its own article, however alike the words of a
        # publisher's templated items (a weather line per town, a result per match).
        lineup = read_lineup(opts.inputs, opts.read_settings, near_duplicates=False)
    except NothingToRead as error:
        # A scheduled batch on a quiet day (an empty drop folder, a feed of no items): having
        # nothing to make is not a failure, and the folder and its feed are left as they are.
        return BatchResult(folder, None, runner.where, nothing_to_read=str(error), seconds=time.perf_counter() - start)
    check_output_dir(folder)
    ffmpeg = ffmpeg_setting(folder, load_settings(folder))
    groups = _groups(options, lineup)
    try:
        for group in groups.values():
            group.staging = _run_staging(group.folder)
        now = options.now or dt.datetime.now()
        # Feeds list their newest item first: each story is published a second before the one
        # above it, so the feed keeps the inputs' order among episodes of one day.
        plans = []
        with _fit_told_once(opts, len(lineup.articles)):
            for index, (article, group) in enumerate(zip(lineup.articles, _group_of_each(options, lineup, groups))):
                plans.append(_plan(index, article, group, engine, voice, ffmpeg, now - dt.timedelta(seconds=index)))
        result = BatchResult(folder, None, runner.where, skipped_inputs=lineup.skipped, started=start)
        # An input that could not be read is an article that failed: listed, counted, exit 1.
        result.outcomes += [ArticleOutcome(len(lineup.articles) + number, None, None, "failed", reason=problem)
                            for number, problem in enumerate(lineup.problems)]
        _run(options, runner, groups, plans, result, progress)
    finally:
        _clear_staging(groups)  # the workers are ended by now: whatever is left there was not placed
    if opts.use_cache:
        prune_cache(ClipCache(opts.cache_dir or default_cache_dir()), opts.cache_max)
    return result


def _conclude(result: BatchResult, groups: dict[str | None, _Group], grouped: str | None) -> None:
    """The result's feeds, once they are written (also after Ctrl-C, for --json)."""
    if not grouped:
        result.feed_path = groups[None].result.feed_path
    result.feed_changed = any(group.result.feed_changed for group in groups.values())
    result.groups = [group.result for group in groups.values()] if grouped else []
    result.seconds = time.perf_counter() - result.started


def _run(options: BatchOptions, runner, groups: dict[str | None, _Group], plans: list[_Plan], result: BatchResult,
         progress: BatchProgress | None) -> None:
    """Skip what is up to date, have the runner make the rest, place each episode as it comes
    and publish every feed once, also when stopped (Ctrl-C, a fault): what was placed is listed."""
    opts = options.make
    todo = []
    for group in groups.values():
        with folder_lock(group.folder):
            group.library = Library.open(group.folder)
            group.library.tidy()
            planned: dict[str, str] = {}  # GUID -> title, of this run's stories in this folder
            for plan in (plan for plan in plans if plan.group is group):
                if plan.job.tags.guid in planned:  # a feed that gives two items one ID
                    log.warning("skipping %r: the same feed item ID as %r", plan.job.tags.title,
                                planned[plan.job.tags.guid])
                    continue
                planned[plan.job.tags.guid] = plan.job.tags.title
                existing = group.library.find(plan.job.tags.guid)
                if existing is None and plan.earlier_guid:
                    existing = group.library.find(plan.earlier_guid)
                    if existing is not None:
                        # Made before feed items' own IDs counted: it keeps the GUID its listeners have.
                        plan.job.tags.guid = plan.earlier_guid
                same = (existing is not None and not opts.force
                        and existing.tags.extra.get("FINGERPRINT") in plan.fingerprints)
                if same and not group.library.missing_outputs(existing):
                    outcome = ArticleOutcome(plan.job.index, plan.job.tags.title, plan.job.tags.guid, "up_to_date",
                                             existing.path, existing.duration, existing.tags.engine)
                    _record(result, group, outcome, options.group_by)
                    continue
                if existing is not None and (opts.date is None or opts.date == local_date(existing.tags.published)):
                    plan.job.tags.published = existing.tags.published  # made again: same place in the feed
                todo.append(plan)
            # Names are promised now, in the inputs' order: two stories of one title are named
            # the same way whichever finishes first.
            held = group.held_names
            for plan in (plan for plan in todo if plan.group is group):
                plan.held_name = group.library.path_for(plan.job.tags.guid, plan.file_date,
                                                        display_title(plan.article), held).name
                held.add(plan.held_name)

    total, failed, placed = len(result.outcomes) + len(todo), result.count("failed"), 0
    if progress:
        progress(len(result.outcomes), total, failed)
    by_index = {plan.job.index: plan for plan in todo}
    try:
        if todo:
            # closing(): on Ctrl-C the runner ends its workers before the feeds are written.
            with closing(runner.run([plan.job for plan in todo])) as finished:
                for job, done in finished:
                    plan = by_index[job.index]
                    with _ctrl_c_deferred():  # an episode is placed with all its outputs, or not at all
                        outcome = _place(plan, done)
                        _record(result, plan.group, outcome, options.group_by)
                        placed += outcome.status == "made"
                    if outcome.status == "failed":
                        failed += 1
                        log.warning("%s: %s", outcome.title, outcome.reason)
                    if progress:
                        progress(len(result.outcomes), total, failed)
    except KeyboardInterrupt as interrupt:
        _publish_all(groups, opts)
        _conclude(result, groups, options.group_by)
        raise Interrupted(_interrupted(placed, len(todo), len(groups)), result.summary()) from interrupt
    except BaseException:
        _publish_all(groups, opts)
        raise
    _publish_all(groups, opts)
    _conclude(result, groups, options.group_by)


@contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Ctrl-C waits for the end of the block, then interrupts as usual."""
    heard = []
    with ctrl_c_handled_by(lambda number, frame: heard.append(number)):
        yield
    if heard:
        raise KeyboardInterrupt


def _run_staging(folder: Path) -> Path:
    """This run's own staging folder, in the folder's hidden staging area (swept of killed runs')."""
    staging_root = folder / STAGING_NAME
    staging_root.mkdir(exist_ok=True)
    _sweep_stale_staging(staging_root)
    return Path(tempfile.mkdtemp(prefix="run-", dir=staging_root))


def _interrupted(placed: int, todo: int, feeds: int) -> str:
    where = "feed.xml" if feeds == 1 else "their feeds"
    if not placed:
        return f"no episode was made yet of the {counted(todo, 'article')} to make; run the same command to resume"
    return (f"{placed} of {counted(todo, 'episode')} to make {'was' if placed == 1 else 'were'} made and "
            f"{'is' if placed == 1 else 'are'} in {where}; run the same command to make the rest")


def _groups(options: BatchOptions, lineup: Lineup) -> dict[str | None, _Group]:
    """The folders the batch publishes into, by source (None: the one output folder), each checked
    and given a staging folder of this run's own."""
    opts = options.make
    top = opts.output_dir
    if not options.group_by:
        sources: list[str | None] = [None]
    else:
        sources = list(dict.fromkeys(source_of(article, origin) for article, origin
                                     in zip(lineup.articles, lineup.origins or [None] * len(lineup.articles))))
    base_url = opts.base_url or (load_settings(top).base_url if options.group_by else None) or None
    # A new group's feed is described as the output folder's is (who owns it, its category...).
    inherited = {key: value for key, value in read_values(top).items() if key in INHERITED_SETTINGS}
    groups = {}
    for source in sources:
        folder = top if source is None else top / group_folder_name(source)
        group_opts = copy.copy(opts)  # not dataclasses.replace: that would read the lexicon again
        group_opts.output_dir = folder
        if source is not None:
            # A new group's feed is named after its source; after that, its digest.toml decides.
            group_opts.programme = None if config_path(folder).is_file() else source_title(source)
            group_opts.base_url = base_url.rstrip("/") + "/" + quote(folder.name) + "/" if base_url else None
        channel = plan_channel(folder, group_opts.programme, opts.cover)
        group_opts.programme = channel.settings.title
        check_output_dir(folder)
        sweep_stale_partials(folder)
        groups[source] = _Group(source, folder, group_opts, channel, result=GroupResult(source or "", folder),
                                seed=inherited if source is not None else {},
                                guid_title=guid_title_of(folder, group_opts.programme))
    return groups


def _group_of_each(options: BatchOptions, lineup: Lineup, groups: dict[str | None, _Group]) -> list[_Group]:
    if not options.group_by:
        return [groups[None]] * len(lineup.articles)
    origins = lineup.origins or [None] * len(lineup.articles)
    return [groups[source_of(article, origin)] for article, origin in zip(lineup.articles, origins)]


def _sweep_stale_staging(staging_root: Path, older_than: float = 3600) -> None:
    """Staging folders of runs that were killed (a run removes its own when it ends), and files
    of the layout before runs had their own folders."""
    sweep_stale_partials(staging_root, older_than)
    cutoff = time.time() - older_than
    for run in staging_root.glob("run-*"):
        try:
            if run.is_dir() and run.stat().st_mtime < cutoff:
                shutil.rmtree(run, ignore_errors=True)
        except OSError:
            pass


def _clear_staging(groups: dict[str | None, _Group]) -> None:
    for group in groups.values():
        if group.staging is not None:
            shutil.rmtree(group.staging, ignore_errors=True)


def _publish_all(groups: dict[str | None, _Group], opts: MakeOptions) -> None:
    """Each folder's feed, once per batch, also after Ctrl-C: every episode placed so far is in it."""
    for group in groups.values():
        with folder_lock(group.folder):
            group.library.refresh()
            before = file_state(group.folder / "feed.xml")
            group.result.feed_path, _ = publish(group.folder, group.channel, seed={**group.seed, "language": opts.lang},
                                                base_url=group.options.base_url, library=group.library,
                                                guid_title=group.guid_title)
            group.result.feed_changed = file_state(group.result.feed_path) != before


def _record(result: BatchResult, group: _Group, outcome: ArticleOutcome, grouped: str | None) -> None:
    outcome.group = group.source if grouped else None
    outcome.folder = group.folder
    result.outcomes.append(outcome)
    group.result.outcomes.append(outcome)


@contextmanager
def _fit_told_once(opts: MakeOptions, stories: int) -> Iterator[None]:
    """Fitting says what it shortened for every episode; a batch says it once, for all of them."""
    fit_log = logging.getLogger(fit_minutes.__module__)
    shortened = _CountFitted()
    fit_log.addFilter(shortened)
    try:
        yield
    finally:
        fit_log.removeFilter(shortened)
    if shortened.count:
        log.warning("--max-minutes %g: %d of %s summarized to fit", opts.max_minutes, shortened.count,
                    counted(stories, "story", "stories"))


class _CountFitted(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and str(record.msg).startswith("--max-minutes"):
            self.count += 1
            return False
        return True


def _told(article: Article, opts: MakeOptions, words_per_minute: float) -> Lineup:
    """The story as its episode tells it: summarized to --summary, fitted to --max-minutes."""
    return fit_minutes(Lineup([article]), opts.max_minutes, opts.lang, summary=opts.summary,
                       words_per_minute=words_per_minute * opts.speed)


def _plan(index: int, article: Article, group: _Group, engine, voice, ffmpeg: str | None,
          now: dt.datetime) -> _Plan:
    """The episode's words and tags, and the fingerprint it will have, as `make` would compute them."""
    opts = group.options
    date = opts.date or article.date or now.date()
    told = _told(article, opts, engine.words_per_minute)
    script = make_script(told.articles, opts, told, date=date)
    utterances = plan_utterances(script, engine.max_chars)
    tags = episode_tags(told.articles, opts, group.channel, engine.used, None, published=publication_time(date, now),
                        guid_title=group.guid_title)
    tags.guid = story_guid(article, group.guid_title)  # the story's, however briefly it is told
    earlier_guid = episode_guid([article], group.guid_title)
    # The default engine speaks with Piper when Google does not answer: an episode it made that
    # way is as current as Google's would be, or every run without Google would make all again.
    pauses = [u.pause_after_ms for u in utterances]
    fingerprints = {episode_fingerprint([clip_key(speaker.identity(voice), u.text_for(speaker.reads_phonemes),
                                                  RECIPE.name) for u in utterances],
                                        pauses, opts.speed, opts.chime, replace(tags, engine=speaker.name))
                    for speaker in engine.speakers()}
    job = ArticleJob(index=index, script=script, utterances=utterances, tags=tags, staging=group.staging,
                     engine=opts.engine, voice=voice, speed=opts.speed, chime=opts.chime, jobs=opts.jobs,
                     retry_seconds=opts.retry_seconds, cache_dir=opts.cache_dir, use_cache=opts.use_cache,
                     ffmpeg=ffmpeg)
    return _Plan(article, job, date, fingerprints, group,
                 earlier_guid=earlier_guid if earlier_guid != tags.guid else None)


def _place(plan: _Plan, done: ArticleDone | BaseException) -> ArticleOutcome:
    """Name the finished episode and move it into its folder, with its outputs, under the lock."""
    tags = plan.job.tags
    library, folder = plan.group.library, plan.group.folder
    outcome = ArticleOutcome(plan.job.index, tags.title, tags.guid, "failed")
    if isinstance(done, BaseException):
        outcome.reason = _reason(done)
        outcome.worker = getattr(done, "digest_worker", None)  # None: the worker died, or it never ran
        return outcome
    staged = Staged(Path(done.staged) if done.staged else new_partial(plan.job.staging, ".mp3"))
    try:
        if done.mp3 is not None:
            staged.path.write_bytes(done.mp3)  # a worker with no view of the folder sent the bytes
        with folder_lock(folder):
            library.refresh_if_changed()
            plan.group.held_names.discard(plan.held_name)  # its own, now taken or given up
            mp3_path = library.path_for(tags.guid, plan.file_date, display_title(plan.article),
                                        plan.group.held_names)
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
