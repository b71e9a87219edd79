"""The language-neutral speakable rules, table-driven, with inputs they must leave alone."""

import pytest

from digest.script import speakable_common as common
from tests.script.rule_tables import each_row

CASES = {
    common.drop_emoji: [
        ("Great news \U0001F600\U0001F389!", "Great news !"),
        ("thumbs \U0001F44D\U0001F3FD up", "thumbs  up"),
        ("caf\u00e9 \u2014 na\u00efve", "caf\u00e9 \u2014 na\u00efve"),
    ],
    common.speak_emails("en"): [
        ("write to news@example.org.", "write to news at example dot org."),
        ("jane.doe@mail.example.co.uk", "jane dot doe at mail dot example dot co dot U K"),
        ("first_last@example.com", "first last at example dot com"),
        ("an @handle and a@b", "an @handle and a@b"),
    ],
    common.speak_emails("fr"): [
        ("\u00e9crire \u00e0 info@exemple.fr", "\u00e9crire \u00e0 info arobase exemple point fr"),
    ],
    common.speak_urls("en"): [
        ("see https://www.example.com/news/2024?id=3.", "see example dot com."),
        ("at www.bbc.co.uk/news,", "at bbc dot co dot U K,"),
        # A two-letter ending is spelled ('io' is no "yo"); a name in camel case keeps its words.
        ("try Quayside.io now", "try quayside dot I O now"),
        ("via harbour.tv and ferry.co", "via harbour dot T V and ferry dot co"),
        ("(TideTablesNow.com)", "(Tide Tables Now dot com)"),
        ("on Example.org today", "on example dot org today"),
        ("(http://localhost:8000/x)", "(localhost)"),
        ("read nytimes.com/section", "read nytimes dot com"),
        ("Example.org has it. So does Example.com.", "Example dot org has it. So does example dot com."),
        ("Done. https://Example.org/x is new", "Done. Example dot org is new"),
        # Untouched: abbreviations, decimals and file names are not web addresses.
        ("e.g. this, 3.5 and report.pdf", "e.g. this, 3.5 and report.pdf"),
        ("the U.S. and St. Ives", "the U.S. and St. Ives"),
        # Short links and picture links say nothing a listener can use: dropped, or "a link"
        # where dropping them would leave the sentence hanging.
        ("What a day! pic.twitter.com/abc123", "What a day!"),
        ("Great view pic.twitter.com/abc123 \u2014 Ann", "Great view \u2014 Ann"),
        ("see bit.ly/xyz for more.", "see a link for more."),
        ("Read it at https://t.co/Ab12Cd.", "Read it at a link."),
        ("Photo: pic.twitter.com/abc123", ""),
    ],
    common.speak_urls("de"): [
        ("unter www.beispiel.de/seite", "unter beispiel Punkt de"),
    ],
    common.speak_hashtags_and_handles("en"): [
        ("join #BikeLanes today", "join hashtag Bike Lanes today"),
        ("Students joined #ClimateStrike.", "Students joined hashtag Climate Strike."),
        ("#Vote2024 now", "hashtag Vote 2024 now"),
        ("follow @city_council", "follow at city council"),
        ("@NASA said", "at NASA said"),
        # After a preposition the handle is a name: "via at" is not said.
        ("via @city_council", "via city council"),
        ("a post by @jane_doe.", "a post by jane doe."),
        ("He said so. #News #Town", "He said so."),
        # Untouched: numbers, e-mail addresses, anchors and C#.
        ("the #1 hit", "the #1 hit"),
        ("C# code", "C# code"),
        ("page.html#top", "page.html#top"),
    ],
    common.speak_hashtags_and_handles("de"): [
        ("mit #KlimaStreik heute", "mit Hashtag Klima Streik heute"),
    ],
    common.speak_underscored_names: [
        ("Raise the page_limit value.", "Raise the page limit value."),
        ("the long_snake_case_title field", "the long snake case title field"),
        ("import it from __past__ first", "import it from past first"),
        ("the CACHE_ROOT setting", "the CACHE ROOT setting"),
        ("row_2 and 3_col", "row 2 and 3 col"),
        # Untouched: handles, hashtags, addresses, paths, file names and lone underscores.
        ("ask @harbour_news", "ask @harbour_news"),
        ("#rain_day", "#rain_day"),
        ("ann_lee@example.org", "ann_lee@example.org"),
        ("src/page_limit", "src/page_limit"),
        ("open set_up.cfg", "open set_up.cfg"),
        ("a ___ gap and _one", "a ___ gap and _one"),
    ],
    common.read_datelines: [
        ("LOS ANGELES (Reuters) - The studio said.", "Los Angeles. The studio said."),
        ("WASHINGTON (AP) \u2014 The Senate voted.", "Washington. The Senate voted."),
        ("NEW YORK, May 1 (Reuters) - Shares rose.", "New York, May 1. Shares rose."),
        ("KYIV, Ukraine (AP) \u2014 Sirens sounded.", "Kyiv, Ukraine. Sirens sounded."),
        ("RIO DE JANEIRO (AFP) - Rain fell.", "Rio de Janeiro. Rain fell."),
        ("ST. LOUIS \u2014 The team won.", "St. Louis. The team won."),
        # Untouched: a heading, an acronym with a dash, and a place in the middle of a sentence.
        ("BREAKING NEWS: Ferry sails", "BREAKING NEWS: Ferry sails"),
        ("NASA - the agency - said", "NASA - the agency - said"),
        ("She flew to LONDON (Reuters) - today", "She flew to LONDON (Reuters) - today"),
    ],
    common.calm_shouting: [
        ("BREAKING NEWS: Ferry sails", "Breaking news: Ferry sails"),
        ("a banner read SAVE OUR HARBOUR.", "a banner read save our harbour."),
        ("NASA AND THE UK SIGN DEAL", "NASA and the UK sign deal"),
        ("I AM SO ANGRY", "I am so angry"),
        # Letters with no vowel are no word in capitals: an acronym, kept like the known ones.
        ("built with the GNU GCC", "built with the GNU GCC"),
        ("PLANS FOR THE NRL CUP", "Plans for the NRL cup"),
        ("MY SHY DOG", "My shy dog"),
        # Untouched: acronyms and initialisms, alone or together.
        ("NASA and the UK", "NASA and the UK"),
        ("the BBC, CNN and NPR", "the BBC, CNN and NPR"),
        ("UK GDP rose", "UK GDP rose"),
        ("The END", "The END"),
    ],
    common.keep_quote_boundaries("en"): [
        ('"We will rebuild" the mayor said.', '"We will rebuild", the mayor said.'),
        ('"We will rebuild" said the mayor.', '"We will rebuild", said the mayor.'),
        ('The mayor said "We will rebuild."', 'The mayor said, "We will rebuild."'),
        ('The mayor said "We will rebuild" and left.', 'The mayor said, "We will rebuild", and left.'),
        ('\u201cWe will rebuild,\u201dthe mayor said.', '\u201cWe will rebuild,\u201d the mayor said.'),
        ('she said,\u201cNow.\u201d', 'she said, \u201cNow.\u201d'),
        # Untouched: the boundary is already there, or the quotation is part of the sentence.
        ('"We will rebuild," the mayor said.', '"We will rebuild," the mayor said.'),
        ('The mayor said: "We will rebuild."', 'The mayor said: "We will rebuild."'),
        ('"It is over," she said. "Now we wait."', '"It is over," she said. "Now we wait."'),
        ('He called it "a disaster" on Monday.', 'He called it "a disaster" on Monday.'),
        ('He read "War and Peace" twice.', 'He read "War and Peace" twice.'),
        ('she told "CBS This Morning" co-host Gayle King', 'she told "CBS This Morning" co-host Gayle King'),
        ('"Why now?" she asked.', '"Why now?" she asked.'),
    ],
    common.keep_quote_boundaries("de"): [
        ('\u201eWir bauen neu auf\u201c sagte sie.', '\u201eWir bauen neu auf\u201c, sagte sie.'),
    ],
    common.drop_quotes: [
        ('"We are back," she said.', "We are back, she said."),
        ("\u201cYes,\u201d he said", "Yes, he said"),
        ("the 'best' plan", "the best plan"),
        ("don't stop", "don't stop"),
        ("the '90s", "the '90s"),
        ("\u00abBonjour\u00bb", "Bonjour"),
        ("it\u2019s here", "it's here"),
    ],
    common.drop_visual_asides("en"): [
        ("The keeper (pictured) reopened the lighthouse.", "The keeper reopened the lighthouse."),
        ("The new pier (above) opens in May.", "The new pier opens in May."),
        ("Two mayors, Ann Lee (left) and Bo Kim (right), met.", "Two mayors, Ann Lee and Bo Kim, met."),
        ("The mural (seen here) took a year.", "The mural took a year."),
        ("Her aunt (second from left) won.", "Her aunt won."),
        ("The ferry (pictured, below) is new.", "The ferry is new."),
        ("The boat (file photo) sank.", "The boat sank."),
        ("cheap imports (pictured, a grain ship at Hull) hurt farms", "cheap imports hurt farms"),
        ("Mr Ames (pictured with his dog) won.", "Mr Ames won."),
        ("the quay (pictured: the north end) flooded", "the quay flooded"),
        ("Rain fell. Click here to see the forecast. Roads shut.", "Rain fell. Roads shut."),
        ("Tap the link below for tickets.", ""),
        # Untouched: 'left', 'here' and other words in brackets said as part of the sentence.
        ("The road (left unfinished in 2019) reopens.", "The road (left unfinished in 2019) reopens."),
        ("Turn left here, then right.", "Turn left here, then right."),
        ("Sen. Ann Lee (D) spoke.", "Sen. Ann Lee (D) spoke."),
        ("she told him to click here and there", "she told him to click here and there"),
    ],
    common.drop_visual_asides("fr"): [
        ("Le maire (photo) a parl\u00e9.", "Le maire a parl\u00e9."),
    ],
    common.asides_as_pauses: [
        ("the plan (first proposed in 2021) passed", "the plan, first proposed in 2021, passed"),
        ("the plan (approved).", "the plan, approved."),
        ("(Reuters) Ships sailed", "Reuters, Ships sailed"),
        ("a [bracketed] word", "a, bracketed, word"),
        ("empty () brackets", "empty brackets"),
        ("nested (one (two) three) done", "nested, one, two, three, done"),
        ("no brackets here", "no brackets here"),
    ],
    common.ellipses_as_pauses: [
        ("and then... nothing", "and then, nothing"),
        ("He waited...", "He waited."),
        ("He waited\u2026 Then he left.", "He waited. Then he left."),
        ("...and so on", "and so on"),
        ("we waited . . . and waited", "we waited, and waited"),
        ("the tide turned\u2026 slowly", "the tide turned, slowly"),
        ("It ended . . .", "It ended."),
        ("It ended . . . Then rain.", "It ended. Then rain."),
        ("one. two", "one. two"),
        ("was one of ... Diana's friends", "was one of Diana's friends"),
        ("to THE\u2026 Harbour", "to THE Harbour"),
        ("the data... Then it", "the data. Then it"),
    ],
    common.dashes_as_pauses: [
        ("the wall \u2014 not the road \u2014 comes first", "the wall, not the road, comes first"),
        ("red \u2013 green", "red, green"),
        ("a word--another", "a word, another"),
        ("yes - no", "yes, no"),
        ("2019\u20132021", "2019-2021"),
        ("well-known and e-mail", "well-known and e-mail"),
        ("- Open letter signed by chefs.", "Open letter signed by chefs."),
        ("-5 degrees at dawn", "-5 degrees at dawn"),
    ],
}


def _name(rule):
    return rule.__name__


@each_row(CASES)
def test_rule(rule, text, expected):
    assert rule(text) == expected


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_every_typography_rule_is_tabled_and_documented(lang):
    names = {_name(rule) for rule in common.typography_rules(lang)}
    assert names <= {_name(rule) for rule in CASES}
    assert all(rule.__doc__ and rule.__doc__.strip() for rule in common.typography_rules(lang))


@pytest.mark.parametrize("text, expected", [
    ("a , b", "a, b"),
    ("a,, b", "a, b"),
    ("a, .", "a."),
    (", start", "start"),
    ("end ,", "end"),
    ("1,234", "1,234"),
])
def test_tidy_commas(text, expected):
    assert common.tidy_commas(text) == expected


def test_calmed_shouting_keeps_the_names_it_is_given():
    names = common.names_in("French President Emmanuel Macron met Trump in Paris. The talks ended.")
    assert {"President", "Emmanuel", "Macron", "Trump", "Paris"} <= names
    assert "The" not in names and "French" not in names
    assert common.calm_shouting("TRUMP MEETS MACRON IN PARIS", names) == "Trump meets Macron in Paris"
    assert common.calm_shouting("TRUMP MEETS MACRON IN PARIS") == "Trump meets macron in paris"


@pytest.mark.parametrize("text, expected", [
    ("the wall held..", "the wall held."),
    ("the wall held. . Then", "the wall held. Then"),
    ("the U.S..", "the U.S."),
    ("and then... nothing", "and then... nothing"),
    ("a  b ,c", "a b,c"),
])
def test_tidy_spaces(text, expected):
    assert common.tidy_spaces(text) == expected
