"""Page furniture a listener must not hear, taken out of an extracted web article.

The extractor finds the article's block, but news pages put furniture inside it: photo
credits and captions, section labels, bylines and author bios, newsletter and comment
prompts, "related" lists, notes that the story first appeared elsewhere. Each rule below is a
small function over the article's paragraphs, run in order; a rule drops a whole paragraph
only when all of it is furniture, and otherwise takes out only the sentences that are.
Articles a user wrote (text, Markdown) are never filtered: only pages read from the web are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from digest.dates import parse_date

Paragraphs = list[str]

# A paragraph this short that is a credit, a promo or a label is furniture whole.
_SHORT_WORDS = 40

# --- what furniture says ----------------------------------------------------------------------

_CAPTION_LABEL = re.compile(
    r"^(?:(?:header|top|main|featured|lead|cover|hero)\s+)?"
    r"(?:photo(?:graph)?|image|picture|pic|illustration|graphic|chart|video|caption|credit)s?"
    r"(?:\s+(?:credit|by|courtesy(?:\s+of)?))?\s*[:|]",
    re.IGNORECASE,
)
_AGENCIES = r"(?:getty images|shutterstock|alamy|ap photo|afp|reuters|epa(?:-efe)?|pa media|pa wire|bloomberg|xinhua)"
# "Credit: Jane Roe / Reuters", "(Photo: Jane Roe/Getty Images)", "John Doe | AFP via Getty Images"
# Single spaces only, no "\s*" around the pieces: extracted lines have their spaces collapsed,
# and runs of optional spaces next to each other would backtrack on a line of blanks.
_TRAILING_CREDIT = re.compile(
    r"[(\[]?(?:(?:photo(?:graph)?|image|picture)s? ?(?:credits?)?|credits?) ?: [^.()\[\]:]{1,80}[)\]]?$"
    rf"|[(\[][^()\[\]]{{0,60}}\b{_AGENCIES}\b[^()\[\]]{{0,40}}[)\]]$",
    re.IGNORECASE,
)
_ENDS_WITH_AGENCY = re.compile(rf"(?:/|\||\bvia\b)\s*{_AGENCIES}\W*$", re.IGNORECASE)

_PROMO = re.compile(
    r"\bsign(?:ing)?[ -]up\b[^.!?]{0,80}\b(?:newsletter|inbox|email|e-mail|updates|alerts)"
    r"|\bsubscribe\b[^.!?]{0,60}\b(?:newsletter|podcast|channel|youtube|today|now|here)\b"
    r"|\b(?:get|have) (?:the|our)\b[^.!?]{0,50}\bnewsletter\b"
    r"|\blet (?:us|me) know (?:in the comments|what you think)"
    r"|\bwe want to hear what you think\b|\bsubmit a letter to the editor\b|\bwrite to letters@"
    r"|\bfollow (?:us|me|him|her|them|the author)\b[^.!?]{0,30}\bon\b"
    r"|\bclick (?:here|this|the (?:link|button|box))\b"
    r"|\b(?:this|the) (?:article|story|post|piece) (?:was |has been )?(?:originally|first) (?:appeared|published|ran)\b"
    r"|\b(?:originally|first) (?:appeared|published) (?:on|in|at)\b"
    r"|\bshare (?:this|on (?:facebook|twitter|linkedin|whatsapp))\b"
    r"|\bdownload (?:the|our) app\b|\bsupport (?:our|independent) journalism\b"
    r"|\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b|^interested in (?:learning|reading) more\b"
    r"|^link:",
    re.IGNORECASE,
)
# A heading that introduces links to other stories, which follow as bare headlines.
_LINK_LIST_HEADING = re.compile(
    r"^(?:editors'? (?:recommendations|picks)|recommended(?: for you| reading| stories| articles)?"
    r"|related(?: stories| articles| coverage| content| reading| links)?|more (?:from|on|stories|coverage)\b.*"
    r"|more (?:[\w-]+ ){1,3}(?:stories|articles|reads)"
    r"|read (?:more|next|also)|see also|you (?:may|might) also (?:like|enjoy)|further reading"
    r"|most (?:read|popular|viewed)|trending(?: now)?|top stories|latest(?: news| stories)?)\s*[:.]?$",
    re.IGNORECASE,
)
_READ_MORE_PREFIX = re.compile(r"^(?:read more|more|related|see also|also read|read next)\s*:", re.IGNORECASE)
_UPDATE_NOTE = re.compile(
    r"^(?:\(?(?:update(?:d)?|editor'?s note|this (?:story|article|post) (?:has been|was) updated)\b.{0,200}"
    r"|last (?:updated|modified)\b.*)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|words by|written by|reporting by|courtesy of|source)\s*:?\s+[A-Z][\w.'\-]*(?:\s+[\w.'\-]+){0,6}"
                     r"(?:\s*[,|]\s*[^.!?]{0,60})?$", re.IGNORECASE)
_WIRE_TAG = re.compile(r"^\(?(?:reuters|ap|afp|bloomberg|associated press)\)?$", re.IGNORECASE)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
_CLOCK = r"(?:\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?)?\.?$"
_DATE_LINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated|first published)\s*(?:on|at)?\s*:?\s*)?" + _WEEKDAY
    + r"(?P<day>\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})" + _CLOCK,
    re.IGNORECASE,
)
_TRAILING_DATE = re.compile(
    r"(?<=[.!?\"'])\s+" + _WEEKDAY + r"(?:\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})"
    + _CLOCK,
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+[\"')\]]*|$)\s*")


def _words(text: str) -> int:
    return len(text.split())


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE.findall(paragraph) if s.strip()]


def _is_headline_like(line: str) -> bool:
    """A bare linked headline: a few words, no full stop at the end."""
    return 2 <= _words(line) <= 20 and not line.rstrip().endswith((".", "!", "?", ":", ";", ",", '."', '!"', '?"'))


# --- the rules ----------------------------------------------------------------------------------


def drop_captions_and_credits(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """'Photo: ...', 'Header Image: ...' captions, and credit lines ending in an agency; a
    credit trailing a sentence ('... (Photo: Jane Roe/Getty Images)') is cut off it."""
    kept = []
    for paragraph in paragraphs:
        if _CAPTION_LABEL.match(paragraph) or (_words(paragraph) <= _SHORT_WORDS and _ENDS_WITH_AGENCY.search(paragraph)):
            continue
        trimmed = _TRAILING_CREDIT.sub("", paragraph.rstrip()).rstrip()
        if trimmed != paragraph and not trimmed.endswith((".", "!", "?", '"')):
            trimmed += "."
        kept.append(trimmed if trimmed.strip(" .") else "")
    return [p for p in kept if p]


def drop_promos(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """Newsletter boxes, comment prompts, follow-us lines, click-here boxes and 'first appeared
    on' notes: a short paragraph goes whole, a long one loses only the sentences saying it."""
    kept = []
    for paragraph in paragraphs:
        if not _PROMO.search(paragraph):
            kept.append(paragraph)
            continue
        if _words(paragraph) <= _SHORT_WORDS:
            continue
        sentences = _sentences(paragraph)
        rest = [s for index, s in enumerate(sentences) if not _PROMO.search(s)
                and not _names_a_newsletter(s, sentences[index + 1:index + 2])]
        if rest:
            kept.append("".join(rest).strip())
    return kept


def _names_a_newsletter(sentence: str, following: list[str]) -> bool:
    """'The Morning Briefing Newsletter.' before 'Sign up to get ...'."""
    return (_words(sentence) <= 6 and sentence.strip().rstrip(".").lower().endswith("newsletter")
            and bool(following) and bool(_PROMO.search(following[0])))


# "- A SIMPLE GUIDE: How do I protect myself?": a list item led by a capitalised label is a
# box of links to other pages.
_LABELLED_LINK = re.compile(r"^[-\u2022*]\s*[A-Z][A-Z0-9'\- ]{2,30}:\s")


def drop_link_lists(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """'Editors' Recommendations:' or 'Related' and the bare headlines listed under it,
    one-line 'Read more: <headline>' links, and lists of labelled links ('- VIDEO: ...')."""
    kept: Paragraphs = []
    in_list = False
    for paragraph in paragraphs:
        if _LABELLED_LINK.match(paragraph) and _words(paragraph) <= 20:
            continue
        if _LINK_LIST_HEADING.match(paragraph.strip()):
            in_list = True
            continue
        if in_list and (_is_headline_like(paragraph) or (paragraph.startswith("- ") and _words(paragraph) <= 30)):
            continue  # a listed link, whatever its punctuation
        in_list = False
        if _READ_MORE_PREFIX.match(paragraph) and _words(paragraph) <= 25:
            continue
        kept.append(paragraph)
    return kept


def drop_other_headlines(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """The article's own headline again, and the headline of another story linked from inside
    the text: a long title-cased line with no full stop (a subheading is a few words)."""
    title = " ".join(context.title.casefold().split()).rstrip(".!?")
    title_words = set(re.findall(r"\w+", title))
    kept = []
    for index, paragraph in enumerate(paragraphs):
        if title and " ".join(paragraph.casefold().split()).rstrip(".!?") == title:
            continue
        if index == 0 and _is_headline_like(paragraph) and _headline_variant(paragraph, title_words):
            # "Coronavirus: New York ramps up burials" under "New York ramps up burials": a
            # video's title or a kicker; further down, such a line is a subheading.
            continue
        if index <= 1 and paragraph in context.headings and not paragraph.rstrip().endswith(".") \
                and _restates_title(paragraph, title_words):
            # The page's longer headline set above the story ("The royal split, racism and
            # family struggles: 11 things we learned from ...") under its shorter one; a
            # standfirst set as a heading is a sentence, with its full stop.
            continue
        if index > 0 and _words(paragraph) >= _LINKED_HEADLINE_WORDS and _is_headline_like(paragraph) \
                and _title_cased(paragraph) and not paragraphs[index - 1].rstrip().endswith(":"):
            continue
        kept.append(paragraph)
    return kept


def _headline_variant(line: str, title_words: set[str]) -> bool:
    words = re.findall(r"\w+", line.casefold())
    shared = sum(word in title_words for word in words)
    return shared >= 4 and shared >= _VARIANT_SHARE * len(words)


def _restates_title(line: str, title_words: set[str]) -> bool:
    """Most of the headline's own words (not 'a', 'of', 'the') are in the line."""
    wanted = title_words - _SMALL_WORDS
    found = set(re.findall(r"\w+", line.casefold()))
    return len(wanted) >= 3 and len(wanted & found) >= _VARIANT_SHARE * len(wanted)


_VARIANT_SHARE = 0.6
_LINKED_HEADLINE_WORDS = 9  # subheadings are shorter
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to vs with".split())


def _title_cased(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", line)]
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return len(big) >= 3 and all(w[0].isupper() for w in big)


# Where an encyclopedia or blog article's apparatus begins: nothing after it is read.
_END_MATTER = re.compile(r"^(?:references|external links|see also|notes|footnotes|further reading|bibliography"
                         r"|sources|citations|works cited)\.?(?: ?\[edit\])?$", re.IGNORECASE)


# 'Copyright © 2018 by Jane Roe. Used with permission of ... All rights reserved.': a rights
# notice, at the end of the paragraph it closes; what comes before it ('Excerpted from ...') stays.
_RIGHTS_NOTICE = re.compile(
    r"(?:^|(?<=[.!?\"'\u201d] ))(?:(?:copyright ?)?(?:\u00a9|\(c\)) ?\d{4}|copyright \d{4}\b"
    r"|(?:used|reprinted|reproduced|published) (?:here )?(?:with|by) (?:kind )?permission\b|all rights reserved\b).*$",
    re.IGNORECASE,
)
_RIGHTS_WORDS = 80


def drop_rights_notices(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """A copyright or permission notice, and the rest of its paragraph (notices come last);
    a paragraph that was only a notice goes whole."""
    kept = []
    for paragraph in paragraphs:
        if _words(paragraph) <= _RIGHTS_WORDS:
            paragraph = _RIGHTS_NOTICE.sub("", paragraph).rstrip()
        if paragraph:
            kept.append(paragraph)
    return kept


def drop_end_matter(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """'References', 'External links' and what follows them, in the second half of a page."""
    for index, paragraph in enumerate(paragraphs):
        if index >= len(paragraphs) // 2 and _END_MATTER.match(paragraph.strip()):
            return paragraphs[:index]
    return paragraphs


# "Anchor: After heavy rain ...", "London (CNN)It was ...": a broadcast script's speaker label
# or a wire dateline at the start of a paragraph.
_LEAD_LABEL = re.compile(
    r"^(?:(?i:anchor|reporter|report|presenter|narrator|host)\s*:\s*"
    r"|[A-Z][A-Za-z.'\- ]{1,40}\s?\((?:CNN|Reuters|AP|AFP|Bloomberg|Xinhua|dpa|UPI)\)\s?[-\u2013\u2014]?\s?)"
)


def drop_lead_labels(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """The label, not the paragraph: what follows it is the story."""
    return [_LEAD_LABEL.sub("", paragraph) or paragraph for paragraph in paragraphs]


def drop_leading_title(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """A first sentence that is the headline word for word (the script says the headline)."""
    if not paragraphs or not context.title:
        return paragraphs
    first = paragraphs[0]
    title = context.title.strip()
    if first.casefold().startswith(title.casefold()) and title:
        rest = first[len(title):]
        if rest[:1] in ("", " ") or (title[-1] in ".!?" and rest[:1] in ("", " ")):
            rest = rest.lstrip(" .!?:")
            return ([rest] if rest else []) + paragraphs[1:]
    return paragraphs


def drop_labels_bylines_and_dates(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """At the top: a section label ('World', 'Tech News'), a byline, a wire tag, a date line;
    at the bottom: the author's bio ('Jane Roe is a reporter at ...'); anywhere: update notes.
    A date glued to the end of the summary line is cut off it."""
    kept = list(paragraphs)
    while kept and _furniture_at_top(kept[0], context):
        kept.pop(0)
    if kept:
        kept[0] = _TRAILING_DATE.sub("", kept[0]).rstrip() or kept[0]
    while kept and _is_bio(kept[-1], context):
        kept.pop()
    return [p for p in kept if not (_UPDATE_NOTE.match(p) and _words(p) <= _SHORT_WORDS)]


def _furniture_at_top(paragraph: str, context: PageContext) -> bool:
    line = paragraph.strip()
    if _DATE_LINE.match(line) or _WIRE_TAG.match(line):
        return True
    if _BYLINE.match(line) and _words(line) <= 12:
        return True
    if context.author and line.casefold().rstrip(".") == context.author.casefold():
        return True
    # A label is a word or three with no sentence in it.
    return _words(line) <= 3 and not re.search(r"[.!?,;\"]", line)


_BIO_VERBS = re.compile(r"^[^.]{0,60}?\b(?:is|was|are) (?:a|an|the)\b|\b(?:writes|covers|reports) (?:about|on|for)\b",
                        re.IGNORECASE)


def _is_bio(paragraph: str, context: PageContext) -> bool:
    if _words(paragraph) > 60:
        return False
    author = (context.author or "").split(";")[0].split(",")[0].strip()
    starts_with_author = bool(author) and paragraph.casefold().startswith(author.casefold())
    return starts_with_author and bool(_BIO_VERBS.search(paragraph))


# --- lines that name who made the story, or drive a widget ------------------------------------

# "By Jane Roe, Harbour Times, Leith": every word after "by" capitalised (a name, a paper, a
# place); "By Monday, the council had ..." is a sentence and stays.
_NAME_WORD = r"(?:[A-Z][\w.'\u2019\-]*|and|&|of|for|the|in|de|van|von|da|al|bin|la|le)"
_BYLINE_ANYWHERE = re.compile(
    r"^(?:(?:posted|written|words|story|text|report|video|photos?|interview) )?(?i:by)\s+[A-Z][\w.'\u2019\-]*"
    rf"(?:\s+{_NAME_WORD}){{0,6}}(?:\s*[,|\u2013\u2014-]\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}){{0,3}}\.?$",
    re.IGNORECASE,
)
# "Reporting by Jane Roe; Editing by John Doe", "(Additional reporting by ...)": a wire story's credits.
_CREDITS_LINE = re.compile(
    r"^[(\[]?(?:additional |further )?(?:reporting|writing|editing|compiled|research|produced|graphics|fact[- ]checking"
    r"|photography|illustrations?) (?:by|from)\b",
    re.IGNORECASE,
)
# "Source: Harbour Council, Met Office" under a chart, "(via Coastal Notes)" under a borrowed post.
_SOURCE_LINE = re.compile(r"^[(\[]?(?:(?:data |chart |graphic )?sources?\s*:|via\s+(?-i:[A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){0,5})[)\]]?\.?$)",
                          re.IGNORECASE)
_SOURCE_WORDS = 15
# "Jane Roe reports.", "Jane Roe reports from Leith." alone on a line: the byline of a video or
# a correspondent's section.
_REPORTS_LINE = re.compile(r"^(?:[A-Z][\w.'\u2019\-]*\s+){1,4}reports(?:\s+from\s+[A-Z][\w.'\u2019\- ]{1,40})?\.?$")
# "Show all 50", "1 of 12", "Image 3 of 9", "Watch: ...", "Listen: ...", "UK news in pictures":
# the controls and titles of a gallery, a video or an audio player.
_WIDGET_LINE = re.compile(
    r"^(?:(?:show|view|see) all(?: \d+)?(?: (?:photos|images|pictures|slides|comments))?"
    r"|(?:(?:image|photo|picture|slide|video)s? )?\d{1,3} ?(?:of|/) ?\d{1,3}"
    r"|(?:image|media|photo|video) (?:caption|copyright|source)\b.*"
    r"|(?:watch|listen|video|audio|gallery|podcast|in pictures|photos|pictures)(?: now| again| live)? ?[:|\u2013\u2014-] .*"
    r"|(?:watch|listen|play)(?: now| again| live| video)?"
    r"|.{0,40}\bin (?:pictures|photos|images)"
    # An advert's slot and a page's own navigation, which sit between paragraphs as headings.
    r"|advertisement|sponsored(?: content)?|(?:the )?story continues(?: below)?(?: advertisement)?"
    r"|continue reading(?: (?:below|the main story))?|(?:table of )?contents|on this page|in this (?:article|story)"
    r"|jump to|skip to|back to top)\.?$",
    re.IGNORECASE,
)
_WIDGET_WORDS = 20
# A photo's caption left unmarked among the paragraphs: it names who is "pictured" or where
# they stand in the photo, and closes with no full stop.
_CAPTION_WORDS = re.compile(r"\bpictured\b|\((?:left|right|centre|center|above|below|top|bottom|inset)\)", re.IGNORECASE)
_CAPTION_MAX_WORDS = 45


def drop_bylines_credits_and_widgets(paragraphs: Paragraphs, context: PageContext) -> Paragraphs:
    """Anywhere in the story: a byline line ('By Jane Roe, Harbour Times'), a wire story's
    credits ('Reporting by ...; Editing by ...'), a chart's 'Source: ...' and a 'via ...' credit, 'Jane Roe reports.', a gallery's or player's
    controls ('Show all 50', 'Image 3 of 9', 'Watch: ...'), and an unmarked photo caption
    ('The quay at dawn, pictured from the ferry' with no full stop). A correspondent's
    'Jane Roe reports: ...' before a paragraph loses the label."""
    kept = []
    for paragraph in paragraphs:
        line = paragraph.strip()
        words = _words(line)
        if words <= 16 and (_BYLINE_ANYWHERE.match(line) or _REPORTS_LINE.match(line)):
            continue
        if (words <= _SHORT_WORDS and _CREDITS_LINE.match(line)) or (words <= _SOURCE_WORDS and _SOURCE_LINE.match(line)):
            continue
        if words <= _WIDGET_WORDS and _WIDGET_LINE.match(line):
            continue
        if words <= _CAPTION_MAX_WORDS and _CAPTION_WORDS.search(line) and not line.endswith((".", "!", "?", '"', "\u201d", ":")):
            continue
        kept.append(_REPORTS_LABEL.sub("", line) or line)
    return kept


# "Harbour Times' Jane Roe reports: ..." (not "The council reports: ...", which is the story).
_REPORTS_LABEL = re.compile(r"^(?!The )(?:[A-Z][\w.'\u2019\-]*\s+){1,5}(?:reports|writes)\s*:\s+(?=\S)")


class PageContext:
    """What the rules know of the page besides its paragraphs."""

    def __init__(self, title: str = "", author: str | None = None, headings: frozenset[str] = frozenset()) -> None:
        self.title = title or ""
        self.author = author
        self.headings = headings  # the lines the page sets as headings


RULES: list[Callable[[Paragraphs, PageContext], Paragraphs]] = [
    drop_end_matter,
    drop_rights_notices,
    drop_lead_labels,
    drop_leading_title,
    drop_labels_bylines_and_dates,
    drop_captions_and_credits,
    drop_bylines_credits_and_widgets,
    drop_promos,
    drop_link_lists,
    drop_other_headlines,
]


def without_furniture(paragraphs: Paragraphs, title: str = "", author: str | None = None,
                      headings: frozenset[str] = frozenset()) -> Paragraphs:
    context = PageContext(title, author, headings)
    for rule in RULES:
        paragraphs = rule(paragraphs, context)
    return paragraphs


def leading_date(paragraphs: Paragraphs):
    """The page's date when its first lines carry one ('January 22, 2014'), else None."""
    for paragraph in paragraphs[:3]:
        if match := _DATE_LINE.match(paragraph.strip()):
            return parse_date(match.group("day"))
    return None
