"""The inputs that used to take minutes, each through the rule that choked on it, in seconds now.

tests/test_linear_text_rules.py checks every pattern on its own; these are the reported
findings end to end, through the functions a run calls, at the sizes they were reported at.
"""

from __future__ import annotations

import time

import pytest

from digest.read.clean import clean_text
from digest.read.text import parse_plain_text
from digest.script.chunk import split_sentences
from digest.script.speakable import speakable

LIMIT_SECONDS = 5.0  # each took 90 s to over two minutes before


def _within_limit(function, text):
    started = time.monotonic()
    result = function(text)
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT_SECONDS, f"{elapsed:.1f} s"
    return result


HOSTILE = {
    "markdown heading over a line of spaces": (parse_plain_text, "# a" + " " * 200_000 + "b\n\nBody."),
    "html comments that never close": (clean_text, "<!-- x " * 40_000),
    "escaped comments from html or json": (clean_text, "&lt;!-- y " * 25_000),
    "a long run of spaces (the dash rule)": (clean_text, "a" + " " * 100_000 + "b"),
    "a run of exclamation marks": (lambda text: split_sentences(text), "Wow" + "!" * 250_000 + " done"),
    "street or saint, again and again": (speakable, "St. " * 50_000 + "Mary"),
    "abbreviations that may end a sentence": (speakable, "etc. " * 40_000),
    "ellipses that never end a sentence": (speakable, "." * 200_000 + "x"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_reported_hostile_text_is_handled_in_seconds(name):
    function, text = HOSTILE[name]
    _within_limit(function, text)


def test_a_feed_item_full_of_dots_is_judged_in_seconds():
    from digest.read.feeds import _is_teaser

    assert _within_limit(lambda text: _is_teaser(text, False), "." * 200_000 + "x") is True
    assert _is_teaser("A whole story. " * 200, True) is False
    assert _is_teaser("It began, as these things do, with a letter [\u2026]", True) is True
    assert _is_teaser("The council met on Tuesday. Read more \u00bb", True) is True
