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
