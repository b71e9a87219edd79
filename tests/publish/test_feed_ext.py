"""The feedgen extension for Podcasting 2.0 tags and Apple's true/false explicit."""

from feedgen.feed import FeedGenerator
from lxml import etree

from digest.publish.feed_ext import ITUNES_NS, PODCAST_NS, register


def test_extension_writes_channel_and_item_tags():
    generator = FeedGenerator()
    register(generator)
    generator.title("T")
    generator.link(href="http://127.0.0.1:8000/")
    generator.description("D")
    generator.podcastindex.guid("9b024349-ccf0-5f69-a609-6b82873eab3c")
    generator.podcastindex.locked(False)
    generator.podcastindex.explicit(True)
    entry = generator.add_entry()
    entry.title("E")
    entry.podcastindex.transcript("http://127.0.0.1:8000/e.vtt", "text/vtt", "en", "captions")
    entry.podcastindex.chapters("http://127.0.0.1:8000/e.chapters.json", "application/json+chapters")
    root = etree.fromstring(generator.rss_str())
    assert root.nsmap["podcast"] == PODCAST_NS
    channel = root.find("channel")
    assert channel.findtext(f"{{{PODCAST_NS}}}guid") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    locked = channel.find(f"{{{PODCAST_NS}}}locked")
    assert locked.text == "no" and "owner" not in locked.attrib
    assert channel.findtext(f"{{{ITUNES_NS}}}explicit") == "true"
    item = channel.find("item")
    assert dict(item.find(f"{{{PODCAST_NS}}}transcript").attrib) == {
        "url": "http://127.0.0.1:8000/e.vtt", "type": "text/vtt", "language": "en", "rel": "captions"}
    assert item.find(f"{{{PODCAST_NS}}}chapters").get("type") == "application/json+chapters"


def test_unset_tags_are_left_out():
    generator = FeedGenerator()
    register(generator)
    generator.title("T")
    generator.link(href="http://127.0.0.1:8000/")
    generator.description("D")
    channel = etree.fromstring(generator.rss_str()).find("channel")
    assert channel.find(f"{{{PODCAST_NS}}}guid") is None and channel.find(f"{{{ITUNES_NS}}}explicit") is None
