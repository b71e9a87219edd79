"""`make`: inputs -> articles -> script -> clips -> MP3 + tags -> feed, timed stage by stage."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from digest.speech.cache import ClipCache, check_cache_dir, default_cache_dir
from digest.sound.chime import gap_after
from digest.read.clean import clean_line, clean_text, paragraphs
from digest.speech.engines import get_engine
from digest.errors import EngineError, InputError
from digest.publish.channel import plan_channel, publish, tidy_sidecars
from digest.publish.feed import list_episodes
from digest.publish.settings import config_path, ffmpeg_setting, load_settings
from digest.sound.ffmpeg import configure_pydub, use_setting
from digest.publish.folderlock import folder_lock
from digest.fsutil import staged_in, sweep_stale_partials
from digest.models import Article, Script, Voice
from digest.read.lineup import Lineup, fit_minutes, read_lineup
from digest.limits import DEFAULT_FEED_LIMIT, DEFAULT_MAX_CHARS
from digest.read import ReadSettings
from digest.script.compose import build_script, display_title
from digest.publish.sidecars import build_sidecars, find_sidecars, fingerprint_sidecars, missing_sidecars, write_sidecars
from digest.publish.slug import slugify
from digest.sound.stitch import self_test as ffmpeg_self_test, stitch
from digest.speech.synth import plan_utterances, synthesize_all
from digest.publish.tags import Chapter, EpisodeTags, read_episode, write_tags
from digest.publish.transcripts import Cue

log = logging.getLogger(__name__)

MIN_SPEED, MAX_SPEED = 0.75, 2.0
# Fixed namespace so that the same inputs give the same episode GUID on every machine.
EPISODE_NAMESPACE = uuid.UUID("5f0d3c8e-8f57-4c5e-9d38-2f3f5c1d6a10")


@dataclass
class MakeOptions:
    inputs: list[str]
    output_dir: Path = Path("audio")
    engine: str = "auto"
    lang: str = "en"
    tld: str = "com"
    slow: bool = False
    voice_model: str | None = None
    speed: float = 1.0
    jobs: int | None = None
    title: str | None = None
    programme: str | None = None  # None: the folder's digest.toml title ("Digest" by default)
    date: dt.date | None = None
    base_url: str | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    force: bool = False
    retry_seconds: float = 90.0
    cover: Path | None = None
    limit: int = DEFAULT_FEED_LIMIT
    since: dt.date | None = None
    max_minutes: float | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    allow_private: bool = False
    chime: bool = False

    def __post_init__(self) -> None:
        if not self.inputs:
            raise InputError("no input given; pass an article file, or - for stdin")
        if not MIN_SPEED <= self.speed <= MAX_SPEED:
            raise InputError(f"--speed must be between {MIN_SPEED} and {MAX_SPEED}, not {self.speed}")
        if self.jobs is not None and not 1 <= self.jobs <= 64:
            raise InputError(f"--jobs must be between 1 and 64, not {self.jobs}")
        if not 0 <= self.retry_seconds <= 3600:
            raise InputError(f"--retry-seconds must be between 0 and 3600, not {self.retry_seconds}")
        # Titles end up in XML, ID3 tags and file names: same cleaning as article titles.
        if self.title is not None:
            self.title = clean_line(self.title)
            if not self.title:
                raise InputError("--title cannot be empty")
        if self.programme is not None:
            self.programme = clean_line(self.programme)
            if not self.programme:
                raise InputError("--programme cannot be empty")
        if self.max_minutes is not None and not self.max_minutes > 0:
            raise InputError(f"--max-minutes must be more than 0, not {self.max_minutes:g}")
        _ = self.read_settings  # validates --limit and --max-chars now, before any work
        if self.use_cache:
            check_cache_dir(self.cache_dir or default_cache_dir())
        self.output_dir = Path(self.output_dir)

    @property
    def read_settings(self) -> ReadSettings:
        return ReadSettings(max_chars=self.max_chars, allow_private=self.allow_private, limit=self.limit,
                            since=self.since)

    @property
    def voice(self) -> Voice:
        return Voice(lang=self.lang, tld=self.tld, slow=self.slow, model=self.voice_model)


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

    def summary(self) -> dict:
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


def gather(options: MakeOptions) -> Lineup:
    """The episode's stories: every input read, repeats dropped, fitted to --max-minutes."""
    return fit_minutes(read_lineup(options.inputs, options.read_settings), options.max_minutes, options.lang)


def make_script(articles: list[Article], options: MakeOptions, lineup: Lineup | None = None) -> Script:
    return build_script(
        articles, programme=options.programme or "Digest", date=options.date or dt.date.today(), lang=options.lang,
        skipped=lineup.skipped if lineup else 0, left_out=lineup.left_out if lineup else 0,
    )


def article_key(article: Article) -> str:
    if article.url:
        return article.url
    return "sha256:" + hashlib.sha256(clean_text(article.body).encode("utf-8")).hexdigest()


def episode_guid(articles: list[Article], programme: str) -> str:
    return str(uuid.uuid5(EPISODE_NAMESPACE, programme + "\n" + "\n".join(article_key(a) for a in articles)))


def episode_title(articles: list[Article], options: MakeOptions) -> str:
    if options.title:
        return options.title
    first = display_title(articles[0])
    return first if len(articles) == 1 else f"{first} and {len(articles) - 1} more"


def describe(articles: list[Article]) -> str:
    if len(articles) == 1:
        first = paragraphs(clean_text(articles[0].body))[0]
        return first if len(first) <= 400 else first[:397].rsplit(" ", 1)[0] + "..."
    return "Stories: " + "; ".join(display_title(a) for a in articles) + "."


def _story_record(article: Article) -> dict:
    return {
        "title": display_title(article),
        "source": article.source,
        "url": article.url,
        "date": article.date.isoformat() if article.date else None,
        "author": article.author,
    }


def chapters_from(script: Script, utterance_segments: list[int], spans, duration: float) -> list[Chapter]:
    """One chapter per run of segments with the same chapter title, starting at its first clip."""
    chapters: list[Chapter] = []
    for segment_index, span in zip(utterance_segments, spans):
        title = script.segments[segment_index].chapter
        if not chapters or chapters[-1].title != title:
            if chapters:
                chapters[-1].end = span.start
            chapters.append(Chapter(title, span.start, duration))
    if chapters:
        chapters[0].start = 0.0
    return chapters


def _check_output_dir(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(f"output folder {folder} is a file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise InputError(f"output folder {folder} is not writable ({error.strerror})") from error


def _existing(folder: Path, guid: str):
    return next((e for e in list_episodes(folder) if e.tags.guid == guid), None)


ProgressCallback = Callable[[str, int, int], None]


def make(options: MakeOptions, progress: ProgressCallback | None = None) -> MakeResult:
    timer = Timer()
    choose_ffmpeg(options.output_dir)
    with timer.stage("read"):
        lineup = gather(options)
        articles = lineup.articles
    engine = get_engine(options.engine)
    voice = options.voice
    engine.check(voice)
    if hasattr(engine, "limit_retries"):
        engine.limit_retries(options.retry_seconds)
    channel = plan_channel(options.output_dir, options.programme, options.cover)
    options.programme = channel.settings.title
    with timer.stage("script"):
        script = make_script(articles, options, lineup)
        utterances = plan_utterances(script, engine.max_chars)
    _check_output_dir(options.output_dir)
    sweep_stale_partials(options.output_dir)

    jobs = options.jobs or engine.default_jobs
    with _clip_cache(options) as cache:
        with timer.stage("synthesize"):
            report = synthesize_all(
                utterances, engine, voice, cache, jobs=jobs,
                progress=(lambda done, total: progress("synthesize", done, total)) if progress else None,
            )
        used = getattr(engine, "used", engine.name)
        fallback = getattr(engine, "fallback_reason", None)
        result = _assemble(options, articles, script, utterances, report, cache, used, timer, channel, fallback)
    result.requests = getattr(engine, "requests", 0)
    result.retries = getattr(engine, "retries", 0)
    result.fallback_reason = getattr(engine, "fallback_reason", None)
    result.timings = timer.timings
    result.stories = {"in_episode": len(articles), "skipped": lineup.skipped, "duplicates": lineup.duplicates,
                      "left_out": lineup.left_out, "shortened": lineup.shortened}
    return result


def choose_ffmpeg(folder: Path) -> None:
    """Settle which ffmpeg runs before any work, so that a refused one fails fast."""
    use_setting(ffmpeg_setting(folder, load_settings(folder)), f"ffmpeg in {config_path(folder)}",
                self_test=ffmpeg_self_test)
    configure_pydub()


@contextmanager
def _clip_cache(options: MakeOptions) -> Iterator[ClipCache]:
    if options.use_cache:
        yield ClipCache(options.cache_dir or default_cache_dir())
    else:
        # Without a cache the clips still go to disk, so memory stays flat on long episodes.
        with tempfile.TemporaryDirectory(prefix="digest-clips-") as scratch:
            yield ClipCache(Path(scratch))


# Bump when stitching or tagging changes what the same clips turn into.
ASSEMBLY_VERSION = "3"


def episode_fingerprint(keys: list[str], utterances, options: MakeOptions, tags: EpisodeTags) -> str:
    """Everything that decides the finished episode's bytes, apart from the clock."""
    material = json.dumps({
        "assembly": ASSEMBLY_VERSION,
        "clips": keys,
        "pauses": [u.pause_after_ms for u in utterances],
        "speed": options.speed,
        "chime": options.chime,
        "title": tags.title,
        "programme": tags.programme,
        "engine": tags.engine,
        "description": tags.description,
        "language": tags.language,
        "stories": tags.stories,
        "cover": hashlib.sha256(tags.cover_jpeg or b"").hexdigest(),
    }, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _publish(folder: Path, channel, options: MakeOptions) -> Path:
    feed_path, _ = publish(folder, channel, seed={"language": options.lang}, base_url=options.base_url)
    return feed_path


def _assemble(options, articles, script, utterances, report, cache, engine_used, timer, channel, fallback) -> MakeResult:
    folder = options.output_dir
    guid = episode_guid(articles, options.programme)
    title = episode_title(articles, options)
    # An MP3 renamed by hand takes its sidecars along first, so they are found by its new name.
    tidy_sidecars(folder)
    existing = _existing(folder, guid)
    tags = EpisodeTags(
        title=title,
        programme=options.programme,
        guid=guid,
        published=_publication_time(options.date),
        engine=engine_used,
        description=describe(articles),
        language=options.lang,
        stories=[_story_record(a) for a in articles],
        cover_jpeg=channel.embedded_cover,
    )
    if fallback:
        tags.extra["FALLBACK"] = fallback
    fingerprint = episode_fingerprint(report.keys, utterances, options, tags)
    tags.extra["FINGERPRINT"] = fingerprint
    same = existing is not None and not options.force and existing.tags.extra.get("FINGERPRINT") == fingerprint
    missing = missing_sidecars(existing.path) if same else []
    if missing:
        # Their cue times come from stitching, so the episode is made again (from cached clips).
        log.warning("%s is missing %s; making it again", existing.path.name, ", ".join(p.name for p in missing))
    elif same:
        # Same clips, same words, same settings, every file present: the episode is already this one.
        with timer.stage("feed"), folder_lock(folder):
            feed_path = _publish(folder, channel, options)
        return MakeResult(
            mp3_path=existing.path, feed_path=feed_path, title=title, guid=guid, duration=existing.duration,
            engine=engine_used, requests=0, retries=0, cache_hits=report.cache_hits, clips=report.unique_clips,
            utterances=len(utterances), fallback_reason=None, up_to_date=True,
        )
    if existing is not None and (options.date is None or options.date == _local_date(existing.tags.published)):
        # Regenerating an episode keeps its GUID and publication time, unless told another date.
        tags.published = existing.tags.published

    def clips():
        for key, utterance in zip(report.keys, utterances):
            segment = cache.get(key)
            if segment is None:
                raise EngineError(f"the clip for {utterance.text[:50]!r} vanished from the cache")
            yield segment, gap_after(utterance, options.chime)

    with staged_in(folder, ".mp3") as staged:
        with timer.stage("stitch"):
            stitched = stitch(clips(), staged.path, speed=options.speed)
        with timer.stage("tag"):
            tags.chapters = chapters_from(script, [u.segment_index for u in utterances], stitched.spans, stitched.duration)
            cues = [Cue(span.start, span.end, u.text) for u, span in zip(utterances, stitched.spans)]
            sidecars = build_sidecars(cues, [segment.text for segment in script.segments], tags.chapters, tags.stories)
            tags.extra["SIDECARS"] = fingerprint_sidecars(sidecars)
            write_tags(staged.path, tags)
        with timer.stage("feed"), folder_lock(folder):
            # Named under the lock: a concurrent run may have published since we looked.
            mp3_path = _episode_path(folder, guid, options, articles)
            previous = read_episode(mp3_path) if mp3_path.exists() else None
            write_sidecars(mp3_path, sidecars, previous.tags.extra.get("SIDECARS") if previous else None)
            staged.commit(mp3_path)
            feed_path = _publish(folder, channel, options)
    return MakeResult(
        mp3_path=mp3_path, feed_path=feed_path, title=title, guid=guid, duration=stitched.duration,
        engine=engine_used, requests=0, retries=0, cache_hits=report.cache_hits, clips=report.unique_clips,
        utterances=len(utterances), fallback_reason=None,
    )


def _publication_time(date: dt.date | None) -> dt.datetime:
    """Now, or now's time of day on the --date given, so back-dated episodes sort by that date."""
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    if date is not None and date != now.date():
        now = now.replace(year=date.year, month=date.month, day=date.day)
    return now.astimezone(dt.timezone.utc)


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


def _episode_path(folder: Path, guid: str, options: MakeOptions, articles: list[Article]) -> Path:
    """The same episode keeps its file; a new one gets <date>-<slug>.mp3, made unique."""
    existing = _existing(folder, guid)
    if existing is not None:
        return existing.path
    date = options.date or dt.date.today()
    return _free_name(folder / f"{date.isoformat()}-{slugify(display_title(articles[0]))}.mp3")


def _free_name(path: Path) -> Path:
    """Another episode or file already owns this name (same day, same title): add a counter."""
    candidate, counter = path, 2
    # A user's own notes named like the new episode's transcript must not be overwritten either.
    while candidate.exists() or find_sidecars(candidate):
        candidate = path.with_name(f"{path.stem}-{counter}{path.suffix}")
        counter += 1
    return candidate
