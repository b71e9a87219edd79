"""JSON and JSON Lines -> Articles.

Accepted shapes: one article object, an array of them, an object holding them under
`articles`, `items`, `entries`, `stories` or `posts`, or one object per line (JSONL). An
article object has its text under `text`, `body`, `content` (plain or HTML) and optionally
`title`, `date`, `source`, `url`, `author` (or common synonyms of these).
"""

from __future__ import annotations

import json

from digest.errors import InputError, NothingToRead
from digest.models import Article
from digest.read.base import Document, Skipped, parse_when
from digest.read.fragments import fragment_text, looks_like_html

_LIST_KEYS = ("articles", "items", "entries", "stories", "posts", "data")
_TEXT_KEYS = ("text", "body", "content", "content_text", "content_html", "article", "article_body", "articleBody")
_TITLE_KEYS = ("title", "headline", "name")
_DATE_KEYS = ("date", "published", "published_at", "publishedAt", "pubDate", "datePublished", "date_published",
              "created", "created_at", "updated", "date_modified")
_SOURCE_KEYS = ("source", "site", "site_name", "sitename", "publisher", "publication", "feed")
_URL_KEYS = ("url", "link", "href", "permalink", "canonical_url")
_AUTHOR_KEYS = ("author", "authors", "byline", "creator")


def _first(item: dict, keys: tuple[str, ...]):
    for key in keys:
        value = item.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _name_of(value) -> str | None:
    """A person or publisher given as a string, {"name": ...} or a list of either."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _name_of(_first(value, ("name", "title", "url")))
    if isinstance(value, list):
        names = [name for name in (_name_of(item) for item in value) if name]
        return ", ".join(names) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _text_of(value) -> str:
    if isinstance(value, dict):  # {"value": "...", "type": "html"} as feeds export it
        value = _first(value, ("value", "text", "html", "body"))
    if isinstance(value, list):
        return "\n\n".join(_text_of(part) for part in value)
    if not isinstance(value, str):
        return ""
    return fragment_text(value) if looks_like_html(value) else value


def article_from_object(item: dict) -> Article | None:
    """None when the object carries no text to read."""
    body = _text_of(_first(item, _TEXT_KEYS))
    if not body.strip():
        return None
    title = _first(item, _TITLE_KEYS)
    url = _first(item, _URL_KEYS)
    return Article(
        title=title if isinstance(title, str) else "",
        body=body,
        date=parse_when(_first(item, _DATE_KEYS)),
        source=_name_of(_first(item, _SOURCE_KEYS)),
        url=url if isinstance(url, str) else None,
        author=_name_of(_first(item, _AUTHOR_KEYS)),
    )


def _error_line(name: str, error: json.JSONDecodeError, line: int | None = None) -> InputError:
    where = f"line {line}" if line is not None else f"line {error.lineno}, column {error.colno}"
    # Some of json's messages end in "at" already ("Unterminated string starting at").
    return InputError(f"{name}: is not valid JSON ({error.msg.removesuffix(' at')} at {where})")


def _load(text: str, name: str) -> list:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole_error:
        lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) < 2:
            raise _error_line(name, whole_error) from None
        records: list = []
        for number, line in lines:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                # One broken line of a JSON Lines export costs that story, not the whole file.
                records.append(_error_line(name, error, number))
        broken = sum(isinstance(record, InputError) for record in records)
        # JSON Lines with a damaged line, or a damaged pretty-printed document whose lines are
        # mostly not JSON on their own: only the first is worth reading in part.
        if broken * 2 >= len(records) or not isinstance(records[0], dict):
            raise _error_line(name, whole_error) from None
        return records
    except RecursionError:
        raise InputError(f"{name}: is JSON nested too deeply to read") from None
    if isinstance(data, dict):
        if _first(data, _TEXT_KEYS) is not None:
            return [data]
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
        return [data]
    if isinstance(data, list):
        return data
    raise InputError(f"{name}: is JSON but holds no article objects")


def parse_json(text: str, name: str) -> list[Article | Skipped]:
    records = _load(text, name)
    if not records:
        raise NothingToRead(f"{name}: is JSON with an empty list of articles")
    entries: list[Article | Skipped] = []
    for number, record in enumerate(records, 1):
        label = f"{name}: item {number}"
        if isinstance(record, InputError):
            entries.append(Skipped(str(record)))
        elif not isinstance(record, dict):
            entries.append(Skipped(f"{label}: is not an object with title and text"))
        elif (article := article_from_object(record)) is None:
            entries.append(Skipped(f"{label}: has no text (expected one of {', '.join(_TEXT_KEYS[:3])})"))
        else:
            entries.append(article)
    return entries


def read_document(document: Document) -> list[Article | Skipped]:
    return parse_json(document.text, document.name)
