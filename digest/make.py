"""`make`, the running order: inputs -> stories -> script -> clips -> MP3 -> outputs -> feed.

Each stage is one call into its package; this module only orders them, times them and keeps
the folder lock for as short as it can: the episodes are listed and the up-to-date check made
under it, the audio is stitched outside it, and the episode is named, placed and published
under it again (a concurrent run may have published meanwhile).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from digest.errors import DigestError, InputError, Interrupted
from digest.fsutil import staged_in, sweep_stale_partials
from digest.models import Article, Script
from digest.numwords import counted
from digest.options import MakeOptions
from digest.publish import preload as preload_publishing
from digest.publish.channel import Channel, plan_channel, publish
from digest.publish.chapters import chapters_from
from digest.publish.feed import episode_url
from digest.publish.folderlock import folder_lock
from digest.publish.identity import (
    describe,
    episode_file_title,
    episode_fingerprint,
    episode_guid,
    episode_title,
    local_date,
    publication_time,
    story_record,
)
from digest.publish.library import Library
from digest.publish.outputs import OUTPUTS, Material, build_sidecars, fingerprint_sidecars, sidecar_path
from digest.publish.pages import SHOW_PAGE_NAME, is_own_show_page
from digest.publish.settings import FEED_NAME, config_path, ffmpeg_setting, guid_title_of, load_settings
from digest.publish.tags import EpisodeTags, write_tags
from digest.publish.transcripts import Cue
from digest.read import ReadSettings
from digest.read.lineup import Lineup, read_lineup
from digest.script.compose import build_script
from digest.script.fit import WORDS_PER_MINUTE, fit_minutes
from digest.script.lexicon import apply_lexicon
from digest.script.utterances import Utterance, plan_utterances
from digest.sound.chime import gap_after
from digest.sound.clips import RECIPE
from digest.sound.ffmpeg import configure_pydub, use_setting
from digest.sound.join import Joiner, joining
from digest.sound.stitch import master
from digest.sound.stitch import self_test as ffmpeg_self_test
from digest.speech.cache import ClipCache, cache_limit, default_cache_dir, format_size
from digest.speech.engines import Engine, get_engine
from digest.speech.synth import SynthReport, load_clip, synthesize_all

__all__ = ["MakeOptions", "MakeResult", "Step", "make", "gather", "make_script", "read_articles",
           "episode_tags", "assemble", "Timer"]

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Step:
    """Where a run is, for a progress display: one stage and, when it counts, how far along.

    Stages in order: "reading" (inputs), "synthesizing" (unique clips; `cached` of them were
    in the cache, `done - cached` were made by this run), "joining" (clips; those made by this
    run were joined while synthesizing, so the count starts where that left off), "mastering",
    "encoding" and "publishing" (tags, transcripts, feed) with no count (`total` is None).
    """

    stage: str
    done: int = 0
    total: int | None = None
    cached: int = 0


ProgressCallback = Callable[[Step], None]


@dataclass
class MakeResult:
    mp3_path: Path
    feed_path: Path
    title: str
    guid: str
    duration: float
    engine: str
    requests: int
    retries: int
    cache_hits: int
    clips: int
    utterances: int
    fallback_reason: str | None
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False
    stories: dict[str, int] = field(default_factory=dict)
    story_titles: list[str] = field(default_factory=list)
    # Each engine that worked, in its own counts (Google: requests, retries; Piper: clips synthesized).
    engine_counters: dict[str, dict[str, int]] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)  # kind ("vtt", "chapters") -> file beside the MP3
    url: str | None = None  # where a podcast app fetches the MP3 (the feed's base URL + its name)
    feed_url: str | None = None
    page_url: str | None = None  # the episode's web page, when one was written
    channel_files: list[Path] = field(default_factory=list)  # the feed's cover, digest.toml, show page
    feed_updated: bool = True  # False when feed.xml already said all this and was left alone
    # The stories as told (after --max-minutes), so `digest sync` knows which ones were read.
    articles: list[Article] = field(default_factory=list, repr=False)

    def summary(self) -> dict:
        """The `make --json` summary. Keys are only ever added: scripts read them."""
        transcripts = [str(path) for key, path in self.outputs.items() if OUTPUTS[key].link == "transcript"]
        chapters = [str(path) for key, path in self.outputs.items() if OUTPUTS[key].link == "chapters"]
        return {
            "mp3": str(self.mp3_path),
            "feed": str(self.feed_path),
            "title": self.title,
            "guid": self.guid,
            "duration_seconds": round(self.duration, 3),
            "engine": self.engine,
            "fallback_reason": self.fallback_reason,
            "tts_requests": self.requests,
            "tts_retries": self.retries,
            "clips": self.clips,
            "utterances": self.utterances,
            "cache_hits": self.cache_hits,
            "up_to_date": self.up_to_date,
            # A cron job can tell an episode that dropped stories from a complete one.
            "stories": self.stories,
            "seconds_per_stage": {stage: round(seconds, 3) for stage, seconds in self.timings.items()},
            "story_titles": self.story_titles,
            "engine_counters": self.engine_counters,
            # New clips spoken this run, whichever engine spoke them (the rest came from the cache).
            "clips_synthesized": self.clips - self.cache_hits,
            "url": self.url,
            "feed_url": self.feed_url,
            "outputs": {key: str(path) for key, path in self.outputs.items()},
            "transcripts": transcripts,
            "chapters": chapters[0] if chapters else None,
            "page_url": self.page_url,
            # Every file of the episode and of the feed; when up_to_date, the MP3 and its outputs
            # were already there, and feed.xml was rewritten only if feed_updated.
            "files": [str(path) for path in (self.mp3_path, *self.outputs.values(), self.feed_path,
                                             *self.channel_files)],
            "feed_updated": self.feed_updated,
        }


class Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def read_articles(inputs: list[str], settings: ReadSettings | None = None) -> list[Article]:
    return read_lineup(inputs, settings).articles


def gather(options: MakeOptions, lineup: Lineup | None = None,
           words_per_minute: float = WORDS_PER_MINUTE, on_read: Callable[[int, int], None] | None = None) -> Lineup:
    """The episode's stories: every input read (unless `lineup` was read already, as `digest sync`
    does; `on_read(done, total)` is told as each input is read), repeats dropped, summarized
    (--summary) and fitted to --max-minutes at the voice's pace (`words_per_minute` at speed 1)."""
    if lineup is None:
        lineup = read_lineup(options.inputs, options.read_settings, on_read=on_read)
    return fit_minutes(lineup, options.max_minutes, options.lang, summary=options.summary,
                       words_per_minute=words_per_minute * options.speed)


def make_script(articles: list[Article], options: MakeOptions, lineup: Lineup | None = None,
                date: dt.date | None = None) -> Script:
    """The spoken script, with the pronunciation dictionary applied after the speakable rules.

    `date` is the one the intro speaks when --date is not given (default: today).
    """
    script = build_script(
        articles, programme=options.programme or "Digest", date=options.date or date or dt.date.today(),
        lang=options.lang,
        skipped=lineup.skipped if lineup else 0, left_out=lineup.left_out if lineup else 0,
        summarized=lineup.shortened if lineup else 0, fitted_to=lineup.fitted_to if lineup else None,
    )
    return apply_lexicon(script, options.lexicon)


def choose_ffmpeg(folder: Path) -> None:
    """Settle which ffmpeg runs before any work, so that a refused one fails fast."""
    use_setting(ffmpeg_setting(folder, load_settings(folder)), f"ffmpeg in {config_path(folder)}",
                self_test=ffmpeg_self_test)
    configure_pydub()


def make(options: MakeOptions, progress: ProgressCallback | None = None, lineup: Lineup | None = None,
         engine: Engine | None = None) -> MakeResult:
    """Make the episode (of `lineup` when the stories were read already), spoken by `engine`
    when the caller made it already (to warm it up), else by a new one of `options.engine`.
    Ctrl-C raises Interrupted, saying which clips are kept for a rerun."""
    tally = _Tally(progress)
    created = _missing_folders(options.output_dir)
    try:
        return _make(options, tally, lineup, engine or get_engine(options.engine))
    except KeyboardInterrupt as interrupt:
        _remove_if_empty(created)
        raise Interrupted(tally.interrupted(options.use_cache)) from interrupt
    except Exception:
        _remove_if_empty(created)
        raise


def _missing_folders(folder: Path) -> list[Path]:
    """The output folder and those above it that do not exist yet, deepest first."""
    missing = []
    for path in [folder, *folder.parents]:
        if os.path.lexists(path):
            break
        missing.append(path)
    return missing


def _remove_if_empty(created: list[Path]) -> None:
    """A run that failed or was stopped takes away the folders it made, if it left them empty."""
    for path in created:
        try:
            path.rmdir()  # only an empty folder: a file anyone put there keeps it
        except OSError:
            return


class _Tally:
    """What the run has done so far: passed on to the progress display, and told on Ctrl-C."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self.progress = progress
        self.kept = 0  # unique clips in the cache for this episode
        self.clips = 0  # unique clips the episode needs; 0 until synthesis starts
        self.placed = False  # the MP3 is in the folder
        self.published = False  # and feed.xml lists it

    def step(self, stage: str, done: int = 0, total: int | None = None, cached: int = 0) -> None:
        if self.progress:
            self.progress(Step(stage, done, total, cached))

    def synthesis(self, cached: int, made: int, total: int) -> None:
        self.kept, self.clips = cached + made, total
        self.step("synthesizing", cached + made, total, cached)

    def interrupted(self, cached: bool) -> str:
        if self.published:
            return "the episode was published; only the clip cache was not yet pruned"
        if self.placed:
            return "the episode was written but perhaps not yet listed in feed.xml; run the same command to finish"
        if not self.clips:
            return "no clip was made yet and nothing was written"
        if not cached:
            return "nothing was written, and with --no-cache no clip is kept"
        kept = "all " + counted(self.clips, "clip") if self.kept == self.clips else \
            f"{self.kept} of {counted(self.clips, 'clip')}"
        verb = "is" if self.kept == 1 else "are"
        return f"{kept} {verb} kept in the cache and no episode was written; run the same command to resume"


def _make(options: MakeOptions, tally: _Tally, lineup: Lineup | None, engine: Engine) -> MakeResult:
    timer = Timer()
    choose_ffmpeg(options.output_dir)
    # The engine and voice are checked before reading, which may download: a missing voice file
    # or an unknown accent is reported before any network use.
    voice = options.voice
    engine.check(voice)
    engine.limit_retries(options.retry_seconds)
    with timer.stage("read"):
        lineup = gather(options, lineup, engine.words_per_minute,
                        on_read=lambda done, total: tally.step("reading", done, total))
        articles = lineup.articles
    channel = plan_channel(options.output_dir, options.programme, options.cover)
    options.programme = channel.settings.title
    with timer.stage("script"):
        script = make_script(articles, options, lineup)
        utterances = plan_utterances(script, engine.max_chars)
    check_output_dir(options.output_dir)
    sweep_stale_partials(options.output_dir)

    with _clip_cache(options) as cache, joining(
            [gap_after(u, options.chime) for u in utterances],
            lambda key, text: load_clip(key, text, engine, voice, cache, recipe=RECIPE), options.speed,
            encode_on_guess=not engine.cpu_bound) as joiner:
        with timer.stage("synthesize"):
            # Publishing's libraries load while the engine speaks, not before it starts or after it ends.
            preload_publishing()
            # The clips are joined as they come, so that after the last one only mastering is left.
            report = synthesize_all(utterances, engine, voice, cache, recipe=RECIPE,
                                    jobs=options.jobs or engine.default_jobs, progress=tally.synthesis,
                                    arrivals=joiner.arrivals)
        tags = episode_tags(articles, options, channel, engine.used, engine.fallback_reason)
        tags.extra["FINGERPRINT"] = episode_fingerprint(report.keys, [u.pause_after_ms for u in utterances],
                                                        options.speed, options.chime, tags)
        placed = _place(options, script, utterances, report, joiner, tags, channel, timer, tally,
                        file_title=episode_file_title(articles, options.programme))
        tally.published = True
        if options.use_cache:
            with timer.stage("prune"):
                prune_cache(cache, options.cache_max)
    outputs = {key: path for key in OUTPUTS if (path := sidecar_path(placed.mp3_path, key)).is_file()}
    return MakeResult(
        mp3_path=placed.mp3_path, feed_path=placed.feed_path, title=tags.title, guid=tags.guid,
        duration=placed.duration, engine=engine.used, requests=engine.requests, retries=engine.retries,
        cache_hits=report.cache_hits, clips=report.unique_clips, utterances=len(utterances),
        fallback_reason=engine.fallback_reason, timings=timer.timings, up_to_date=placed.up_to_date,
        feed_updated=placed.feed_updated,
        stories={"in_episode": len(articles), "skipped": lineup.skipped, "duplicates": lineup.duplicates,
                 "left_out": lineup.left_out, "shortened": lineup.shortened},
        story_titles=[story["title"] for story in tags.stories], engine_counters=engine.counters(),
        outputs=outputs, url=episode_url(placed.feed_base, placed.mp3_path),
        feed_url=episode_url(placed.feed_base, placed.feed_path),
        page_url=episode_url(placed.feed_base, outputs["page"]) if "page" in outputs else None,
        channel_files=[options.output_dir / channel.cover_name, config_path(options.output_dir),
                       *[page for page in [options.output_dir / SHOW_PAGE_NAME] if is_own_show_page(page)]],
        articles=articles,
    )


def episode_tags(articles: list[Article], options: MakeOptions, channel: Channel, engine_used: str,
                 fallback: str | None, published: dt.datetime | None = None, guid_title: str | None = None) -> EpisodeTags:
    """The episode's tags; `guid_title` is the folder's (guid_title_of), read from it when not given."""
    guid_title = guid_title or guid_title_of(options.output_dir, options.programme)
    tags = EpisodeTags(
        title=episode_title(articles, options.title, options.programme, options.date or dt.date.today(), options.lang),
        programme=options.programme,
        guid=episode_guid(articles, guid_title),
        published=published or publication_time(options.date),
        engine=engine_used,
        description=describe(articles),
        language=options.lang,
        stories=[story_record(a) for a in articles],
        cover_jpeg=channel.embedded_cover,
    )
    if fallback:
        tags.extra["FALLBACK"] = fallback
    return tags


@dataclass(frozen=True)
class _Placed:
    mp3_path: Path
    feed_path: Path
    duration: float
    feed_base: str  # the URL the folder is served at, as the feed links it
    up_to_date: bool = False
    feed_updated: bool = True


def file_state(path: Path) -> tuple | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def _place(options: MakeOptions, script: Script, utterances: list[Utterance], report: SynthReport,
           joiner: Joiner, tags: EpisodeTags, channel: Channel, timer: Timer, tally: _Tally,
           file_title: str) -> _Placed:
    """Publish the episode: unchanged, it is only published again; else stitched, tagged and placed."""
    folder = options.output_dir
    with timer.stage("feed"), folder_lock(folder):
        library = Library.open(folder)
        # An MP3 renamed by hand takes its outputs along first, so they are found by its new name.
        library.tidy()
        existing = library.find(tags.guid)
        same = (existing is not None and not options.force
                and existing.tags.extra.get("FINGERPRINT") == tags.extra["FINGERPRINT"])
        missing = library.missing_outputs(existing) if same else []
        if same and not missing:
            # Same clips, same words, same settings, every file present: the episode is already this one.
            before = file_state(folder / FEED_NAME)
            feed_path, settings = _publish(folder, channel, options, library)
            # feed.xml is rewritten only when it would say something else (a new --base-url).
            return _Placed(existing.path, feed_path, existing.duration, settings.feed_base, up_to_date=True,
                           feed_updated=file_state(feed_path) != before)
        if missing:
            # Their cue times come from stitching, so the episode is made again (from cached clips).
            log.warning("%s is missing %s; making it again", existing.path.name, ", ".join(p.name for p in missing))
        if existing is not None and (options.date is None or options.date == local_date(existing.tags.published)):
            # Regenerating an episode keeps its GUID and publication time, unless told another date.
            tags.published = existing.tags.published

    with staged_in(folder, ".mp3") as staged:
        duration, outputs = assemble(staged.path, script, utterances, report.keys, joiner, tags, options.speed,
                                     timer, step=tally.step)
        with timer.stage("feed"), folder_lock(folder):
            # Listed again and named under the lock: a concurrent run may have published since.
            library.refresh()
            mp3_path = library.path_for(tags.guid, options.date or dt.date.today(), file_title)
            library.place(staged, mp3_path, outputs)
            tally.placed = True
            feed_path, settings = _publish(folder, channel, options, library)
    return _Placed(mp3_path, feed_path, duration, settings.feed_base)


def assemble(path: Path, script: Script, utterances: list[Utterance], keys: list[str], joiner: Joiner,
             tags: EpisodeTags, speed: float, timer: Timer,
             step: Callable[..., None] | None = None) -> tuple[float, dict[str, bytes]]:
    """Stitch the clips (`keys`, synthesized with `joiner`'s arrivals) into the MP3 at `path` and
    tag it; its duration and output files' bytes.

    `tags` gains the chapters and the outputs' fingerprints, as written into the MP3. `step`
    (stage, done, total) hears of the joining left, mastering, encoding and publishing.
    """
    step = step or (lambda *_: None)
    with timer.stage("stitch"):
        stitched = master(joiner.finish(keys, step), path, speed=speed, on_step=step)
    step("publishing")
    with timer.stage("tag"):
        tags.chapters = chapters_from(script, [u.segment_index for u in utterances], stitched.spans,
                                      stitched.duration)
        material = Material(cues=[Cue(span.start, span.end, u.text) for u, span in zip(utterances, stitched.spans)],
                            paragraphs=[segment.text for segment in script.segments], chapters=tags.chapters,
                            stories=tags.stories, tags=tags, duration=stitched.duration)
        outputs = build_sidecars(material)
        tags.extra["SIDECARS"] = fingerprint_sidecars(outputs)
        write_tags(path, tags)
    return stitched.duration, outputs


def _publish(folder: Path, channel: Channel, options: MakeOptions, library: Library):
    return publish(folder, channel, seed={"language": options.lang}, base_url=options.base_url, library=library,
                   guid_title=guid_title_of(folder, options.programme))


def check_output_dir(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(f"output folder {folder} is a file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise InputError(f"output folder {folder} is not writable ({error.strerror})") from error


def prune_cache(cache: ClipCache, cache_max: int | None) -> None:
    """Bring the cache under its limit, least recently used clips first; this run's clips stay."""
    limit, _ = cache_limit(cache_max)
    try:
        report = cache.prune(max_bytes=limit)
    except (OSError, DigestError) as error:
        # The episode is published; a cache that cannot be pruned now is pruned by the next run.
        log.warning("the clip cache %s could not be pruned (%s)", cache.root, error)
        return
    log.debug("cache: %d clips removed (%s), %s left", report.removed, format_size(report.freed),
              format_size(report.bytes))
    if report.bytes > limit:
        log.warning("the clip cache %s holds %s, over its %s limit: %s of it are clips in use by this run "
                    "or another running one, which are never removed while in use",
                    cache.root, format_size(report.bytes), format_size(limit), format_size(report.in_use_bytes))


@contextmanager
def _clip_cache(options: MakeOptions) -> Iterator[ClipCache]:
    if options.use_cache:
        cache = ClipCache(options.cache_dir or default_cache_dir())
        try:
            yield cache
        finally:
            cache.release()
    else:
        # Without a cache the clips still go to disk, so memory stays flat on long episodes.
        with tempfile.TemporaryDirectory(prefix="digest-clips-") as scratch:
            yield ClipCache(Path(scratch))
