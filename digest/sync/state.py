"""What `digest sync` has read: the items already told in an episode, kept in the output folder.

An item is known by its keys: its GUID within its source (RSS guid, Atom id), its URL (the
same story through two feeds is read once) and, for a file without either, its text. The
record outlives the episodes (retention removes episodes, not this), so an item whose episode
is gone is still not read again. It is written atomically; the oldest entries go past a cap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from digest.errors import InputError, OutputError
from digest.fsutil import read_regular, write_atomic
from digest.models import Article
from digest.read.clean import clean_text
from digest.read.lineup import url_identity

STATE_NAME = ".digest-sync.json"
VERSION = 1
# About 120 bytes an entry: a few megabytes at most, years of a busy subscription list.
MAX_ENTRIES = 50_000
MAX_STATE_BYTES = 64 * 1024 * 1024


def guid_key(source_url: str, guid: str) -> str:
    # A GUID is only unique within its feed ("1", "2", ... in some).
    return f"guid {source_url} {guid.strip()}"


def url_key(url: str) -> str:
    return "url " + url_identity(url)


def item_keys(source_url: str, article: Article) -> list[str]:
    keys = []
    if article.guid:
        keys.append(guid_key(source_url, article.guid))
    if article.url:
        keys.append(url_key(article.url))
    if not keys:
        text = clean_text(f"{article.title}\n\n{article.body}")
        keys.append("text " + hashlib.sha256(text.encode("utf-8")).hexdigest())
    return keys


@dataclass
class SyncState:
    path: Path
    # key -> {"date": the episode's day, "episode": its GUID}
    items: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> SyncState:
        path = Path(folder) / STATE_NAME
        try:
            data = json.loads(read_regular(path, MAX_STATE_BYTES, "sync state").decode("utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            return cls(path)
        except OutputError as error:
            raise InputError(str(error)) from None
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise InputError(f"{path} is damaged ({error}); remove it to read every source afresh") from None
        if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
            raise InputError(f"{path} is not digest's sync state; remove it to read every source afresh")
        return cls(path, {key: value for key, value in data["items"].items() if isinstance(value, dict)})

    def knows(self, keys: list[str]) -> bool:
        return any(key in self.items for key in keys)

    def seen_feed_item(self, source_url: str, guid: str | None, link: str | None) -> bool:
        """For the feed reader: whether an item, by its GUID and link, was read before."""
        return ((guid is not None and guid_key(source_url, guid) in self.items)
                or (link is not None and url_key(link) in self.items))

    def record(self, keys: list[str], episode: str, date: dt.date) -> None:
        for key in keys:
            self.items[key] = {"date": date.isoformat(), "episode": episode}

    def save(self) -> None:
        if len(self.items) > MAX_ENTRIES:
            newest = sorted(self.items.items(), key=lambda item: str(item[1].get("date", "")), reverse=True)
            self.items = dict(newest[:MAX_ENTRIES])
        data = {"version": VERSION, "items": self.items}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8"))
