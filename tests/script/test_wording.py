"""The presenter's sentences start with a capital in every language, whatever fills them in."""

import datetime as dt

import pytest

from digest.models import Article
from digest.script.compose import build_script
from digest.script.wording import WORDING, say

# Pieces that go inside a sentence or name a chapter; everything else is a sentence.
NOT_SENTENCES = {"and", "untitled", "intro_chapter", "outro_chapter", "fit", "minutes", "minutes_one"}
# Values as they arrive: spelled-out counts and headlines can start in lower case.
VALUES = {"count": "two", "programme": "digest", "date": "25. November 2026", "headline": "number one song",
          "headlines": "one; and two", "source": "example dot com", "fit": " to fit ten minutes"}


@pytest.mark.parametrize(
    "lang, key",
    [(lang, key) for lang, words in WORDING.items() for key in words if key not in NOT_SENTENCES],
)
def test_every_sentence_starts_with_a_capital(lang, key):
    sentence = say(lang, key, **VALUES)
    assert sentence[0].isupper(), sentence
    assert sentence[1:] == WORDING[lang][key].format(**VALUES)[1:]


SCRIPT_SENTENCES = [
    # (script arguments, a sentence the script must hold)
    ({"left_out": 2}, "Report. Two of the stories did not fit into this episode and were left out."),
    ({"skipped": 3}, "Report. Three of the stories could not be read and were left out."),
    ({"skipped": 1}, "Report. One of the stories could not be read and was left out."),
    ({"left_out": 12, "lang": "de"}, "Report. 12 weitere Beiträge passten nicht in diese Folge."),
]


@pytest.mark.parametrize("arguments, sentence", SCRIPT_SENTENCES, ids=[s for _, s in SCRIPT_SENTENCES])
def test_intro_sentences_about_missing_stories(arguments, sentence):
    article = Article(title="City council approves new bike lanes: Report", body="Body.")
    intro = build_script([article], date=dt.date(2026, 11, 25), **arguments).segments[0].text
    assert sentence in intro


def test_a_count_inside_the_intro_stays_lower_case():
    articles = [Article(title=t, body=f"{t} body.") for t in ("One", "Two", "Three")]
    intro = build_script(articles, date=dt.date(2026, 11, 25)).segments[0].text
    assert "Today, three stories: One; Two; and Three." in intro


def test_a_headline_that_starts_with_a_figure_is_a_capitalised_title():
    article = Article(title="#1 song of the year", body="It topped the charts.")
    other = Article(title="Second story", body="Another one.")
    titles = [s.text for s in build_script([article, other], date=dt.date(2026, 11, 25)).segments if s.kind == "title"]
    assert titles[0] == "Number one song of the year."
