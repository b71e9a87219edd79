"""What every reader shares: its settings, the record of a skipped item, and final checks."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from digest.dates import parse_date
from digest.errors import InputError
from digest.limits import (
    DEFAULT_FEED_LIMIT,
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_READ_BUDGET,
    DEFAULT_READ_MEMORY,
    DEFAULT_TIMEOUT,
    RAW_BYTES_PER_CHAR,
)
from digest.models import Article
from digest.read.clean import clean_line, clean_text, paragraphs


@dataclass(frozen=True)
class OwnFiles:
    """Files a folder input leaves out because a program wrote them, not a writer.

    Without this, `digest make audio/` would read the last episode's transcript back as a
    story. The publishing stage says what it writes (digest.publish.outputs.own_files): files
    named <stem><suffix> beside a <stem><companion_of> file, and `names_when_marked` in a
    folder that holds `marker`.
    """

    companion_suffixes: tuple[str, ...] = ()
    companion_of: str = ""
    names_when_marked: tuple[str, ...] = ()
    marker: str = ""

    def excludes(self, path: Path, names: set[str]) -> bool:
        """Whether `path` is such a file, `names` being every file name in its folder."""
        for suffix in self.companion_suffixes:
            if path.name.endswith(suffix) and f"{path.name[: -len(suffix)]}{self.companion_of}" in names:
                return True
        return path.name in self.names_when_marked and self.marker in names


@dataclass(frozen=True)
class ReadSettings:
    max_chars: int = DEFAULT_MAX_CHARS
    allow_private: bool = False
    limit: int = DEFAULT_FEED_LIMIT  # newest items taken from a feed
    since: dt.date | None = None  # feed items published before this day are left out
    timeout: float = DEFAULT_TIMEOUT  # seconds for one download, start to last byte
    # Seconds one input may take to read in all (a feed with its items' pages included): past
    # it the input is left out with a warning, so that no document can hang a run.
    budget_seconds: float = DEFAULT_READ_BUDGET
    budget_bytes: int = DEFAULT_READ_MEMORY  # memory one input's read may take on top
    # When this input's budget runs out (time.monotonic()): downloads stop there. Set per input.
    deadline: float | None = field(default=None, compare=False)
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    own_files: OwnFiles = OwnFiles()  # what a folder input leaves out
    # Whether a feed item (by its GUID and link) was read before, as `digest sync` records it:
    # such items are left out after --limit picks the newest, so their pages are not fetched again.
    seen: Callable[[str | None, str | None], bool] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise InputError(f"--max-chars must be a positive number, not {self.max_chars}")
        if self.limit < 1:
            raise InputError(f"--limit must be at least 1, not {self.limit}")
        if self.budget_bytes < 1024 * 1024:
            raise InputError(f"the read memory budget must be at least 1 MB, not {self.budget_bytes} bytes")
        if not 0 < self.budget_seconds:
            raise InputError(f"the read budget must be more than 0 seconds, not {self.budget_seconds}")
        if not 0 < self.timeout <= 600:
            raise InputError(f"the download timeout must be between 0 and 600 seconds, not {self.timeout}")

    @property
    def max_bytes(self) -> int:
        return self.max_chars * RAW_BYTES_PER_CHAR


@dataclass(frozen=True)
class Document:
    """One document to read, whatever its kind: its bytes, its text, and where it came from."""

    data: bytes
    text: str  # the bytes decoded (charset detected, or declared by the server)
    name: str  # for messages: a path, a URL, "stdin"
    settings: "ReadSettings"
    url: str | None = None
    content_type: str = ""
    charset: str | None = None
    # Reads the page a feed item links to, for items that carry only a summary.
    read_page: "Callable[[str], Article] | None" = None


def unexpected_failure(spec: str, error: BaseException) -> InputError:
    """What an input that failed in a way digest does not expect becomes: that input's one-line
    problem, so that one hostile document cannot stop the stories beside it."""
    detail = " ".join(str(error).split())[:200]
    return InputError(f"{spec}: could not be read ({type(error).__name__}{': ' + detail if detail else ''}); "
                      "this looks like a bug in digest, please report it")


@dataclass(frozen=True)
class Skipped:
    """One item inside an input (a feed entry, a JSON object) that could not be read, or an
    input that holds nothing to read (`empty`: a folder of no articles, a feed of no items)."""

    message: str
    empty: bool = False


@dataclass(frozen=True)
class Known:
    """A feed item left unread because `ReadSettings.seen` says it was read before: counted, never fetched."""

    guid: str | None
    link: str | None


def too_large(name: str, settings: ReadSettings) -> InputError:
    return InputError(
        f"{name}: is larger than {settings.max_bytes:,} bytes, the input limit for "
        f"--max-chars {settings.max_chars:,}; split it into articles"
    )


def finish(article: Article, name: str, settings: ReadSettings) -> Article:
    """Refuse articles with nothing to say or too much of it; tidy the one-line fields."""
    if not paragraphs(clean_text(article.body)):
        raise InputError(f"{name}: has no readable text")
    if len(article.body) > settings.max_chars:
        raise InputError(
            f"{name}: has {len(article.body):,} characters, more than the limit of "
            f"{settings.max_chars:,} (--max-chars)"
        )
    return Article(
        title=clean_line(article.title or ""),
        body=article.body,
        date=article.date,
        source=clean_line(article.source) or None if article.source else None,
        url=article.url.strip() or None if article.url else None,
        author=clean_line(article.author) or None if article.author else None,
        guid=article.guid.strip() or None if article.guid else None,
    )


_ISO_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ]|$)")


def parse_when(value) -> dt.date | None:
    """The day of a date as metadata carries it: ISO dates and times, RFC 822, month names,
    epoch seconds or a struct_time; None when it cannot be read with confidence."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, time.struct_time):
        try:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:
            return None
    if isinstance(value, (int, float)):
        try:
            return dt.datetime.fromtimestamp(value, dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _ISO_DAY.match(text):
        return parse_date(match.group(1))
    parsed = parse_date(text)
    if parsed is not None:
        return parsed
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
