"""A whole HTML page -> its main article, with title, author, date and site name.

trafilatura finds the article among navigation, adverts, share bars and comment threads;
htmldate (through trafilatura) finds the publication date. Both are imported on first use
because they take half a second to load and most digests never see a page.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

from digest.errors import InputError
from digest.models import Article
from digest.read.base import Document, parse_when
from digest.read.blocks import blocks, headings
from digest.read.furniture import leading_date, without_furniture
from digest.read.items import newsletter_items
from digest.read.page_meta import PageMeta, page_meta
from digest.read.prune import pruned_page

# What is left of a page without an article (a menu, a cookie notice, an error stub) is a
# handful of words; the shortest real news brief has a few sentences.
MIN_ARTICLE_WORDS = 15
# Structured data this many times longer than the visible text: the page shows a teaser.
_STRUCTURED_OVER_VISIBLE = 1.5


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


# "Headline | Site", "Headline - Site", "Headline — Site": the site is said as the source.
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ", " \u2022 ")


def _site_names(site: str | None, host: str | None) -> set[str]:
    """The site's names as a title may write them: "Harbour Times", "harbourtimes.example", "harbourtimes"."""
    names = {name for name in (site, host) if name}
    names |= {name.split(".")[0] for name in names if "." in name}
    return {_squashed(name) for name in names}


def _without_site_name(title: str, names: set[str]) -> str:
    """The headline without the site's name that pages append (or prepend) to <title>."""
    for separator in _TITLE_SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if _squashed(tail) in names:
            return head.strip()
        first, _, rest = title.partition(separator)
        if _squashed(first) in names:
            return rest.strip()
    return title


# "Harbour Times -" or "Harbour Times | ": a <title> whose page part the site left empty.
_DANGLING_SEPARATOR = re.compile(r"\S\s+[|\-\u2013\u2014:\u00b7\u2022]\s*$")
_HEADING_TITLE_WORDS = 15


def _site_only(title: str) -> bool:
    return bool(_DANGLING_SEPARATOR.search(title))


def _headline(title: str, meta: PageMeta, site: str | None, host: str | None) -> str:
    names = _site_names(site, host)
    title = _without_site_name(title.strip(" |-\u2013\u2014:\u00b7\u2022"), names)
    if len(title.split()) < 2 or _squashed(title) in {_squashed(n) for n in (site, host) if n}:
        # A CMS's name, "Home", or the site's own name (what is left when a <title> puts the
        # site first) is no headline.
        title = _without_site_name(meta.headline, names) or title
    return title


def _as_sentence(block: str) -> str:
    """A heading or list item ends like a sentence, so the voice closes it before the next."""
    closed = block.rstrip("\"'\u201d\u2019)")  # "'It's a girl'" is not closed by its quotation mark
    return block if closed[-1:] in ".!?:;\u2026" else f"{block}."


def _words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def _word_key(text: str) -> str:
    return " ".join("".join(c for c in word if c.isalnum()) for word in text.casefold().split())


def _with_summary(lines: list[str], summary: str) -> list[str]:
    """The standfirst first, when the extractor left it out."""
    if not summary:
        return lines
    opening = _word_key(summary)
    lead = " ".join(opening.split()[:8])
    if lead in _word_key(" ".join(lines)):
        return lines
    return [summary, *lines]


def _squashed(name: str) -> str:
    return "".join(character for character in name.casefold() if character.isalnum()).removeprefix("the")


# "especially high for ." or "but , notably": a link's words taken out of a sentence.
_HOLE = re.compile(r"\w \.(?:\s|$)|\w , |\bfor ,|\( \)")


def _extract(text: str, url: str | None, *, precise: bool):
    """trafilatura's article from `text`, a page already without its link boxes."""
    import trafilatura
    from trafilatura.deduplication import LRUCache

    return trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False,
        # Repeats within this page only: trafilatura's own cache lives as long as the process,
        # and a paragraph seen on an earlier page would vanish from the next one.
        deduplicate=LRUCache(maxsize=4096),
        favor_precision=precise,
    )


def _mend_holes(lines: list[str], fuller: list[str]) -> list[str]:
    """Paragraphs whose links' words the precise extraction dropped, taken from a second,
    less strict pass that keeps them (found by their opening words)."""
    if not any(_HOLE.search(line) for line in lines):
        return lines
    keyed = [(_word_key(line), line) for line in fuller if not _HOLE.search(line)]
    mended = []
    for line in lines:
        hole = _HOLE.search(line)
        if hole:
            # The same paragraph is the one that reads the same up to the hole.
            opening = _word_key(line[:hole.start() + 1])
            candidate = next((full for key, full in keyed if key.startswith(opening) and len(full) > len(line)), None)
            line = candidate or line
        mended.append(line)
    return mended


def _with_subheadings(lines: list[str], fuller: list[str], heads: set[str]) -> list[str]:
    """The article's own subheadings, which the precise pass drops on some sites: a heading of
    the fuller pass is put back where it sits between two paragraphs that follow each other
    in the article (a box's heading is followed by the box, never by the next paragraph)."""
    place = {_word_key(line): index for index, line in enumerate(lines)}
    inserts: dict[int, list[str]] = {}
    for index in range(1, len(fuller) - 1):
        heading = fuller[index]
        if heading not in heads or _word_key(heading) in place:
            continue
        before, after = place.get(_word_key(fuller[index - 1])), place.get(_word_key(fuller[index + 1]))
        if before is not None and after == before + 1:
            inserts.setdefault(after, []).append(heading)
    if not inserts:
        return lines
    return [line for index, original in enumerate(lines) for line in (*inserts.get(index, ()), original)]


def _opening(text: str) -> str:
    return " ".join(_word_key(text.removeprefix("- ")).split()[:8])


def _drops_a_heading(tree, lines: list[str]) -> bool:
    """Whether the page has a heading, not among `lines`, set right before one of them."""
    if tree is None:
        return False
    read = {_word_key(line) for line in lines}
    openings = {_opening(line) for line in lines}
    for heading in tree.iter("h2", "h3", "h4", "h5", "h6"):
        if _word_key(heading.text_content()) in read:
            continue
        following = heading.getnext()
        if following is None and heading.getparent() is not None:
            following = heading.getparent().getnext()  # a heading wrapped in a box of its own
        if following is not None and _opening(following.text_content()) in openings:
            return True
    return False


def _fuller_pass(lines: list[str], pruned: str, tree, url: str | None) -> list[str]:
    """The precise pass's paragraphs, mended and with their subheadings, from a less strict pass
    run only when the page needs it (a hole in a sentence, a heading left out)."""
    if not any(_HOLE.search(line) for line in lines) and not _drops_a_heading(tree, lines):
        return lines
    fuller_document = _extract(pruned, url, precise=False)
    if fuller_document is None or fuller_document.body is None:
        return lines
    fuller = blocks(fuller_document.body)
    return _with_subheadings(_mend_holes(lines, fuller), fuller, headings(fuller_document.body))


def _all_items(lines: list[str], tree, url: str | None) -> list[str]:
    """Every item of a newsletter page, when the extractor kept only one of them."""
    items_page = newsletter_items(tree, lines) if tree is not None else None
    if items_page is None:
        return lines
    items = _extract(items_page, url, precise=False)
    found = blocks(items.body) if items is not None and items.body is not None else []
    return found if _words(found) > _words(lines) else lines


# '3. Big Tech infighting': a numbered item's or heading's number.
_ITEM_NUMBER = re.compile(r"^(\d{1,3})\. (?=\S)")
_NUMBERED_LINE_WORDS = 20


def _numbers_in_order(lines: list[str]) -> list[str]:
    """Numbered headings whose numbers no longer run in order (a newsletter's item 4 was a
    reading list, left out) lose their numbers: 'Three' then 'Five' tells the listener that
    something is missing that they cannot get back."""
    numbered = [index for index, line in enumerate(lines)
                if _ITEM_NUMBER.match(line) and len(line.split()) <= _NUMBERED_LINE_WORDS]
    numbers = [int(_ITEM_NUMBER.match(lines[index])[1]) for index in numbered]
    steps = {later - earlier for earlier, later in zip(numbers, numbers[1:])}
    if len(numbers) < 2 or steps in ({1}, {-1}):
        return lines
    drop = set(numbered)
    return [_ITEM_NUMBER.sub("", line) if index in drop else line for index, line in enumerate(lines)]


def parse_html(text: str, name: str, url: str | None = None) -> Article:
    try:
        pruned, tree = pruned_page(text)
        # Reading an advert aloud is worse than missing a marginal paragraph.
        document = _extract(pruned, url, precise=True)
    except (ValueError, TypeError) as error:  # lxml on pathological markup
        raise InputError(f"{name}: cannot be parsed as an HTML page ({error})") from error
    meta = page_meta(text)
    lines = blocks(document.body) if document is not None and document.body is not None else []
    heads = headings(document.body) if document is not None and document.body is not None else set()
    try:
        lines = _fuller_pass(lines, pruned, tree, url)
        lines = _all_items(lines, tree, url)
    except (ValueError, TypeError):
        pass
    structured = [line.strip() for line in meta.structured_body.split("\n") if line.strip()]
    if _words(structured) >= max(MIN_ARTICLE_WORDS, _STRUCTURED_OVER_VISIBLE * _words(lines)):
        lines = structured  # the visible page was a teaser; its structured data has the article
    if _words(lines) < MIN_ARTICLE_WORDS:
        raise InputError(f"{name}: has no article text (no main article found in the page)")
    found = document if document is not None else SimpleNamespace(url=None, title="", sitename=None, author=None,
                                                                    date=None)
    page_url = found.url or url
    title = _headline(found.title or "", meta, found.sitename, _host(page_url))
    if _site_only(meta.headline) and lines and lines[0] in heads and len(lines[0].split()) <= _HEADING_TITLE_WORDS:
        title = lines[0]  # the page's own heading; what its <title> gave is the site's name
    kept = _numbers_in_order(without_furniture(_with_summary(lines, meta.summary), title, found.author,
                                               frozenset(heads)))
    if _words(kept) < MIN_ARTICLE_WORDS:
        raise InputError(f"{name}: has no article text (no main article found in the page)")
    return Article(
        title=title,
        body="\n\n".join(_as_sentence(paragraph) for paragraph in kept),
        # The page's own statement first: a date found by searching the page may be a sidebar's.
        date=parse_when(meta.published) or parse_when(found.date) or leading_date(lines),
        source=found.sitename or _host(page_url),
        url=page_url,
        author=found.author,
    )


def read_document(document: Document) -> list[Article]:
    return [parse_html(document.text, document.name, document.url)]
