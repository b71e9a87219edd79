"""RSS and Atom inputs: from files and from a local server, with teaser items fetched."""

import datetime as dt

import pytest

from digest.errors import InputError
from digest.read import ReadSettings, read_entries, read_input
from digest.read.base import Known, Skipped
from tests.conftest import FIXTURES

LOCAL = ReadSettings(allow_private=True, timeout=5)
PAGE = ("<html><head><title>{title}</title><meta property='og:site_name' content='Quay Daily'></head><body>"
        "<nav>Home | Sport | Weather</nav><article><h1>{title}</h1><p>{text}</p>"
        "<p>More detail follows in the second paragraph of the full story, which the feed left out.</p>"
        "</article><div class='comments'><p>First!</p></div></body></html>")


def teaser_feed(base: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS feed whose items carry only a one-line description and a link."""
    body = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><pubDate>{date}</pubDate>"
        f"<description>{title}: a short teaser...</description></item>"
        for title, path, date in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Daily</title>{body}</channel></rss>'


def test_rss_file_with_full_content():
    articles = read_input(str(FIXTURES / "feed.rss"))
    assert [a.title for a in articles] == ["Pier lights switched back on", "Beach huts for rent again",
                                           "Old news from the spring"]
    first = articles[0]
    assert first.source == "Gull Point Evening Post" and first.author == "Rosa Quint"
    assert first.url == "https://post.example/pier-lights" and first.date == dt.date(2025, 6, 16)
    assert first.body.split("\n\n")[1].startswith("Children from the primary school")


def test_atom_file():
    [article] = read_input(str(FIXTURES / "feed.atom"))
    assert (article.title, article.author, article.source) == (
        "Sand dunes fenced for nesting terns", "Hal Moreno", "Dune Radio Notes")
    assert article.body == ("Rangers fenced off part of the dunes this week so that little terns can nest "
                            "undisturbed until August.\n\nWalkers are asked to keep dogs on a lead.")


def test_since_leaves_out_older_items():
    articles = read_input(str(FIXTURES / "feed.rss"), ReadSettings(since=dt.date(2025, 6, 1)))
    assert [a.title for a in articles] == ["Pier lights switched back on", "Beach huts for rent again"]


def test_limit_takes_the_newest_items_in_feed_order(tmp_path):
    items = "".join(
        f"<item><title>Story {day}</title><pubDate>{day:02d} Jun 2025 08:00:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p>Full text of story {day}.</p>]]></content:encoded></item>"
        for day in (3, 9, 1, 7, 5)
    )
    feed = tmp_path / "mixed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
                    f'content/"><channel><title>Order</title>{items}</channel></rss>', encoding="utf-8")
    assert [a.title for a in read_input(str(feed), ReadSettings(limit=3))] == ["Story 9", "Story 7", "Story 5"]


def test_limit_orders_one_days_items_by_their_hour(tmp_path):
    # Listed oldest first, all on one day: the newest are the last ones, by the hour.
    items = "".join(
        f"<item><title>Story {hour}</title><pubDate>Tue, 01 Dec 2026 {hour:02d}:00:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p>Full text of story {hour}.</p>]]></content:encoded></item>"
        for hour in range(1, 13)
    )
    feed = tmp_path / "hourly.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
                    f'content/"><channel><title>Hourly</title>{items}</channel></rss>', encoding="utf-8")
    assert [a.title for a in read_input(str(feed), ReadSettings(limit=3))] == ["Story 10", "Story 11", "Story 12"]


def test_items_read_before_are_counted_as_known_and_their_pages_never_fetched(web):
    feed = teaser_feed(web.base, [("Dune walk", "/dune", "Mon, 02 Jun 2025 08:00:00 +0000"),
                                  ("Pier lights", "/pier", "Sun, 01 Jun 2025 08:00:00 +0000")])
    web.page("/feed.xml", feed, "application/rss+xml")
    web.page("/pier", PAGE.format(title="Pier lights", text="The pier lights are on again after the storm."))
    settings = ReadSettings(allow_private=True, timeout=5, seen=lambda guid, link: link == web.url("/dune"))
    entries = read_entries(web.url("/feed.xml"), settings)
    assert [type(e).__name__ for e in entries] == ["Article", "Known"]
    assert entries[1] == Known(None, web.url("/dune")) and "/dune" not in web.hits


def test_nothing_since_the_date_is_an_error_for_the_input_alone():
    with pytest.raises(InputError, match="has no article that could be read"):
        read_input(str(FIXTURES / "feed.rss"), ReadSettings(since=dt.date(2030, 1, 1)))


def test_feed_by_url_fetches_the_pages_of_teaser_items(web):
    items = [("Ferry fares frozen", "/ferry", "Tue, 17 Jun 2025 09:00:00 +0000"),
             ("Quay market extended", "/market", "Mon, 16 Jun 2025 09:00:00 +0000")]
    web.page("/feed.xml", teaser_feed(web.base, items), "application/rss+xml")
    web.page("/ferry", PAGE.format(title="Ferry fares frozen", text="Fares on every crossing stay the same until "
                                   "next spring, the harbour trust said on Tuesday."))
    web.page("/market", PAGE.format(title="Quay market extended", text="The Saturday market on the quay will run "
                                    "until the end of October this year, traders were told."))
    articles = read_input(web.url("/feed.xml"), LOCAL)
    assert [a.title for a in articles] == ["Ferry fares frozen", "Quay market extended"]
    ferry = articles[0]
    assert ferry.body.startswith("Fares on every crossing stay the same")
    assert "a short teaser" not in ferry.body and "Home | Sport" not in ferry.body and "First!" not in ferry.body
    assert ferry.url == web.url("/ferry") and ferry.source == "Quay Daily"
    assert ferry.date == dt.date(2025, 6, 17)
    assert sorted(web.hits) == ["/feed.xml", "/ferry", "/market"]


def test_teaser_is_read_when_its_page_is_gone(web, caplog):
    items = [("Gone story", "/gone", "Tue, 17 Jun 2025 09:00:00 +0000")]
    web.page("/feed.xml", teaser_feed(web.base, items), "application/rss+xml")
    [article] = read_input(web.url("/feed.xml"), LOCAL)
    assert article.body == "Gone story: a short teaser..."
    assert any("summary only" in r.message and "not found (HTTP 404)" in r.message for r in caplog.records)


def test_item_with_no_text_and_no_page_is_skipped(web):
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            f'<item><title>Empty</title><link>{web.base}/gone</link></item>'
            '<item><title>Full</title><description>' + "Words of a full item. " * 40 + '</description></item>'
            '</channel></rss>')
    web.page("/feed.xml", feed, "application/rss+xml")
    entries = read_entries(web.url("/feed.xml"), LOCAL)
    assert isinstance(entries[0], Skipped) and "item 'Empty': has no text and its page could not be read" in entries[0].message
    assert entries[1].title == "Full"


def test_feed_item_pages_on_private_addresses_need_the_flag(web, tmp_path):
    items = [("Ferry fares frozen", "/ferry", "Tue, 17 Jun 2025 09:00:00 +0000")]
    web.page("/ferry", PAGE.format(title="Ferry fares frozen", text="Fares stay the same. " * 5))
    feed_file = tmp_path / "local.rss"
    feed_file.write_text(teaser_feed(web.base, items), encoding="utf-8")
    [article] = read_input(str(feed_file))  # the page is refused, so the teaser is read
    assert article.body == "Ferry fares frozen: a short teaser..."
    assert web.hits == []
    [article] = read_input(str(feed_file), LOCAL)
    assert article.body.startswith("Fares stay the same.")


@pytest.mark.parametrize("content, message", [
    ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>', "is a feed with no items"),
    ('<?xml version="1.0"?><rss version="2.0"><channel><<title>Broken', "not a readable RSS or Atom feed"),
])
def test_bad_feeds(tmp_path, content, message):
    path = tmp_path / "feed.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_input(str(path))
