"""Which stories make the episode: read every input and drop repeats.

Inputs are read in the order given. A bad input among several is reported as one warning
and counted, so the intro can say how many stories are missing; a bad input on its own is
an error, as is a set of inputs none of which could be read. Repeats (same URL, or text
that is nearly the same) are dropped with a warning; a publisher's batch, where every item
with its own URL is its own article however alike their words, drops only the first kind.
Fitting the stories to a time limit is the script stage's job (digest.script.fit).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digest.errors import InputError, NothingToRead
from digest.models import Article
from digest.read import ReadSettings, Skipped, read_within_budget
from digest.read.clean import clean_text

log = logging.getLogger(__name__)

NEAR_DUPLICATE = 0.8
_SHINGLE = 3  # words per shingle: small enough that one changed word moves few of them


@dataclass
class Lineup:
    articles: list[Article]
    skipped: int = 0  # inputs or items that could not be read
    duplicates: int = 0
    left_out: int = 0  # stories that did not fit --max-minutes
    shortened: int = 0  # stories summarized (--summary, --max-minutes)
    fitted_to: float | None = None  # the --max-minutes the stories were summarized to fit
    problems: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # inputs read that held no stories (not problems)
    # The input each story was read from, as given ("stdin" for -), one per story as read:
    # `digest batch --group-by source` files a story without a source or URL under it.
    origins: list[str] = field(default_factory=list)


def read_lineup(inputs: list[str], settings: ReadSettings | None = None, *, stdin=None,
                on_read: Callable[[int, int], None] | None = None, near_duplicates: bool = True) -> Lineup:
    """Read every input into stories; `on_read(done, total)` is told as each input is read.
    `near_duplicates=False` keeps stories with URLs of their own however alike their text."""
    settings = settings or ReadSettings()
    if inputs.count("-") > 1:
        # stdin can be read once; a second "-" would silently be an empty story.
        raise InputError("- (stdin) can be given only once")
    articles: list[Article] = []
    origins: list[str] = []  # the input each story came from, for the warnings about repeats
    problems: list[str] = []
    empty: list[str] = []
    for done, spec in enumerate(inputs):
        if on_read:
            on_read(done, len(inputs))
        try:
            entries = read_within_budget(spec, settings, stdin=stdin)
        except InputError as error:
            if len(inputs) == 1:
                raise
            entries = [Skipped(str(error), empty=isinstance(error, NothingToRead))]
        for entry in entries:
            if isinstance(entry, Skipped):
                (empty if entry.empty else problems).append(entry.message)
            elif isinstance(entry, Article):
                articles.append(entry)
                origins.append("stdin" if spec == "-" else spec)
    if on_read:
        on_read(len(inputs), len(inputs))
    # Warnings wait until it is clear there is an episode to warn about: when a lone problem
    # stops the run, its error line says it all, and saying it twice is noise.
    if articles or len(problems) + len(empty) > 1:
        for problem in problems + empty:
            log.warning("%s (skipped)", problem)
    if not articles:
        if len(problems) == 1 and not empty:
            raise InputError(problems[0])
        if problems:
            raise InputError(f"none of the inputs could be read ({len(problems) + len(empty)} problems, "
                             "see the warnings above)")
        raise NothingToRead(empty[0] if len(empty) == 1 else "the inputs hold no articles")
    kept, duplicates = drop_duplicates(articles, origins, near_duplicates=near_duplicates)
    kept_ids = {id(article) for article in kept}
    kept_origins = [origin for article, origin in zip(articles, origins) if id(article) in kept_ids]
    return Lineup(kept, skipped=len(problems) + len(empty), duplicates=duplicates, problems=problems, empty=empty,
                  origins=kept_origins)


# --- duplicates ---------------------------------------------------------------------------

_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def url_identity(url: str) -> str:
    """The same page however it was linked: no fragment, tracking parameters or trailing slash.

    The scheme is left out (http and https are the same page) and so is the scheme's default
    port, but another port is another server: 127.0.0.1:8731 and :8732 serve different stories.
    A URL on its default port keeps the identity it had before ports were counted, so the
    records `digest sync` kept then still match it.
    """
    try:
        parts = urlsplit(url.strip())
        parts.hostname  # noqa: B018 - raises for a malformed IPv6 literal, as urlsplit may
        port = parts.port  # raises for a port that is not a number or out of range
    except ValueError:  # a feed's malformed link ("http://[x") is still that story's identity
        return url.strip()
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return urlunsplit(("", host, parts.path.rstrip("/") or "/", query, ""))


def _shingles(article: Article) -> frozenset[int]:
    words = re.findall(r"\w+", clean_text(article.body).casefold())
    if len(words) < _SHINGLE:
        return frozenset({hash(" ".join(words))})
    return frozenset(hash(" ".join(words[i:i + _SHINGLE])) for i in range(len(words) - _SHINGLE + 1))


def _similarity(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def drop_duplicates(articles: list[Article], origins: list[str] | None = None,
                    near_duplicates: bool = True) -> tuple[list[Article], int]:
    """The stories without repeats, and how many were dropped. `origins`, one per story, name
    where each came from (an input, a source) in the warning about a story without a URL.
    `near_duplicates=False` compares the text of stories without a URL only."""
    kept: list[Article] = []
    seen_urls: dict[str, int] = {}
    texts = _SeenTexts()
    for number, article in enumerate(articles):
        identity = url_identity(article.url) if article.url else None
        original = seen_urls.get(identity) if identity else None
        compared = near_duplicates or not identity
        shingles = _shingles(article) if compared else frozenset()
        if original is None and compared:
            original = texts.first_like(shingles)
        if original is not None:
            log.warning("skipping %s: the same story as %s", _name(articles, number, origins),
                        _name(articles, original, origins))
            continue
        kept.append(article)
        if identity:
            seen_urls[identity] = number
        if compared:
            texts.add(shingles, number)
    return kept, len(articles) - len(kept)


class _SeenTexts:
    """The kept stories' shingles, found again by prefix filtering (Bayardo et al., "Scaling up
    all pairs similarity search", 2007): in one fixed order of shingles, two sets at least
    NEAR_DUPLICATE alike share one of the first len - ceil(NEAR_DUPLICATE * len) + 1 shingles
    of each. Only stories sharing one are compared, so a batch of thousands is not compared
    pair by pair (2,000 varied stories: 2.6 s, against 71 s pair by pair), and the answer is the same."""

    def __init__(self) -> None:
        self._by_prefix_shingle: dict[int, list[int]] = {}
        self._shingles: dict[int, frozenset[int]] = {}

    def first_like(self, shingles: frozenset[int]) -> int | None:
        """The earliest kept story at least NEAR_DUPLICATE alike, if any."""
        candidates = {number for shingle in _prefix(shingles) for number in self._by_prefix_shingle.get(shingle, ())}
        return min((n for n in candidates if _similarity(self._shingles[n], shingles) >= NEAR_DUPLICATE), default=None)

    def add(self, shingles: frozenset[int], number: int) -> None:
        self._shingles[number] = shingles
        for shingle in _prefix(shingles):
            self._by_prefix_shingle.setdefault(shingle, []).append(number)


def _prefix(shingles: frozenset[int]) -> list[int]:
    # round(): 0.8 * 5 is 4.000000000000001 in floating point, and its ceiling would cut the
    # prefix one short, losing pairs that are alike enough.
    overlap = math.ceil(round(NEAR_DUPLICATE * len(shingles), 9))
    return sorted(shingles)[:len(shingles) - overlap + 1]


def _name(articles: list[Article], number: int, origins: list[str] | None) -> str:
    article = articles[number]
    title = article.title or " ".join(article.body.split()[:8]) + "..."
    where = article.url or (origins[number] if origins else None)
    return f"{title!r} ({where})" if where else repr(title)
