import pytest

from digest.models import Article
from digest.read.lineup import Lineup
from digest.script.fit import MIN_SHORTENED_WORDS, estimate_minutes, fit_minutes, shorten
from digest.script.wording import wording


def _words(count: int, stem: str) -> str:
    # Ten-word sentences so shortening has boundaries to cut at.
    sentences = [f"{stem} sentence number {i} has exactly ten words in it." for i in range(count // 10)]
    return " ".join(sentences)


def test_fit_minutes_keeps_shortens_and_leaves_out_in_order():
    stories = [Article(f"Story {n}", _words(300, f"S{n}")) for n in (1, 2, 3)]
    fitted = fit_minutes(Lineup(stories), max_minutes=3)  # 450 words: one story and part of another
    assert [a.title for a in fitted.articles] == ["Story 1", "Story 2"]
    assert fitted.articles[0] == stories[0]
    shortened = fitted.articles[1].body.split("\n\n")
    assert shortened[-1] == wording("en")["shortened"]
    assert all(s.endswith(".") for s in shortened[0].split(" S2 ")[:-1])  # whole sentences only
    assert (fitted.shortened, fitted.left_out) == (1, 1)
    assert estimate_minutes(fitted.articles) <= 3.1


def test_fit_minutes_keeps_later_stories_that_still_fit():
    stories = [Article("Long", _words(400, "L")), Article("Longer", _words(600, "M")), Article("Brief", "Short one.")]
    fitted = fit_minutes(Lineup(stories), max_minutes=3.3)  # room left after Long is too little to shorten
    assert [a.title for a in fitted.articles] == ["Long", "Brief"] and fitted.left_out == 1


def test_a_tiny_limit_still_leaves_one_shortened_story(caplog):
    fitted = fit_minutes(Lineup([Article("Only", _words(500, "O"))]), max_minutes=0.2)
    [article] = fitted.articles
    assert fitted.shortened == 1 and len(article.body.split()) <= MIN_SHORTENED_WORDS + 10
    assert caplog.messages == ["--max-minutes 0.2: of 1 story, 1 shortened and 0 left out"]  # not "of 1 stories"


def test_no_limit_changes_nothing():
    lineup = Lineup([Article("A", _words(5000, "A"))])
    assert fit_minutes(lineup, None) is lineup


def test_shorten_cuts_an_overlong_first_sentence_at_a_word():
    article = shorten(Article("Run-on", "word " * 200 + "end."), 20, "Shortened.")
    first, note = article.body.split("\n\n")
    assert first == " ".join(["word"] * 20) + "..." and note == "Shortened."


SHORTENED = [
    # (body, words allowed, what is kept before the note)
    ("One two three four five six. Seven eight nine ten eleven twelve.", 4, "One two three four five six."),
    ("One two three four five six. Seven eight nine.", 9, "One two three four five six. Seven eight nine."),
    ("One two three four five six. Seven eight nine ten.", 9, "One two three four five six."),
    ("Am 25. November 2026 fuhr die Fähre. Dann nicht mehr.", 4, "Am 25. November 2026 fuhr die Fähre."),
    ("First paragraph here.\n\nSecond one is too long to fit.", 5, "First paragraph here."),
]


@pytest.mark.parametrize("body, words, kept", SHORTENED, ids=[b[:30] for b, _, _ in SHORTENED])
def test_shorten_keeps_whole_sentences_and_at_least_the_first(body, words, kept):
    lang = "de" if "Fähre" in body else "en"
    article = shorten(Article("T", body), words, "Shortened.", lang)
    assert article.body == f"{kept}\n\nShortened."


def test_a_tight_limit_never_ends_a_story_mid_sentence():
    from digest.read import read_input
    from digest.samples import sample_path

    [article] = read_input(str(sample_path("bike-lanes")))
    fitted = fit_minutes(Lineup([article]), max_minutes=0.5)
    first, note = fitted.articles[0].body.split("\n\n")
    assert first.endswith("for almost three years.") and note == wording("en")["shortened"]
