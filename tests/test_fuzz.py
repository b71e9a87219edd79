"""Property-based tests: the text stages never crash on any Unicode and keep their promises."""

import os
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.errors import InputError
from digest.read import parse_plain_text
from digest.read.clean import clean_line, clean_text, paragraphs
from digest.read.decode import decode_text
from digest.script.chunk import chunk_text
from digest.script.speakable import speakable

# DIGEST_FUZZ_EXAMPLES=5000 for a deeper search than the suite's default.
FUZZ = settings(max_examples=int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "300")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Prose-like text: letters, digits, punctuation news text is full of, and Unicode oddities.
prose_alphabet = st.sampled_from(
    list(string.ascii_letters + string.digits + " .,;:!?'\"()-\n")
    + list("\u2014\u2013\u201c\u201d\u2018\u2019\u2026\u00a0\u00e9\u00fc\u00df\u4e2d\U0001F600\u200b\u00ad<>&#")
)
prose = st.text(alphabet=prose_alphabet, max_size=400)
anything = st.text(max_size=300)


@FUZZ
@given(st.one_of(prose, anything))
def test_clean_never_crashes_and_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


@FUZZ
@given(st.one_of(prose, anything))
def test_clean_output_has_no_control_characters_or_blank_paragraphs(text):
    cleaned = clean_text(text)
    assert not any(ord(c) < 32 and c != "\n" for c in cleaned)
    assert all(p.strip() == p and p for p in paragraphs(cleaned))
    assert "\n" not in clean_line(text)


@FUZZ
@given(st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=12), min_size=1, max_size=40))
def test_clean_keeps_every_word_of_plain_prose(words):
    text = " ".join(words) + "."
    assert clean_text(text).split() == text.split()


@FUZZ
@given(st.one_of(prose, anything), st.integers(min_value=1, max_value=400))
def test_chunks_stay_within_the_limit_and_lose_nothing(text, limit):
    chunks = chunk_text(text, limit)
    assert all(0 < len(c.text) <= limit for c in chunks)
    assert "".join("".join(c.text for c in chunks).split()) == "".join(text.split())
    if all(len(word) <= limit for word in text.split()):
        # No word had to be cut, so chunks meet only at spaces.
        assert " ".join(c.text for c in chunks) == " ".join(text.split())


@FUZZ
@given(st.one_of(prose, anything), st.sampled_from(["en", "de", "fr", "es", "ja", "no"]))
def test_speakable_never_crashes(text, lang):
    assert isinstance(speakable(text, lang), str)


@FUZZ
@given(st.one_of(prose, anything))
def test_reader_never_crashes_on_text(text):
    try:
        article = parse_plain_text(text)
    except InputError:
        return
    assert isinstance(article.body, str) and isinstance(article.title, str)


@FUZZ
@given(st.binary(max_size=600))
def test_decoder_returns_text_or_a_clear_input_error(data):
    try:
        text = decode_text(data, "fuzz.txt")
    except InputError as error:
        assert str(error).startswith("fuzz.txt: ")
    else:
        assert isinstance(text, str)


# Text that drifts into every kind the readers sniff for: Markdown, HTML, JSON, feeds.
document_alphabet = st.sampled_from(
    list(string.ascii_letters[:12] + " .,:\n#*_-[]()<>{}\"/!`|=") + ["<p>", "</p>", "<rss>", "<html>", "---\n", '{"title": ', "```"]
)
documents = st.lists(document_alphabet, max_size=120).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(documents, anything))
def test_any_document_reads_or_fails_with_a_one_line_input_error(text):
    import io

    from digest.read import read_entries
    from digest.read.base import Skipped

    try:
        entries = read_entries("-", stdin=io.BytesIO(text.encode("utf-8")))
    except InputError as error:
        assert str(error).startswith("stdin: ") and "\n" not in str(error)
        return
    for entry in entries:
        assert isinstance(entry, Skipped) or (entry.body.strip() and isinstance(entry.title, str))


# --- hostile documents beside a good one: each ends in a story, a skip or one line, in time ---

_WORDS = st.sampled_from(["Harbour", "news", "&amp;", "&lt;!--", "<b>", "St.", "...", "!!!", "\u202e", "http://[x",
                          "javascript:alert(1)", "\x00", "\ud7ff", "---", "*a", "&a", "[", "{", "\\"])
_TEXTS = st.lists(_WORDS, max_size=30).map(" ".join)
_LINKS = st.sampled_from(["http://[x", "https://example.invalid/a", "ftp://x/y", "", "javascript:void(0)",
                          "http://127.0.0.1:9/", "//no-scheme", "http://" + "a" * 300 + ".example/"])


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\x00", "")


feeds = st.builds(
    lambda items: "<?xml version='1.0'?><rss version='2.0'><channel><title>F</title>" + "".join(
        f"<item><title>{_xml(title)}</title><link>{_xml(link)}</link><description>{_xml(body)}</description></item>"
        for title, link, body in items) + "</channel></rss>",
    st.lists(st.tuples(_TEXTS, _LINKS, _TEXTS), max_size=6))
json_documents = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _TEXTS),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(["title", "text", "body", "url", "date", "items",
                                                                "articles", "author"]), children, max_size=4)),
    max_leaves=30).map(lambda value: __import__("json").dumps(value))
front_matter = st.builds(
    lambda fields, body: "---\n" + "\n".join(fields) + "\n---\n\n# Title\n\n" + body + "\n",
    st.lists(st.sampled_from(["title: &a [x, *a]", "title: *a", "date: 99999-99-99", "author: !!python/name:os.system",
                              "url: {a: b}", "tags: [" + "x, " * 50 + "]", "title: " + "a" * 500, "source: ~",
                              "date: 2024-05-01", "title: Real"]), max_size=6),
    _TEXTS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(feeds.map(lambda d: ("feed.rss", d)), json_documents.map(lambda d: ("data.json", d)),
                 front_matter.map(lambda d: ("story.md", d))))
def test_a_hostile_document_beside_a_good_one_costs_only_itself(tmp_path_factory, named):
    import time

    from digest.read import ReadSettings
    from digest.read.lineup import read_lineup

    folder = tmp_path_factory.mktemp("hostile")
    name, document = named
    (folder / name).write_text(document, encoding="utf-8", errors="surrogatepass")
    good = folder / "good.txt"
    good.write_text("Good story\n\nA story that reads fine, whatever its neighbour holds.", encoding="utf-8")
    started = time.monotonic()
    # Links to loopback are allowed so that nothing is refused before being tried (port 9 is closed).
    lineup = read_lineup([str(folder / name), str(good)], ReadSettings(timeout=2, allow_private=True))
    assert time.monotonic() - started < 30
    assert lineup.articles[-1].title == "Good story"


_STATUSES = st.sampled_from([200, 200, 200, 204, 301, 302, 304, 400, 404, 418, 500, 503])
_HEADERS = st.dictionaries(
    st.sampled_from(["Content-Type", "Content-Length", "Content-Encoding", "Location", "Transfer-Encoding"]),
    st.sampled_from(["text/html", "text/html; charset=klingon", "application/rss+xml", "image/png", "gzip", "br",
                     "0", "99999999", "-1", "/loop", "http://[x", "chunked", "\u00ff"]),
    max_size=4)
_BODIES = st.one_of(st.binary(max_size=400), feeds.map(str.encode), json_documents.map(str.encode),
                    st.just(b"<html><body><article><h1>Page</h1><p>" + b"Words and more words. " * 20 + b"</p>"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                HealthCheck.function_scoped_fixture])
@given(status=_STATUSES, headers=_HEADERS, body=_BODIES)
def test_any_http_answer_is_a_page_or_one_line_error_in_time(web, status, headers, body):
    import time

    from digest.read import ReadSettings, read_input
    from tests.localweb import Route

    headers = {name: value.encode("latin-1", "replace").decode("latin-1") for name, value in headers.items()}
    web.routes["/fuzzed"] = Route(status, body, headers)
    web.routes["/loop"] = Route(302, b"", {"Location": "/loop"})
    started = time.monotonic()
    try:
        articles = read_input(web.url("/fuzzed"), ReadSettings(allow_private=True, timeout=1))
    except InputError as error:
        assert "\n" not in str(error) and str(error).startswith(web.url("/fuzzed"))
    else:
        assert all(article.body.strip() for article in articles)
    assert time.monotonic() - started < 5  # the deadline is 1 s
