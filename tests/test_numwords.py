import pytest

from digest import numwords


@pytest.mark.parametrize("number, words", [
    (2024, "twenty twenty-four"), (1988, "nineteen eighty-eight"), (1905, "nineteen oh five"),
    (2005, "two thousand and five"), (2000, "two thousand"), (1900, "nineteen hundred"), (2010, "twenty ten"),
])
def test_years_as_presenters_say_them(number, words):
    assert numwords.year(number) == words


def test_cardinals_have_no_commas_and_long_codes_are_read_digit_by_digit():
    assert numwords.cardinal(1_234_567) == "one million two hundred and thirty-four thousand five hundred and sixty-seven"
    assert numwords.cardinal(10 ** 16) == "one " + " ".join(["zero"] * 16)


def test_decimals_read_the_fraction_digit_by_digit():
    assert numwords.decimal("3.05") == "three point zero five"
    assert numwords.decimal(".5") == "zero point five"


def test_ordinals_and_decades():
    assert numwords.ordinal(22) == "twenty-second"
    assert numwords.plural_of_tens("nineteen ninety") == "nineteen nineties"
    assert numwords.plural_of_tens("six") == "sixes"


def test_other_languages_use_their_own_words():
    assert numwords.cardinal(21, "de") == "einundzwanzig"
    assert numwords.digits("07", "fr") == "z\u00e9ro sept"


def test_counts_in_messages_agree_with_their_number():
    assert [numwords.counted(n, "clip") for n in (0, 1, 2)] == ["0 clips", "1 clip", "2 clips"]
    assert numwords.counted(1, "story", "stories") == "1 story" and numwords.counted(3, "story", "stories") == "3 stories"
    assert numwords.counted(1.0, "second") == "1 second" and numwords.counted(2.5, "second") == "2.5 seconds"
