"""What a web page says about its article beside the text the extractor finds: its headline
(og:title, the first <h1>), its summary (og:description) and the article body in its
structured data (JSON-LD `articleBody`), which some pages carry in full while the visible page
shows a teaser. The page is parsed once, with lxml, which trafilatura has already loaded.
"""

from __future__ import annotations

import json
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


def page_meta(text: str) -> PageMeta:
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, etree.LxmlError):  # what trafilatura could read, lxml alone may not
        return PageMeta()
    return PageMeta(_headline(tree), _shown_summary(tree), _structured_body(tree))


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


def _structured_body(tree) -> str:
    bodies: list[str] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        source = script.text or ""
        if len(source) > _MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(source)
        except (ValueError, RecursionError):
            continue
        _collect_bodies(data, bodies, 0)
    if not bodies:
        return ""
    body = max(bodies, key=len)
    return fragment_text(body) if looks_like_html(body) else body


def _collect_bodies(data, bodies: list[str], depth: int) -> None:
    if depth > _MAX_JSON_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            _collect_bodies(item, bodies, depth + 1)
        return
    if not isinstance(data, dict):
        return
    kinds = data.get("@type")
    kinds = {str(kind).lower() for kind in (kinds if isinstance(kinds, list) else [kinds])}
    if kinds & _ARTICLE_TYPES and isinstance(data.get("articleBody"), str):
        bodies.append(data["articleBody"])
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"):
        if key in data:
            _collect_bodies(data[key], bodies, depth + 1)
