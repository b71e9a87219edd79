"""Markdown -> one Article, through markdown-it's token stream rather than pattern matching.

Emphasis and link markers vanish (the link text stays, the address goes), list items and
headings become paragraphs of their own, table rows are read cell by cell, and code blocks,
images and inline HTML are left out: read aloud they would be a string of symbols. So are
footnotes, markers ('[^1]') and text alike: read at the end, far from what they annotate,
they would make no sense. YAML front matter supplies title, date, author, source and url.
"""

from __future__ import annotations

import datetime as dt
import logging

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from digest.models import Article
from digest.read.base import Document, parse_when
from digest.read.fragments import fragment_text

log = logging.getLogger(__name__)

_PARSER = (MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
           .enable(["table", "strikethrough"]))
_SENTENCE_END = ".!?:;\"')\u201d\u2019"
_META_KEYS = {
    "title": ("title", "headline"),
    "date": ("date", "published", "pubdate", "created"),
    "author": ("author", "authors", "byline"),
    "source": ("source", "site", "site_name", "publication"),
    "url": ("url", "link", "canonical", "canonical_url"),
}


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        # images, inline HTML, footnote markers, and link/emphasis markers say nothing aloud
    return " ".join("".join(parts).split())


def _as_sentence(text: str) -> str:
    """Headings and list items carry no full stop; without one the voice runs them on."""
    return text if not text or text[-1] in _SENTENCE_END else text + "."


# Front matter this long is not a header any more; nobody writes 10,000 YAML tokens of metadata.
_MAX_FRONT_MATTER_EVENTS = 10_000


def _front_matter(content: str) -> dict:
    """The fields digest uses from YAML front matter: plain scalars (or a list of them) only.

    Aliases are refused before anything is built: a few hundred bytes of nested aliases
    (a "billion laughs") expand to gigabytes once a value is turned into text.
    """
    try:
        for count, event in enumerate(yaml.parse(content, Loader=yaml.SafeLoader)):
            if isinstance(event, yaml.AliasEvent) or count > _MAX_FRONT_MATTER_EVENTS:
                log.warning("front matter ignored: it uses YAML aliases or is far too long")
                return {}
        data = yaml.safe_load(content)
    except yaml.YAMLError as error:
        log.debug("front matter ignored: %s", error)
        return {}
    if not isinstance(data, dict):
        return {}
    lowered = {str(key).lower(): value for key, value in data.items() if isinstance(key, str)}
    found: dict = {}
    for field, keys in _META_KEYS.items():
        value = next((lowered[key] for key in keys if lowered.get(key) not in (None, "")), None)
        if isinstance(value, list) and all(_is_plain(item) for item in value):
            value = ", ".join(str(item) for item in value)
        found[field] = value if _is_plain(value) else None
    return found


def _is_plain(value) -> bool:
    return value is None or isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool)


def parse_markdown(text: str) -> Article:
    meta: dict = {}
    blocks: list[str] = []
    title = ""
    heading_level = None
    row: list[str] | None = None
    in_list = 0
    in_footnotes = False
    for token in _PARSER.parse(text):
        kind = token.type
        if kind in ("footnote_block_open", "footnote_block_close"):
            in_footnotes = kind == "footnote_block_open"
        elif in_footnotes:
            continue
        elif kind == "front_matter":
            meta = _front_matter(token.content)
        elif kind == "heading_open":
            heading_level = token.tag
        elif kind == "heading_close":
            heading_level = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            cells = [cell for cell in row or [] if cell]
            if cells:
                blocks.append(_as_sentence(", ".join(cells)))
            row = None
        elif kind == "html_block":
            spoken = fragment_text(token.content)
            if spoken:
                blocks.append(spoken)
        elif kind == "inline":
            words = _inline_text(token)
            if row is not None:
                row.append(words)
            elif not words:
                continue
            elif heading_level is not None:
                # The first heading before any text is the headline, not part of the body.
                if not title and not blocks and not meta.get("title"):
                    title = words
                elif not (meta.get("title") and not blocks and words == str(meta["title"]).strip()):
                    blocks.append(_as_sentence(words))
            else:
                blocks.append(_as_sentence(words) if in_list else words)
        # fences, indented code, rules and images: nothing to say
    return Article(
        title=str(meta.get("title") or title),
        body="\n\n".join(blocks),
        date=parse_when(meta.get("date")),
        source=str(meta["source"]) if meta.get("source") else None,
        url=str(meta["url"]) if meta.get("url") else None,
        author=str(meta["author"]) if meta.get("author") else None,
    )


def read_document(document: Document) -> list[Article]:
    return [parse_markdown(document.text)]
