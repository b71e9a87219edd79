"""Page furniture is not read as story: each shape found on real news pages, in excerpts written
for these tests, beside text of the same shape that is story and must stay."""

import pytest

from digest.read.furniture import leading_date, without_furniture
from digest.read.tables import spoken_tables

STORY = "The harbour reopened on Monday after three days of storms kept the ferries in port."
MORE = "Fishermen said the damage to the outer wall was worse than in any winter they remember."

# (what the page gave, after it the story's paragraphs; what must be read)
DROPPED = [
    ("photo caption", ["Photo: Waves break over the harbour wall on Sunday.", STORY], [STORY]),
    ("header image caption", ["Header Image: The old quay at low tide, seen from the lighthouse.", STORY], [STORY]),
    ("credit line", [STORY, "Jane Roe / Getty Images", MORE], [STORY, MORE]),
    ("caption with its credit", [STORY, "The ferry Marit in dry dock. (Photo: Jane Roe/AFP)"], [STORY]),
    ("credit after a long paragraph", [f"{STORY} {MORE} {STORY} (Photo: Jane Roe/AFP)"], [f"{STORY} {MORE} {STORY}"]),
    ("trailing credit label", [STORY + " Credit: Jane Roe"], [STORY]),
    ("newsletter box", [STORY, "Sign up for our Coast Weekly newsletter to get the best stories in your inbox.", MORE],
     [STORY, MORE]),
    ("newsletter inside a long paragraph",
     [STORY + " The Coast Weekly Newsletter. Sign up to get the best content of the week in your inbox. " + MORE],
     [STORY + " " + MORE]),
    ("comment prompt", [STORY, "Let us know in the comments what you think of the new timetable."], [STORY]),
    ("follow line", [STORY, "Follow them on GitHub or Twitter for more updates."], [STORY]),
    ("letters prompt", [STORY, "We want to hear what you think about this article. Submit a letter to the editor."],
     [STORY]),
    ("first appeared elsewhere", [STORY, "This article originally appeared on Coastal Notes."], [STORY]),
    ("click box", [STORY, "To write to your councillor, click this box and fill in your postcode."], [STORY]),
    ("recommendations and their headlines",
     [STORY, "Editors' Recommendations:", "Ferry fares to rise in spring", "New lifeboat named after local hero",
      MORE], [STORY, MORE]),
    ("read more link", [STORY, "Read more: Storm damage bill passes two million", MORE], [STORY, MORE]),
    ("labelled link box", [STORY, "- A SIMPLE GUIDE: How do I keep my boat safe?", "- VIDEO: The storm in 60 seconds",
                           MORE], [STORY, MORE]),
    ("section label and byline on top", ["World", "By Jane Roe, Harbour Times", STORY], [STORY]),
    ("byline with a colon", ["Written by: Jane Roe", STORY], [STORY]),
    ("date line on top", ["January 22, 2014", STORY], [STORY]),
    ("date glued to the summary line", [STORY + " 22 January 2020", MORE], [STORY, MORE]),
    ("update note", [STORY, "Updated at 5:40 p.m. with the council's statement.", MORE], [STORY, MORE]),
    ("author bio at the end", [STORY, MORE, "Jane Roe is a reporter at the Harbour Times who covers the coast."],
     [STORY, MORE]),
    ("headline repeated as the first line", ["Harbour reopens after the storm", STORY], [STORY]),
    ("headline variant as the first line", ["Storms: harbour reopens after the storm at last", STORY], [STORY]),
    ("headline as the first sentence", ["Harbour reopens after the storm! " + STORY], [STORY]),
    ("another story's headline mid-text",
     [STORY, "Council Approves New Flood Defences for the Northern Shore After Long Debate", MORE], [STORY, MORE]),
    ("rights notice after an excerpt's source",
     [STORY, "Adapted from \u201cTides and Towns\u201d. Copyright \u00a9 2019 by Ann Lee. Reprinted with permission of "
             "Gull Press, Leith. All rights reserved."], [STORY, "Adapted from \u201cTides and Towns\u201d."]),
    ("copyright line alone", [STORY, "(c) 2021 Harbour Times Ltd", MORE], [STORY, MORE]),
]

KEPT = [
    ("a subheading", [STORY, "What happens next", MORE]),
    ("a long headline-like subheading that leads into a list", [STORY, "The Ten Boats That Rode Out the Great Storm:",
                                                                MORE]),
    ("a sentence that merely mentions photos", ["Photographers lined the quay to watch the first ferry leave.", STORY]),
    ("a story about a newsletter", ["The council will start a newsletter for residents next month, it said.", STORY]),
    ("a quote that says 'sign up'", [STORY, "\"People should sign up as volunteers,\" the harbour master said.", MORE]),
    ("a dateline sentence", ["On January 22, 2014, the harbour closed for the first time.", STORY]),
    ("a short answer", [STORY, "Yes.", MORE]),
    ("a story about copyright", ["The copyright 2019 ruling was used with permission of nobody, critics said.", STORY]),
    ("a subheading like the headline further down", [STORY, "Harbour reopens: what it means", MORE]),
]


@pytest.mark.parametrize("name, page, expected", DROPPED, ids=[case[0] for case in DROPPED])
def test_furniture_is_not_read(name, page, expected):
    assert without_furniture(page, title="Harbour reopens after the storm!", author="Jane Roe") == expected


@pytest.mark.parametrize("name, page", KEPT, ids=[case[0] for case in KEPT])
def test_story_of_the_same_shape_is_kept(name, page):
    assert without_furniture(page, title="Harbour reopens after the storm", author="Jane Roe") == page


def test_a_date_line_on_top_gives_the_page_its_date():
    assert str(leading_date(["Posted on 3 March 2024", STORY])) == "2024-03-03"
    assert leading_date([STORY]) is None


def test_a_small_table_is_read_a_row_a_sentence_with_its_column_names():
    text = "\n".join([
        "Timings from the sea trial:",
        "| boat | knots | fuel |",
        "|---|---|---|",
        "| Marit | 12.5 | diesel |",
        "| Osprey | 9 | |",
        "That settled it.",
    ])
    assert spoken_tables(text).split("\n") == [
        "Timings from the sea trial:",
        "Marit: knots 12.5, fuel diesel.",
        "Osprey: knots 9.",
        "That settled it.",
    ]


def test_a_table_too_big_to_follow_by_ear_is_left_out():
    rows = [f"| day {n} | {n} mm |" for n in range(30)]
    text = "\n".join(["Rainfall this month.", "| day | rain |", "|---|---|", *rows, "The end."])
    assert spoken_tables(text).split("\n") == ["Rainfall this month.", "The end."]


@pytest.mark.parametrize("name, page, expected", [
    ("reference apparatus", [STORY, MORE, STORY, "References[edit]", "^ a b Roe, J. (2019). Harbours.", "External links[edit]"],
     [STORY, MORE, STORY]),
    ("contributor note", [STORY, "Jane Roe contributed to this report."], [STORY]),
    ("broadcast speaker label", ["Anchor: " + STORY, "Report: " + MORE], [STORY, MORE]),
    ("wire dateline glued on", ["London (CNN)" + STORY], [STORY]),
    ("link line", [STORY, "Link: harbour repairs."], [STORY]),
], ids=lambda value: value if isinstance(value, str) else None)
def test_apparatus_labels_and_credits_are_not_read(name, page, expected):
    assert without_furniture(page, title="Harbour reopens") == expected


def test_a_references_heading_early_in_a_page_is_a_word_of_the_story():
    page = ["Notes", STORY, MORE, STORY]
    assert without_furniture(page, title="Harbour reopens") == page[1:]  # a label on top, not end matter


@pytest.mark.parametrize("name, page, expected", [
    ("byline with paper and place mid-story", [STORY, "A town holds its breath", "By Jane Roe, Harbour Times, Leith", MORE],
     [STORY, "A town holds its breath", MORE]),
    ("posted-by line at the end", [STORY, MORE, "Posted by Jane Roe, Coastal Desk, Harbour Council"], [STORY, MORE]),
    ("wire credits", [STORY, MORE, "Reporting by Jane Roe; Editing by John Doe"], [STORY, MORE]),
    ("additional reporting in brackets", [STORY, "(Additional reporting by John Doe in Leith)", MORE], [STORY, MORE]),
    ("correspondent's line", [STORY, "Jane Roe reports from Leith.", MORE], [STORY, MORE]),
    ("correspondent's label before a paragraph", ["Harbour Times' Jane Roe reports: " + STORY, MORE], [STORY, MORE]),
    ("chart source", [STORY, "Source: Harbour Council, Met Office", MORE], [STORY, MORE]),
    ("borrowed post's credit", [STORY, "(via Coastal Notes)", MORE], [STORY, MORE]),
    ("gallery count", [STORY, "Harbour news in pictures", "Show all 24", MORE], [STORY, MORE]),
    ("slide counter", [STORY, "Image 3 of 9", "1 of 12", MORE], [STORY, MORE]),
    ("player titles", [STORY, "Watch: The storm hits the quay", "Listen: The harbour master on the damage", MORE],
     [STORY, MORE]),
    ("broadcaster's caption labels", [STORY, "Media caption The harbour master walks the wall", MORE], [STORY, MORE]),
    ("unmarked caption naming who is pictured",
     [STORY, "Harbour master Jane Roe, pictured, inspects the damaged outer wall on Sunday", MORE], [STORY, MORE]),
    ("unmarked caption with a position", [STORY, "Jane Roe (left) and John Doe on the quay", MORE], [STORY, MORE]),
], ids=lambda value: value if isinstance(value, str) else None)
def test_bylines_credits_widgets_and_captions_are_not_read(name, page, expected):
    assert without_furniture(page, title="Harbour reopens") == expected


@pytest.mark.parametrize("name, page", [
    ("a sentence opening with 'By' and a date", [STORY, "By Monday, the council had voted to repair the wall.", MORE]),
    ("a sentence opening with 'By' and a number", [STORY, "By a majority of 12, the council backed the plan.", MORE]),
    ("a report the story cites", [STORY, "The council reports: repairs will take a year.", MORE]),
    ("a sentence naming who is pictured", [STORY, "Jane Roe, pictured, said the wall had never looked worse.", MORE]),
    ("a sentence about watching", [STORY, "Watch the tide tables, the harbour master said.", MORE]),
    ("a sentence that says 'via'", [STORY, "Via the old road, the quay is a ten-minute walk from the station.", MORE]),
    ("a short sentence that says 'via'", [STORY, "Via Leith, the ferry takes an hour.", MORE]),
    ("a count inside a sentence", [STORY, "Only 3 of 12 boats left the harbour.", MORE]),
], ids=lambda value: value if isinstance(value, str) else None)
def test_story_lines_shaped_like_bylines_or_widgets_are_kept(name, page):
    assert without_furniture(page, title="Harbour reopens") == page


@pytest.mark.parametrize("line", ["Advertisement", "Story continues below advertisement", "Contents",
                                  "Continue reading the main story", "Back to top"])
def test_advert_slots_and_page_navigation_between_paragraphs_are_not_read(line):
    assert without_furniture([STORY, line, MORE], title="Harbour reopens") == [STORY, MORE]
