import pytest

from digest.script.speakable import speakable


@pytest.mark.parametrize("written, spoken", [
    ("Are wheelchairs / mobility scooters carried?", "Are wheelchairs or mobility scooters carried?"),
    ("A bus/coach replaces the train.", "A bus or coach replaces the train."),
    ("A simple Yes/No vote.", "A simple Yes or No vote."),
    ("Tea and/or coffee.", "Tea and or coffee."),
    ("It speaks TCP/IP.", "It speaks TCP/IP."),
    ("Open 24/7.", "Open twenty-four seven."),
    ("Python 3.6.0 is out.", "Python three point six point oh is out."),
    ("Version 10.2.15 fixes it.", "Version ten point two point fifteen fixes it."),
    ("Built with Next.js and Node.js.", "Built with Next J S and Node J S."),
    ("Add 1/2 a cup of milk.", "Add half a cup of milk."),
    ("She won 2/3 of the vote.", "She won two thirds of the vote."),
    ("Call 0345 744 4422 today.", "Call zero three four five, seven four four, four four two two today."),
    ("It reads 2.3 GB/s.", "It reads two point three gigabytes per second."),
    ("It is 20x faster.", "It is twenty times faster."),
    ("The 75kb limit.", "The seventy-five kilobyte limit."),
    ("A 4x4 truck.", "A 4x4 truck."),
])
def test_technical_writing_is_said_as_a_presenter_would(written, spoken):
    assert speakable(written) == spoken


from digest.script import speakable_en_tech as tech  # noqa: E402
from tests.script.rule_tables import each_row  # noqa: E402

TECH_CASES = {
    tech.speak_word_slashes: [("bus/coach", "bus or coach"), ("km/h", "km/h"), ("a.example/news/world", "a.example/news/world")],
    tech.speak_versions: [("3.6.0", "three point six point oh"), ("02.03.2020", "02.03.2020"), ("3.5", "3.5")],
    tech.speak_js_names: [("React.js", "React J S"), ("main.js", "main.js")],
    tech.speak_fractions: [("1/2 a cup", "half a cup"), ("3/4 of it", "three quarters of it"), ("on 3/4", "on 3/4")],
}


@each_row(TECH_CASES)
def test_tech_rule(rule, text, expected):
    assert rule(text) == expected


@pytest.mark.parametrize("written, spoken", [
    ("People [are] concerned and judge[s] you.", "People are concerned and judges you."),
    ("The Kullback–Leibler divergence.", "The Kullback-Leibler divergence."),
    ("In 2010–2012 it grew.", "In twenty ten to twenty twelve it grew."),
    ("Some 33%of those asked.", "Some thirty-three percent of those asked."),
])
def test_page_text_after_cleaning_reads_naturally(written, spoken):
    from digest.read.clean import clean_text

    assert speakable(clean_text(written)) == spoken


def test_two_versions_with_a_slash_are_not_a_fraction():
    assert "thirds" not in speakable("A dual Python 2/3 code base.")
