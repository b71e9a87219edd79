import datetime as dt
import os
from pathlib import Path

import pytest

from digest.models import Article
from digest.read import read_input
from digest.script.compose import build_script, display_title, format_script

GOLDEN = Path(__file__).parent / "golden"
EPISODE_DATE = dt.date(2026, 11, 25)


GOLDEN_INPUTS = sorted(p for p in GOLDEN.glob("*.txt") if not p.name.endswith(".script.txt"))


def test_golden_inputs_exist():
    assert len(GOLDEN_INPUTS) >= 3


@pytest.mark.parametrize("source", GOLDEN_INPUTS, ids=lambda p: p.stem)
def test_golden_scripts(source):
    """tests/golden/X.txt -> X.script.txt; DIGEST_UPDATE_GOLDEN=1 rewrites the expected files."""
    expected_path = source.with_name(source.stem + ".script.txt")
    script = build_script(read_input(str(source)), programme="Digest", date=EPISODE_DATE)
    actual = format_script(script)
    if os.environ.get("DIGEST_UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_script_order_intro_title_paragraphs_outro():
    article = Article(title="Harbour reopens", body="First paragraph.\n\nSecond paragraph.", date=dt.date(2024, 3, 2))
    kinds = [s.kind for s in build_script([article], date=EPISODE_DATE).segments]
    assert kinds == ["intro", "title", "paragraph", "paragraph", "outro"]


def test_intro_names_programme_date_and_headline():
    article = Article(title="Harbour reopens", body="Boats sail again.")
    intro = build_script([article], programme="Morning Brief", date=EPISODE_DATE).segments[0].text
    assert intro == ("Welcome to Morning Brief, for Wednesday, November twenty-fifth, twenty twenty-six. "
                     "Today's story: Harbour reopens.")


def test_raw_date_line_is_never_spoken():
    [article] = read_input(str(GOLDEN / "storm.txt"))
    text = build_script([article], date=EPISODE_DATE).text()
    assert "2025-01-10" not in text and "date" not in text.lower().split()
    assert "January tenth, twenty twenty-five" in text


def test_multi_story_intro_lists_headlines_in_order_and_transitions():
    articles = [Article(title=t, body=f"{t} body.") for t in ("One", "Two", "Three")]
    script = build_script(articles, date=EPISODE_DATE)
    assert "Today, three stories: One; Two; and Three." in script.segments[0].text
    assert [s.text for s in script.segments if s.kind == "transition"] == ["Next story.", "And finally."]
    assert script.chapters() == ["Introduction", "One", "Two", "Three", "Closing"]


def test_german_wording_and_date():
    article = Article(title="Hafen wieder offen", body="Die Fähren fahren wieder.")
    intro = build_script([article], date=EPISODE_DATE, lang="de").segments[0].text
    assert intro.startswith("Willkommen bei Digest, am Mittwoch, 25. November 2026.")


def test_unknown_language_falls_back_to_english_wording():
    article = Article(title="Nyheter", body="Fergene går igjen.")
    assert build_script([article], date=EPISODE_DATE, lang="no").segments[0].text.startswith("Welcome to Digest")


def test_display_title_of_untitled_article_uses_first_words():
    article = Article(title="", body="The library will stay open until nine in the evening from next week.")
    assert display_title(article) == "The library will stay open until nine in the evening..."


def test_every_translation_has_all_the_english_wording():
    from digest.script.wording import WORDING

    for lang, words in WORDING.items():
        assert set(words) == set(WORDING["en"]), lang
        assert all(text.strip() for text in words.values()), lang


def test_french_and_spanish_wording_and_dates():
    article = Article(title="Le port rouvre", body="Les ferries naviguent.")
    script = build_script([article], date=EPISODE_DATE, lang="fr")
    assert script.segments[0].text.startswith("Bienvenue dans Digest, ce mercredi 25 novembre 2026.")
    assert script.segments[-1].text.startswith("C'est tout pour cette \u00e9dition de Digest.")
    spanish = build_script([article, article], date=EPISODE_DATE, lang="es")
    assert "Hoy, 2 noticias" in spanish.segments[0].text
    assert [s.text for s in spanish.segments if s.kind == "transition"] == ["Siguiente noticia."]


def test_a_lone_story_headline_is_said_once():
    article = Article(title="Harbour reopens after the storm", body="Boats sail again.", source="Coastal Wire")
    script = build_script([article], date=EPISODE_DATE)
    spoken = script.text()
    assert spoken.count("Harbour reopens after the storm") == 1
    assert [s.text for s in script.segments if s.kind == "title"] == ["From Coastal Wire."]


def test_in_a_digest_each_story_still_opens_with_its_headline():
    articles = [Article(title="Harbour reopens", body="Boats sail again."),
                Article(title="Library extends hours", body="Open till nine.")]
    titles = [s.text for s in build_script(articles, date=EPISODE_DATE).segments if s.kind == "title"]
    assert titles == ["Harbour reopens.", "Library extends hours."]


def test_a_headline_in_capitals_keeps_the_names_its_story_writes_with_capitals():
    article = Article(title="MACRON VISITS PARIS ZOO", body="On Monday, President Macron toured the zoo in Paris.")
    intro = build_script([article], date=EPISODE_DATE).segments[0]
    assert intro.text.endswith("Today's story: Macron visits Paris zoo.")


@pytest.mark.parametrize("source, spoken", [
    ("Vancouver Sun", "the Vancouver Sun"),
    ("New York Times", "the New York Times"),
    ("The Guardian", "The Guardian"),
    ("Atlantic", "the Atlantic"),
    ("BBC News", "BBC News"),
    ("Wired", "Wired"),
    ("harbourtimes.example", "harbourtimes.example"),
])
def test_a_newspaper_is_named_with_the(source, spoken):
    from digest.script.compose import spoken_source

    assert spoken_source(source, "en") == spoken
    assert spoken_source(source, "de") == source


@pytest.mark.parametrize("source, en, de", [
    ("harbourtimes.com", "harbourtimes dot com", "harbourtimes Punkt com"),
    ("www.Quaynews.org", "Quaynews dot org", "Quaynews Punkt org"),
    ("Lighthouse Foundation, Inc.", "Lighthouse Foundation", "Lighthouse Foundation"),
    ("Quay Media LLC", "Quay Media", "Quay Media"),
    ("Inc.", "Inc", "Inc"),
])
def test_a_source_is_named_as_it_is_said(source, en, de):
    from digest.script.compose import spoken_source

    assert spoken_source(source, "en") == en
    assert spoken_source(source, "de") == de


def test_a_paragraph_that_only_pointed_at_a_link_is_not_a_segment():
    article = Article(title="Tides", body="The tide is high.\n\nClick here for the tide table.\n\nBoats wait.",
                      source="tidesnews.org")
    script = build_script([article], date=EPISODE_DATE)
    paragraphs = [segment.text for segment in script.segments if segment.kind == "paragraph"]
    assert paragraphs == ["The tide is high.", "Boats wait."]
    assert "From tidesnews dot org." in format_script(script)


SUMMARIZED = [
    # (stories, summarized, fitted to minutes, lang, the intro's last sentence)
    (3, 3, 10, "en", "Each story is summarized to fit ten minutes."),
    (3, 3, None, "en", "Each story is summarized."),
    (3, 2, 7.5, "en", "Two of the stories are summarized to fit seven point five minutes."),
    (3, 1, 1, "en", "One of the stories is summarized to fit one minute."),
    (1, 1, 5, "en", "The story is summarized to fit five minutes."),
    (1, 1, None, "en", "The story is summarized."),
    (2, 2, 0.5, "en", "Each story is summarized to fit thirty seconds."),  # not "zero point five minutes"
    (2, 2, 0.25, "es", "Cada noticia se resume para caber en 15 segundos."),
    (3, 3, 10, "de", "Jeder Beitrag wird zusammengefasst, damit die Folge in 10 Minuten passt."),
    (2, 2, 1, "fr", "Chaque article est résumé pour tenir en une minute."),
    (2, 1, None, "es", "Una de las noticias se resume."),
]


@pytest.mark.parametrize("stories, summarized, minutes, lang, sentence", SUMMARIZED, ids=[s[-1] for s in SUMMARIZED])
def test_the_intro_says_how_stories_were_shortened_after_the_rundown(stories, summarized, minutes, lang, sentence):
    articles = [Article(title=t, body=f"{t} body.") for t in ("One", "Two", "Three")[:stories]]
    intro = build_script(articles, date=EPISODE_DATE, lang=lang, summarized=summarized, fitted_to=minutes).segments[0]
    assert intro.text.endswith(sentence)
    if stories > 1:
        assert intro.text.index("One; ") < intro.text.index(sentence)


def test_a_summarized_episode_says_what_was_left_out_after_how_it_was_shortened():
    articles = [Article(title=t, body=f"{t} body.") for t in ("One", "Two")]
    intro = build_script(articles, date=EPISODE_DATE, summarized=2, fitted_to=10, left_out=3).segments[0].text
    assert intro.endswith("Today, two stories: One; and Two. Each story is summarized to fit ten minutes. "
                          "Three of the stories did not fit into this episode and were left out.")
