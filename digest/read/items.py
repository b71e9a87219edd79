"""A newsletter page's several stories, when the extractor kept only the first.

A newsletter or briefing page ("1 big thing: ...", "2. ...", "3. ...") sets each of its items in
a box of the same kind, one after another. The extractor picks the box with the most text and
drops its twins, so only the first story is read. The twins are found by their markup: the
smallest element holding the extracted text, and the other elements of the same tag and class
that hold a story of their own (enough words, not mostly links, no page headline of their own:
a next article loaded below the first has its own <h1>).
"""

from __future__ import annotations

import html
import re

from lxml import etree

# An item shorter than this is a teaser or a label, not a story.
_MIN_ITEM_WORDS = 40
# An item whose words are mostly its links' words is a list of links to elsewhere.
_MOST_LINKS = 0.5
# The item's own title is a line this short, set before its text.
_TITLE_WORDS = (2, 20)
_LEAVES = ("p", "li")
# A paragraph of prose has this many words; a linked headline has fewer.
_PROSE_WORDS = 20


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _words(element) -> int:
    return len(element.text_content().split())


def _link_share(element) -> float:
    words = _words(element)
    linked = sum(len(link.text_content().split()) for link in element.iter("a"))
    return linked / words if words else 1.0


def _holder(tree, line: str):
    """The first paragraph or list item of the page that begins like `line`."""
    opening = " ".join(_key(line.removeprefix("- ")).split()[:8])
    if len(opening.split()) < 3:
        return None
    return next((leaf for leaf in tree.iter(*_LEAVES) if _key(leaf.text_content()).startswith(opening)), None)


def _common_ancestor(first, last):
    ancestors = [first, *first.iterancestors()]  # kept alive: lxml's proxies are compared by identity
    return next((node for node in (last, *last.iterancestors()) if any(node is mine for mine in ancestors)), None)


def _is_story(element) -> bool:
    """Enough words, not mostly links, one paragraph at least that is prose (a list of
    headlines, 'Worthy of your time: ...', is no story), and no page headline of its own."""
    return (_words(element) >= _MIN_ITEM_WORDS and _link_share(element) <= _MOST_LINKS
            and any(_words(leaf) >= _PROSE_WORDS for leaf in element.iter(*_LEAVES))
            and not element.xpath(".//h1"))


def _wrapper(twin, twins):
    """The largest box around `twin` that holds no other twin: the item with its title."""
    others = [other for other in twins if other is not twin]
    box = twin
    while box.getparent() is not None and box.getparent().tag != "body":
        parent = box.getparent()
        if any(parent in other.iterancestors() for other in others):
            break
        box = parent
    return box


def _title(wrapper, twin) -> str | None:
    """A short line set before the item's text inside its box, outside any figure."""
    for element in wrapper.iter():
        if element is twin:
            return None
        if not isinstance(element.tag, str) or element.tag in ("figure", "figcaption", "script", "style"):
            continue
        if any(ancestor.tag in ("figure", "figcaption") for ancestor in element.iterancestors()):
            continue
        text = " ".join((element.text or "").split())
        if text:
            return text if _TITLE_WORDS[0] <= len(text.split()) <= _TITLE_WORDS[1] else None
    return None


def newsletter_items(tree, lines: list[str]) -> str | None:
    """A page of the newsletter's items one after another (each under its title), to be read
    instead of the extractor's choice; None when the page (lxml's tree of it) is a single story."""
    if len(lines) < 2:
        return None
    first, last = _holder(tree, lines[0]), _holder(tree, lines[-1])
    if first is None or last is None:
        return None
    box = _common_ancestor(first, last)
    if box is None or box.tag in ("html", "body", "article", "main") or not (box.get("class") or "").strip():
        return None
    same_kind = [element for element in tree.iter(box.tag) if element.get("class") == box.get("class")]
    twins = [element for element in same_kind
             if element is box or (box not in element.iterancestors() and element not in box.iterancestors()
                                   and _is_story(element))]
    if len(twins) < 2 or box not in twins:
        return None
    parts = []
    for twin in twins:
        wrapper = _wrapper(twin, twins)
        title = _title(wrapper, twin)
        if title:
            parts.append(f"<h2>{html.escape(title)}</h2>")
        parts.append(etree.tostring(twin, encoding="unicode", method="html"))
    return "<html><body><main><article>" + "".join(parts) + "</article></main></body></html>"

