"""`digest sync`: one episode of what is new in the folder's sources, then the feed, then retention.

The running order:
1. every source is read as `make` reads an input (each within its own time and memory budget);
   feed items already told are left out before their pages are fetched. A source that fails
   is a warning and the others go on; nothing of it is marked read, so it is tried next time;
2. what no episode has told yet (see digest.sync.state) is the day's lineup, repeats dropped.
   Nothing new: the run ends there, writing nothing;
3. under the sync lock (so two scheduled runs never tell the same items), the record is read
   again and `make` makes the episode from the lineup, one per language when sources differ;
4. the stories the episode told are recorded; those it left out (--max-minutes) stay new;
5. the retention rules (keep_episodes, keep_days in digest.toml) remove older episodes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from filelock import FileLock, Timeout

from digest.errors import DigestError, InputError, OutputError
from digest.make import MakeResult, ProgressCallback, make
from digest.models import Article
from digest.options import MakeOptions
from digest.publish.episodes import expire_episodes
from digest.publish.preferences import file_values
from digest.read import Known, Skipped, read_within_budget
from digest.read.lineup import Lineup, drop_duplicates
from digest.sync.sources import Source, load_sources
from digest.sync.state import SyncState, item_keys

__all__ = ["SyncFailed", "SyncResult", "sync"]

log = logging.getLogger(__name__)

LOCK_NAME = ".digest-sync.lock"


class SyncFailed(DigestError):
    """No source could be read: a runtime failure (exit 1), tried again by the next run."""


@dataclass
class SourceReport:
    name: str
    url: str
    lang: str | None = None
    new: int = 0  # items not told before
    known: int = 0  # items already told (a feed's are left unread: its record is enough)
    skipped: int = 0  # items that could not be read (stay new)
    error: str | None = None  # why the whole source could not be read

    def as_json(self) -> dict:
        return {"name": self.name, "url": self.url, "new": self.new, "known": self.known,
                "skipped": self.skipped, "error": self.error}


@dataclass
class NewItem:
    source: Source
    article: Article
    keys: list[str]


@dataclass
class SyncResult:
    folder: Path
    outcome: str  # "episode", "nothing new" or "dry run"
    sources: list[SourceReport]
    new: list[NewItem] = field(default_factory=list)
    episodes: list[MakeResult] = field(default_factory=list)
    left_for_later: int = 0  # new stories an episode left out; the next sync tells them
    duplicates: int = 0  # new stories dropped as the same story as another one
    removed: list[str] = field(default_factory=list)  # files retention removed

    @property
    def failed(self) -> list[SourceReport]:
        return [report for report in self.sources if report.error]

    def summary(self) -> dict:
        # Stories are counted apart from sources: a source that failed is no story left out.
        return {
            "folder": str(self.folder),
            "outcome": self.outcome,
            "new_stories": len(self.new),
            "known": sum(report.known for report in self.sources),
            "skipped": sum(report.skipped for report in self.sources),
            "duplicates": self.duplicates,
            "left_for_later": self.left_for_later,
            "sources": [report.as_json() for report in self.sources],
            "sources_failed": len(self.failed),
            "episodes": [result.summary() for result in self.episodes],
            "removed": self.removed,
            "stories": [{"source": item.source.name, "title": item.article.title, "url": item.article.url}
                        for item in self.new],
        }


def sync(folder: Path, options: MakeOptions, *, dry_run: bool = False,
         progress: ProgressCallback | None = None) -> SyncResult:
    """Read every source of `folder` and make one episode of what is new (see the module docstring).

    `options` carries the run's settings as for `make`; its inputs and language are replaced
    per episode. With `dry_run`, the sources are read and nothing is written.
    """
    folder = Path(folder)
    sources = load_sources(folder)
    if not sources:
        raise InputError(f"{folder} has no sources to sync; add one with `digest sources add URL -o {folder}` "
                         "or `digest sources import FILE.opml`")
    state = SyncState.load(folder)
    reports, new = _read_sources(sources, state, options)
    if len(reports) == len([r for r in reports if r.error]):
        raise SyncFailed(f"no source could be read ({len(reports)} failed, see the warnings above); "
                         "nothing was written")
    if dry_run:
        return SyncResult(folder, "dry run", reports, new)
    if not new:
        return SyncResult(folder, "nothing new", reports)
    with _sync_lock(folder):
        # Another run may have told some of these while this one was reading.
        state = SyncState.load(folder)
        new = [item for item in new if not state.knows(item.keys)]
        if not new:
            return SyncResult(folder, "nothing new", reports)
        result = SyncResult(folder, "episode", reports, new)
        _make_episodes(folder, new, reports, state, options, progress, result)
    if result.episodes:
        keep = file_values(folder)
        removals = expire_episodes(folder, options.date or dt.date.today(), keep.get("keep_episodes"),
                                   keep.get("keep_days"), protect=frozenset(r.guid for r in result.episodes))
        result.removed = [path.name for removal in removals for path in removal.files]
    return result


def _read_sources(sources: list[Source], state: SyncState,
                  options: MakeOptions) -> tuple[list[SourceReport], list[NewItem]]:
    base = options.read_settings
    reports: list[SourceReport] = []
    new: list[NewItem] = []
    for source in sources:
        report = SourceReport(source.name, source.url, source.lang)
        reports.append(report)
        settings = replace(base, limit=source.limit or base.limit,
                           seen=lambda guid, link, url=source.url: state.seen_feed_item(url, guid, link))
        try:
            entries = read_within_budget(source.url, settings)
        except InputError as error:
            report.error = str(error)
            log.warning("source %r could not be read; tried again next sync: %s", source.name, error)
            continue
        for entry in entries:
            if isinstance(entry, Known):
                report.known += 1
                continue
            if isinstance(entry, Skipped):
                report.skipped += 1
                log.warning("%s (skipped; tried again next sync)", entry.message)
                continue
            keys = item_keys(source.url, entry)
            if state.knows(keys):
                report.known += 1
            else:
                report.new += 1
                new.append(NewItem(source, entry, keys))
    return reports, new


class _sync_lock:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = FileLock(str(folder / LOCK_NAME), timeout=0)

    def __enter__(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise OutputError(f"another `digest sync` is running in {self.folder}; this one stops") from None

    def __exit__(self, *exc) -> None:
        self._lock.release()


def _make_episodes(folder: Path, new: list[NewItem], reports: list[SourceReport], state: SyncState,
                   options: MakeOptions, progress: ProgressCallback | None, result: SyncResult) -> None:
    """One episode per language, in the order the sources are listed; the record saved after each."""
    kept, _ = drop_duplicates([item.article for item in new], [f"source {item.source.name!r}" for item in new])
    kept_ids = {id(article) for article in kept}
    repeats = [item for item in new if id(item.article) not in kept_ids]
    result.duplicates = len(repeats)
    languages: dict[str, list[NewItem]] = {}
    for item in new:
        if id(item.article) in kept_ids:
            languages.setdefault(item.source.lang or options.lang, []).append(item)
    # The intro says how many stories of this language's sources could not be read. A source
    # that failed as a whole is not a story: its warning says so, the listener need not hear it.
    skipped: dict[str, int] = {}
    duplicates: dict[str, int] = {}
    for report in reports:
        lang = report.lang or options.lang
        skipped[lang] = skipped.get(lang, 0) + report.skipped
    for item in repeats:
        lang = item.source.lang or options.lang
        duplicates[lang] = duplicates.get(lang, 0) + 1
    for lang, items in languages.items():
        lineup = Lineup([item.article for item in items], skipped=skipped.get(lang, 0),
                        duplicates=duplicates.get(lang, 0))
        episode_options = replace(options, lang=lang, inputs=list(dict.fromkeys(item.source.url for item in items)))
        made = make(episode_options, progress=progress, lineup=lineup)
        result.episodes.append(made)
        told = _told(items, made.articles)
        day = options.date or dt.date.today()
        for item in told:
            state.record(item.keys, made.guid, day)
        if repeats:  # the same stories as ones told: not news tomorrow either
            for item in repeats:
                state.record(item.keys, made.guid, day)
            repeats = []
        state.save()
        result.left_for_later += len(items) - len(told)


def _told(items: list[NewItem], told: list[Article]) -> list[NewItem]:
    """The items behind the stories an episode told; --max-minutes may have shortened their text."""
    def identity(article: Article) -> tuple:
        return article.title, article.url, article.guid, article.date, article.source, article.author

    waiting = list(items)
    matched: list[NewItem] = []
    for article in told:
        found = next((item for item in waiting if identity(item.article) == identity(article)), None)
        if found is not None:
            waiting.remove(found)
            matched.append(found)
    return matched

