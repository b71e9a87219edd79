"""Which reader a document needs, judged by its content first, its name and type second.

Kinds: "feed", "html", "json", "markdown", "text", and "xml" for XML that is neither a feed
nor a page (a config file, an SVG), which no reader can turn into an article. Content signals
that cannot be mistaken (an <rss> root, a <!doctype html>, a JSON object) decide on their own;
a suffix or content type decides when the content is ambiguous; plain text is the fallback
because its reader copes with anything.
"""

from __future__ import annotations

import re

_HEAD = 4096
_FEED_ROOT = re.compile(r"<(?:rss|(?:[\w.-]+:)?(?:rdf|feed))\b", re.IGNORECASE)
_HTML_START = re.compile(r"^(?:<!doctype\s+html|<html\b|<head\b|<body\b)", re.IGNORECASE)
_HTML_TAGS = re.compile(r"<(?:html|head|body|article|main|div|p|title|meta)\b[^>]*>", re.IGNORECASE)
_SCRAPED_DATE_LINE = re.compile(r"^\s*(?:date[d]?|published|posted)\b", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"^---[ \t]*\n(?:[A-Za-z_][\w -]*:.*\n)+?---[ \t]*(?:\n|$)")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MD_FENCE = re.compile(r"^[ \t]{0,3}(?:```|~~~)", re.MULTILINE)
# Link text holds no "[" of its own: otherwise every "[" of "[[[[..." is retried to the end.
_MD_LINK = re.compile(r"!?\[[^\[\]\n]+\]\([^)\s]+(?:\s+\"[^\"]*\")?\)")
_MD_EMPHASIS = re.compile(r"(?:\*\*|__)[^\s*_][^*_\n]*(?:\*\*|__)")
_MD_LIST = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+\S", re.MULTILINE)

SUFFIX_KINDS = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown", ".mdx": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".rss": "feed", ".atom": "feed",
    ".txt": "text", ".text": "text",
}


def is_url(spec: str) -> bool:
    """Anything with a scheme and `//` is taken as a URL (and refused later if not http/https)."""
    scheme, sep, _ = spec.partition("://")
    return bool(sep) and len(scheme) > 1 and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum()


def _type_kind(content_type: str) -> str | None:
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if content_type.endswith(("rss+xml", "atom+xml", "rdf+xml")):
        return "feed"
    if "json" in content_type:
        return "json"
    if content_type in ("text/markdown", "text/x-markdown"):
        return "markdown"
    return None


def _markdown_signals(text: str) -> int:
    return sum(bool(pattern.search(text)) for pattern in (_MD_HEADING, _MD_FENCE, _MD_LINK, _MD_EMPHASIS, _MD_LIST))


def detect_kind(text: str, suffix: str = "", content_type: str = "") -> str:
    head = text.lstrip("\ufeff \t\r\n")[:_HEAD]
    declared = SUFFIX_KINDS.get(suffix.lower()) or _type_kind(content_type)
    if head.startswith("<"):
        if _FEED_ROOT.search(head) and not _HTML_START.match(head):
            return "feed"
        if _HTML_START.match(head) or _HTML_TAGS.search(head) or declared == "html":
            return "html"
        if head.startswith("<?xml") and declared not in ("feed", "json"):
            return "xml"
    if declared in ("json", "feed", "html"):
        return declared
    if head.startswith(("{", "[{", "[\n", "[ ", "[]")) and not _SCRAPED_DATE_LINE.match(head):
        return "json"
    if declared == "markdown":
        return declared
    if _SCRAPED_DATE_LINE.match(head):
        return "text"
    if _FRONT_MATTER.match(head) or _MD_FENCE.search(head) or _MD_LINK.search(head) or _markdown_signals(head) >= 2:
        return "markdown"
    return "text"
