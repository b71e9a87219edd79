"""The episodes of one output folder, owned by one object per run.

`Library.open(folder)` lists the folder once: every episode MP3 (its tags read from the MP3,
or from the index when the file is unchanged), every other file name, and what the previous
feed listed. Whatever needs "the episodes here" during a run asks the library: the up-to-date
check, tidying the outputs of MP3s renamed or deleted by hand, naming a new episode, placing
it, and the feed.

The index (`.digest-index.json`, hidden, so never served or read as an article) remembers each
MP3's tags by file name, size and modification time, and which output files were found to be
the episode's own. It is only a cache: the MP3s' tags are the record, and a missing, damaged
or stale index is rebuilt from them. Callers hold the folder lock while they change anything.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from digest.fsutil import write_atomic
from digest.publish.feed import ListedEpisode, listed_episodes, write_feed
from digest.publish.outputs import OUTPUTS, SidecarVerdicts, find_sidecars, sidecar_path, write_sidecars
from digest.publish.settings import FEED_NAME, FeedSettings
from digest.publish.slug import slugify
from digest.publish.tags import Chapter, EpisodeFile, EpisodeTags, read_episode

log = logging.getLogger(__name__)

INDEX_NAME = ".digest-index.json"
# Bump when what the index keeps of an episode changes; an index of another version is rebuilt.
INDEX_VERSION = 1


@dataclass
class Tidied:
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # ours, left where they are (see follow_episodes)


class Library:
    """The digest episodes in `folder`, newest first, and the names of every file there."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.episodes: list[EpisodeFile] = []
        self.names: set[str] = set()
        self.stats: dict[str, tuple[int, int]] = {}  # name -> (size, mtime_ns) of every file listed
        self._known: dict[str, tuple[list, EpisodeFile | None]] = {}  # this run's episodes by name
        self._index = _Index.load(self.folder / INDEX_NAME)
        self.verdicts = SidecarVerdicts(self._index.sidecars, lambda path: self.stats.get(path.name))
        self.tag_reads = 0

    @classmethod
    def open(cls, folder: Path) -> Library:
        library = cls(folder)
        library.refresh()
        return library

    def refresh(self) -> None:
        """List the folder again: unchanged MP3s come from the index, the rest are read."""
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            entries = []
        self.names = {entry.name for entry in entries}
        self.stats = {}
        episodes = []
        seen = set()
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file():
                continue
            stat = entry.stat()
            key = [stat.st_size, stat.st_mtime_ns]
            self.stats[entry.name] = (stat.st_size, stat.st_mtime_ns)
            if not entry.name.endswith(".mp3"):
                continue
            seen.add(entry.name)
            known = self._known.get(entry.name)
            if known is not None and known[0] == key:
                episode = known[1]
            else:
                episode = self._index.episode(entry.name, key, self.folder)
                if episode is None:
                    episode = read_episode(self.folder / entry.name)
                    self.tag_reads += 1
                    self._index.remember(entry.name, key, episode)
                self._known[entry.name] = (key, episode)
            if episode is not None:
                episodes.append(episode)
        self._index.forget_all_but(seen)
        episodes.sort(key=lambda e: (e.tags.published, e.path.name), reverse=True)
        self.episodes = episodes

    def find(self, guid: str) -> EpisodeFile | None:
        return next((episode for episode in self.episodes if episode.tags.guid == guid), None)

    def outputs_of(self, episode: EpisodeFile) -> dict[str, Path]:
        """The episode's own output files present in the folder, by kind."""
        return find_sidecars(episode.path, episode.tags.extra.get("SIDECARS"), self.names, self.verdicts)

    def missing_outputs(self, episode: EpisodeFile) -> list[Path]:
        return [path for key in OUTPUTS if (path := sidecar_path(episode.path, key)).name not in self.names]

    def tidy(self) -> Tidied:
        """Let outputs follow MP3s renamed or deleted since feed.xml was last written.

        The old feed is the record of which files were ours, so this runs before it is rebuilt.
        """
        tidied = follow_episodes(self.folder, self._listed(), self.episodes, self.names)
        if tidied.moved or tidied.removed:
            self.refresh()
        return tidied

    def _listed(self) -> list[ListedEpisode]:
        """What feed.xml lists: remembered from when this library wrote it, while it is unchanged."""
        key = _stat_key(self.folder / FEED_NAME)
        remembered = self._index.listed
        if key is not None and isinstance(remembered, dict) and remembered.get("key") == key:
            try:
                return [ListedEpisode(guid, name, frozenset(linked)) for guid, name, linked in remembered["items"]]
            except (KeyError, TypeError, ValueError):
                pass
        return listed_episodes(self.folder)

    def path_for(self, guid: str, date: dt.date, title: str) -> Path:
        """The same episode keeps its file; a new one gets <date>-<slug>.mp3, made unique."""
        existing = self.find(guid)
        if existing is not None:
            return existing.path
        return self._free_name(self.folder / f"{date.isoformat()}-{slugify(title)}.mp3")

    def _free_name(self, path: Path) -> Path:
        """Another episode or file already owns this name (same day, same title): add a counter."""
        candidate, counter = path, 2
        # A user's own notes named like the new episode's transcript must not be overwritten either.
        while candidate.name in self.names or find_sidecars(candidate, present=self.names):
            candidate = path.with_name(f"{path.stem}-{counter}{path.suffix}")
            counter += 1
        return candidate

    def place(self, staged, mp3_path: Path, outputs: dict[str, bytes]) -> None:
        """Write the episode's outputs, then move its staged MP3 into place, and take note of them.

        Only the files written here are looked at again, not the whole folder: the caller holds
        the lock, so nothing else has changed it since it was listed.
        """
        previous = self.find_by_path(mp3_path)
        write_sidecars(mp3_path, outputs, previous.tags.extra.get("SIDECARS") if previous else None)
        staged.commit(mp3_path)
        for path in [mp3_path, *(sidecar_path(mp3_path, key) for key in OUTPUTS)]:
            try:
                stat = path.stat()
            except OSError:
                self.names.discard(path.name)
                self.stats.pop(path.name, None)
                continue
            self.names.add(path.name)
            self.stats[path.name] = (stat.st_size, stat.st_mtime_ns)
        key = list(self.stats[mp3_path.name])
        episode = read_episode(mp3_path)
        self.tag_reads += 1
        self._index.remember(mp3_path.name, key, episode)
        self._known[mp3_path.name] = (key, episode)
        self.episodes = [e for e in self.episodes if e.path.name != mp3_path.name] + ([episode] if episode else [])
        self.episodes.sort(key=lambda e: (e.tags.published, e.path.name), reverse=True)

    def find_by_path(self, path: Path) -> EpisodeFile | None:
        return next((episode for episode in self.episodes if episode.path.name == path.name), None)

    def write_feed(self, settings: FeedSettings, cover_name: str | None) -> Path:
        outputs = {episode.path.name: self.outputs_of(episode) for episode in self.episodes}
        path = write_feed(self.folder, settings, cover_name, self.episodes, lambda e: outputs[e.path.name])
        # What the feed now lists, so the next run's tidy-up need not parse it back.
        self._index.listed = {"key": _stat_key(path), "items": [
            [episode.tags.guid, episode.path.name,
             sorted(path.name for key, path in outputs[episode.path.name].items() if OUTPUTS[key].link)]
            for episode in self.episodes]}
        self.save_index()
        return path

    def save_index(self) -> None:
        self._index.sidecars = {name: entry for name, entry in self.verdicts.known.items() if name in self.names}
        self._index.save()


class _Index:
    """What the library remembers between runs; see the module's docstring."""

    def __init__(self, path: Path, episodes: dict | None = None, sidecars: dict | None = None,
                 listed: dict | None = None) -> None:
        self.path = path
        self.episodes: dict[str, dict] = episodes or {}
        self.sidecars: dict[str, list] = sidecars or {}
        self.listed: dict | None = listed  # what feed.xml listed when digest wrote it, by its stat
        self.loaded = self._state()

    def _state(self) -> tuple:
        return dict(self.episodes), dict(self.sidecars), self.listed

    @classmethod
    def load(cls, path: Path) -> _Index:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION and isinstance(data.get("episodes"), dict) \
                    and isinstance(data.get("sidecars"), dict):
                return cls(path, data["episodes"], data["sidecars"], data.get("listed"))
        except (OSError, ValueError, AttributeError):
            pass
        return cls(path)

    def episode(self, name: str, key: list, folder: Path) -> EpisodeFile | None:
        entry = self.episodes.get(name)
        if not isinstance(entry, dict) or entry.get("key") != key or "episode" not in entry:
            return None
        try:
            return _episode_from(folder / name, entry["episode"])
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry: read the MP3 again

    def remember(self, name: str, key: list, episode: EpisodeFile | None) -> None:
        # MP3s that are not digest's are remembered too, so they are not read on every run.
        self.episodes[name] = {"key": key, "episode": _episode_to(episode) if episode else None}

    def forget_all_but(self, names: set[str]) -> None:
        for name in set(self.episodes) - names:
            del self.episodes[name]

    def save(self) -> None:
        if self._state() == self.loaded:
            return
        data = {"version": INDEX_VERSION, "episodes": self.episodes, "sidecars": self.sidecars,
                "listed": self.listed}
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        except Exception as error:  # the index only saves time; failing to write it loses nothing
            log.debug("could not save %s: %s", self.path, error)
            return
        self.loaded = self._state()


def _stat_key(path: Path) -> list | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _episode_to(episode: EpisodeFile) -> dict:
    tags = episode.tags
    return {
        "title": tags.title, "programme": tags.programme, "guid": tags.guid,
        "published": tags.published.isoformat(), "engine": tags.engine, "description": tags.description,
        "language": tags.language, "stories": tags.stories,
        "chapters": [[c.title, c.start, c.end] for c in tags.chapters],
        "extra": tags.extra, "duration": episode.duration, "size": episode.size,
    }


def _episode_from(path: Path, data: dict | None) -> EpisodeFile | None:
    if data is None:
        return None
    tags = EpisodeTags(
        title=data["title"], programme=data["programme"], guid=data["guid"],
        published=dt.datetime.fromisoformat(data["published"]), engine=data["engine"],
        description=data["description"], language=data["language"], stories=list(data["stories"]),
        chapters=[Chapter(str(t), float(s), float(e)) for t, s, e in data["chapters"]],
        extra={str(k): str(v) for k, v in data["extra"].items()},
    )
    return EpisodeFile(path=path, tags=tags, duration=float(data["duration"]), size=int(data["size"]))


def follow_episodes(folder: Path, listed: list[ListedEpisode], episodes: list[EpisodeFile],
                    present: set[str] | None = None) -> Tidied:
    """Rename the outputs of renamed MP3s to match and remove those of deleted ones.

    `listed` is what the previous feed listed and `episodes` what the folder holds now. An
    episode keeps its GUID (in its tags) under any file name, so its GUID under another name
    is a rename. Only files at an old name with no MP3 left are touched: a file there now may
    be a new episode's outputs just written. Nothing is ever overwritten. `present` (the
    folder's file names, when the caller has listed it) spares a stat per listed episode.
    """
    folder = Path(folder)
    homes: dict[str, list[Path]] = {}
    for episode in episodes:
        homes.setdefault(episode.tags.guid, []).append(episode.path)
    tidied = Tidied()
    for item in listed:
        old_mp3 = folder / item.mp3_name
        if old_mp3.suffix != ".mp3" or (item.mp3_name in present if present is not None else old_mp3.exists()):
            continue
        ours = {key: path for key in OUTPUTS
                if (path := sidecar_path(old_mp3, key)).name in item.linked_names and path.is_file()}
        if not ours:
            continue
        new_homes = homes.get(item.guid, [])
        if len(new_homes) > 1:
            # Copies of one episode: which of them the files belong with is the user's call.
            tidied.kept.extend(ours.values())
            log.warning("left %s as they are: episode %s is now %s", _names(ours.values()), item.mp3_name,
                        _names(new_homes))
            continue
        for key, path in ours.items():
            target = sidecar_path(new_homes[0], key) if new_homes else None
            _follow(path, target, item.mp3_name, tidied)
    return tidied


def _follow(path: Path, target: Path | None, old_mp3_name: str, tidied: Tidied) -> None:
    """Move one output to `target`, or remove it when its episode is gone (target None)."""
    try:
        if target is None:
            path.unlink()
            tidied.removed.append(path)
            log.warning("removed %s: its episode %s is gone", path.name, old_mp3_name)
        elif not target.exists():
            os.replace(path, target)
            tidied.moved.append((path, target))
            log.warning("renamed %s to %s: its episode %s was renamed", path.name, target.name, old_mp3_name)
        elif target.read_bytes() == path.read_bytes():
            path.unlink()
            tidied.removed.append(path)
            log.warning("removed %s: %s is the same file", path.name, target.name)
        else:
            tidied.kept.append(path)
            log.warning("left %s as it is: %s (its episode's new name) already exists", path.name, target.name)
    except OSError as error:
        tidied.kept.append(path)
        log.warning("could not tidy %s: %s", path.name, error.strerror or error)


def _names(paths) -> str:
    return ", ".join(path.name for path in paths)


def list_episodes(folder: Path) -> list[EpisodeFile]:
    """Episodes made by digest in `folder`, newest first; unfinished (hidden) files are ignored."""
    return Library.open(folder).episodes
