"""Fitting the stories to a time limit (--max-minutes).

Stories are kept in order while they fit; the first that does not fit is shortened to whole
sentences when enough time is left to be worth it, and what cannot fit at all is left out,
both said aloud (the note at the end of a shortened story, the intro's count of those left out).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from digest.errors import InputError
from digest.models import Article
from digest.numwords import counted
from digest.read.clean import clean_text, paragraphs
from digest.read.lineup import Lineup
from digest.script.chunk import split_sentences
from digest.script.wording import say

log = logging.getLogger(__name__)

WORDS_PER_MINUTE = 150
# What the presenter says around the stories: the welcome and outro, and per story its
# headline in the intro, its heading and a transition.
FRAME_WORDS = 30
WORDS_AROUND_STORY = 20
# Shortening a story to less than this is no longer telling it; leave it out instead.
MIN_SHORTENED_WORDS = 60
# A first sentence up to this many times the budget is kept whole even so: running a little
# over beats stopping mid-sentence. A longer one is a run-on (often a page scraped without
# full stops), cut at a word because keeping it would ignore the limit altogether.
_FIRST_SENTENCE_OVERRUN = 2


def spoken_words(article: Article) -> int:
    return len(article.title.split()) + len(clean_text(article.body).split())


def estimate_minutes(articles: list[Article]) -> float:
    words = FRAME_WORDS + sum(spoken_words(a) + WORDS_AROUND_STORY for a in articles)
    return words / WORDS_PER_MINUTE


def shorten(article: Article, words: int, note: str, lang: str = "en") -> Article:
    """Keep whole sentences, in order, up to `words`, and at least the first; then the spoken note."""
    kept: list[str] = []
    used = 0
    for paragraph in paragraphs(clean_text(article.body)):
        whole = split_sentences(paragraph, lang)
        sentences: list[str] = []
        for sentence in whole:
            count = len(sentence.split())
            first = not kept and not sentences
            if used + count > (words * _FIRST_SENTENCE_OVERRUN if first else words):
                break
            sentences.append(sentence)
            used += count
        if sentences:
            kept.append(" ".join(sentences))
        if len(sentences) < len(whole):
            break
    if not kept:  # a run-on first sentence, far over the budget: cut it at a word
        kept.append(" ".join(clean_text(article.body).split()[:words]) + "...")
    return replace(article, body="\n\n".join([*kept, note]))


def fit_minutes(lineup: Lineup, max_minutes: float | None, lang: str = "en") -> Lineup:
    if max_minutes is None:
        return lineup
    if max_minutes <= 0:
        raise InputError(f"--max-minutes must be more than 0, not {max_minutes:g}")
    note = say(lang, "shortened")
    budget = max_minutes * WORDS_PER_MINUTE - FRAME_WORDS
    chosen: list[Article] = []
    left_out = shortened = 0
    for article in lineup.articles:
        cost = spoken_words(article) + WORDS_AROUND_STORY
        room = budget - WORDS_AROUND_STORY - len(article.title.split()) - len(note.split())
        if cost <= budget:
            chosen.append(article)
            budget -= cost
        elif room >= MIN_SHORTENED_WORDS or not chosen:
            chosen.append(shorten(article, max(int(room), MIN_SHORTENED_WORDS // 2), note, lang))
            shortened += 1
            budget = 0
        else:
            left_out += 1
    if left_out or shortened:
        log.warning("--max-minutes %g: of %s, %d shortened and %d left out",
                    max_minutes, counted(len(lineup.articles), "story", "stories"), shortened, left_out)
    return replace(lineup, articles=chosen, left_out=left_out, shortened=shortened)
