"""Every English speakable rule, table-driven: input -> what the presenter says.

Each table also lists inputs the rule must leave exactly as written.
"""


from digest.script import speakable_en as en
from tests.script.rule_tables import each_row
from tests.script.test_speakable_en_letters import CASES as LETTER_CASES
from tests.script.test_speakable_en_numbers import CASES as NUMBER_CASES

CASES = {
    en.expand_abbreviations: [
        ("Dr. Osei met Mr Reyes.", "Doctor Osei met Mister Reyes."),
        ("Mrs. Hale and Ms. Calder", "Missus Hale and Miz Calder"),
        ("Prof. Lund and Sen. Ortiz and Gov. Lee", "Professor Lund and Senator Ortiz and Governor Lee"),
        ("a shop on Mill St. in the town", "a shop on Mill Street in the town"),
        ("a shop on Mill St. The owner", "a shop on Mill Street. The owner"),
        ("St. Mary's church and St Ives", "Saint Mary's church and Saint Ives"),
        ("in the U.S. The president", "in the U S. The president"),
        ("the U.S. Army and the U.K.", "the U S Army and the U K."),
        ("the U.N. and the E.U. met", "the U N and the E U met"),
        ("J.R.R. Tolkien", "J R R Tolkien"),
        ("fruit, e.g. apples, i.e. food", "fruit, for example, apples, that is, food"),
        ("apples, pears, etc. and more", "apples, pears, et cetera and more"),
        ("apples, pears, etc.", "apples, pears, et cetera."),
        ("Leeds vs. York", "Leeds versus York"),
        ("No. 5 and no. 7", "number 5 and number 7"),
        ("Martin Luther King Jr. spoke", "Martin Luther King Junior spoke"),
        ("Acme Ltd. said", "Acme Limited said"),
        ("a box, e.g a hamper", "a box, for example, a hamper"),
        ("tools, i.e spades", "tools, that is, spades"),
        ("nets, ropes etc. Then we sailed", "nets, ropes et cetera. Then we sailed"),
        ("nets, ropes etc. Boats too", "nets, ropes et cetera. Boats too"),
        ("nets, ropes etc, and", "nets, ropes et cetera, and"),
        ("Rain on Thurs. and Fri. The weekend is dry", "Rain on Thursday and Friday. The weekend is dry"),
        ("Fair on Sat.", "Fair on Saturday."),
        ("Markets Dip Tue. Ahead of Vote", "Markets Dip Tuesday Ahead of Vote"),
        ("expected in Feb. or Mar. next year", "expected in February or Mar. next year"),
        ("by Mar. they left", "by March they left"),
        ("We thanked Jan. She smiled", "We thanked Jan. She smiled"),
        ("on Elm Ave. near Mt. Hood", "on Elm Avenue near Mount Hood"),
        # Untouched: no abbreviation, or a capitalised word that only looks like one.
        ("Drive to the store.", "Drive to the store."),
        ("Gen Z voters", "Gen Z voters"),
        ("No, said the Street.", "No, said the Street."),
        ("The street was quiet.", "The street was quiet."),
    ],
    en.speak_dates: [
        ("on 2025-01-10 at noon", "on January tenth, twenty twenty-five at noon"),
        ("on 2024/3/2.", "on March second, twenty twenty-four."),
        ("on 03/04/2025", "on March fourth, twenty twenty-five"),
        ("on 25/12/2024", "on December twenty-fifth, twenty twenty-four"),
        ("on 04.03.2025", "on March fourth, twenty twenty-five"),
        ("on Jan. 5, 2025, it rained", "on January fifth, twenty twenty-five, it rained"),
        ("on March 2nd 2024", "on March second, twenty twenty-four"),
        ("from May 5 to Sept 30", "from May fifth to September thirtieth"),
        ("on 9 January 2025", "on the ninth of January, twenty twenty-five"),
        ("on the 1st of March", "on the first of March"),
        ("on 1st March", "on the first of March"),
        # A date that describes a noun after "a", "this"...: month first, never "a the ...".
        ("a Dec. 26, 2019, ruling", "a December twenty-sixth, twenty nineteen, ruling"),
        ("a 26 Dec. 2019 ruling", "a December twenty-sixth, twenty nineteen ruling"),
        ("this 5 May meeting", "this May fifth meeting"),
        ("an 8 August vote", "an August eighth vote"),
        ("On Jan. 13 they met", "On January thirteenth they met"),
        # Untouched: not dates.
        ("in March 2024", "in March 2024"),
        ("2025-13-40 is no date", "2025-13-40 is no date"),
        ("he may 5 times", "he may 5 times"),
        ("5 Marks and Spencer", "5 Marks and Spencer"),
        ("version 1.2.2024", "version 1.2.2024"),
    ],
    en.speak_times: [
        ("at 3:30 pm today", "at three thirty PM today"),
        ("a clip of 1:45 minutes", "a clip of one minute forty-five"),
        ("the climb took 3:20 hours", "the climb took three hours twenty"),
        ("it runs 4:00 min", "it runs four minutes"),
        ("tracks under 3:10 each", "tracks under three ten each"),
        ("at 9 a.m. on Monday", "at nine AM on Monday"),
        ("at 9 a.m. The bus", "at nine AM. The bus"),
        ("at 11:05PM", "at eleven oh five PM"),
        # The 24-hour clock is said on the twelve-hour one; '9:00' may be either and stays as is.
        ("at 15:45", "at three forty-five PM"),
        ("at 15:00", "at three PM"),
        ("at 9:00", "at nine o'clock"),
        ("at 07:30", "at seven thirty AM"),
        ("doors shut at 23:05 sharp", "doors shut at eleven oh five PM sharp"),
        ("the 00:20 train", "the twelve twenty AM train"),
        ("the launch at 1930 GMT", "the launch at seven thirty PM G M T"),
        ("a drill at 0600 hours", "a drill at six AM"),
        ("the ferry sails at 22.15 on Sunday", "the ferry sails at ten fifteen PM on Sunday"),
        ("it starts at 19.45.", "it starts at seven forty-five PM."),
        ("the play begins at 7.30 tonight", "the play begins at seven thirty tonight"),
        ("doors open from 6.00", "doors open from six o'clock"),
        ("talks at 14.30 CET", "talks at two thirty PM Central European Time"),
        ("open from 10.00 to 18.30", "open from ten AM to six thirty PM"),
        ("the show at 7.30pm. Tickets sold out.", "the show at seven thirty PM. Tickets sold out."),
        # Both ends of a range in one form: the hours a listener uses, AM and PM.
        ("open 10:00 to 16:00 daily", "open ten AM to four PM daily"),
        ("from 09:30-17:45", "from nine thirty AM to five forty-five PM"),
        ("12:00-18:00", "noon to six PM"),
        ("09:00 until 11:30", "nine AM until eleven thirty AM"),
        ("from 22:00 to 00:00", "from ten PM to midnight"),
        # Time zones are said in full.
        ("at 3 p.m. ET.", "at three PM Eastern Time."),
        ("at 14:00 GMT", "at two PM G M T"),
        ("from 9am PT", "from nine AM Pacific Time"),
        ("at 6:30 p.m. EDT on", "at six thirty PM Eastern Daylight Time on"),
        ("by 8 pm BST", "by eight PM British Summer Time"),
        # Untouched: not times.
        ("a 3:1 win", "a 3:1 win"),
        ("at 25:61", "at 25:61"),
        ("we are 3 amazing", "we are 3 amazing"),
        ("ratio 10:300", "ratio 10:300"),
        # A dotted figure is a time only after 'at', 'from'... and when it cannot be an amount.
        ("shares rose to 21.30", "shares rose to 21.30"),
        ("priced at 13.50 a share", "priced at 13.50 a share"),
        ("growth at 14.25 percent", "growth at 14.25 percent"),
        ("sold at 3.45 on Friday", "sold at 3.45 on Friday"),
        ("shares closed at 21.30", "shares closed at 21.30"),
        ("output grew by 3.15 last year", "output grew by 3.15 last year"),
        ("the index stood at 18.20 on Monday", "the index stood at 18.20 on Monday"),
        ("1800 people came", "1800 people came"),
        ("in 1945 GMT was", "in 1945 GMT was"),
    ],
    en.speak_symbols: [
        ("R&D", "R and D"),
        ("rock & roll", "rock and roll"),
        ("open 24/7", "open twenty-four seven"),
        ("the #1 hit", "the number 1 hit"),
        ("2 + 2 = 4", "2 plus 2 equals 4"),
        ("2\u00bd miles", "2 and one half miles"),
        ("\u00be of voters", "three quarters of voters"),
        ("She watched Apple TV+ last night.", "She watched Apple TV plus last night."),
        ("on Disney+, Canal+ and Apple TV+", "on Disney plus, Canal plus and Apple TV plus"),
        # Untouched.
        ("C++ code", "C++ code"),
        ("+1 more", "+1 more"),
        ("and/or", "and/or"),
    ],
    en.capitalise_sentence_starts: [
        ("number one song", "Number one song"),
        ("first, second, third.", "First, second, third."),
        ("the Report. two of the stories", "The Report. Two of the stories"),
        ("Done! forty people came. \"twelve\" said yes", "Done! Forty people came. \"Twelve\" said yes"),
        ("Odd. (three more) came", "Odd. (Three more) came"),
        ("for example, apples", "For example, apples"),
        ("minus four overnight", "Minus four overnight"),
        ("twenty-four seven", "Twenty-four seven"),
        # Untouched: words no rule makes, and full stops that end no sentence.
        ("iPhone sales rose. eBay fell.", "iPhone sales rose. eBay fell."),
        ("apples and pears", "apples and pears"),
        ("see Fig. three below", "see Fig. three below"),
        ("J. R. two", "J. R. two"),
        ("it was two. Then three", "it was two. Then three"),
        ("sold twenty-one", "sold twenty-one"),
    ],
}


@each_row(CASES)
def test_rule(rule, text, expected):
    assert rule(text) == expected


def test_every_rule_has_a_docstring_and_a_table():
    from tests.script.test_speakable_en_names import CASES as NAME_CASES
    from tests.script.test_speakable_en_tech import TECH_CASES

    every = set(en.BEFORE_TYPOGRAPHY) | set(en.RULES)
    assert every == set(CASES) | set(LETTER_CASES) | set(NUMBER_CASES) | set(TECH_CASES) | set(NAME_CASES)
    assert all(rule.__doc__ and rule.__doc__.strip() for rule in every)


def test_money_and_measures_run_before_bare_numbers():
    order = [rule.__name__ for rule in en.RULES]
    for earlier in ("speak_phone_numbers", "speak_dates", "speak_times", "speak_ranges", "speak_money",
                    "speak_percentages", "speak_units", "speak_years"):
        assert order.index(earlier) < order.index("speak_numbers")


def test_phone_numbers_are_read_before_ranges_and_capitals_come_last():
    order = [rule.__name__ for rule in en.RULES]
    assert order.index("speak_phone_numbers") < order.index("speak_ranges")
    assert order[-1] == "capitalise_sentence_starts"
