"""A newsletter page's items are all read; a single story with look-alike boxes stays one story."""

import lxml.html

from digest.read.html import parse_html
from digest.read.items import newsletter_items

_STORIES = [
    ("1 big thing: the harbour reopens",
     ["The harbour reopened on Monday after three days of storms kept the ferries in port and the quay closed "
      "to everyone but the lifeboat crew, who had been out twice in the worst of the weather.",
      "Fishermen said the damage to the outer wall was worse than in any winter they could remember, and the "
      "council has promised to say by Thursday how the repairs will be paid for."]),
    ("2. Ferry fares rise in spring",
     ["Ferry fares to the islands will rise by a tenth in April, the operator said on Tuesday, blaming the "
      "price of fuel and the cost of repairing two boats damaged at their moorings in the storm.",
      "Island councillors said the rise would fall hardest on people who cross every day for work or school, "
      "and asked the operator to keep the old price for season tickets until the summer."]),
    ("3. A new lifeboat for the north shore",
     ["The north shore station will get a new lifeboat next year, the charity that runs it announced, after "
      "a local appeal raised more than half of the cost in under six months of fairs, raffles and walks.",
      "The crew said the old boat, launched forty years ago, had served them well but could no longer reach "
      "the outer banks in the kind of weather that brought most of last winter's calls."]),
]


def _item(title: str, paragraphs: list[str]) -> str:
    text = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (f"<div class='item-box'><div class='item-head'>{title}</div><figure><img src='/a.jpg'>"
            f"<figcaption><p>Photo: a picture of the harbour</p></figcaption></figure>"
            f"<div class='story-text body'>{text}</div></div>")


def _page(body: str) -> str:
    return (f"<html><head><title>Harbour Briefing</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<div class='stream'>{body}</div><footer><p>Copyright 2026 Harbour Times.</p></footer></body></html>")


def _tree(page: str):
    return lxml.html.document_fromstring(page)


def test_every_item_of_a_newsletter_is_read_under_its_title():
    first = _STORIES[0][1]
    items = newsletter_items(_tree(_page("".join(_item(*story) for story in _STORIES))), first)
    blocks = [" ".join(element.text_content().split()) for element in lxml.html.fromstring(items).iter("h2", "p")]
    assert blocks == [line for title, texts in _STORIES for line in (title, *texts)]  # no caption, no footer
    article = parse_html(items.replace("<html>", "<html><head><title>Harbour Briefing</title></head>"), "items.html")
    assert all(f"{title}." in article.body.split("\n\n") for title, _ in _STORIES)


def test_a_single_story_beside_boxes_of_links_of_the_same_kind_is_not_merged_with_them():
    links = ("<div class='story-text body'><ul>" + "".join(f"<li><a href='/s{n}'>Another headline number {n} "
                                                           f"about the coast</a></li>" for n in range(8))
             + "</ul></div>")
    page = _page(_item(*_STORIES[0]) + links)
    assert newsletter_items(_tree(page), _STORIES[0][1]) is None


def test_a_next_article_with_its_own_headline_is_not_read_as_an_item():
    next_article = "<div class='story-text body'><h1>Another story</h1>" + "".join(
        f"<p>{text}</p>" for text in _STORIES[1][1]) + "</div>"
    assert newsletter_items(_tree(_page(_item(*_STORIES[0]) + next_article)), _STORIES[0][1]) is None


def test_a_page_with_one_story_is_left_alone():
    assert newsletter_items(_tree(_page(_item(*_STORIES[0]))), _STORIES[0][1]) is None
