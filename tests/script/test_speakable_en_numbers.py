"""English rules for figures, table-driven: input -> what the presenter says.

Each table also lists inputs the rule must leave exactly as written.
"""


from digest.script import speakable_en_numbers as numbers
from tests.script.rule_tables import each_row

CASES = {
    numbers.speak_phone_numbers: [
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
        ("call 0808 157 0192 free", "call zero eight zero eight, one five seven, zero one nine two free"),
        ("or 18001 0300 123 9000 by textphone", "or one eight zero zero one, zero three zero zero, one two three, nine zero "
                                                "zero zero by textphone"),
        ("on 03332 101 202.", "on zero three three three two, one zero one, two zero two."),
        ("Some 18001 fans came", "Some 18001 fans came"),
        ("the number is 555-0199", "the number is five five five, zero one nine nine"),
    ],
    numbers.unbracket_area_codes: [
        ("Call (800) 555-0142 for help.", "Call 800-555-0142 for help."),
        ("on 1 (212) 555-0187", "on 1-212-555-0187"),
        ("fax (415)555-0100", "fax 415-555-0100"),
        # Untouched: a figure in brackets that is no phone number.
        ("the fee (800) was paid", "the fee (800) was paid"),
        ("in (2019) 555 cases", "in (2019) 555 cases"),
    ],
    numbers.speak_ranges: [
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
    numbers.speak_money: [
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
        # A headline drops its article: a word such as 'fine' after the amount still makes it describe.
        ("Faces \u00a31,000 fine", "Faces one thousand pound fine"),
        ("hit with \u20ac2,500 penalty", "hit with two thousand five hundred euro penalty"),
        ("wins $5m prize", "wins five million dollar prize"),
        ("gave \u00a3500 to the fund", "gave five hundred pounds to the fund"),
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
    numbers.speak_percentages: [
        ("3.5%", "three point five percent"),
        ("up 40 per cent", "up forty percent"),
        ("-2%", "minus two percent"),
        ("12 percent", "twelve percent"),
        ("1,000%", "one thousand percent"),
        # Untouched.
        ("percentage points", "percentage points"),
    ],
    numbers.speak_units: [
        ("12 km", "twelve kilometres"),
        ("1 km", "one kilometre"),
        ("5kg", "five kilograms"),
        ("-5\u00b0C", "minus five degrees Celsius"),
        ("70 \u00b0F", "seventy degrees Fahrenheit"),
        ("90 km/h", "ninety kilometres per hour"),
        ("30 mph", "thirty miles per hour"),
        ("2.5 MW", "two point five megawatts"),
        ("a 45\u00b0 angle", "a forty-five degree angle"),
        ("it took 20 min", "it took twenty minutes"),
        ("1 min.", "one minute."),
        ("a 20 min. walk", "a twenty minute walk"),
        ("took 2 hrs. Then", "took two hours. Then"),
        ("after 30 sec", "after thirty seconds"),
        ("a 500 KB file", "a five hundred kilobyte file"),
        ("4 kB and 2 TB", "four kilobytes and two terabytes"),
        ("at 20 Mbps", "at twenty megabits per second"),
        ("1 Gbps", "one gigabit per second"),
        ("a 3.2 GHz chip", "a three point two gigahertz chip"),
        ("the 10 km race was", "the ten kilometre race was"),
        ("ran the 10 km in", "ran the ten kilometres in"),
        ("at 50 km/h", "at fifty kilometres per hour"),
        # Untouched: letters that are not units here.
        ("5G network", "5G network"),
        ("the km marker", "the km marker"),
        ("Plan 9 from", "Plan 9 from"),
    ],
    numbers.speak_decades: [
        ("the 1990s", "the nineteen nineties"),
        ("the 1900s", "the nineteen hundreds"),
        ("the 2010s", "the twenty tens"),
        ("the '80s", "the eighties"),
        ("in her 30s", "in her thirties"),
        # Untouched.
        ("1990 saw", "1990 saw"),
        ("MP3s", "MP3s"),
    ],
    numbers.speak_ordinals: [
        ("the 3rd time", "the third time"),
        ("the 21st century", "the twenty-first century"),
        ("his 102nd birthday", "his one hundred and second birthday"),
        ("the 11th hour", "the eleventh hour"),
        ("1st-class", "first-class"),
        # Untouched.
        ("the first time", "the first time"),
    ],
    numbers.speak_years: [
        ("in 1988", "in nineteen eighty-eight"),
        ("the pycon-2017 talks", "the pycon twenty seventeen talks"),
        ("by mid-1999", "by mid nineteen ninety-nine"),
        ("between 2001 and 2019 the town", "from two thousand and one to twenty nineteen the town"),
        ("Between 2000 and 2008, it", "From two thousand to two thousand and eight, it"),
        ("between 2012 and 2019", "between twenty twelve and twenty nineteen"),
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
    numbers.speak_numbers: [
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
}


@each_row(CASES)
def test_rule(rule, text, expected):
    assert rule(text) == expected
