"""Every English speakable rule, table-driven: input -> what the presenter says.

Each table also lists inputs the rule must leave exactly as written.
"""

import pytest

from digest.script import speakable_en as en
from tests.script.test_speakable_en_letters import CASES as LETTER_CASES

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
        ("on Elm Ave. near Mt. Hood", "on Elm Avenue near Mount Hood"),
        # Untouched: no abbreviation, or a capitalised word that only looks like one.
        ("Drive to the store.", "Drive to the store."),
        ("Gen Z voters", "Gen Z voters"),
        ("No, said the Street.", "No, said the Street."),
        ("The street was quiet.", "The street was quiet."),
    ],
    en.speak_phone_numbers: [
        ("Call 555-1234 now", "Call five five five, one two three four now"),
        ("on 555-123-4567.", "on five five five, one two three, four five six seven."),
        ("dial 1-800-555-1234", "dial one, eight zero zero, five five five, one two three four"),
        ("at 555.123.4567", "at five five five, one two three, four five six seven"),
        ("ring +1 555 123 4567", "ring plus one, five five five, one two three, four five six seven"),
        ("+44 20 7946 0958", "plus four four, two zero, seven nine four six, zero nine five eight"),
        # Untouched: ranges, round figures, dates, emergency numbers and codes.
        ("from 2019-2021", "from 2019-2021"),
        ("between 200-5000 people", "between 200-5000 people"),
        ("voted 7-2", "voted 7-2"),
        ("on 2025-01-10", "on 2025-01-10"),
        ("call 911", "call 911"),
        ("1 500 000 people", "1 500 000 people"),
        ("ISBN 978-3-16-148410-0", "ISBN 978-3-16-148410-0"),
        ("+1 more", "+1 more"),
        # A 3-4 or spaced 3-3-4 group is a number to dial only after a word that says so.
        ("Between 100-1250 words.", "Between 100-1250 words."),
        ("It sold 150-1750 units.", "It sold 150-1750 units."),
        ("Tickets cost 250-1999 yen.", "Tickets cost 250-1999 yen."),
        ("Results 100 200 3000", "Results 100 200 3000"),
        ("Phone: 555 123 4567", "Phone: five five five, one two three, four five six seven"),
        ("the number is 555-0199", "the number is five five five, zero one nine nine"),
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
        ("at 9 a.m. on Monday", "at nine AM on Monday"),
        ("at 9 a.m. The bus", "at nine AM. The bus"),
        ("at 11:05PM", "at eleven oh five PM"),
        ("at 15:45", "at fifteen forty-five"),
        ("at 15:00", "at fifteen hundred"),
        ("at 9:00", "at nine o'clock"),
        ("at 07:30", "at seven thirty"),
        # Both ends of a range in one form: the hours a listener uses, AM and PM.
        ("open 10:00 to 16:00 daily", "open ten AM to four PM daily"),
        ("from 09:30-17:45", "from nine thirty AM to five forty-five PM"),
        ("12:00-18:00", "noon to six PM"),
        ("09:00 until 11:30", "nine o'clock until eleven thirty"),
        ("from 22:00 to 00:00", "from ten PM to midnight"),
        # Time zones are said in full.
        ("at 3 p.m. ET.", "at three PM Eastern Time."),
        ("at 14:00 GMT", "at fourteen hundred G M T"),
        ("from 9am PT", "from nine AM Pacific Time"),
        ("at 6:30 p.m. EDT on", "at six thirty PM Eastern Daylight Time on"),
        ("by 8 pm BST", "by eight PM British Summer Time"),
        # Untouched: not times.
        ("a 3:1 win", "a 3:1 win"),
        ("at 25:61", "at 25:61"),
        ("we are 3 amazing", "we are 3 amazing"),
        ("ratio 10:300", "ratio 10:300"),
    ],
    en.speak_ranges: [
        ("from 2019-2021", "from 2019 to 2021"),
        ("in 2019-21", "in 2019 to 2021"),
        ("the council voted 7-2", "the council voted 7 to 2"),
        ("10\u201312 km", "10 to 12 km"),
        ("aged 5 - 11", "aged 5 to 11"),
        ("between 100-1250 words", "between 100 and 1250 words"),
        ("Between 2019-2021", "Between 2019 and 2021"),
        # Seasons: the second year is said short, as fans and presenters say it.
        ("the 2011-12 and 2017-18 seasons", "the 2011 to 12 and 2017 to 18 seasons"),
        ("in 1999-2000", "in 1999 to 2000"),
        # Untouched: codes and words with hyphens.
        ("COVID-19 cases", "COVID-19 cases"),
        ("a 3-year-old", "a 3-year-old"),
        ("A-1 road", "A-1 road"),
        ("pre-2020 levels", "pre-2020 levels"),
    ],
    en.speak_money: [
        ("a $2m grant", "a two million dollar grant"),
        ("the \u00a35 fee was paid", "the five pound fee was paid"),
        ("the $2m was spent", "the two million dollars was spent"),
        ("paid $2m for it", "paid two million dollars for it"),
        ("$2.5bn", "two point five billion dollars"),
        ("\u00a3900m", "nine hundred million pounds"),
        ("\u20ac40", "forty euros"),
        ("40 EUR", "forty euros"),
        ("EUR 40", "forty euros"),
        ("40\u20ac", "forty euros"),
        ("$3.50", "three dollars and fifty cents"),
        ("$1", "one dollar"),
        ("\u00a30.50", "fifty pence"),
        ("\u00a31.01", "one pound and one penny"),
        ("$1,200", "one thousand two hundred dollars"),
        ("USD 5 million", "five million dollars"),
        ("US$5", "five US dollars"),
        ("\u00a35k", "five thousand pounds"),
        ("\u00a55,000", "five thousand yen"),
        ("$1.234", "one point two three four dollars"),
        # An amount that describes a noun, even a name, says "dollar": 'a ten-dollar bill'.
        ("a $170 million Netflix movie", "a one hundred and seventy million dollar Netflix movie"),
        ("the studio's $170 million film", "the studio's one hundred and seventy million dollar film"),
        ("It cost $170 million.", "It cost one hundred and seventy million dollars."),
        ("a $3.50 coffee", "a three dollar fifty coffee"),
        ("$171m", "one hundred and seventy-one million dollars"),
        ("US$23m", "twenty-three million US dollars"),
        ("\u00a35bn", "five billion pounds"),
        ("a \u00a35bn Brexit bill", "a five billion pound Brexit bill"),
        ("\u20ac2.5bn", "two point five billion euros"),
        # A hyphenated scale and ranges of money: the currency is said once, at the end.
        ("a $5-million grant", "a five million dollar grant"),
        ("It cost $5-million.", "It cost five million dollars."),
        ("$5-10 million", "five to ten million dollars"),
        ("$5-10", "five to ten dollars"),
        ("paid $5 to 10 people", "paid five dollars to 10 people"),
        ("$2m and $3m", "two million dollars and three million dollars"),
        ("$5 to $10 million", "five to ten million dollars"),
        ("$5m-$10m", "five million to ten million dollars"),
        ("between $5 and $10 million", "between five and ten million dollars"),
        ("a $5-$10 fee", "a five to ten dollar fee"),
        ("\u00a3500m-\u00a31bn", "five hundred million to one billion pounds"),
        ("$3.50-$4.25", "three dollars and fifty cents to four dollars and twenty-five cents"),
        # Untouched: no currency.
        ("5 million people", "5 million people"),
        ("EURO 2024", "EURO 2024"),
    ],
    en.speak_percentages: [
        ("3.5%", "three point five percent"),
        ("up 40 per cent", "up forty percent"),
        ("-2%", "minus two percent"),
        ("12 percent", "twelve percent"),
        ("1,000%", "one thousand percent"),
        # Untouched.
        ("percentage points", "percentage points"),
    ],
    en.speak_units: [
        ("12 km", "twelve kilometres"),
        ("1 km", "one kilometre"),
        ("5kg", "five kilograms"),
        ("-5\u00b0C", "minus five degrees Celsius"),
        ("70 \u00b0F", "seventy degrees Fahrenheit"),
        ("90 km/h", "ninety kilometres per hour"),
        ("30 mph", "thirty miles per hour"),
        ("2.5 MW", "two point five megawatts"),
        ("a 45\u00b0 angle", "a forty-five degrees angle"),
        ("it took 20 min", "it took twenty minutes"),
        ("1 min.", "one minute."),
        ("a 20 min. walk", "a twenty minutes walk"),
        ("took 2 hrs. Then", "took two hours. Then"),
        ("after 30 sec", "after thirty seconds"),
        ("a 500 KB file", "a five hundred kilobytes file"),
        ("4 kB and 2 TB", "four kilobytes and two terabytes"),
        ("at 20 Mbps", "at twenty megabits per second"),
        ("1 Gbps", "one gigabit per second"),
        ("a 3.2 GHz chip", "a three point two gigahertz chip"),
        ("at 50 km/h", "at fifty kilometres per hour"),
        # Untouched: letters that are not units here.
        ("5G network", "5G network"),
        ("the km marker", "the km marker"),
        ("Plan 9 from", "Plan 9 from"),
    ],
    en.speak_decades: [
        ("the 1990s", "the nineteen nineties"),
        ("the 1900s", "the nineteen hundreds"),
        ("the 2010s", "the twenty tens"),
        ("the '80s", "the eighties"),
        ("in her 30s", "in her thirties"),
        # Untouched.
        ("1990 saw", "1990 saw"),
        ("MP3s", "MP3s"),
    ],
    en.speak_ordinals: [
        ("the 3rd time", "the third time"),
        ("the 21st century", "the twenty-first century"),
        ("his 102nd birthday", "his one hundred and second birthday"),
        ("the 11th hour", "the eleventh hour"),
        ("1st-class", "first-class"),
        # Untouched.
        ("the first time", "the first time"),
    ],
    en.speak_years: [
        ("in 1988", "in nineteen eighty-eight"),
        ("by 2030,", "by twenty thirty,"),
        ("the 2024 election", "the twenty twenty-four election"),
        ("in 1905", "in nineteen oh five"),
        ("in 2005", "in two thousand and five"),
        ("since 2000", "since two thousand"),
        ("in 2020 people moved", "in twenty twenty people moved"),
        # A count straight after a year gets a comma, or the two run into one number.
        ("In 2019 400 people came", "In twenty nineteen, 400 people came"),
        ("since 2015 3,000 homes", "since twenty fifteen, 3,000 homes"),
        # Untouched: counts, codes, money and numbers that are not years.
        ("1500 people", "1500 people"),
        ("1200 homes", "1200 homes"),
        ("room 1024", "room 1024"),
        ("$2024", "$2024"),
        ("2024.5", "2024.5"),
        ("3000 BC", "3000 BC"),
        ("A1988", "A1988"),
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
    en.speak_numbers: [
        ("1,234,567 people", "one million two hundred and thirty-four thousand five hundred and sixty-seven people"),
        ("3.05 metres", "three point zero five metres"),
        ("fell to -4 overnight", "fell to minus four overnight"),
        ("agent 007", "agent zero zero seven"),
        # Long identifiers after a word that names one: digits in threes, not a quantity.
        ("case number 121102", "case number one two one, one zero two"),
        ("ID 121102 and model 55012", "ID one two one, one zero two and model five five, zero one two"),
        ("catalogue number 12345678", "catalogue number one two, three four five, six seven eight"),
        ("flight 2001 and room 101", "flight two thousand and one and room one hundred and one"),
        ("12 steps", "twelve steps"),
        ("a 3-year-old", "a three-year-old"),
        ("COVID-19", "COVID-nineteen"),
        ("1500 people", "one thousand five hundred people"),
        ("call 12345678901234567", "call one two three four five six seven eight nine zero one two three four five six seven"),
        # Untouched: numbers glued to letters are codes.
        ("the A380 and the M25", "the A380 and the M25"),
        ("5G and 3D", "5G and 3D"),
        ("no numbers here.", "no numbers here."),
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


@pytest.mark.parametrize(
    "rule, text, expected",
    [(rule, text, expected) for rule, rows in CASES.items() for text, expected in rows],
    ids=[f"{rule.__name__}:{text}" for rule, rows in CASES.items() for text, _ in rows],
)
def test_rule(rule, text, expected):
    assert rule(text) == expected


def test_every_rule_has_a_docstring_and_a_table():
    assert set(en.RULES) == set(CASES) | set(LETTER_CASES)
    assert all(rule.__doc__ and rule.__doc__.strip() for rule in en.RULES)


def test_money_and_measures_run_before_bare_numbers():
    order = [rule.__name__ for rule in en.RULES]
    for earlier in ("speak_phone_numbers", "speak_dates", "speak_times", "speak_ranges", "speak_money",
                    "speak_percentages", "speak_units", "speak_years"):
        assert order.index(earlier) < order.index("speak_numbers")


def test_phone_numbers_are_read_before_ranges_and_capitals_come_last():
    order = [rule.__name__ for rule in en.RULES]
    assert order.index("speak_phone_numbers") < order.index("speak_ranges")
    assert order[-1] == "capitalise_sentence_starts"
