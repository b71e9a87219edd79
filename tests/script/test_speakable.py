"""The speakable stage as a whole: which rules run for which language, and what they make of
a whole article."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.read import read_input
from digest.read.clean import clean_text, paragraphs
from digest.samples import sample_path
from digest.script.speakable import rules_for, speakable

FULL_OF_FIGURES = ('On 2025-01-10 at 3:30 pm, 1,250 people (about 3.5%) paid $2m \u2014 "twice" the 2019-2021 '
                   "level; see www.example.com or mail a@example.org. #Town \U0001F600 BREAKING NEWS TODAY")


@pytest.mark.parametrize("lang", ["ja", "no", "it", "pt-BR", "xx", ""])
def test_languages_without_rules_are_left_exactly_as_written(lang):
    assert rules_for(lang) == []
    assert speakable(FULL_OF_FIGURES, lang) == FULL_OF_FIGURES


@pytest.mark.parametrize("lang, date", [
    ("de", "2. M\u00e4rz 2024"), ("fr", "2 mars 2024"), ("es", "2 de marzo de 2024"), ("de-AT", "2. M\u00e4rz 2024"),
])
def test_other_languages_get_local_dates_and_keep_their_figures(lang, date):
    spoken = speakable("Am 2024-03-02 stiegen die Preise um 3,5 % auf 1.250 Euro.", lang)
    assert date in spoken
    assert "3,5 %" in spoken and "1.250" in spoken


def test_other_languages_say_web_addresses_in_their_own_words():
    assert speakable("Mehr unter www.beispiel.de/seite.", "de") == "Mehr unter beispiel Punkt de."
    assert speakable("\u00c9crire \u00e0 info@exemple.fr", "fr") == "\u00c9crire \u00e0 info arobase exemple point fr"


def test_english_reads_a_sentence_full_of_figures_like_a_presenter():
    assert speakable(FULL_OF_FIGURES, "en") == (
        "On January tenth, twenty twenty-five at three thirty PM, one thousand two hundred and fifty people, "
        "about three point five percent, paid two million dollars, twice the twenty nineteen to twenty "
        "twenty-one level; see example dot com or mail a at example dot org. Hashtag Town breaking news today"
    )


def test_english_sample_article_keeps_no_figures_or_symbols():
    [article] = read_input(str(sample_path("town-budget")))
    for paragraph in paragraphs(clean_text(article.body)):
        spoken = speakable(paragraph, "en")
        assert not any(c.isdigit() for c in spoken), spoken
        assert not set(spoken) & set("$\u20ac\u00a3%#@&()\"\u2014\u2013\u2026"), spoken
        assert "www" not in spoken and "St." not in spoken and "e.g." not in spoken


def test_english_rules_are_stable_on_their_own_output():
    [article] = read_input(str(sample_path("town-budget")))
    for paragraph in paragraphs(clean_text(article.body)):
        once = speakable(paragraph, "en")
        assert speakable(once, "en") == once


figures = st.text(alphabet=st.sampled_from(list("0123456789 .,:-/%$\u20ac\u00a3#@'()stndrhkmbKMB\u00b0CFaApP")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(figures, st.integers(min_value=0, max_value=10 ** 60).map(str)))
def test_english_rules_never_crash_on_figures_and_long_numbers(text):
    assert isinstance(speakable(text, "en"), str)


def test_very_long_numbers_are_read_digit_by_digit_not_refused():
    spoken = speakable("code " + "7" * 5000 + " and 1" + "0" * 40 + "th", "en")
    assert spoken.startswith("code seven seven") and not any(c.isdigit() for c in spoken)


# Slips listeners reported, through the whole English rule set: input -> what is said.
REPORTED = [
    ("Call 555-1234 today.", "Call five five five, one two three four today."),
    ("Call 555-123-4567 or +1 555 123 4567.",
     "Call five five five, one two three, four five six seven or plus one, five five five, one two three, "
     "four five six seven."),
    ("It takes 20 min by bus.", "It takes twenty minutes by bus."),
    ("#1 song of the year", "Number one song of the year"),
    ("1st, 2nd, 3rd.", "First, second, third."),
    ("It ended. 2 of them stayed.", "It ended. Two of them stayed."),
    ("Example.com said so.", "Example dot com said so."),
    ("Yes. #ClimateStrike began.", "Yes. Hashtag Climate Strike began."),
    # "at" is a word articles write too: after a name with an exclamation mark it stays as written.
    ("They joined Choir! Choir! at the hall.", "They joined Choir! Choir! at the hall."),
    ("A 500 KB photo on Apple TV+.", "A five hundred kilobyte photo on Apple TV plus."),
    ("Download the .zip, not report.PDF.", "Download the dot zip, not report dot P D F."),
    ("Wow. pic.twitter.com/abc123 See bit.ly/xyz for more.", "Wow. See a link for more."),
    ("It was a Dec. 26, 2019, ruling.", "It was a December twenty-sixth, twenty nineteen, ruling."),
    ("The 2011-12 and 2017-18 seasons.", "The twenty eleven to twelve and twenty seventeen to eighteen seasons."),
    ("Case No. 121102 is open.", "Case number one two one, one zero two is open."),
    ("Open 10:00 to 16:00, or 3 p.m. ET.", "Open ten AM to four PM, or three PM Eastern Time."),
    ("In 2019 400 people came.", "In twenty nineteen, four hundred people came."),
    ("LOS ANGELES (Reuters) - The studio said.", "Los Angeles. The studio said."),
    ("WASHINGTON, D.C. (AP) \u2014 The WHO said so.", "Washington, D C. The W H O said so."),
    ("The PNG and jpeg files, NASA and JPEG.", "The P N G and JPEG files, NASA and JPEG."),
    ("IT IS OVER FOR THE IT DEPARTMENT", "It is over for the I T department"),
    # A quotation's edge stays a pause once its marks are gone.
    ('"We will rebuild," the mayor said.', "We will rebuild, the mayor said."),
    ('The mayor said: "We will rebuild."', "The mayor said: We will rebuild."),
    ('"It is over," she said. "Now we wait."', "It is over, she said. Now we wait."),
    ('"We will rebuild" the mayor said.', "We will rebuild, the mayor said."),
    ('The mayor said "We will rebuild" and left.', "The mayor said, We will rebuild, and left."),
    ("\u201cNo,\u201dshe said.", "No, she said."),
    # Left alone: an emergency number reads well enough as a number.
    ("Call 911.", "Call nine hundred and eleven."),
]


@pytest.mark.parametrize("text, expected", REPORTED, ids=[text for text, _ in REPORTED])
def test_reported_english_slips(text, expected):
    assert speakable(text, "en") == expected


def test_a_count_inside_a_sentence_is_not_capitalised():
    assert speakable("3", "en") == "Three"
    assert speakable("3", "en", inside_sentence=True) == "three"
    assert speakable("3", "de", inside_sentence=True) == "3"
