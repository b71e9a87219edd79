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
    ("It supports Python 2/3 and needs 3.5+ to run.", "It supports Python two or three and needs three point five or later to run."),
    ("Hindsight is 20/20.", "Hindsight is twenty-twenty."),
    ("Set the max_tokens option.", "Set the max tokens option."),
])
def test_technical_writing_is_said_as_a_presenter_would(written, spoken):
    assert speakable(written) == spoken


from digest.script import speakable_en_tech as tech  # noqa: E402
from tests.script.rule_tables import each_row  # noqa: E402

TECH_CASES = {
    tech.speak_word_slashes: [("bus/coach", "bus or coach"), ("km/h", "km/h"), ("a.example/news/world", "a.example/news/world"),
                              ("rain/snow.", "rain or snow."), ("see index/home.html", "see index/home.html"),
                              # A repository or a path of names, not a choice between words.
                              ("built on fmtlib/fmt today", "built on fmtlib slash fmt today"),
                              ("the rails/rails repo", "the rails slash rails repo"),
                              ("a lone / is the root", "a lone slash is the root"),
                              ("his/her seat and him/her", "his or her seat and him or her"),
                              ("Tea and/or toast", "Tea and or toast")],
    tech.speak_code_in_prose: [
        ("the flask.globals module", "the flask dot globals module"),
        ("its auth.models related code", "its auth dot models related code"),
        ("import os.path first", "import os dot path first"),
        ("run test-unicode-paths.t again", "run test-unicode-paths dot t again"),
        ("a \\n ends each line", "a backslash n ends each line"),
        ("a \\0 byte", "a backslash zero byte"),
        ("it takes a void * and an int*", "it takes a void pointer and an int pointer"),
        ("pass *args and **options", "pass star args and star star options"),
        ("unpack it with ** into the call", "unpack it with star star into the call"),
        # Untouched: glued words, times, initials, bold markers and sums.
        ("at the end.then more", "at the end.then more"),
        ("at 7 a.m. sharp", "at 7 a.m. sharp"),
        ("the **bold** word", "the **bold** word"),
        ("2 * 3 is six", "2 * 3 is six"),
        ("*terms apply and rows marked ** are new", "*terms apply and rows marked ** are new"),
    ],
    tech.speak_empty_string_literals: [
        ("turn '' into b''", "turn quote quote into b quote quote"),
        ('a u"" literal', "a u quote quote literal"),
        ("returns (r'') there", "returns (r quote quote) there"),
        # Untouched: quotation marks around words, and apostrophes.
        ("the ''classic'' look", "the ''classic'' look"),
        ("the boys' '90s band", "the boys' '90s band"),
    ],
    tech.speak_figure_slashes: [
        ("Ruby 2/3 gems", "Ruby 2 or 3 gems"),
        ("Perl 5.8/5.10 users", "Perl 5.8 or 5.10 users"),
        ("vision is 20/20", "vision is twenty-twenty"),
        ("a 50/50 split", "a fifty-fifty split"),
        ("rated 4/5 overall", "rated 4 out of 5 overall"),
        ("scored 17/20", "scored 17 out of 20"),
        ("the 2023/24 season", "the 2023 to 24 season"),
        ("the 9/11 memorial", "the nine eleven memorial"),
        ("due on 6/30", "due on June thirtieth"),
        ("needs Lua 5.1+ to run", "needs Lua 5.1 or later to run"),
        ("runs on Android 12+ phones", "runs on Android 12 or later phones"),
        ("with 15+ years on the job", "with 15-plus years on the job"),
        ("a 5+ hour wait", "a 5-plus hour wait"),
        ("a 2/3 majority", "a two thirds majority"),
        ("the 9/2 second favourite", "the 9 to 2 second favourite"),
        # Untouched: dates, paths, sums, codes, fractions and the symbol rule's '24/7'.
        ("on 3/4/2025", "on 3/4/2025"),
        ("open 24/7", "open 24/7"),
        ("see docs/2/3", "see docs/2/3"),
        ("1+1 and +44 and C++", "1+1 and +44 and C++"),
        ("Disney+", "Disney+"),
    ],
    tech.speak_versions: [("3.6.0", "three point six point oh"), ("02.03.2020", "02.03.2020"), ("3.5", "3.5")],
    tech.speak_js_names: [("React.js", "React J S"), ("main.js", "main.js")],
    tech.speak_fractions: [("1/2 a cup", "half a cup"), ("3/4 of it", "three quarters of it"), ("on 3/4", "on 3/4"),
                           ("1/2 cup of oats", "half a cup of oats"), ("1/2 hour", "half an hour"),
                           ("3/4 mile", "three quarters of a mile"), ("3/8 inch", "three eighths of an inch"),
                           ("a 3/8 inch pipe", "a three eighths inch pipe"), ("1/5 of the seats", "a fifth of the seats"),
                           ("1/8 teaspoon", "an eighth of a teaspoon"), ("5/2 of it", "5/2 of it")],
}


@each_row(TECH_CASES)
def test_tech_rule(rule, text, expected):
    assert rule(text) == expected


@pytest.mark.parametrize("written, spoken", [
    ("People [are] concerned and judge[s] you.", "People are concerned and judges you."),
    ("The Kullback–Leibler divergence.", "The Kullback-Leibler divergence."),
    ("In 2010–2012 it grew.", "In twenty ten to twenty twelve it grew."),
    ("Records from 2003–2011 show it.", "Records from two thousand and three to twenty eleven show it."),
    ("Its ETC bus. Fares", "Its ETC bus. Fares"),
    ("Bring kit (gloves, hats etc). No dogs.", "Bring kit, gloves, hats et cetera. No dogs."),
    ("Some 33%of those asked.", "Some thirty-three percent of those asked."),
])
def test_page_text_after_cleaning_reads_naturally(written, spoken):
    from digest.read.clean import clean_text

    assert speakable(clean_text(written)) == spoken


def test_two_versions_with_a_slash_are_not_a_fraction():
    assert "thirds" not in speakable("A dual Python 2/3 code base.")
