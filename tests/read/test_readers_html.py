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


def _page(head: str, article: str, extra_body: str = "") -> str:
    nav = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
    return (f"<html><head>{head}</head><body>{nav}<main><article>{article}</article></main>{extra_body}"
            "<footer><p>Copyright 2026 Harbour Times. All rights reserved.</p></footer></body></html>")


_PARAGRAPHS = "".join(
    f"<p>{sentence}</p>" for sentence in (
        "The harbour reopened on Monday after three days of storms kept the ferries in port and the quay closed.",
        "Fishermen said the damage to the outer wall was worse than in any winter they could remember.",
        "The council will meet on Thursday to decide how the repairs, estimated at two million pounds, are paid for.",
    ))


@pytest.mark.parametrize("title, site", [
    ("Harbour reopens after the storm | Harbour Times", "Harbour Times"),
    ("Harbour reopens after the storm - Harbour Times", "Harbour Times"),
    ("Harbour Times \u2014 Harbour reopens after the storm", "Harbour Times"),
    ("Harbour reopens after the storm | harbourtimes.example", "Harbour Times"),
    ("Harbour reopens after the storm -", "Harbour Times"),
])
def test_the_site_name_is_not_part_of_the_headline(title, site):
    head = f"<title>{title}</title><meta property='og:site_name' content='{site}'>"
    article = parse_html(_page(head, _PARAGRAPHS), "page.html", url="https://harbourtimes.example/news/1")
    assert article.title == "Harbour reopens after the storm"
    assert article.source == site


def test_a_title_that_is_no_headline_gives_way_to_the_pages_own():
    head = "<title>escenic</title><meta property='og:title' content='Harbour reopens after the storm  '>"
    article = parse_html(_page(head, _PARAGRAPHS), "page.html")
    assert article.title == "Harbour reopens after the storm"


def test_the_standfirst_is_read_first_when_the_extractor_leaves_it_out():
    standfirst = "Three days of storms closed the quay, and the repair bill is still being counted by the council."
    head = f"<title>Harbour reopens</title><meta property='og:description' content='{standfirst}'>"
    page = _page(head, f"<h1>Harbour reopens</h1><div class='dek'><span>{standfirst}</span></div>{_PARAGRAPHS}")
    paragraphs = parse_html(page, "page.html").body.split("\n\n")
    assert paragraphs[0] == standfirst
    assert sum(standfirst in p for p in paragraphs) == 1


def test_a_description_the_page_does_not_show_is_not_read():
    hidden = "Read the latest harbour news, weather and sport from the Harbour Times, your local paper."
    head = f"<title>Harbour reopens</title><meta name='description' content='{hidden}'>"
    article = parse_html(_page(head, _PARAGRAPHS), "page.html")
    assert "latest harbour news" not in article.body


def test_the_structured_article_body_is_read_when_the_page_shows_a_teaser():
    import json

    full = "\n".join(f"Paragraph {n}: the council heard from fishermen, ferry crews and shop owners about the storm."
                     for n in range(1, 9))
    data = json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Harbour"},
        {"@type": "NewsArticle", "headline": "Harbour reopens", "articleBody": full}]})
    teaser = ("<p>The harbour reopened on Monday after three days of storms kept the ferries in port.</p>"
              "<p>Subscribers can read the whole story, with photographs.</p>")
    page = _page(f"<title>Harbour reopens</title><script type='application/ld+json'>{data}</script>", teaser)
    paragraphs = parse_html(page, "page.html").body.split("\n\n")
    assert paragraphs[0].startswith("Paragraph 1:") and paragraphs[-1].startswith("Paragraph 8:")


def test_broken_structured_data_is_ignored():
    page = _page("<title>Harbour reopens</title><script type='application/ld+json'>{\"@type\": [</script>",
                 _PARAGRAPHS)
    assert parse_html(page, "page.html").body.startswith("The harbour reopened on Monday")


def test_a_small_table_in_an_article_is_read_by_rows():
    table = ("<table><tr><th>boat</th><th>knots</th></tr><tr><td>Marit</td><td>12.5</td></tr>"
             "<tr><td>Osprey</td><td>9</td></tr></table>")
    article = parse_html(_page("<title>Sea trials</title>", _PARAGRAPHS + table), "page.html")
    assert "Marit: knots 12.5." in article.body and "Osprey: knots 9." in article.body
    assert "|" not in article.body


def test_a_hard_wrapped_paragraph_is_one_paragraph_and_headings_close_like_sentences():
    wrapped = ("<p>The harbour reopened on Monday\nafter three days of storms kept\nthe ferries in port "
               "and the quay closed to everyone.</p>")
    article = parse_html(_page("<title>Harbour reopens</title>", wrapped + "<h2>What comes next</h2>" + _PARAGRAPHS),
                         "page.html")
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0] == ("The harbour reopened on Monday after three days of storms kept the ferries in port "
                             "and the quay closed to everyone.")
    assert "What comes next." in paragraphs


def test_a_code_listing_is_left_out_with_a_word_to_the_listener():
    listing = "<pre><code>import harbour\n\nharbour.open(gate=3)\nharbour.log('open')\n</code></pre>"
    article = parse_html(_page("<title>Scripting the harbour gates</title>", _PARAGRAPHS + listing), "page.html")
    assert "import harbour" not in article.body and "harbour.open" not in article.body
    assert "A code listing is left out here." in article.body


def test_words_of_a_link_inside_a_sentence_are_kept():
    linked = ("<p>The stakes are high for every captain this winter. But they are highest for "
              "<a class='topic-link' href='/topic/marit'>the crew of the Marit</a>.</p>")
    article = parse_html(_page("<title>Harbour reopens</title>", _PARAGRAPHS + linked), "page.html")
    assert "But they are highest for the crew of the Marit." in article.body


def test_a_box_of_other_stories_inside_the_article_is_not_read():
    others = ("<div id='next-post-thumbnails'>"
              + "".join(f"<div class='nextstory'><h2><a href='/p{n}'>Other story number {n} about something else</a></h2>"
                        f"<p>A blurb for another story, number {n}, which is not this one at all.</p></div>"
                        for n in range(3))
              + "</div>")
    article = parse_html(_page("<title>Harbour reopens</title>", _PARAGRAPHS + others), "page.html")
    assert "another story" not in article.body and "Other story" not in article.body
    assert article.body.startswith("The harbour reopened on Monday")


def test_a_page_wrapped_in_an_element_named_like_a_box_is_still_read():
    page = _page("<title>Harbour reopens</title>", _PARAGRAPHS).replace("<main>", "<main><div id='theme-taboola'>")
    page = page.replace("</main>", "</div></main>")
    assert parse_html(page, "page.html").body.startswith("The harbour reopened on Monday")


def test_a_link_that_only_says_here_says_online():
    linked = ("<p>The full tide table for every harbour on the coast can be downloaded "
              "<a href='/tides.pdf'>here</a> before you sail.</p>")
    article = parse_html(_page("<title>Harbour reopens</title>", _PARAGRAPHS + linked), "page.html")
    assert "can be downloaded online before you sail." in article.body


def test_click_here_and_see_here_are_left_to_the_speakable_rules():
    from digest.read.prune import pruned_page

    page, _ = pruned_page("<html><body><p>For the gates, <a href='/h'>click here</a>, click <a href='/g'>here</a> "
                       "or see <a href='/f'>HERE</a>; <b>tap</b> <a href='/t'>here</a>.</p></body></html>")
    assert "online" not in page and page.count(">here<") == 2 and ">HERE<" in page


def test_photo_captions_and_gallery_controls_beside_the_story_are_not_read():
    figure = ("<div class='artSplitter mol-img-group'><img src='/quay.jpg'>"
              "<p class='imageCaption'>Fishing boats tied up three deep at the quay while the storm passed</p></div>")
    gallery = ("<div class='gallery-btn'><span>Show all 24</span></div>"
               "<figure><img src='/wall.jpg'><figcaption>The outer wall after the second night</figcaption></figure>")
    article = parse_html(_page("<title>Harbour reopens</title>", _PARAGRAPHS[:200] + figure + gallery + _PARAGRAPHS),
                         "page.html")
    assert "tied up three deep" not in article.body and "Show all" not in article.body
    assert "second night" not in article.body
    assert "The council will meet on Thursday" in article.body


def test_subheadings_the_precise_pass_dropped_are_put_back_between_their_paragraphs():
    from digest.read.html import _with_subheadings

    one, two, three = ("The harbour reopened on Monday.", "Fishermen counted the damage.", "The council meets Thursday.")
    fuller = [one, "What the fishermen found", two, "Related stories", "- Ferry fares rise", three]
    heads = {"What the fishermen found", "Related stories"}
    # The box's heading is followed by its links, not by the next paragraph: it stays out.
    assert _with_subheadings([one, two, three], fuller, heads) == [one, "What the fishermen found", two, three]
    assert _with_subheadings([one, three], fuller, heads) == [one, three]


def test_a_heading_in_quotation_marks_still_ends_like_a_sentence():
    from digest.read.html import _as_sentence

    assert _as_sentence("'It's a boy'") == "'It's a boy'."
    assert _as_sentence('"We will rebuild," she said.') == '"We will rebuild," she said.'
    assert _as_sentence("Was it worth it?'") == "Was it worth it?'"


def test_pruning_takes_boxes_and_captions_not_words_marked_as_links_inside_a_sentence():
    from digest.read.prune import pruned_page

    sentence = ("<p>The harbour master said that <span class='RelatedTopic'>the outer wall</span> would hold.</p>"
                "<p class='imageCaption'>The wall at dawn</p><div class='RelatedStories'><a href='/x'>Other</a></div>")
    pruned, tree = pruned_page(_page("<title>Harbour reopens</title>", _PARAGRAPHS + sentence))
    assert "the outer wall" in pruned and tree is not None
    assert "The wall at dawn" not in pruned and "Other" not in pruned


def test_a_title_that_is_only_the_site_name_gives_way_to_the_articles_first_heading():
    article = parse_html(_page("<title>Harbour Times -</title>", "<h2>Winter ferry timetable</h2>" + _PARAGRAPHS),
                         "page.html")
    assert article.title == "Winter ferry timetable"
    assert article.body.startswith("The harbour reopened on Monday")
    named = parse_html(_page("<title>Winter ferry timetable - Harbour Times</title>",
                             "<h2>What changes in December</h2>" + _PARAGRAPHS), "page.html")
    assert named.title == "Winter ferry timetable"


def test_a_story_split_into_chunks_around_an_advert_is_read_to_its_end():
    chunk = "<div class='body article__body'>{}</div>"
    first = "".join(f"<p>Part one, paragraph {n}: the ferry crews waited for the wind to drop all week.</p>"
                    for n in range(4))
    second = "".join(f"<p>Part two, paragraph {n}: the council voted to pay for the new sea wall.</p>"
                     for n in range(3))
    advert = "<div class='full-bleed'><div class='ad'><span class='ad-label'>Advertisement</span></div></div>"
    body = f"<div class='grid'>{chunk.format(first)}</div>{advert}<div class='grid'>{chunk.format(second)}</div>"
    article = parse_html(_page("<title>Harbour reopens</title>", body), "page.html")
    assert "Part two, paragraph 2" in article.body and "Part one, paragraph 0" in article.body
    assert "Advertisement" not in article.body


def test_chunks_with_a_heading_between_them_stay_apart():
    import lxml.html

    from digest.read.prune import _joined_chunks

    posts = "".join(f"<h2>Post {n}</h2><div class='entry'><p>First of post {n}.</p><p>Second of post {n}.</p></div>"
                    for n in range(2))
    tree = lxml.html.document_fromstring(f"<html><body>{posts}</body></html>")
    assert not _joined_chunks(tree)
    assert [len(entry) for entry in tree.xpath("//div[@class='entry']")] == [2, 2]


def test_the_open_panel_of_an_accordion_is_read_like_the_closed_ones():
    panels = "".join(
        f"<div class='head{' expanded' if n == 0 else ''}'><h3>Operator {n}</h3></div>"
        f"<div class='panel{' expanded-content' if n == 0 else ''}'><p>Are bicycles allowed on operator {n}'s "
        f"replacement coaches? Only folding bicycles, carried in the luggage hold.</p></div>" for n in range(3))
    article = parse_html(_page("<title>Replacement coaches</title>", _PARAGRAPHS + panels), "page.html")
    for n in range(3):
        assert f"operator {n}'s replacement coaches" in article.body


def test_a_heading_marked_for_screen_readers_names_the_list_of_other_stories_under_it():
    links = ("<hr><div role='heading' aria-level='3'>More Great Harbour Stories</div><ul>"
             "<li>Ferry fares rise <a href='/a'>again</a></li><li>Where the gulls went. Plus, the tides?</li>"
             "<li>A new <a href='/b'>lighthouse keeper</a></li></ul>")
    article = parse_html(_page("<title>Harbour reopens</title>", _PARAGRAPHS + links), "page.html")
    assert article.body.rstrip(".").endswith("how the repairs, estimated at two million pounds, are paid for")


@pytest.mark.parametrize("head, line, day", [
    ("", "<p class='date'>Written: 2023-11-07 15:03:30 / Updated: 2023-11-07 15:30:46</p>", "2023-11-07"),
    ("<meta property='article:published_time' content='2023-11-07T06:03:30Z'>", "", "2023-11-07"),
])
def test_the_publication_date_the_page_states_wins_over_dates_found_in_its_sidebar(head, line, day):
    sidebar = "".join(f"<aside><h2><a href='/o{n}'>Other story {n}</a></h2><p class='date'>2023-11-03</p></aside>"
                      for n in range(3))
    page = _page(f"<title>Cold wave</title>{head}", f"<h1>Cold wave</h1>{line}{_PARAGRAPHS}", sidebar)
    assert parse_html(page, "page.html").date.isoformat() == day


def test_a_run_in_heading_broken_off_with_a_line_break_ends_its_sentence():
    page = _page("<title>Harbour reopens</title>", _PARAGRAPHS + (
        "<p><strong>What the divers found</strong><br/>Below the waterline the wall had lost whole blocks.</p>"
        "<p><strong>Is it safe?</strong><br>Engineers say the quay can reopen to foot traffic now.</p>"
        "<p>The wall was built in 1890 and<br>repaired twice since then by the harbour board.</p>"))
    body = parse_html(page, "page.html").body
    assert "What the divers found. Below the waterline" in body
    assert "Is it safe? Engineers say" in body
    assert "built in 1890 and repaired twice" in body


def test_a_list_number_glued_to_the_first_word_is_spaced():
    items = "".join(f"<p><strong>{n}.{name}</strong></p><p>{name} has run the harbour office for {n} years.</p>"
                    for n, name in ((3, "Charlotte Reyes"), (4, "Ines Moreau")))
    body = parse_html(_page("<title>Harbour people</title>", _PARAGRAPHS + items), "page.html").body
    assert "3. Charlotte Reyes" in body and "4. Ines Moreau" in body and "3.Charlotte" not in body


def test_text_a_page_leaves_between_two_boxes_is_read():
    loose = ("<div class='post-body'>The harbour reopened on Monday after three days of storms kept the ferries in "
             "port.<br><div><br></div>Repairs to the outer wall will follow in the spring, the council said on "
             "Tuesday.<br><div><br></div><div>Fishermen said the damage was the worst they could remember.</div></div>")
    body = parse_html(_page("<title>Harbour reopens</title>", loose), "page.html").body
    assert "Repairs to the outer wall will follow in the spring" in body


def test_the_line_a_paragraph_points_at_is_read_after_it():
    post = ("<p>The cartoonist drew the whole history of the harbour in one long strip, from the first quay to the "
            "storm of last week. Click through for the whole thing.</p>"
            "<p><br><a href='https://elsewhere.example/strip'>The harbour in forty panels</a></p>"
            "<p>(<i>via <a href='https://friend.example/'>A Friend</a></i>)</p>")
    body = parse_html(_page("<title>The harbour in a strip</title>", post), "page.html").body
    assert "Click through for the whole thing.\n\nThe harbour in forty panels" in body


def test_the_pages_longer_headline_set_above_the_story_is_not_read_after_its_shorter_one():
    long_head = "<h2>Storms, floods and a broken wall: what we learned from the harbour master's report</h2>"
    article = parse_html(_page("<title>What we learned from the harbour master's report</title>",
                               long_head + _PARAGRAPHS), "page.html")
    assert article.title == "What we learned from the harbour master's report"
    assert "broken wall" not in article.body and article.body.startswith("The harbour reopened on Monday")
    standfirst = "<h2>Our reporter sails to the harbour master's office to hear what the storm report says.</h2>"
    told = parse_html(_page("<title>The harbour master's storm report</title>", standfirst + _PARAGRAPHS), "page.html")
    assert told.body.startswith("Our reporter sails to the harbour master's office")


def test_numbered_headings_that_no_longer_run_in_order_lose_their_numbers():
    from digest.read.html import _numbers_in_order

    gap = ["1. Harbour reopens", "Text one.", "2. Ferry fares", "Text two.", "4. One more thing", "Text four."]
    assert _numbers_in_order(gap) == ["Harbour reopens", "Text one.", "Ferry fares", "Text two.", "One more thing",
                                      "Text four."]
    countdown = ["3. Gulls", "Text.", "2. Terns", "Text.", "1. Puffins", "Text."]
    assert _numbers_in_order(countdown) == countdown
