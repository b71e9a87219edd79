"""A snippet of HTML (a feed item's content, a JSON body, a block inside Markdown) -> paragraphs.

Whole pages go through the article extractor in html.py; snippets are already just the
article, so they only need their blocks turned into paragraphs, with code, scripts and
styles left out because none of them can be read aloud. A piece of code inside a sentence
('set max_tokens to 3') is kept: it names something the sentence needs; formulas are said as
digest.read.formulas says them.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from digest.read.formulas import speak_formulas

_UNSPOKEN = {"script", "style", "pre", "code", "noscript", "template", "svg", "math", "iframe", "object", "button", "form"}
_BLOCKS = {
    "p", "div", "section", "article", "blockquote", "li", "ul", "ol", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "figure", "figcaption", "header", "footer", "aside", "hr",
}
# A tag holds no "<": "[^<>]*" stops at the next one instead of retrying to the end of the text.
_LOOKS_LIKE_HTML = re.compile(r"<(?:p|br|div|span|a|em|strong|b|i|h[1-6]|ul|ol|li|img|blockquote|figure|table)\b[^<>]*>", re.I)


# Longer than this, code inside a sentence is a listing after all.
_INLINE_CODE_CHARS = 60


def _is_inline_code(element) -> bool:
    """A short piece of code inside a sentence, not a listing: no line break, no <pre> around it."""
    text = element.text_content()
    parent = element.getparent()
    return (parent is not None and "\n" not in text.strip() and len(text) <= _INLINE_CODE_CHARS
            and not any(isinstance(a.tag, str) and a.tag.lower() == "pre" for a in element.iterancestors()))


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def fragment_text(fragment: str) -> str:
    """Paragraphs of an HTML snippet, separated by blank lines; its visible text only."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    speak_formulas(root)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        tag = element.tag.lower()
        if tag == "code" and _is_inline_code(element):
            continue  # 'set max_tokens to 3': the name is part of the sentence
        if tag in _UNSPOKEN and element is not root:
            element.drop_tree()
        elif tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCKS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return "\n\n".join(block for block in blocks if block)
