import logging

import pytest

from digest.errors import InputError
from digest.models import Article
from digest.read import ReadSettings
from digest.read.lineup import drop_duplicates, read_lineup, url_identity


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


def test_a_repeated_story_is_named_with_both_inputs(tmp_path, caplog):
    first = _story(tmp_path, "a.txt", "Ferry fares frozen", "Ferry fares stay the same all winter, the trust said.")
    second = _story(tmp_path, "b.txt", "Ferry fares frozen", "Ferry fares stay the same all winter, the trust said.")
    with caplog.at_level(logging.WARNING):
        lineup = read_lineup([first, second])
    assert len(lineup.articles) == 1 and lineup.duplicates == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"skipping 'Ferry fares frozen' ({second}): the same story as 'Ferry fares frozen' ({first})"]


def test_url_identity_ignores_tracking_fragments_and_trailing_slashes():
    assert url_identity("https://www.News.example/a/b/?utm_source=x&id=3#top") == url_identity("http://news.example/a/b?id=3")
    assert url_identity("https://news.example/a?id=3") != url_identity("https://news.example/a?id=4")


def test_url_identity_tells_ports_apart_but_not_a_schemes_default_port():
    assert url_identity("http://127.0.0.1:8732/a1.html") != url_identity("http://127.0.0.1:8731/a1.html")
    assert url_identity("http://127.0.0.1:8732/a1.html") == "//127.0.0.1:8732/a1.html"
    assert url_identity("http://[::1]:8080/a") == "//[::1]:8080/a"
    # The default port is no port: such URLs keep the identity they had before ports counted,
    # which is what `digest sync` recorded in .digest-sync.json then.
    assert url_identity("http://news.example:80/a") == url_identity("https://news.example:443/a") == "//news.example/a"
    assert url_identity("http://news.example:443/a") == "//news.example:443/a"
    assert url_identity("http://news.example:99999/a") == "http://news.example:99999/a"  # no port: as given


def test_the_same_path_on_two_ports_is_two_stories():
    one = Article("Stall prices", "Stall rents rise by a tenth from March, the market trust said.",
                  url="http://127.0.0.1:8731/a1.html")
    other = Article("Tide tables", "The new tide tables are printed and free at the harbour office.",
                    url="http://127.0.0.1:8732/a1.html")
    assert drop_duplicates([one, other]) == ([one, other], 0)


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


def _brute_force_originals(articles):
    """Each story's original by comparing it with every kept story before it, as digest did."""
    from digest.read.lineup import NEAR_DUPLICATE, _shingles, _similarity

    kept, originals = [], []
    for number, article in enumerate(articles):
        shingles = _shingles(article)
        original = next((n for s, n in kept if _similarity(s, shingles) >= NEAR_DUPLICATE), None)
        originals.append(original)
        if original is None:
            kept.append((shingles, number))
    return originals


@pytest.mark.parametrize("seed", range(12))
def test_prefix_filtering_finds_exactly_the_pairs_every_comparison_finds(seed):
    """Stories and copies edited more or less (some just either side of the threshold, some
    short): the prefix filter keeps and drops the same ones as comparing every pair."""
    import random

    rng = random.Random(seed)
    vocabulary = [f"word{n}" for n in range(300)] + ["the", "of", "and", "a", "to"] * 40
    stories = [" ".join(rng.choice(vocabulary) for _ in range(rng.choice([2, 4, 8, 17, 30, 80]))) for _ in range(40)]
    articles = []
    for number in range(160):
        if number < 40 or rng.random() < 0.3:
            body = stories[number % 40]
        else:
            words = rng.choice(stories).split()
            for _ in range(rng.choice([0, 1, 2, 3, 5, 8])):  # edits of one word each
                if rng.random() < 0.5:
                    words[rng.randrange(len(words))] = rng.choice(vocabulary)
                elif len(words) > 3:
                    del words[rng.choice([0, -1])]  # a word cut at either end
            body = " ".join(words)
        articles.append(Article(f"Story {number}", body))
    expected = _brute_force_originals(articles)
    kept, dropped = drop_duplicates(articles)
    assert kept == [a for a, original in zip(articles, expected) if original is None]
    assert dropped == sum(original is not None for original in expected) > 0


def test_without_near_duplicates_alike_stories_with_urls_of_their_own_are_all_kept(caplog):
    """A publisher's batch: templated items (a line per town) are each their own article; the
    same URL twice, or the same words with no URL, are still one story."""
    towns = [Article(f"Weather for {town}", BODY.replace("Harbour Road", f"{town} Road"), url=f"https://w.example/{town}")
             for town in ("Ashby", "Brill", "Cley", "Dent")]
    again = Article("Weather for Ashby", "Later words.", url="https://w.example/Ashby?utm_source=rss")
    local = [Article("Notice", BODY), Article("Notice, copied", BODY.replace("May", "May."))]
    assert drop_duplicates(towns) == (towns[:1], 3)  # near duplicates, for a listener's digest
    kept, dropped = drop_duplicates([*towns, again, *local], near_duplicates=False)
    assert kept == [*towns, local[0]] and dropped == 2


def test_same_text_under_two_inputs_is_read_once(tmp_path):
    first = _story(tmp_path, "a.txt", "Alpha", BODY)
    second = _story(tmp_path, "b.txt", "Alpha again", BODY)
    lineup = read_lineup([first, second])
    assert [a.title for a in lineup.articles] == ["Alpha"] and lineup.duplicates == 1 and lineup.skipped == 0


def test_hostile_inputs_cost_only_themselves(tmp_path, caplog, web):
    good = _story(tmp_path, "good.txt", "Good", "A story that reads fine.")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 960 + "]" * 960, encoding="utf-8")
    feed = tmp_path / "feed.rss"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>F</title>"
        "<item><title>Broken link</title><link>http://[x</link><description>Teaser...</description></item>"
        "<item><title>Whole</title><description>" + "A whole story in the feed itself. " * 10 +
        "</description></item></channel></rss>", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        lineup = read_lineup([str(deep), str(feed), good], ReadSettings(allow_private=True))
    # The item with a broken link keeps its summary; the over-deep JSON is that input's warning.
    assert [article.title for article in lineup.articles] == ["Broken link", "Whole", "Good"]
    assert lineup.skipped == 1
    warnings = " ".join(r.getMessage() for r in caplog.records)
    # Python 3.12 and older stop at the recursion limit; 3.13 parses it and finds no story.
    assert ("deep.json: is JSON nested too deeply to read (skipped)" in warnings
            or "deep.json: item 1: is not an object with title and text (skipped)" in warnings)
    assert "http://[x: is not a valid URL" in warnings


def test_an_unexpected_failure_is_that_inputs_warning_asking_for_a_report(tmp_path, caplog, monkeypatch):
    from digest.read import text as text_reader

    good = _story(tmp_path, "good.md", "# Good", "A story that reads fine.")
    odd = _story(tmp_path, "odd.txt", "Odd", "This one trips a bug.")

    def broken(document):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(text_reader, "read_document", broken)
    with caplog.at_level(logging.WARNING):
        lineup = read_lineup([odd, good])
    assert [article.title for article in lineup.articles] == ["Good"]
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "odd.txt: could not be read (ZeroDivisionError: division by zero)" in warning
    assert "please report it" in warning
    with pytest.raises(InputError, match=r"odd.txt: could not be read \(ZeroDivisionError"):
        read_lineup([odd])


def test_an_input_that_takes_too_long_is_left_out_and_the_run_goes_on(tmp_path, caplog, monkeypatch):
    import threading
    import time

    from digest.read import text as text_reader

    good = _story(tmp_path, "good.md", "# Good", "A story that reads fine.")
    stuck = _story(tmp_path, "stuck.txt", "Stuck", "This one defeats a parser.")
    release = threading.Event()
    monkeypatch.setattr(text_reader, "read_document", lambda document: release.wait(30) and [])
    started = time.monotonic()
    try:
        with caplog.at_level(logging.WARNING):
            lineup = read_lineup([stuck, good], ReadSettings(budget_seconds=0.5))
    finally:
        release.set()
    assert time.monotonic() - started < 3
    assert [article.title for article in lineup.articles] == ["Good"]
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning == f"{stuck}: took longer than 0.5 s to read; left out (skipped)"
