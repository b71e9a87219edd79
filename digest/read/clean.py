"""Raw article text -> clean paragraphs.

Each rule is a small `str -> str` function, run in the order of RULES. The result has one
paragraph per line, paragraphs separated by a blank line. Cleaning is deterministic and
idempotent: clean(clean(x)) == clean(x), which the property tests check.
"""

from __future__ import annotations

import html
import re
import unicodedata

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
# Zero-width characters, soft hyphens, byte-order marks, and the bidirectional embeddings,
# overrides and isolates (U+202A-202E, U+2066-2069), which can make a title display as
# something other than what is read aloud.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
_WIDE_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U0001fc00-\U0001ffff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f\u200d\u20e3"
    "\U000e0020-\U000e007f]"
)
_FOOTNOTE = re.compile(r"\[(?:\d{1,3}|citation needed|edit|\^[^\[\]\s]{1,20})\]", re.IGNORECASE)
# A Markdown footnote's text ('[^1]: Source: ...'), which would be read far from its marker.
_FOOTNOTE_LINE = re.compile(r"^[ \t]*\[\^[^\[\]\s]{1,20}\]:.*$", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*(?:[*\u2022\u2023\u2043\u25aa\u25e6][ \t]+)+(?=\S)", re.MULTILINE)
_URL_ONLY_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"advertisement|advertising|sponsored(?: content)?|ad"
    r"|read more(?:\s*[:>»].*)?|continue reading.*|click here.*|see also:?"
    r"|share(?: this)?(?: article| story| on \w+)?(?:\s*[|/,]\s*\w+)*"
    r"|(?:share on |follow us on )?(?:facebook|twitter|x|linkedin|whatsapp|email|print)(?:\s*[|/,]\s*\w+)*"
    r"|sign up for (?:our|the) newsletter.*|subscribe(?: now| today| here| to (?:our|the) newsletter)?[.!]?"
    r"|related(?: articles| stories)?:?|recommended(?: for you)?:?"
    r"|(?:\u00a9|\(c\)|copyright \u00a9?\s*\d{4}).*|all rights reserved\.?"
    r"|skip to (?:main )?content|back to top|loading\.*"
    r"|(?:photo|image|credit)s?:.*"
    r")\s*$",
    re.IGNORECASE,
)


def normalize_newlines(text: str) -> str:
    """Windows and old Mac line ends, and Unicode line/paragraph separators, become '\\n'."""
    return _NEWLINES.sub("\n", text)


def strip_control_characters(text: str) -> str:
    """Control characters say nothing and confuse engines; tabs and newlines survive."""
    return _CONTROL.sub("", text)


def unescape_entities(text: str) -> str:
    """`&amp;`, `&#8217;`, `&nbsp;` as the characters they stand for (repeated for double escapes)."""
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def strip_markup(text: str) -> str:
    """Drop HTML comments and tags that scraping left behind; their text content stays."""
    return _TAG.sub(" ", _strip_comments(text))


def _strip_comments(text: str) -> str:
    """Drop <!-- ... --> comments; one never closed runs to the end, as browsers read it.

    A scan with str.find rather than a pattern: "<!--.*?-->" retries from every unclosed
    "<!--" to the end of the text, which is quadratic on text full of them.
    """
    if "<!--" not in text:
        return text
    kept, position = [], 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            kept.append(text[position:])
            break
        kept.append(text[position:start])
        end = text.find("-->", start + 4)
        if end < 0:
            break
        kept.append(" ")
        position = end + 3
    return "".join(kept)


def compose_unicode(text: str) -> str:
    """NFC, so that 'e' + combining accent and 'é' are the same letter for every later rule."""
    return unicodedata.normalize("NFC", text)


def drop_invisible_characters(text: str) -> str:
    """Zero-width spaces, soft hyphens, byte-order marks and direction overrides inside words."""
    return _INVISIBLE.sub("", text)


def widen_spaces(text: str) -> str:
    """Non-breaking, thin and ideographic spaces and tabs become plain spaces."""
    return _WIDE_SPACES.sub(" ", text)


def drop_emoji(text: str) -> str:
    """Emoji and pictographs: engines either skip them or read their long Unicode names."""
    return _EMOJI.sub("", text)


def drop_footnote_markers(text: str) -> str:
    """'[12]' and '[citation needed]' copied from encyclopedias, and Markdown footnotes ('[^1]')
    with their text."""
    text = _FOOTNOTE_LINE.sub("", text)
    while True:  # '[^[^1]a]' hides a second marker until the first is gone
        shorter = _FOOTNOTE.sub("", text)
        if shorter == text:
            return text
        text = shorter


def bullets_as_paragraphs(text: str) -> str:
    """'* item' and '\u2022 item' lines: the marker is not read, and each item is a paragraph.

    Text laid out one paragraph per line already has that; in text whose paragraphs are
    blocks, each item gets a blank line before it, or it would run on from the line above.
    """
    if re.search(r"\n[ \t]*\n", text):
        return _BULLET.sub("\n", text)
    return _BULLET.sub("", text)


def unbracket_insertions(text: str) -> str:
    """An editor's insertion in square brackets is read as part of the sentence, without a
    pause: 'judge[s] you' -> 'judges you', '[the mayor] said' -> 'the mayor said'."""
    text = re.sub(r"(?<=[A-Za-z])\[([a-z]{1,4})\](?=[\s.,;:!?]|$)", r"\1", text)
    return re.sub(r"(?<![\w\[])\[([A-Za-z][A-Za-z' .-]{0,38}[A-Za-z.])\](?!\()", r"\1", text)


def normalize_quotes(text: str) -> str:
    """Curly, low and angle quotes become straight ones; apostrophes stay apostrophes."""
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]", '"', text)
    return re.sub(r"[\u2018\u2019\u201a\u201b\u2039\u203a\u2032`\u00b4]", "'", text)


def normalize_dashes(text: str) -> str:
    """Number ranges keep a hyphen (2019-2021); dashes between words become a spoken pause."""
    text = re.sub(r"(?<=\d)\s*[\u2012\u2013]\s*(?=\d)", "-", text)
    # "Kullback\u2013Leibler", "Paris\u2013Dakar": an en dash joining two names is a hyphen.
    text = re.sub(r"(?<=[a-z])\u2013(?=[A-Z][a-z])", "-", text)
    text = re.sub(r"[\u2010\u2011]", "-", text)
    # (?<!\s): a match starts where its spaces start, never again inside them (linear time).
    text = re.sub(r"(?<!\s)\s*(?:[\u2012-\u2015\u2e3a\u2e3b]|(?<=\s)-{1,3}(?=\s)|(?<=\w)--+(?=\w))\s*", ", ", text)
    # Tidy the commas this leaves next to other punctuation or at a line start.
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*([.;:!?\u2026])", r"\1", text)
    return re.sub(r"^[ ,]+", "", text, flags=re.MULTILINE)


def normalize_ellipsis(text: str) -> str:
    """'…' and runs of (spaced) dots become three dots; a comma before them goes.

    Runs after normalize_dashes, whose commas may land right before an ellipsis.
    """
    text = text.replace("\u2026", "...")
    text = re.sub(r",\s*(?=\.(?:\s*\.){2,})", "", text)
    return re.sub(r"\.(?:\s*\.){2,}", "...", text)


def is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE_LINE.match(line) or _URL_ONLY_LINE.match(line))


def drop_boilerplate_lines(text: str) -> str:
    """Whole lines such as 'Advertisement', 'Read more', share buttons and bare URLs."""
    return "\n".join(line for line in text.split("\n") if not is_boilerplate(line))


def tidy_spaces(text: str) -> str:
    """One space between words, none before punctuation, none at line ends."""
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r"(?<! ) +([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[]) +", r"\1", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def join_paragraphs(text: str) -> str:
    """Blank lines separate paragraphs and hard-wrapped lines inside one are joined.

    Text with no blank lines at all (common in scraped articles) has one paragraph per line.
    """
    text = text.strip()
    if not text:
        return ""
    if re.search(r"\n\s*\n", text):
        blocks = re.split(r"\n\s*\n", text)
        paragraphs = [" ".join(line for line in block.split("\n") if line) for block in blocks]
    else:
        paragraphs = text.split("\n")
    # Joined lines can spell out boilerplate that no single line did ("Read" / "more").
    kept = (p for p in (p.strip() for p in paragraphs) if has_words(p) and not is_boilerplate(p))
    return "\n\n".join(kept)


def has_words(text: str) -> bool:
    return any(character.isalnum() for character in text)


RULES = [
    normalize_newlines,
    unescape_entities,
    strip_control_characters,
    # Before markup is stripped: dropping a character must not close up a tag ('<A😀>' -> '<A>')
    # that a second pass would then strip (clean would not be idempotent).
    compose_unicode,
    drop_invisible_characters,
    drop_emoji,
    strip_markup,
    widen_spaces,
    drop_footnote_markers,
    unbracket_insertions,
    normalize_quotes,
    # Dashes first: a dash beside dots becomes a comma that must merge into them before
    # the dots are counted, or a second pass would count again (clean would not be idempotent).
    normalize_dashes,
    normalize_ellipsis,
    # After the dashes, whose commas can merge an item into the line above.
    bullets_as_paragraphs,
    tidy_spaces,
    drop_boilerplate_lines,
    join_paragraphs,
]


def clean_text(text: str) -> str:
    for rule in RULES:
        text = rule(text)
    return text


def clean_line(text: str) -> str:
    """Clean a title or other one-line field: same rules, one line out."""
    return " ".join(clean_text(text).split())


def paragraphs(clean: str) -> list[str]:
    return [p for p in clean.split("\n\n") if p]
