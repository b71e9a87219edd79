"""English rules for party tags and company suffixes, table-driven, with inputs they must leave alone."""

from digest.script import speakable_en_names as names
from digest.script.speakable import speakable
from tests.script.rule_tables import each_row

CASES = {
    names.speak_party_tags: [
        ("Sen. Ada Moss (R-N.C.) voted no.", "Sen. Ada Moss (Republican of North Carolina) voted no."),
        ("Rep. Lu Chen, D-Calif., spoke.", "Rep. Lu Chen, Democrat of California, spoke."),
        ("Sen. Ray Ford (R-Texas) left.", "Sen. Ray Ford (Republican of Texas) left."),
        ("Sen. Kit Hale (I-Vt.) agreed.", "Sen. Kit Hale (independent of Vermont) agreed."),
        ("Rep. Bo Vance (D-NY) and Rep. Cy Ortiz (R-Fla.)",
         "Rep. Bo Vance (Democrat of New York) and Rep. Cy Ortiz (Republican of Florida)"),
        ("Del. Amy Roe (D-D.C.)", "Del. Amy Roe (Democrat of the District of Columbia)"),
        ("said Rep. Jo Park, R-W.Va.", "said Rep. Jo Park, Republican of West Virginia."),
        ("said Rep. Jo Park, R-Ohio. The vote", "said Rep. Jo Park, Republican of Ohio. The vote"),
        ("Rep. Ana Cruz (D) said", "Rep. Ana Cruz (Democrat) said"),
        # Untouched: D-Day, road numbers, codes and plain capitals.
        ("the D-Day beaches", "the D-Day beaches"),
        ("on I-95 north", "on I-95 north"),
        ("an R-rated film", "an R-rated film"),
        ("a D-Tex product", "a D-Tex product"),
        ("the (R) mark", "the (R) mark"),
    ],
    names.speak_state_abbreviations: [
        ("a plant near Boise, Ida. no", "a plant near Boise, Ida. no"),
        ("flooding in Tulsa, Okla., closed roads", "flooding in Tulsa, Oklahoma, closed roads"),
        ("she grew up in Duluth, Minn. Her father", "she grew up in Duluth, Minnesota. Her father"),
        ("from Little Rock, Ark. and Tampa, Fla., came", "from Little Rock, Arkansas and Tampa, Florida, came"),
        ("a school in Camden, N.J., shut", "a school in Camden, New Jersey, shut"),
        # Untouched: the capital's D.C., and a state with no place and comma before it.
        ("in Washington, D.C., today", "in Washington, D.C., today"),
        ("the Calif. law", "the Calif. law"),
        ("he said, mass. was", "he said, mass. was"),
    ],
    names.drop_company_suffixes: [
        ("Wikimedia Foundation, Inc.", "Wikimedia Foundation."),
        ("Harbour Tools Inc. said on Monday", "Harbour Tools said on Monday"),
        ("Quay Labs LLC filed", "Quay Labs filed"),
        ("Harbour Tools Inc.'s shares", "Harbour Tools's shares"),
        ("Harbour Tools, Inc. The firm", "Harbour Tools. The firm"),
        # Untouched: the word on its own, and other suffixes (said as words by the abbreviation rule).
        ("Inc. magazine", "Inc. magazine"),
        ("Acme Ltd. said", "Acme Ltd. said"),
        ("Incredible stuff", "Incredible stuff"),
    ],
}


@each_row(CASES)
def test_rule(rule, text, expected):
    assert rule(text) == expected


def test_every_rule_has_a_docstring_and_a_table():
    assert set(names.RULES) == set(CASES)
    assert all(rule.__doc__ and rule.__doc__.strip() for rule in names.RULES)


def test_a_party_tag_reads_as_one_aside_after_every_rule():
    assert speakable("Sen. Ada Moss (R-N.C.) voted no.") == "Senator Ada Moss, Republican of North Carolina, voted no."
    assert speakable("Rep. Lu Chen, D-Calif., spoke.") == "Representative Lu Chen, Democrat of California, spoke."
