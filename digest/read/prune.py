"""Boxes of links to other stories, photo captions and galleries taken out of a page before its
article is extracted.

Pages name such boxes for what they are ("next-post-thumbnails", "related-articles",
"newsletter-signup", an ad network's widget, "imageCaption", "gallery-btn"). When one sits inside the article's block the
extractor keeps it, and its blurbs are read as if they were the story. A box is taken out only
while it is a small part of the page and holds no article of its own: some sites wrap the
whole page in an element named after an ad network.

Two things that hide an article's own text from the extractor are undone here as well: a
story the page split into chunks around an advert (the extractor reads the first chunk only),
and an accordion's open panel, whose 'expanded' class the extractor takes for a control.

The page's formulas are turned into words here too (digest.read.formulas), and a link whose
words are only 'here' says 'online', while the page is a tree, so that it is parsed once
before the extractor sees it.
"""

from __future__ import annotations

import re
from itertools import islice

import lxml.html
from lxml import etree

from digest.read.formulas import speak_formulas

_MARKS = ("next-post", "nextstory", "next-story", "related", "recommend", "more-stories", "read-more", "readmore",
          "newsletter", "signup", "sign-up", "promo", "outbrain", "taboola", "revcontent", "share-bar",
          "social-share", "author-bio", "gallery", "carousel", "slideshow", "lightbox")
_CONTAINERS = ("div", "section", "aside", "ul", "ol", "footer", "nav", "figure", "amp-carousel", "amp-lightbox")
# A photo's caption is read mid-story as a line that belongs to no paragraph ("pictured, ...");
# it may be a paragraph or a span of its own, where a box of links never is.
_CAPTION_MARKS = ("caption",)
_CAPTION_CONTAINERS = (*_CONTAINERS, "p", "span", "header")
_LOWER = "translate({},'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"


def _marked(tags: tuple[str, ...], marks: tuple[str, ...]) -> str:
    return ("//*[" + " or ".join(f"self::{tag}" for tag in tags) + "]["
            + " or ".join(f"contains({_LOWER.format('@class')},'{mark}') or contains({_LOWER.format('@id')},'{mark}')"
                          for mark in marks) + "]")


_BOXES = etree.XPath(" | ".join(("//figcaption", _marked(_CONTAINERS, _MARKS), _marked(_CAPTION_CONTAINERS, _CAPTION_MARKS))))
_HOLDS_ARTICLE = etree.XPath(".//article | .//*[@itemprop='articleBody']")
# A box with more of the page's text than this is the page, whatever it is called.
_MOST_OF_PAGE = 0.3


_LINKS_SAYING_HERE = etree.XPath("//a[translate(normalize-space(.), 'HERE', 'here') = 'here']")
# After these 'here' is not replaced: 'click here' is the speakable rules' to drop, and 'see
# online for' reads no better than 'see here for'.
_CLICKED = re.compile(r"\b(?:click|tap|press|see)\s*$", re.IGNORECASE)


def _text_before(link) -> str:
    """The words just before `link` in its block, 'click</span> <a>' included: its nearest few
    siblings only, so a page of many links costs no more than its size."""
    pieces = []
    for sibling in islice(link.itersiblings(preceding=True), 3):
        pieces += [sibling.tail or "", sibling.text_content()[-40:]]
        if sum(len(piece) for piece in pieces) >= 20:
            break
    else:
        pieces.append((link.getparent().text or "")[-40:])
    return "".join(reversed(pieces))


def _said_link_words(tree) -> bool:
    """'can be found <a>here</a>' -> 'can be found online': 'here' only points at a link, which a
    listener cannot follow. 'Click here' is left for the speakable rules, which drop the sentence."""
    changed = False
    for link in _LINKS_SAYING_HERE(tree):
        before = _text_before(link)
        if _CLICKED.search(before[-20:]):
            continue
        for child in list(link):
            link.remove(child)
        link.text = "online"
        changed = True
    return changed


# 'expanded', 'is-expanded', 'expanded-content': the state of an open panel, not a button.
_OPEN_PANELS = etree.XPath("//*[contains(translate(@class, 'EXPANDED', 'expanded'), 'expanded')]")


def _opened_panels(tree) -> bool:
    """An accordion's open section keeps its text: the extractor drops elements whose class
    says 'expand' (a 'show more' button), and the open panel of a list of questions says
    'expanded'. The state word is taken off the class; the panel is read like the closed ones."""
    changed = False
    for element in _OPEN_PANELS(tree):
        tokens = element.get("class", "").split()
        element.set("class", " ".join(token for token in tokens if "expanded" not in token.lower()))
        changed = True
    return changed


_BLOCK_TAGS = ("div", "p", "section", "ul", "ol", "table", "blockquote", "figure", "h1", "h2", "h3", "h4", "h5", "h6")
_LOOSE_TEXT_WORDS = 3


def _wrapped_loose_text(tree) -> bool:
    """Text a page leaves between two boxes ('<div><br></div>Maintenance releases will
    follow...<br><div>') is made a paragraph: the extractor reads paragraphs and boxes and
    drops the loose text after a box. It runs to the next line break or box."""
    changed = False
    body = tree.find("body")
    if body is None:
        return False
    for element in list(body.iter(*_BLOCK_TAGS)):
        parent = element.getparent()
        if parent is None or len((element.tail or "").split()) < _LOOSE_TEXT_WORDS or parent.tag in ("p", "li"):
            continue
        paragraph = etree.Element("p")
        paragraph.text, element.tail = element.tail, None
        sibling = element.getnext()
        while sibling is not None and sibling.tag not in _BLOCK_TAGS and sibling.tag != "br" \
                and isinstance(sibling.tag, str):
            following = sibling.getnext()
            paragraph.append(sibling)  # its tail goes with it
            sibling = following
        element.addnext(paragraph)
        changed = True
    return changed


# 'Click through for the whole thing.', 'Read it here:': a sentence pointing at the line after it.
_POINTS_ON = re.compile(r"(?:\bclick through\b|\bthe whole thing\b|\bread (?:it|the rest|more)\b)[^.!?]{0,40}[.!:]$",
                        re.IGNORECASE)
_POINTED_WORDS = 20


def _previous_words(element):
    """The nearest element before `element` with words in it (an empty advert slot is passed)."""
    for previous in islice(element.itersiblings(preceding=True), 5):
        if (previous.tail or "").strip():
            return None  # loose words between: the pointer is not right before
        if isinstance(previous.tag, str) and previous.text_content().strip():
            return previous
    return None


def _pointed_links_as_text(tree) -> bool:
    """A paragraph that is only a link, right after a sentence pointing at it ('Click through
    for the whole thing.' then the cartoon's title), keeps its words as text: the extractor
    drops a paragraph of links as a box of other stories."""
    changed = False
    for paragraph in list(tree.iter("p")):
        links = paragraph.findall(".//a")
        previous = _previous_words(paragraph)
        if not links or previous is None or previous.tag != "p":
            continue
        words = " ".join(paragraph.text_content().split())
        linked = " ".join(" ".join(link.text_content() for link in links).split())
        if words != linked or not 0 < len(words.split()) <= _POINTED_WORDS:
            continue
        if _POINTS_ON.search(" ".join(previous.text_content().split())):
            for link in links:
                link.drop_tag()
            changed = True
    return changed


_ARIA_HEADINGS = etree.XPath("//div[@role='heading'] | //span[@role='heading'] | //p[@role='heading']")


def _marked_headings(tree) -> bool:
    """'<div role=heading aria-level=3>' is a heading, as the page tells screen readers: made an
    <h3> so the extractor keeps it as one (a 'More stories' heading then names the list under it)."""
    changed = False
    for element in _ARIA_HEADINGS(tree):
        level = element.get("aria-level", "")
        element.tag = f"h{level}" if level in ("1", "2", "3", "4", "5", "6") else "h3"
        changed = True
    return changed


# Between two chunks of one story: an advert's label ('Advertisement', 'Story continues below'),
# never a heading, however the page draws it ('<div class="h4">3. Next item</div>').
_GAP_WORDS = 5
_STARTS_A_STORY = ("h1", "h2", "h3", "h4", "h5", "h6", "article", "header")
_HEADING_CLASS = re.compile(r"(?:^|[\s_-])(?:h[1-6]|head(?:ing|line)?|title|hed)(?:$|[\s_-])", re.IGNORECASE)
_CHUNK_MIN_PARAGRAPHS = 2


def _chunk_key(element) -> tuple[str, str] | None:
    """Elements holding a story's paragraphs, named alike: ('div', 'body article__body')."""
    name = " ".join((element.get("class") or "").split())
    if not name or sum(child.tag == "p" for child in element) < _CHUNK_MIN_PARAGRAPHS:
        return None
    return element.tag, name


def _joined_chunks(tree) -> bool:
    """A story a page splits into chunks around an advert ('<div class=article__body>' twice,
    a full-width advert between) is one block again: the extractor reads the first element it
    takes for the article's body and nothing after it. A chunk joins the one before only when
    nothing but a few words lies between them (an advert's label), no heading, no other story."""
    order = {element: index for index, element in enumerate(tree.iter())}
    chunks: dict[tuple[str, str], list] = {}
    for element in tree.iter("div", "section"):
        key = _chunk_key(element)
        if key is not None:
            chunks.setdefault(key, []).append(element)
    changed = False
    for group in chunks.values():
        first = group[0]
        for chunk in group[1:]:
            last_inside = max((order[e] for e in first.iter()), default=order[first])
            if not _only_a_gap(tree, order, last_inside, order[chunk], chunk):
                first = chunk
                continue
            for child in list(chunk):
                first.append(child)
            changed = True
    return changed


def _only_a_gap(tree, order: dict, after: int, before: int, chunk) -> bool:
    ancestors = set(chunk.iterancestors())
    words = 0
    for element in tree.iter():
        index = order.get(element, -1)
        if index <= after or index >= before or element in ancestors:
            continue
        if element.tag in _STARTS_A_STORY or _HEADING_CLASS.search(element.get("class") or ""):
            return False
        words += len((element.text or "").split()) + len((element.tail or "").split())
        if words > _GAP_WORDS:
            return False
    return True


def pruned_page(text: str) -> tuple[str, etree._Element | None]:
    """The page without its link boxes (the page itself when it has none), and lxml's tree of
    it (None when lxml cannot read the page).

    The page is handed on as markup, not as lxml's tree: trafilatura parses a page its own way,
    and given another parser's tree it finds less of the article. The tree is for digest's own
    look at the page's structure (its headings, its repeated boxes)."""
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, etree.LxmlError):
        return text, None
    body = tree.find("body")
    total = len(body.text_content()) if body is not None else 0
    pruned = False
    for box in _BOXES(tree):
        if box.getparent() is None or _HOLDS_ARTICLE(box):
            continue
        if len(box.text_content()) <= _MOST_OF_PAGE * total:
            box.drop_tree()
            pruned = True
    pruned = _opened_panels(tree) or pruned
    pruned = _marked_headings(tree) or pruned
    pruned = _wrapped_loose_text(tree) or pruned
    pruned = _pointed_links_as_text(tree) or pruned
    pruned = _joined_chunks(tree) or pruned
    # Formulas are said in words (or 'a formula') before the extractor drops them.
    pruned = speak_formulas(tree) or pruned
    pruned = _said_link_words(tree) or pruned
    return (etree.tostring(tree, encoding="unicode", method="html") if pruned else text), tree
