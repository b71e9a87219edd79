import pytest

from digest.errors import InputError
from digest.models import Article
from digest.read.base import Skipped
from digest.read.jsonl import parse_json
from tests.conftest import FIXTURES


def test_object_with_articles_list_and_field_synonyms():
    entries = parse_json((FIXTURES / "articles.json").read_text(encoding="utf-8"), "articles.json")
    seal, lifeboat, empty = entries
    assert seal == Article(
        title="Seal pup rescued from fishing net",
        body="Volunteers freed a grey seal pup tangled in a discarded net on Gull Point beach on Sunday.\n\n"
             "The pup was taken to the rescue centre and is expected to be released within a fortnight.",
        date=seal.date, source="Coastal Wire", url="https://wire.example/seal-pup", author="Ola Brandt, Kim Yu",
    )
    assert seal.date.isoformat() == "2025-04-20"
    # HTML bodies become paragraphs; RFC 822 dates are read.
    assert lifeboat.title == "Lifeboat crew trains at night"
    assert lifeboat.body == "The lifeboat crew ran its first night exercise of the year on Thursday.\n\nTwelve volunteers took part."
    assert lifeboat.date.isoformat() == "2025-04-17" and lifeboat.url == "https://wire.example/lifeboat"
    assert isinstance(empty, Skipped) and "item 3: has no text" in empty.message


def test_json_lines():
    entries = parse_json((FIXTURES / "articles.jsonl").read_text(encoding="utf-8"), "a.jsonl")
    assert [(a.title, a.date.isoformat(), a.source, a.author) for a in entries] == [
        ("Market hall reopens", "2025-03-01", "Town Crier", None),
        ("Library extends hours", "2025-03-02", None, "Dee Okafor"),
    ]


def test_array_and_single_object():
    [one, two] = parse_json('[{"title": "A", "text": "First."}, {"title": "B", "body": "Second."}]', "x")
    assert (one.body, two.body) == ("First.", "Second.")
    [single] = parse_json('{"title": "Solo", "content": "Only one.", "items": [1, 2]}', "x")
    assert single.title == "Solo"


@pytest.mark.parametrize("text, message", [
    ('{"title": "A", "text": "unterminated', r"^bad.json: is not valid JSON \(Unterminated string starting at line 1, column \d+\)$"),
    ('{"title": oops}\n{"title": "A", "text": broken\n', r"^bad.json: is not valid JSON \(Expecting value at line 1, column 11\)$"),
    ('[\n{"title": "A", "text": "a"},\n{"title": "B", "text": "b"},\n{"title": "C", "text": "c"}\n,]\n',
     # Python 3.13 names the trailing comma; older ones only say a value was expected there.
     r"^bad.json: is not valid JSON \((Expecting value|Illegal trailing comma before end of array) "
     r"at line 5, column [12]\)$"),
    ("[]", "empty list of articles"),
    ("42", "holds no article objects"),
])
def test_malformed_json_is_one_clear_line(text, message):
    with pytest.raises(InputError, match=message) as caught:
        parse_json(text, "bad.json")
    assert "\n" not in str(caught.value)


def test_a_broken_line_of_json_lines_skips_only_that_story():
    entries = parse_json('{"title": "A", "text": "ok"}\n{"title": oops}\n{"title": "C", "text": "fine"}\n', "x.jsonl")
    assert [e.title for e in entries if isinstance(e, Article)] == ["A", "C"]
    [skipped] = [e for e in entries if isinstance(e, Skipped)]
    assert skipped.message == "x.jsonl: is not valid JSON (Expecting value at line 2)"


def test_non_objects_in_a_list_are_skipped():
    entries = parse_json('[{"title": "A", "text": "Fine."}, "just a string", null]', "x.json")
    assert isinstance(entries[0], Article)
    assert [e.message for e in entries[1:]] == ["x.json: item 2: is not an object with title and text",
                                                "x.json: item 3: is not an object with title and text"]
