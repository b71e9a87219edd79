"""How much of each story is read: all of it, about N sentences (--summary), or as much as
fits a time limit (--max-minutes).

A time limit summarizes every story rather than dropping the last ones: each is cut to the
same number of sentences, the largest that fits, and the time still left goes, a sentence at
a time, to the stories in running order. So the more stories there are, the briefer each is.
A story is left out, last ones first, only when even the shortest summaries of all of them
cannot fit. The intro says what was done (digest.script.compose), never each story.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from digest.errors import InputError
from digest.models import Article
from digest.numwords import counted
from digest.read.clean import clean_text
from digest.read.lineup import Lineup

log = logging.getLogger(__name__)

# How fast the presenter speaks unless told: a usual pace of read speech, and the one gTTS is
# taken to speak at (not measured: it is online). Each engine declares its own pace
# (digest.speech.engines.base), which `make` passes on, multiplied by --speed.
WORDS_PER_MINUTE = 150
# What the presenter says besides the stories: the welcome with its date, the rundown's opening,
# the note on how the stories were shortened, and the outro.
FRAME_WORDS = 35
# The briefest summary a story is cut to before stories are left out instead.
MIN_SENTENCES = 1


def spoken_words(article: Article) -> int:
    """Words said for one story: its headline twice (in the rundown and as its heading), its
    source and date, the transition to it, and its text."""
    around = 2 + (1 + len(article.source.split()) if article.source else 0) + (6 if article.date else 0)
    return 2 * len(article.title.split()) + around + len(clean_text(article.body).split())


def estimate_minutes(articles: list[Article], words_per_minute: float = WORDS_PER_MINUTE) -> float:
    words = FRAME_WORDS + sum(spoken_words(a) for a in articles)
    return words / words_per_minute


def _cut_at_words(article: Article, words: int) -> Article:
    """A run-on story (often a page scraped without full stops) cut at a word, said with '...'."""
    body = clean_text(article.body).split()
    return replace(article, body=" ".join(body[:max(words, 1)]) + ("..." if len(body) > words else ""))


class _Story:
    """One story's summaries by length, each worked out once."""

    def __init__(self, article: Article, lang: str, most: int | None) -> None:
        self.article = article
        from digest.script.summary import Summary  # numpy: only when a story is summarized

        self.summary = Summary(article.body, lang)
        self.sentences = len(self.summary) if most is None else min(most, len(self.summary))
        self._told: dict[int, tuple[Article, int]] = {}

    def told(self, sentences: int) -> Article:
        return self._telling(sentences)[0]

    def words(self, sentences: int) -> int:
        """Words spoken for the story told in `sentences`, with what is said around it."""
        return self._telling(sentences)[1]

    def _telling(self, sentences: int) -> tuple[Article, int]:
        sentences = max(min(sentences, self.sentences), MIN_SENTENCES)
        if sentences not in self._told:
            whole = sentences >= len(self.summary)
            article = self.article if whole else replace(self.article, body=self.summary.text(sentences))
            self._told[sentences] = article, spoken_words(article)
        return self._told[sentences]

    def shortened(self, sentences: int) -> bool:
        return min(sentences, self.sentences) < len(self.summary)


def _words(stories: list[_Story], counts: list[int]) -> int:
    return FRAME_WORDS + sum(s.words(n) for s, n in zip(stories, counts))


def _fit(stories: list[_Story], budget: float) -> list[int] | None:
    """Sentences per story: the same for all, as many as fit, then one more each in running
    order while there is time. None when not even MIN_SENTENCES each fits."""
    if _words(stories, [MIN_SENTENCES] * len(stories)) > budget:
        return None
    # Longer summaries take longer to say (near enough: a ranking may swap a long sentence for
    # two short ones), so the largest even count that fits is found by halving.
    even, above = MIN_SENTENCES, max(s.sentences for s in stories) + 1
    while above - even > 1:
        middle = (even + above) // 2
        if _words(stories, [middle] * len(stories)) <= budget:
            even = middle
        else:
            above = middle
    counts = [min(even, s.sentences) for s in stories]
    growing = True
    while growing:
        growing = False
        for index, story in enumerate(stories):
            if counts[index] >= story.sentences:
                continue
            trial = counts[:index] + [counts[index] + 1] + counts[index + 1:]
            if _words(stories, trial) <= budget:
                counts, growing = trial, True
    return counts


def fit_minutes(lineup: Lineup, max_minutes: float | None, lang: str = "en", *,
                summary: int | None = None, words_per_minute: float = WORDS_PER_MINUTE) -> Lineup:
    """The lineup with each story summarized to about `summary` sentences, then, if it runs
    over `max_minutes` (spoken at `words_per_minute`), summarized further (and only then
    stories left out) until it fits."""
    if max_minutes is not None and max_minutes <= 0:
        raise InputError(f"--max-minutes must be more than 0, not {max_minutes:g}")
    if summary is not None and summary < 1:
        raise InputError(f"--summary must be at least 1 sentence, not {summary}")
    if summary is None and (max_minutes is None
                            or estimate_minutes(lineup.articles, words_per_minute) <= max_minutes):
        return lineup
    stories = [_Story(article, lang, summary) for article in lineup.articles]
    counts = [s.sentences for s in stories]
    left_out = 0
    if max_minutes is not None:
        budget = max_minutes * words_per_minute
        fitted = _fit(stories, budget) if _words(stories, counts) > budget else counts
        while fitted is None and len(stories) > 1:
            stories.pop()
            left_out += 1
            fitted = _fit(stories, budget)
        if fitted is None:  # one story whose first sentence alone runs over: cut at a word
            [story] = stories
            told = story.told(MIN_SENTENCES)
            room = int(budget) - FRAME_WORDS - (spoken_words(told) - len(clean_text(told.body).split()))
            cut = _cut_at_words(told, room)
            return replace(lineup, articles=[cut], left_out=left_out, shortened=1, fitted_to=max_minutes)
        counts = fitted
    articles = [s.told(n) for s, n in zip(stories, counts)]
    shortened = sum(s.shortened(n) for s, n in zip(stories, counts))
    by_time = max_minutes is not None and (left_out or any(n < s.sentences for s, n in zip(stories, counts)))
    if by_time:
        log.warning("--max-minutes %g: of %s, %d summarized and %d left out",
                    max_minutes, counted(len(lineup.articles), "story", "stories"), shortened, left_out)
    return replace(lineup, articles=articles, left_out=left_out, shortened=shortened,
                   fitted_to=max_minutes if by_time else None)
