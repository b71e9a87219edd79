"""trafilatura's article tree -> the blocks a presenter reads, one paragraph each.

Working on the tree rather than trafilatura's plain text keeps what the text loses: a line
break inside a paragraph (a page's hard-wrapped HTML source) is a space, not a new paragraph;
a heading or a list item is a block of its own; a code listing is left out with a word to the
listener instead of read out symbol by symbol; a table is read a row a sentence.
"""

from __future__ import annotations

import re

from digest.read.tables import spoken_table

# Said in place of a code listing, so the text around it still makes sense.
CODE_NOTE = "A code listing is left out here."

# Bounded pieces, anchored at the line's start: a line of page text is checked, never a page.
_CODE_LINE = re.compile(
    r"^\s{0,40}(?:import |from \S{1,80} import |def |class |return\b|if .{0,200}:$|for .{0,200}:$|@\w|#include"
    r"|var |let |const |function\b|public |private |\$ |>>> |[}\]);]{1,5}$|\w{1,40} ?= ?\S|\w{1,60}\(.{0,200}\)$)"
    r"|[{};]$"
)


# A line a page breaks off with <br> ends its sentence when it is short and what follows starts
# one: '<b>What makes a group smart?</b><br>Before we...', 'Harbour Road<br>Porthleven'.
_LINE_WORDS = 15
_CLOSED = ".!?:;,\u2026\"'\u201d\u2019)"
# '3.Charlotte Jones': a list number glued to the item's first word.
_GLUED_NUMBER = re.compile(r"^(\d{1,3})\.(?=[A-Z][a-z])")


def _lines(element, out: list[str]) -> None:
    """The element's text with its line breaks (trafilatura's <lb>) as separate pieces."""
    out[-1] += element.text or ""
    for child in element:
        if child.tag == "lb":
            out.append("")
        else:
            _lines(child, out)
        out[-1] += child.tail or ""


def _flat(element) -> str:
    """The element's words on one line; a short line broken off before a capital ends a sentence."""
    lines: list[str] = [""]
    _lines(element, lines)
    text = ""
    for line in (" ".join(line.split()) for line in lines):
        if not line:
            continue
        if text and text[-1] not in _CLOSED and line[0].isupper() and len(text.split()) <= _LINE_WORDS:
            text += "."
        text = f"{text} {line}" if text else line
    return _GLUED_NUMBER.sub(r"\1. ", text)


def _looks_like_code(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    code = sum(bool(_CODE_LINE.search(line)) for line in lines)
    return code >= max(2, len(lines) // 3)


def _table(element) -> list[str]:
    rows = []
    header = False
    for row in element.iter("row"):
        cells = [_flat(cell) for cell in row.iter("cell")]
        if not rows and any(cell.get("role") == "head" for cell in row.iter("cell")):
            header = True
        rows.append(cells)
    return spoken_table(rows, has_header=header)


def headings(body) -> set[str]:
    """The texts of the tree's headings, as `blocks` writes them."""
    return {text for text in (_flat(head) for head in body.iter("head")) if text}


def blocks(body) -> list[str]:
    """The article's blocks in order; list items keep a "- " mark for the furniture rules."""
    out: list[str] = []

    def note_code() -> None:  # once for listings that follow one another
        if not out or out[-1] != CODE_NOTE:
            out.append(CODE_NOTE)

    def visit(element) -> None:
        tag = element.tag
        if tag in ("p", "head"):
            text = _flat(element)
            if text:
                out.append(text)
        elif tag == "item":
            text = _flat(element)
            if text:
                out.append(f"- {text}")
        elif tag == "quote":
            raw = "".join(element.itertext())
            if _looks_like_code(raw):
                note_code()
            else:
                text = " ".join(raw.split())
                if text:
                    out.append(text)
        elif tag == "code":
            raw = "".join(element.itertext())
            if "\n" in raw.strip() or _looks_like_code(raw):
                note_code()
            else:
                text = _flat(element)
                if text:
                    out.append(text)
        elif tag == "table":
            out.extend(_table(element))
        elif tag in ("graphic", "ref"):
            return
        else:  # body, div, list: their children are the blocks
            if (element.text or "").strip() and tag != "list":
                out.append(" ".join(element.text.split()))
            for child in element:
                visit(child)
                if (child.tail or "").strip() and tag not in ("list",):
                    out.append(" ".join(child.tail.split()))

    visit(body)
    return out
