"""Boxes of links to other stories, photo captions and galleries taken out of a page before its
article is extracted.

Pages name such boxes for what they are ("next-post-thumbnails", "related-articles",
"newsletter-signup", an ad network's widget, "imageCaption", "gallery-btn"). When one sits inside the article's block the
extractor keeps it, and its blurbs are read as if they were the story. A box is taken out only
while it is a small part of the page and holds no article of its own: some sites wrap the
whole page in an element named after an ad network.

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
    # Formulas are said in words (or 'a formula') before the extractor drops them.
    pruned = speak_formulas(tree) or pruned
    pruned = _said_link_words(tree) or pruned
    return (etree.tostring(tree, encoding="unicode", method="html") if pruned else text), tree
