"""English rules for letters, names and marks, table-driven: input -> what the presenter says.

Each table also lists inputs the rule must leave exactly as written.
"""

import pytest

from digest.script import speakable_en_letters as letters

CASES = {
    letters.spell_country_initials: [
        ("US troops left", "U S troops left"),
        ("The US said so.", "The U S said so."),
        ("in the US.", "in the U S."),
        ("a US-led deal", "a U S-led deal"),
        ("US, China agree", "U S, China agree"),
        ("the UK and the UN and the EU", "the U K and the U N and the E U"),
        ("for US voters", "for U S voters"),
        # The pronoun, left in capitals by a calmed headline, is the word "us".
        ("Let US go now", "Let us go now"),
        ("What it means for US", "What it means for us"),
        ("Join US today!", "Join us today!"),
        ("they told US, and left", "they told us, and left"),
        # Untouched: the lower-case pronoun and longer words.
        ("Let us go. Tell us.", "Let us go. Tell us."),
        ("USA and USB", "USA and USB"),
    ],
}


@pytest.mark.parametrize(
    "rule, text, expected",
    [(rule, text, expected) for rule, rows in CASES.items() for text, expected in rows],
    ids=[f"{rule.__name__}:{text}" for rule, rows in CASES.items() for text, _ in rows],
)
def test_rule(rule, text, expected):
    assert rule(text) == expected


def test_every_rule_has_a_docstring_and_a_table():
    assert set(letters.RULES) == set(CASES)
    assert all(rule.__doc__ and rule.__doc__.strip() for rule in letters.RULES)
