"""WebVTT, SRT and plain-text transcripts."""

from digest.publish.transcripts import Cue, parse_timestamp, read_cues, to_srt, to_text, to_webvtt

CUES = [Cue(0.0, 1.25, "Welcome to <Digest> & friends."), Cue(1.5, 1.5, "empty span"),
        Cue(2.0, 3.0, "  "), Cue(3725.5, 3727.0, "An hour\nlater --> still here.")]


def test_webvtt():
    assert to_webvtt(CUES) == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:01.250\nWelcome to &lt;Digest&gt; &amp; friends.\n\n"
        "2\n01:02:05.500 --> 01:02:07.000\nAn hour later --&gt; still here.\n"
    )


def test_srt():
    assert to_srt(CUES) == (
        "1\n00:00:00,000 --> 00:00:01,250\nWelcome to <Digest> & friends.\n\n"
        "2\n01:02:05,500 --> 01:02:07,000\nAn hour later -> still here.\n"
    )


def test_cues_read_back_from_both_formats():
    for text in (to_webvtt(CUES), to_srt(CUES)):
        cues = read_cues(text)
        assert [(c.start, c.end) for c in cues] == [(0.0, 1.25), (3725.5, 3727.0)]


def test_timestamps():
    assert parse_timestamp("01:02.5") == 62.5
    assert parse_timestamp("00:00:01,500") == 1.5


def test_plain_text_has_one_paragraph_per_segment():
    assert to_text(["Hello  there.", "", "Second\nparagraph."]) == "Hello there.\n\nSecond paragraph.\n"
