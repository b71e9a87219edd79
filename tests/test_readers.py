import io

import pytest

from digest.errors import InputError
from digest.readers import parse_plain_text, read_input


def test_scraped_news_shape_gives_date_title_and_body():
    text = " date 2024-03-02 City council approves new bike lanes: Report\n\nThe council voted.\n"
    article = parse_plain_text(text)
    assert article.date.isoformat() == "2024-03-02"
    assert article.title == "City council approves new bike lanes: Report"
    assert article.body == "The council voted."


@pytest.mark.parametrize("first_line", [
    "Date: 2024-03-02 City council approves new bike lanes",
    "published 2024/03/02 - City council approves new bike lanes",
    "2024-03-02 City council approves new bike lanes",
    "Dated March 2, 2024: City council approves new bike lanes",
])
def test_date_line_variants(first_line):
    article = parse_plain_text(first_line + "\n\nBody text here.")
    assert article.date.isoformat() == "2024-03-02"
    assert article.title == "City council approves new bike lanes"


def test_date_line_with_title_on_next_line():
    article = parse_plain_text("date 2024-03-02\nLighthouse keeper retires\n\nShe kept the light.")
    assert article.date.isoformat() == "2024-03-02"
    assert article.title == "Lighthouse keeper retires"


def test_title_line_then_blank_line():
    article = parse_plain_text("The last keeper\n\nFor ninety years the light was kept by hand.\n\nShe retired.")
    assert article.title == "The last keeper"
    assert article.date is None
    assert article.body.startswith("For ninety years")


def test_no_title_when_first_line_is_a_paragraph():
    text = ("For ninety years the lighthouse at Gull Point was kept by hand, every evening at dusk, "
            "by a keeper who climbed the steps.\n\nShe retired in 1988.")
    article = parse_plain_text(text)
    assert article.title == ""
    assert article.body.startswith("For ninety years")


def test_invalid_date_is_not_taken_as_metadata():
    article = parse_plain_text("date 2024-13-45 Odd line\n\nBody.")
    assert article.date is None


def test_markdown_heading_is_the_title():
    article = parse_plain_text("# Harbour news\n\nBoats came in.")
    assert article.title == "Harbour news"


def test_one_line_file_is_body_not_title():
    article = parse_plain_text("Just one short line")
    assert article.body == "Just one short line"
    assert article.title == ""


def test_reads_utf8_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Café news\n\nThe café opened.", encoding="utf-8")
    [article] = read_input(str(path))
    assert article.title == "Café news"


def test_reads_cp1252_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Caf\u00e9 news\n\n\u201cIt opened,\u201d she said \u2014 at last.".encode("cp1252"))
    [article] = read_input(str(path))
    assert article.title == "Café news"
    assert "\u201cIt opened,\u201d" in article.body


def test_reads_utf16_with_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Title\n\nBody of the piece.".encode("utf-16"))
    [article] = read_input(str(path))
    assert article.body == "Body of the piece."


def test_reads_stdin():
    [article] = read_input("-", stdin=io.BytesIO(b"Title\n\nFrom a pipe."))
    assert article.body == "From a pipe."


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"   \n\t\n  ", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (bytes(range(128, 256)) * 4, "encoding could not be recognised"),
])
def test_bad_files_are_input_errors(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_input(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_input(str(tmp_path / "nope.txt"))


def test_directory_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_input(str(tmp_path))
