"""English rules for letters, names and marks, table-driven: input -> what the presenter says.

Each table also lists inputs the rule must leave exactly as written.
"""


from digest.script import speakable_en_letters as letters
from tests.script.rule_tables import each_row

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
    letters.speak_file_types: [
        ("send a .zip or .rar file", "send a dot zip or dot rar file"),
        ("open report.pdf or data.csv.", "open report dot P D F or data dot C S V."),
        ("the .jpeg and .png files", "the dot JPEG and dot P N G files"),
        ("play song.mp3 now", "play song dot M P three now"),
        ("a PNG or a jpeg", "a P N G or a JPEG"),
        ("saved as PDF", "saved as P D F"),
        # Untouched: sentences, decimals, versions and words that only look like file types.
        ("it ended. Then", "it ended. Then"),
        ("version 2.5 ships", "version 2.5 ships"),
        ("a zip code and a gif", "a zip code and a gif"),
        ("Node.js and example.com", "Node.js and example.com"),
    ],
    letters.spell_acronyms: [
        # Acronyms a voice reads as a word although presenters spell them.
        ("the WHO said", "the W H O said"),
        ("WHO chief Tedros", "W H O chief Tedros"),
        ("the ACLU and the IAEA", "the A C L U and the I A E A"),
        ("an IMF loan", "an I M F loan"),
        ("the IT department", "the I T department"),
        ("IT workers", "I T workers"),
        # A pronoun left in capitals by a calmed headline is the word.
        ("Who will win? WHO will win?", "Who will win? Who will win?"),
        ("IT is over", "It is over"),
        ("and IT was", "and it was"),
        ("We did IT!", "We did it!"),
        ("Do IT now", "Do it now"),
        ("IT giant Infosys", "I T giant Infosys"),
        ("spending on IT rose", "spending on I T rose"),
        # Untouched: acronyms said as words, and the words themselves.
        ("NASA and NATO and FEMA", "NASA and NATO and FEMA"),
        ("who said it", "who said it"),
    ],
    letters.speak_censored_words: [
        ("a real f**k-up", "a real f-word-up"),
        ("this s**t again", "this s-word again"),
        ("that f*****g noise", "that f-word noise"),
        ("a f***ing mess", "a effing mess"),
        ("some b*tch", "some b-word"),
        # Untouched: a footnote star, starred code names and bold text.
        ("Prices* rose", "Prices* rose"),
        ("see A* search", "see A* search"),
        ("use **kwargs", "use **kwargs"),
    ],
    letters.speak_roman_model_names: [
        ("the iPhone XS and iPhone X", "the iPhone ten S and iPhone ten"),
        ("an iPhone XR, an iPhone XS Max", "an iPhone ten R, an iPhone ten S Max"),
        ("on Mac OS X.", "on Mac OS ten."),
        # Untouched: an X said as a letter.
        ("Windows XP and Xbox One X", "Windows XP and Xbox One X"),
        ("the iPhone 11 and SpaceX", "the iPhone 11 and SpaceX"),
    ],
}


@each_row(CASES)
def test_rule(rule, text, expected):
    assert rule(text) == expected


def test_every_rule_has_a_docstring_and_a_table():
    assert set(letters.RULES) == set(CASES)
    assert all(rule.__doc__ and rule.__doc__.strip() for rule in letters.RULES)
