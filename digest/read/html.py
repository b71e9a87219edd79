"""A whole HTML page -> its main article, with title, author, date and site name.

trafilatura finds the article among navigation, adverts, share bars and comment threads;
htmldate (through trafilatura) finds the publication date. Both are imported on first use
because they take half a second to load and most digests never see a page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from digest.errors import InputError
from digest.models import Article
from digest.read.base import Document, parse_when

# What is left of a page without an article (a menu, a cookie notice, an error stub) is a
# handful of words; the shortest real news brief has a few sentences.
MIN_ARTICLE_WORDS = 15


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _without_leading_title(text: str, title: str) -> str:
    """trafilatura keeps the page's <h1> as the first line; the script already says the title."""
    lines = text.split("\n")
    if lines and title and " ".join(lines[0].split()).casefold() == " ".join(title.split()).casefold():
        lines = lines[1:]
    return "\n".join(lines)


def parse_html(text: str, name: str, url: str | None = None) -> Article:
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            text, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, deduplicate=True,
            # Reading an advert aloud is worse than missing a marginal paragraph.
            favor_precision=True,
        )
    except (ValueError, TypeError) as error:  # lxml on pathological markup
        raise InputError(f"{name}: cannot be parsed as an HTML page ({error})") from error
    body = (document.text or "").strip() if document is not None else ""
    if len(body.split()) < MIN_ARTICLE_WORDS:
        raise InputError(f"{name}: has no article text (no main article found in the page)")
    title = (document.title or "").strip()
    page_url = document.url or url
    return Article(
        title=title,
        # One paragraph per line is how trafilatura separates blocks; blank lines make that explicit.
        body="\n\n".join(line for line in _without_leading_title(body, title).split("\n") if line.strip()),
        date=parse_when(document.date),
        source=document.sitename or _host(page_url),
        url=page_url,
        author=document.author,
    )


def read_document(document: Document) -> list[Article]:
    return [parse_html(document.text, document.name, document.url)]
