from functools import cache
from pathlib import Path

import pytest

from digest.errors import InputError
from digest.models import Article
from digest.read import read_input
from digest.read.lineup import Lineup
from digest.script.fit import estimate_minutes, fit_minutes
from digest.script.summary import Summary

STORIES = sorted((Path(__file__).parent / "stories").glob("*.txt"))


def _day() -> list[Article]:
    return list(_read_day())


@cache
def _read_day() -> tuple[Article, ...]:
    return tuple(article for path in STORIES for article in read_input(str(path)))


def _sentences(article: Article) -> int:
    return len(Summary(article.body))


def test_the_sample_day_is_twelve_stories_too_long_for_ten_minutes():
    day = _day()
    assert len(day) == 12 and estimate_minutes(day) > 15


def test_twelve_stories_fit_ten_minutes_each_summarized_none_left_out():
    day = _day()
    fitted = fit_minutes(Lineup(day), max_minutes=10)
    assert 9 <= estimate_minutes(fitted.articles) <= 10
    assert [a.title for a in fitted.articles] == [a.title for a in day]
    assert all(_sentences(told) < _sentences(whole) for told, whole in zip(fitted.articles, day))
    assert (fitted.shortened, fitted.left_out, fitted.fitted_to) == (12, 0, 10)


def test_the_more_stories_the_briefer_each():
    day = _day()
    few = fit_minutes(Lineup(day[:6]), max_minutes=6)
    many = fit_minutes(Lineup(day), max_minutes=6)
    assert len(many.articles) == 12 and many.left_out == 0
    assert sum(map(_sentences, many.articles[:6])) < sum(map(_sentences, few.articles))


@pytest.mark.parametrize("minutes", [3, 4.5, 7, 12])
def test_the_fit_never_runs_over_and_uses_most_of_the_time(minutes):
    fitted = fit_minutes(Lineup(_day()), max_minutes=minutes)
    assert minutes * 0.85 <= estimate_minutes(fitted.articles) <= minutes


def test_stories_are_left_out_only_when_even_one_sentence_each_cannot_fit():
    day = _day()
    fitted = fit_minutes(Lineup(day), max_minutes=2)
    assert fitted.left_out > 0 and len(fitted.articles) + fitted.left_out == 12
    assert [a.title for a in fitted.articles] == [a.title for a in day[:len(fitted.articles)]]  # the last go
    assert estimate_minutes(fitted.articles) <= 2
    # One more story, even told in one sentence, would not have fitted.
    one_more = [*fitted.articles, day[len(fitted.articles)]]
    assert estimate_minutes(fit_minutes(Lineup(one_more), max_minutes=99, summary=1).articles) > 2


def test_summary_reads_about_n_sentences_of_each_story():
    day = _day()
    fitted = fit_minutes(Lineup(day), None, summary=3)
    assert all(_sentences(a) <= 3 for a in fitted.articles)
    assert fitted.shortened == 12 and fitted.fitted_to is None
    assert fitted.articles[0].body.startswith("The ferry service to Kessel Island")


def test_summary_and_a_roomy_limit_summarize_only_as_asked():
    fitted = fit_minutes(Lineup(_day()), max_minutes=60, summary=2)
    assert all(_sentences(a) <= 2 for a in fitted.articles) and fitted.fitted_to is None


def test_a_story_shorter_than_the_summary_is_read_whole():
    short = Article("Pool reopens", "The pool reopens on Monday. It closed in June.")
    fitted = fit_minutes(Lineup([short]), None, summary=5)
    assert fitted.articles == [short] and fitted.shortened == 0


def test_no_limit_and_no_summary_change_nothing():
    lineup = Lineup(_day())
    assert fit_minutes(lineup, None) is lineup
    assert fit_minutes(lineup, 60) is lineup


def test_a_run_on_story_is_cut_at_a_word_when_nothing_else_fits():
    fitted = fit_minutes(Lineup([Article("Run-on", "word " * 600 + "end.")]), max_minutes=0.5)
    [article] = fitted.articles
    assert article.body.endswith("...") and estimate_minutes([article]) <= 0.5
    assert fitted.shortened == 1 and fitted.left_out == 0


@pytest.mark.parametrize("minutes, summary, message", [
    (0, None, "--max-minutes must be more than 0, not 0"),
    (None, 0, "--summary must be at least 1 sentence, not 0"),
])
def test_bad_values_are_refused(minutes, summary, message):
    with pytest.raises(InputError, match=message):
        fit_minutes(Lineup(_day()), minutes, summary=summary)


def test_a_faster_voice_fits_more_of_each_story_into_the_same_minutes():
    day = _day()
    slow = fit_minutes(Lineup(day), max_minutes=8)
    fast = fit_minutes(Lineup(day), max_minutes=8, words_per_minute=200)
    assert estimate_minutes(fast.articles, 200) <= 8 < estimate_minutes(fast.articles)
    assert sum(map(_sentences, fast.articles)) > sum(map(_sentences, slow.articles))


def test_the_warning_counts_one_story_in_the_singular(caplog):
    fit_minutes(Lineup(_day()[:1]), max_minutes=1)
    assert caplog.messages == ["--max-minutes 1: of 1 story, 1 summarized and 0 left out"]  # not "of 1 stories"
