"""What a web page says about its article beside the text the extractor finds: its headline
(og:title, the first <h1>), its summary (og:description), the day it was published as the page
states it (article:published_time, JSON-LD `datePublished`, or a 'Written: 2023-11-07' line)
and the article body in its structured data (JSON-LD `articleBody`), which some pages carry in
full while the visible page shows a teaser. The page is parsed once, with lxml, which trafilatura has already loaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from digest.read.fragments import fragment_text, looks_like_html

_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "socialmediaposting",
                  "techarticle", "scholarlyarticle", "report", "liveblogposting"}
# Structured data is metadata: a block bigger than this is not read, nor nested deeper.
_MAX_JSON_LD_CHARS = 2_000_000
_MAX_JSON_DEPTH = 12


@dataclass(frozen=True)
class PageMeta:
    headline: str = ""  # og:title, else the first <h1> of two words or more, else <title>
    summary: str = ""  # og:description or the description meta, when the page also shows it
    structured_body: str = ""  # the longest JSON-LD articleBody, as paragraphs
    published: str = ""  # the publication date the page states, as written there


def page_meta(text: str) -> PageMeta:
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, etree.LxmlError):  # what trafilatura could read, lxml alone may not
        return PageMeta()
    bodies: list[str] = []
    dates: list[str] = []
    for data in _json_ld(tree):
        _collect_articles(data, bodies, dates, 0)
    body = max(bodies, key=len) if bodies else ""
    return PageMeta(_headline(tree), _shown_summary(tree), fragment_text(body) if looks_like_html(body) else body,
                    _published(tree, dates))


def _first(values: list, minimum_words: int) -> str:
    for value in values:
        value = " ".join(str(value).split())
        if len(value.split()) >= minimum_words:
            return value
    return ""


def _headline(tree) -> str:
    return (_first(tree.xpath("//meta[@property='og:title' or @name='twitter:title']/@content"), 2)
            or _first([h.text_content() for h in tree.xpath("//h1")], 2)
            or _first([t.text_content() for t in tree.xpath("//head/title")], 2))


def _shown_summary(tree) -> str:
    """The page's description, only when it is also on the page for readers (a standfirst)
    and not a truncated teaser or a stock phrase."""
    summary = _first(tree.xpath("//meta[@property='og:description' or @name='description' "
                                "or @name='twitter:description']/@content"), 8)
    if not summary or summary.endswith(("...", "\u2026")):
        return ""
    body = tree.find("body")
    if body is None:
        return ""
    for element in body.iter():
        if isinstance(element.tag, str) and element.tag in ("script", "style", "noscript", "template"):
            element.text = ""
    visible = " ".join(body.text_content().split())
    return summary if summary in visible else ""


def _json_ld(tree) -> list:
    found = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        source = script.text or ""
        if len(source) > _MAX_JSON_LD_CHARS:
            continue
        try:
            found.append(json.loads(source))
        except (ValueError, RecursionError):
            continue
    return found


def _collect_articles(data, bodies: list[str], dates: list[str], depth: int) -> None:
    if depth > _MAX_JSON_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            _collect_articles(item, bodies, dates, depth + 1)
        return
    if not isinstance(data, dict):
        return
    kinds = data.get("@type")
    kinds = {str(kind).lower() for kind in (kinds if isinstance(kinds, list) else [kinds])}
    if kinds & _ARTICLE_TYPES:
        if isinstance(data.get("articleBody"), str):
            bodies.append(data["articleBody"])
        if isinstance(data.get("datePublished"), str):
            dates.append(data["datePublished"])
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"):
        if key in data:
            _collect_articles(data[key], bodies, dates, depth + 1)


_PUBLISHED_META = ("//meta[@property='article:published_time' or @name='article:published_time'"
                   " or @itemprop='datePublished' or @name='pubdate' or @name='publish-date'"
                   " or @name='parsely-pub-date' or @name='sailthru.date']/@content"
                   " | //*[@itemprop='datePublished']/@datetime")
# 'Written: 2023-11-07 15:03:30', 'Published on 7 November 2023', 'Posted: Nov 7, 2023': a
# date the page labels as its publication's, in a line of its own near the headline.
_LABELLED_DATE = re.compile(
    r"^(?:written|published|posted|first published)(?: on)?\s?:?\s?"
    r"(\d{4}-\d{2}-\d{2}|\d{1,2} [A-Za-z]{3,9}\.? \d{4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})",
    re.IGNORECASE,
)
_LABEL_LINE_CHARS = 120
_LABEL_STARTS = ("writt", "publi", "poste", "first")


def _published(tree, structured: list[str]) -> str:
    """The day the page says it published its article: its metadata, else a labelled line."""
    for value in [*tree.xpath(_PUBLISHED_META), *structured]:
        if str(value).strip():
            return str(value).strip()
    body = tree.find("body")
    if body is None:
        return ""
    for element in body.iter("p", "span", "div", "time", "li"):
        if not (element.text or "").lstrip()[:5].lower().startswith(_LABEL_STARTS):
            continue  # cheap first look: the whole text of every box would cost the page's depth
        text = " ".join(element.text_content().split())
        if len(text) > _LABEL_LINE_CHARS:
            continue
        match = _LABELLED_DATE.match(text)
        if match:
            return match.group(1)
    return ""
