import logging

import pytest

from digest.errors import InputError
from digest.read.lineup import MIN_SHORTENED_WORDS, Lineup, drop_duplicates, estimate_minutes, fit_minutes, read_lineup, shorten, url_identity
from digest.models import Article
from digest.script.wording import wording


def _story(tmp_path, name, title, body):
    path = tmp_path / name
    path.write_text(f"{title}\n\n{body}", encoding="utf-8")
    return str(path)


def test_bad_inputs_in_a_mix_are_warned_about_and_counted(tmp_path, caplog):
    good_a = _story(tmp_path, "a.txt", "Alpha", "The first story.")
    good_b = _story(tmp_path, "b.txt", "Beta", "The second story.")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with caplog.at_level(logging.WARNING):
        lineup = read_lineup([good_a, str(tmp_path / "missing.txt"), str(empty), good_b])
    assert [a.title for a in lineup.articles] == ["Alpha", "Beta"]
    assert lineup.skipped == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [f"{tmp_path / 'missing.txt'}: no such file (skipped)", f"{empty}: is empty (skipped)"]


def test_a_single_bad_input_is_an_error_of_its_own(tmp_path):
    with pytest.raises(InputError, match=r"^.*missing.txt: no such file$"):
        read_lineup([str(tmp_path / "missing.txt")])


def test_when_every_input_is_bad_nothing_is_made(tmp_path):
    with pytest.raises(InputError, match=r"^none of the inputs could be read \(2 problems, see the warnings above\)$"):
        read_lineup([str(tmp_path / "one.txt"), str(tmp_path / "two.txt")])


def test_url_identity_ignores_tracking_fragments_and_trailing_slashes():
    assert url_identity("https://www.News.example/a/b/?utm_source=x&id=3#top") == url_identity("http://news.example/a/b?id=3")
    assert url_identity("https://news.example/a?id=3") != url_identity("https://news.example/a?id=4")


BODY = ("The council voted on Tuesday to build twelve kilometres of protected bike lanes along Harbour Road "
        "and Mill Street, ending a debate that has run for almost three years. Work starts in May.")


def test_duplicates_by_url_and_by_nearly_identical_text(caplog):
    original = Article("Bike lanes approved", BODY, url="https://news.example/bikes")
    same_url = Article("Bike lanes: the vote", "Entirely different words here.", url="https://news.example/bikes/?utm_medium=rss")
    reworded = Article("Council backs bike lanes", BODY.replace("Tuesday", "Tuesday night"))
    different = Article("Ferry fares", "Fares stay the same on every crossing until spring, the trust said.")
    kept, dropped = drop_duplicates([original, same_url, reworded, different])
    assert kept == [original, different] and dropped == 2
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0].startswith("skipping 'Bike lanes: the vote' (https://news.example/bikes/?utm_medium=rss): "
                                  "the same story as 'Bike lanes approved'")
    assert messages[1].startswith("skipping 'Council backs bike lanes': the same story as 'Bike lanes approved'")


def test_same_text_under_two_inputs_is_read_once(tmp_path):
    first = _story(tmp_path, "a.txt", "Alpha", BODY)
    second = _story(tmp_path, "b.txt", "Alpha again", BODY)
    lineup = read_lineup([first, second])
    assert [a.title for a in lineup.articles] == ["Alpha"] and lineup.duplicates == 1 and lineup.skipped == 0


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


def test_a_tiny_limit_still_leaves_one_shortened_story():
    fitted = fit_minutes(Lineup([Article("Only", _words(500, "O"))]), max_minutes=0.2)
    [article] = fitted.articles
    assert fitted.shortened == 1 and len(article.body.split()) <= MIN_SHORTENED_WORDS + 10


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
