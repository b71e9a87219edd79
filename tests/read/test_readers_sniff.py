import pytest

from digest.read.sniff import detect_kind, is_url

CASES = {
    "rss": ('<?xml version="1.0"?>\n<rss version="2.0"><channel>', "", "", "feed"),
    "atom": ('<feed xmlns="http://www.w3.org/2005/Atom">', "", "", "feed"),
    "doctype": ("<!DOCTYPE html><html><body><p>Hi</p>", "", "", "html"),
    "html fragment": ("<div><p>Some text</p></div>", "", "", "html"),
    "html named txt": ("<html><body>x</body></html>", ".txt", "", "html"),
    "json object": ('{"title": "A", "text": "B"}', "", "", "json"),
    "json array": ('[{"title": "A"}]', "", "", "json"),
    "jsonl": ('{"a": 1}\n{"a": 2}\n', ".txt", "", "json"),
    "front matter": ("---\ntitle: A\n---\n\nText.", "", "", "markdown"),
    "fenced code": ("Intro.\n\n```\ncode\n```\n", "", "", "markdown"),
    "md link": ("See [the report](https://x.example/r).", "", "", "markdown"),
    "heading and list": ("# Title\n\n- one\n- two\n", "", "", "markdown"),
    "md suffix": ("Plain words only.", ".md", "", "markdown"),
    "scraped news": ("date 2024-03-02 City council approves [draft] plan\n\nBody.", "", "", "text"),
    "bracket prose": ("[Updated] The council met.\n\nIt voted.", "", "", "text"),
    "heading only": ("# Harbour news\n\nBoats came in.", "", "", "text"),
    "plain": ("Title\n\nSome body text.", ".txt", "", "text"),
    "content type html": ("Some words", "", "text/html", "html"),
    "content type json": ("[1]", "", "application/json", "json"),
    "content type rss": ("<x/>", "", "application/rss+xml", "feed"),
    "other xml": ('<?xml version="1.0"?>\n<config><a>1</a></config>', ".xml", "", "xml"),
    "prefixed atom": ('<?xml version="1.0"?>\n<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">', "", "", "feed"),
    "rss root past the sniffed head": ('<?xml version="1.0"?>\n<!--' + "x" * 5000 + '-->\n<rss>', ".rss", "", "feed"),
    "rss by content type": ('<?xml version="1.0"?>\n<!--' + "x" * 5000 + '-->\n<rss>', "", "application/rss+xml",
                            "feed"),
    "svg": ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "", "", "xml"),
    "xhtml": ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p>', "", "", "html"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_detect_kind(case):
    text, suffix, content_type, expected = CASES[case]
    assert detect_kind(text, suffix, content_type) == expected


@pytest.mark.parametrize("spec, expected", [
    ("https://example.org/a", True), ("http://127.0.0.1:8000/", True), ("ftp://x/y", True),
    ("notes.txt", False), ("C:\\news\\a.txt", False), ("@list.txt", False), ("-", False),
])
def test_is_url(spec, expected):
    assert is_url(spec) is expected
