"""Web pages beside the feed: the show page (`index.html`) and one page per episode.

An episode page holds an <audio> player of the MP3, the chapters, the transcript sentence by
sentence (each a `#t=` link, the Media Fragments form) and the show notes. A small script of
digest's own (web/player.js, inlined with web/page.css) seeks from the links and marks the
current chapter and sentence with aria-current while playing. The cue times travel in the
page as a JSON block, so it works from file:// as from any web server; nothing is fetched.

Everything that comes from articles or tags is HTML-escaped, and a Content-Security-Policy
lets only digest's own inline script and style run, so an injected <script> could not run
even if escaping failed.

The page names its episode's files (`<stem>.mp3`, `.txt`, `.vtt`). The outputs registry
fingerprints a page in its canonical form, with those names replaced by a placeholder
(`canonical`), and writes it with the real names (`placed`): a page renamed with its MP3 is
rewritten to link the new name and stays recognisably digest's.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import re
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import quote, unquote

from digest.errors import OutputError
from digest.fsutil import read_regular, write_atomic
from digest.limits import MAX_OUTPUT_BYTES
from digest.publish.settings import FEED_NAME, FeedSettings
from digest.publish.shownotes import show_notes
from digest.publish.tags import Chapter, EpisodeFile, EpisodeTags
from digest.publish.transcripts import Cue

log = logging.getLogger(__name__)

SHOW_PAGE_NAME = "index.html"
PAGE_SUFFIX = ".html"
# Stands for the episode's stem in a page's canonical form (see the module docstring).
PLACEHOLDER = "{{episode}}"
# The episode's files a page links, by suffix.
LINKED_SUFFIXES = (".mp3", ".txt", ".vtt")
GENERATOR = '<meta name="generator" content="digest">'
# How much of an episode's description the show page shows.
SHORT_DESCRIPTION = 240
# Characters HTML may not carry (controls, lone surrogates, noncharacters): dropped from tag text.
_NOT_HTML = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("digest.publish").joinpath("web", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _head(title: str, language: str, script: str | None, extra: str = "") -> str:
    css = _asset("page.css")
    policy = [f"style-src {_csp_hash(css)}", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]
    policy.insert(0, f"script-src {_csp_hash(script)}" if script else "script-src 'none'")
    return (f'<!doctype html>\n<html lang="{_attr(language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{GENERATOR}\n'
            f'<meta http-equiv="Content-Security-Policy" content="{"; ".join(policy)}">\n'
            f'<title>{_text(title)}</title>\n{extra}<style>{css}</style>\n</head>\n')


def _clean(text: object) -> str:
    return _NOT_HTML.sub("", " ".join(str(text or "").split()))


def _text(text: object) -> str:
    return escape(_clean(text), quote=True)  # a page's only `="` are attribute values (see `placed`)


def _attr(text: object) -> str:
    return escape(_clean(text), quote=True)


def json_for_script(value: object) -> str:
    """JSON that is safe inside <script type="application/json">: no "</script>", no "<!--"."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def clock(seconds: float) -> str:
    """0:05, 3:12, 1:02:03."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _seconds(seconds: float) -> float:
    """Times as the page gives them, to the millisecond: links and the script's table agree."""
    return round(max(0.0, seconds), 3)


def _fragment(seconds: float) -> str:
    return "#t=" + (f"{_seconds(seconds):.3f}".rstrip("0").rstrip("."))


def _date(published: dt.datetime) -> str:
    return (f'<time datetime="{published.date().isoformat()}">'
            f'{published.day} {published.strftime("%B")} {published.year}</time>')


def _file(suffix: str) -> str:
    return PLACEHOLDER + suffix


# --- the episode page ---------------------------------------------------------------------

def episode_page(tags: EpisodeTags, duration: float, cues: Iterable[Cue], chapters: list[Chapter]) -> bytes:
    """The page of one episode, in canonical form (its files named by PLACEHOLDER)."""
    usable = [Cue(c.start, c.end, _clean(c.text)) for c in cues if c.end > c.start and _clean(c.text)]
    marks = sorted(chapters, key=lambda c: c.start) or [Chapter(tags.title, 0.0, duration)]
    script = _asset("player.js")
    mp3 = _file(".mp3")
    parts = [_head(f"{tags.title} \u00b7 {tags.programme}", tags.language, script),
             '<body>\n<a class="skip" href="#transcript-heading">Skip to the transcript</a>\n<main>\n',
             f'<p class="back"><a href="{SHOW_PAGE_NAME}">{_text(tags.programme)}</a></p>\n',
             f'<h1>{_text(tags.title)}</h1>\n',
             f'<p class="meta">{_date(tags.published)} \u00b7 {clock(duration)}</p>\n',
             '<div class="player">',
             f'<audio id="audio" controls preload="metadata" src="{mp3}" aria-label="Episode audio">'
             f'Your browser cannot play this audio here: <a href="{mp3}">download the MP3</a>.</audio></div>\n',
             '<nav aria-labelledby="chapters-heading">\n<h2 id="chapters-heading">Chapters</h2>\n'
             '<ol class="chapters" id="chapters">\n']
    for chapter in marks:
        parts.append(f'<li><a href="{_fragment(chapter.start)}"><span class="at">{clock(chapter.start)}</span> '
                     f'<span>{_text(chapter.title)}</span></a></li>\n')
    parts.append('</ol>\n</nav>\n<section aria-labelledby="transcript-heading">\n'
                 '<h2 id="transcript-heading">Transcript</h2>\n'
                 '<p class="meta">Select a sentence to listen from there.</p>\n'
                 '<div class="transcript" id="transcript">\n')
    # One paragraph per chapter: the cues do not say which script paragraph they came from.
    for index, chapter in enumerate(marks):
        following = marks[index + 1].start if index + 1 < len(marks) else float("inf")
        inside = [c for c in usable if (chapter.start <= c.start or index == 0) and c.start < following]
        if inside:
            parts.append("<p>" + " ".join(f'<a class="cue" href="{_fragment(c.start)}">{escape(c.text, quote=True)}</a>'
                                          for c in inside) + "</p>\n")
    timing = {"cues": [[_seconds(c.start), _seconds(c.end)] for c in usable],
              "chapters": [[_seconds(c.start), _seconds(c.end)] for c in marks]}
    parts.append('</div>\n</section>\n<section aria-labelledby="notes-heading">\n'
                 '<h2 id="notes-heading">Show notes</h2>\n<div class="notes">\n')
    parts.append(show_notes(_clean(tags.description or tags.title), tags.stories))
    parts.append(f'\n</div>\n</section>\n<p class="downloads">Download: <a href="{mp3}" download>MP3</a> \u00b7 '
                 f'<a href="{_file(".txt")}">transcript (text)</a> \u00b7 '
                 f'<a href="{_file(".vtt")}">captions (WebVTT)</a> \u00b7 '
                 f'<a href="{FEED_NAME}">subscribe (RSS)</a></p>\n</main>\n'
                 f'<script type="application/json" id="timing">{json_for_script(timing)}</script>\n'
                 f'<script>{script}</script>\n</body>\n</html>\n')
    return "".join(parts).encode("utf-8", errors="replace")


def _references(stem: str) -> list[tuple[bytes, bytes]]:
    """(canonical, placed) spellings of every reference a page makes to its episode's files."""
    real = quote(stem, safe="")
    return [(f'="{PLACEHOLDER}{suffix}"'.encode(), f'="{real}{suffix}"'.encode()) for suffix in LINKED_SUFFIXES]


def placed(data: bytes, stem: str) -> bytes:
    """A canonical page with its episode's real file names (only attribute values start with `="`)."""
    for canonical_form, real in _references(stem):
        data = data.replace(canonical_form, real)
    return data


def canonical(data: bytes, stem: str) -> bytes:
    """The page `data` written for episode `stem`, with its file names replaced by the placeholder."""
    for canonical_form, real in _references(stem):
        data = data.replace(real, canonical_form)
    return data


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.audio: list[str] = []
        self.generator = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "audio" and values.get("src"):
            self.audio.append(values["src"])
        if tag == "meta" and values.get("name") == "generator" and values.get("content") == "digest":
            self.generator = True


def audio_sources(data: bytes) -> list[str]:
    """The src of every <audio> element in a page, unquoted."""
    parser = _Links()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return [unquote(src) for src in parser.audio]


def page_problems(data: bytes, episode: EpisodeFile | None) -> list[str]:
    """What is wrong with `data` as the page of `episode` (each problem reads after its name)."""
    sources = audio_sources(data)
    if not sources:
        return ["has no audio player"]
    if episode is not None and sources != [episode.path.name]:
        return [f"plays {', '.join(sources)}, not {episode.path.name}"]
    return []


# --- the show page ------------------------------------------------------------------------

def show_page(settings: FeedSettings, cover_name: str | None, episodes: list[EpisodeFile],
              pages: Callable[[EpisodeFile], Path | None]) -> bytes:
    """The show's page: cover, title, description, the feed, and every episode newest first.

    `pages(episode)` is the episode's page when it has one; otherwise it links the MP3.
    """
    feed_link = f'<link rel="alternate" type="application/rss+xml" title="{_attr(settings.title)}" href="{FEED_NAME}">\n'
    parts = [_head(settings.title, settings.language, None, feed_link), "<body>\n<main>\n<header>\n"]
    if cover_name:
        parts.append(f'<img class="cover" src="{quote(cover_name, safe="")}" alt="" width="144" height="144">\n')
    parts.append(f"<h1>{_text(settings.title)}</h1>\n<p>{_text(settings.description)}</p>\n"
                 f'<p><a href="{FEED_NAME}" type="application/rss+xml">Subscribe with a podcast app</a> '
                 f"(copy this link into the app).</p>\n</header>\n"
                 f'<section aria-labelledby="episodes-heading">\n<h2 id="episodes-heading">Episodes</h2>\n')
    if not episodes:
        parts.append("<p>No episodes yet.</p>\n")
    else:
        parts.append('<ol class="episodes">\n')
        for episode in episodes:
            tags = episode.tags
            page = pages(episode)
            target = quote((page or episode.path).name, safe="")
            summary = _clean(tags.description)
            if len(summary) > SHORT_DESCRIPTION:
                summary = summary[:SHORT_DESCRIPTION].rsplit(" ", 1)[0] + "\u2026"
            parts.append(f'<li><article><h2><a href="{target}">{_text(tags.title)}</a></h2>\n'
                         f'<p class="meta">{_date(tags.published)} \u00b7 {clock(episode.duration)}</p>\n'
                         + (f"<p>{escape(summary, quote=True)}</p>" if summary else "") + "</article></li>\n")
        parts.append("</ol>\n")
    parts.append("</section>\n</main>\n</body>\n</html>\n")
    return "".join(parts).encode("utf-8", errors="replace")


def is_own_show_page(path: Path) -> bool:
    """Whether the file at `path` is a show page digest wrote (a user's own index.html is not)."""
    try:
        data = read_regular(path, MAX_OUTPUT_BYTES, "show page")
    except (OSError, OutputError):
        return False
    head = data[:2048].decode("utf-8", errors="replace")
    return GENERATOR in head


def write_show_page(folder: Path, settings: FeedSettings, cover_name: str | None, episodes: list[EpisodeFile],
                    pages: Callable[[EpisodeFile], Path | None]) -> bool:
    """Write (or refresh) index.html; a user's own index.html is left alone. Whether ours is there."""
    path = Path(folder) / SHOW_PAGE_NAME
    if any(episode.path.name == Path(SHOW_PAGE_NAME).stem + ".mp3" for episode in episodes):
        log.warning("no show page: the episode %s.mp3 has its own page at that name", Path(SHOW_PAGE_NAME).stem)
        return False
    if path.exists() or path.is_symlink():
        if path.is_symlink() or not path.is_file() or not is_own_show_page(path):
            log.warning("left %s alone: it is not a show page digest wrote", path.name)
            return False
    data = show_page(settings, cover_name, episodes, pages)
    try:
        if read_regular(path, MAX_OUTPUT_BYTES, "show page") == data:
            return True
    except (OSError, OutputError):
        pass
    write_atomic(path, data)
    return True
