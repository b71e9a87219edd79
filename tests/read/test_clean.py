import pytest

from digest.read import clean
from digest.read.clean import clean_line, clean_text, paragraphs


@pytest.mark.parametrize("rule, given, expected", [
    (clean.normalize_quotes, "\u201cYes,\u201d she said, \u2018it\u2019s done.\u2019", "\"Yes,\" she said, 'it's done.'"),
    (clean.normalize_dashes, "the plan\u2014which costs more\u2014failed", "the plan, which costs more, failed"),
    (clean.normalize_dashes, "from 2019\u20132021", "from 2019-2021"),
    (clean.normalize_dashes, "a view -- and a half", "a view, and a half"),
    (clean.normalize_dashes, "a well-known fact", "a well-known fact"),
    (clean.normalize_ellipsis, "and then\u2026 nothing. . .", "and then... nothing..."),
    (clean.unescape_entities, "Fish &amp;amp; chips&nbsp;today", "Fish & chips\u00a0today"),
    (clean.strip_markup, "<p>Hello <b>world</b></p>", " Hello  world  "),
    (clean.strip_markup, "if a < b and c > d", "if a < b and c > d"),
    (clean.drop_emoji, "Great news \U0001F389\U0001F44D!", "Great news !"),
    (clean.drop_emoji, "It was 20\u00b0C \u00a9 2024", "It was 20\u00b0C \u00a9 2024"),
    (clean.drop_footnote_markers, "Paris is large.[12] Very.[citation needed]", "Paris is large. Very."),
    (clean.drop_footnote_markers, "It passed[^1] on Monday[^note].", "It passed on Monday."),
    (clean.drop_footnote_markers, "Text.\n[^1]: By seven votes.\nMore.", "Text.\n\nMore."),
    (clean.drop_footnote_markers, "a[^[^1]b] c", "a c"),
    (clean.drop_footnote_markers, "the [^ caret] and x^2 [note]", "the [^ caret] and x^2 [note]"),
    (clean.bullets_as_paragraphs, "* apples\n* pears", "apples\npears"),
    (clean.bullets_as_paragraphs, "We need:\n\u2022 apples\n  \u2022 pears", "We need:\napples\npears"),
    (clean.bullets_as_paragraphs, "Intro.\n\nWe need:\n* apples\n* pears", "Intro.\n\nWe need:\n\napples\n\npears"),
    (clean.bullets_as_paragraphs, "a *starred* word\n*emphasis* here\n2 * 3", "a *starred* word\n*emphasis* here\n2 * 3"),
    (clean.drop_invisible_characters, "co\u00adop\u200beration", "cooperation"),
    (clean.tidy_spaces, "Too   many  spaces , here .", "Too many spaces, here."),
    (clean.strip_control_characters, "bell\x07 and\x00 nul", "bell and nul"),
])
def test_rules(rule, given, expected):
    assert rule(given) == expected


@pytest.mark.parametrize("line", [
    "Advertisement", "ADVERTISEMENT", "Read more", "Read more: the full story", "Share this article",
    "Share on Facebook", "Facebook | Twitter | Email", "Sign up for our newsletter today",
    "https://example.com/story?id=1", "Copyright 2024 Daily Planet", "\u00a9 2024 Daily Planet",
    "Photo: Jane Doe", "Skip to content",
])
def test_boilerplate_lines_are_dropped(line):
    assert clean_text(f"First real sentence.\n\n{line}\n\nSecond real sentence.") == (
        "First real sentence.\n\nSecond real sentence."
    )


@pytest.mark.parametrize("sentence", [
    "Subscribers to the paper grew by a third.",
    "Copyright law changed in 2019.",
    "Read more books, the librarian said.",
    "Sharing is caring, the sign said.",
    "Advertisement spending rose.",
])
def test_real_sentences_that_look_like_boilerplate_are_kept(sentence):
    assert clean_text(sentence) == sentence


def test_paragraphs_split_on_blank_lines_and_join_wrapped_lines():
    text = "First line of a\nwrapped paragraph.\n\n\n  Second   paragraph.  \n"
    assert paragraphs(clean_text(text)) == ["First line of a wrapped paragraph.", "Second paragraph."]


def test_text_without_blank_lines_has_one_paragraph_per_line():
    assert paragraphs(clean_text("One.\nTwo.\nThree.")) == ["One.", "Two.", "Three."]


@pytest.mark.parametrize("text, expected", [
    ("Shopping list\n* apples and pears\n* bread", ["Shopping list", "apples and pears", "bread"]),
    ("Intro.\n\nWe went:\n* to the long\n  pier\n* home\n\nEnd.", ["Intro.", "We went:", "to the long pier", "home", "End."]),
    ("Story.\n\n* * *\n\nMore.", ["Story.", "More."]),
    ("* Names have been changed.", ["Names have been changed."]),
])
def test_bullets_are_not_read_and_each_item_is_a_paragraph(text, expected):
    assert paragraphs(clean_text(text)) == expected
    assert clean_text(clean_text(text)) == clean_text(text)


def test_windows_line_endings():
    assert paragraphs(clean_text("One.\r\n\r\nTwo.")) == ["One.", "Two."]


def test_every_sentence_of_sample_survives():
    from digest.samples import sample_path

    cleaned = clean_text(sample_path("bike-lanes").read_text(encoding="utf-8"))
    for fragment in ["voted 7-2 on Tuesday night", "Nobody should have to be brave", "empty tills",
                     "published every month"]:
        assert fragment in cleaned
    for boilerplate in ["Advertisement", "Read more", "Share this article"]:
        assert boilerplate not in cleaned


def test_clean_is_idempotent_on_messy_text():
    messy = "<div>Hi&amp;amp;</div>\n\u201cQuote\u201d \u2014 dash\u2026\n\nRead\nmore\n\n  x  "
    once = clean_text(messy)
    assert clean_text(once) == once


@pytest.mark.parametrize("glued", ["<A\U0001F600>", "<b\u200b>", "x <i\U0001F4F0> y"])
def test_a_dropped_character_never_closes_up_a_tag_for_a_second_pass(glued):
    # Found by the fuzz test: the emoji went after the markup, leaving '<A>' for the next clean.
    once = clean_text(glued)
    assert clean_text(once) == once


def test_clean_line_is_one_line():
    assert clean_line("  A title\nwith a break  ") == "A title with a break"


def test_direction_overrides_never_reach_titles_or_speech():
    from digest.read.clean import clean_line

    hostile = "Invoice \u202eFDP.exe\u202c and \u2066isolated\u2069 \u202aembedded\u202c text"
    assert clean_line(hostile) == "Invoice FDP.exe and isolated embedded text"
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in clean.clean_text(hostile))
