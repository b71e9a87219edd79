"""An RSS or Atom feed -> its newest items as Articles.

Many feeds carry only a teaser; when an item has no full content, only a summary shorter than
a real article (or its text trails off with an ellipsis), and it links to a page, the page is
fetched and its article extracted instead, several pages at a time. If that fails, the teaser is read with a warning
rather than losing the story.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from digest.errors import InputError, NothingToRead
from digest.models import Article
from digest.read.base import Document, Known, ReadSettings, Skipped, parse_when, unexpected_failure
from digest.read.clean import clean_line
from digest.read.fragments import fragment_text, looks_like_html

log = logging.getLogger(__name__)

# A teaser is a sentence or two; a real news item is rarely under a hundred words.
SUMMARY_WORDS = 120
_PAGE_FETCHES_AT_ONCE = 4
_TRAILING_OFF_WORDS = ("read more", "continue reading")
_ELLIPSES = ("...", "\u2026")

PageReader = Callable[[str], Article]


def _full_content(entry) -> str:
    """The item's full text (content:encoded, Atom content), as opposed to its summary."""
    parts = [part.get("value", "") for part in entry.get("content", []) or []]
    return max(parts, key=len, default="")


def _as_text(markup: str) -> str:
    return fragment_text(markup) if looks_like_html(markup) else markup.strip()


def _entry_date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if entry.get(key):
            return parse_when(entry[key])
    return parse_when(entry.get("published") or entry.get("updated"))


def _entry_moment(entry) -> tuple | None:
    """When the entry was published, as a sortable tuple: to the second when the feed says
    (feedparser gives UTC), else its day. Items of one day must still sort by their hour."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if entry.get(key):
            return tuple(entry[key])[:6]
    date = _entry_date(entry)
    return (date.year, date.month, date.day, 0, 0, 0) if date else None


def _trails_off(text: str) -> bool:
    """Whether `text` ends like a teaser: "...", "[…]", "Read more »", "Continue reading".

    Done by hand rather than with a pattern ending in "\\W*$": that one retried every dot of a
    long run of them to the end of the text.
    """
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    trail = text[end:]
    return any(ellipsis in trail for ellipsis in _ELLIPSES) or text[:end].lower().endswith(_TRAILING_OFF_WORDS)


def _is_teaser(text: str, is_full_content: bool) -> bool:
    if _trails_off(text):
        return True
    return not is_full_content and len(text.split()) < SUMMARY_WORDS


def _choose(entries: list, settings: ReadSettings) -> list:
    """The newest `limit` entries published since `since`, kept in the feed's own order."""
    dated = [(position, entry, _entry_date(entry)) for position, entry in enumerate(entries)]
    if settings.since:
        # Undated items cannot be judged; keeping them beats silently losing news.
        dated = [item for item in dated if item[2] is None or item[2] >= settings.since]
    moments = {position: _entry_moment(entry) for position, entry, _ in dated}
    if all(moment is not None for moment in moments.values()):
        newest = sorted(dated, key=lambda item: moments[item[0]], reverse=True)[: settings.limit]
        dated = sorted(newest, key=lambda item: item[0])
    else:
        dated = dated[: settings.limit]  # feeds list their newest items first by convention
    return [entry for _, entry, _ in dated]


def parse_feed(
    data: bytes,
    name: str,
    settings: ReadSettings,
    read_page: PageReader,
    *,
    url: str | None = None,
    content_type: str | None = None,
) -> list[Article | Skipped | Known]:
    import feedparser

    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never a string: feedparser treats strings that look like paths or URLs as
    # something to open or fetch by itself.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries:
        if parsed.bozo:
            raise InputError(f"{name}: is not a readable RSS or Atom feed ({parsed.get('bozo_exception')})")
        raise NothingToRead(f"{name}: is a feed with no items")
    chosen = _choose(parsed.entries, settings)
    if not chosen:
        log.warning("%s: has no items published since %s", name, settings.since.isoformat())
        return []
    known: list[Known] = []
    if settings.seen is not None:
        fresh = []
        for entry in chosen:
            guid, link = entry.get("id") or None, entry.get("link") or None
            if settings.seen(guid, link):
                known.append(Known(guid, link))
            else:
                fresh.append(entry)
        chosen = fresh
    feed_title = parsed.feed.get("title") or None
    with ThreadPoolExecutor(max_workers=_PAGE_FETCHES_AT_ONCE) as pool:
        return [*pool.map(lambda entry: _isolated_item(entry, name, feed_title, read_page), chosen), *known]


def _isolated_item(entry, name: str, feed_title: str | None, read_page: PageReader) -> Article | Skipped:
    """One item, whatever happens reading it: a story or a Skipped, never the feed's failure."""
    try:
        return _item(entry, name, feed_title, read_page)
    except InputError as error:
        return Skipped(str(error))
    except Exception as error:
        return Skipped(str(unexpected_failure(f"{name}: an item", error)))


def _item(entry, name: str, feed_title: str | None, read_page: PageReader) -> Article | Skipped:
    title = (entry.get("title") or "").strip()
    label = f"{name}: item {title!r}" if title else f"{name}: an untitled item"
    link = entry.get("link") or None
    content = _full_content(entry)
    text = _as_text(content or entry.get("summary", "") or "")
    if _is_teaser(text, bool(content.strip())) and link and link.lower().startswith(("http://", "https://")):
        try:
            page = read_page(link)
        except InputError as error:
            if not text:
                return Skipped(f"{label}: has no text and its page could not be read ({error})")
            log.warning("%s: reading the feed's summary only, the page could not be read (%s)", label, error)
        else:
            text = page.body
            title = title or page.title
    if not text.strip():
        return Skipped(f"{label}: has no text")
    return Article(
        title=title,
        body=text,
        date=_entry_date(entry),
        source=feed_title,
        url=link,
        author=entry.get("author") or None,
        guid=entry.get("id") or None,
    )


def feed_title(data: bytes, *, url: str | None = None, content_type: str | None = None) -> str | None:
    """The feed's own title, on one line; None when it has none."""
    import feedparser

    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)  # a stream: see parse_feed
    return " ".join(clean_line(parsed.feed.get("title") or "").split()) or None


def read_document(document: Document) -> list[Article | Skipped | Known]:
    header = document.content_type
    if header and document.charset:
        header = f"{header}; charset={document.charset}"
    return parse_feed(document.data, document.name, document.settings, document.read_page, url=document.url,
                      content_type=header or None)
