import pytest

from digest.errors import InputError
from digest.read.html import parse_html
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def messy():
    return parse_html((FIXTURES / "messy.html").read_text(encoding="utf-8"), "messy.html")


def test_metadata_of_the_page(messy):
    assert messy.title == "Night ferry returns to Gull Point"
    assert messy.author == "Marta Lindqvist"
    assert messy.date.isoformat() == "2025-06-14"
    assert messy.source == "The Gull Point Gazette"
    assert messy.url == "https://gazette.example/news/night-ferry-returns"


def test_only_the_article_is_kept(messy):
    paragraphs = messy.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The late ferry between Gull Point and the mainland")
    assert paragraphs[-1].endswith("every evening of the week.")


@pytest.mark.parametrize("noise", [
    "Subscribe today", "Search the Gazette",  # navigation
    "Holiday cottages", "Crumbly Oat Biscuits",  # adverts
    "Lighthouse keeper retires",  # related links
    "seagull_fan", "Who paid for the new engines",  # comments
    "Share on Facebook", "Cookie settings", "All rights reserved", "window.trackers", ".ad {",
])
def test_navigation_ads_comments_and_scripts_are_dropped(messy, noise):
    assert noise not in messy.body


def test_title_is_not_repeated_in_the_body(messy):
    assert "Night ferry returns" not in messy.body


def test_site_name_falls_back_to_the_host():
    page = ("<html><head><title>Kite festival</title></head><body><article><h1>Kite festival</h1>"
            "<p>" + "Hundreds of kites filled the sky above the dunes on Saturday afternoon. " * 3 + "</p>"
            "</article></body></html>")
    article = parse_html(page, "kites", url="https://www.kites.example/festival")
    assert article.source == "kites.example" and article.url == "https://www.kites.example/festival"


@pytest.mark.parametrize("page", [
    "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
    "<html><head><title>Nothing</title></head><body></body></html>",
    "<html><body><script>var a = 1;</script></body></html>",
])
def test_page_without_an_article_is_an_input_error(page):
    with pytest.raises(InputError, match="^page.html: has no article text"):
        parse_html(page, "page.html")
