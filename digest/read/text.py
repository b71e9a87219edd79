"""Plain text -> one Article.

Plain text comes in three shapes: the scraped-news shape whose first line carries a date and
the headline (`date 2024-03-02 City council approves ...`), a title line followed by a blank
line, and bare paragraphs with no title at all.
"""

from __future__ import annotations

import datetime as dt
import re

from digest.dates import parse_date
from digest.errors import InputError
from digest.models import Article
from digest.read.base import Document

_DATE_PREFIX = re.compile(
    r"^\s*(?:date[d]?|published|posted)\s*[:\-]?\s*"
    r"(?P<date>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[A-Za-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Za-z]+\.? \d{4})"
    r"\s*(?:[:|\-\u2013\u2014]\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_BARE_ISO_PREFIX = re.compile(r"^\s*(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<rest>\S.*)$")
_TITLE_MAX_CHARS = 160
_TITLE_MAX_WORDS = 25


def _markdown_heading(line: str) -> str | None:
    """The text of an ATX heading line ("## Title ##"), or None when `line` is not one.

    Read by hand: the pattern it replaces (a lazy title before optional closing marks) retried
    the rest of a long line at every character, quadratic on a line of spaces.
    """
    indent = len(line) - len(line.lstrip(" "))
    rest = line[indent:]
    marks = len(rest) - len(rest.lstrip("#"))
    if indent > 3 or not 1 <= marks <= 6 or not rest[marks:marks + 1].isspace():
        return None
    title = rest[marks:].strip()
    closed = title.rstrip("#")
    if closed != title and (not closed or closed[-1].isspace()):
        title = closed.rstrip()
    return title or None


def _is_title_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _TITLE_MAX_CHARS:
        return False
    if len(stripped.split()) > _TITLE_MAX_WORDS:
        return False
    # A full sentence ending in a period that runs long is a first paragraph, not a headline.
    return not (stripped.endswith(".") and len(stripped.split()) > 12)


def parse_plain_text(text: str, source_name: str | None = None) -> Article:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise InputError(f"{source_name or 'input'}: is empty")

    date: dt.date | None = None
    title = ""
    first = lines[0]
    match = _DATE_PREFIX.match(first) or _BARE_ISO_PREFIX.match(first)
    if match and (date := parse_date(match.group("date"))) is not None:
        rest = match.group("rest").strip()
        lines.pop(0)
        if rest:
            title = rest
        elif len(lines) > 1 and _is_title_line(lines[0]):
            title = lines.pop(0).strip()
    elif (heading := _markdown_heading(first)) is not None:
        title = heading
        lines.pop(0)
    elif len(lines) > 2 and not lines[1].strip() and _is_title_line(first):
        title = first.strip()
        lines.pop(0)

    body = "\n".join(lines).strip()
    if not body and title:
        # A one-line file is a short article, not a headline with nothing under it.
        body, title = title, ""
    return Article(title=title, body=body, date=date, source=None, url=None)


def read_document(document: Document) -> list[Article]:
    return [parse_plain_text(document.text, source_name=document.name)]
