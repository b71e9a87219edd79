import io

import pytest

from digest.errors import InputError
from digest.read import parse_plain_text, read_input


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


# --- the package's dispatch: kinds by content, folders, lists, limits ---------------------

import shutil

from digest.read import ReadSettings, read_entries
from digest.read.base import OwnFiles, Skipped
from tests.conftest import FIXTURES


@pytest.mark.parametrize("fixture, title", [
    ("article.md", "Tide tables go digital: a harbour guide"),
    ("messy.html", "Night ferry returns to Gull Point"),
    ("articles.jsonl", "Market hall reopens"),
    ("feed.rss", "Pier lights switched back on"),
    ("feed.atom", "Sand dunes fenced for nesting terns"),
])
def test_kind_is_found_by_content_even_under_a_misleading_name(tmp_path, fixture, title):
    disguised = tmp_path / "download.txt"
    shutil.copy(FIXTURES / fixture, disguised)
    articles = read_input(str(disguised))
    assert articles[0].title == title
    assert "<" not in articles[0].body and "](" not in articles[0].body


def test_stdin_can_be_any_kind():
    [article] = read_input("-", stdin=io.BytesIO((FIXTURES / "article.md").read_bytes()))
    assert article.author == "Priya Natarajan" and "def high_water" not in article.body


def test_folder_reads_article_files_in_name_order_and_skips_the_rest(tmp_path):
    (tmp_path / "b.txt").write_text("Second\n\nThe second story.", encoding="utf-8")
    (tmp_path / "a.md").write_text("# First\n\nThe first story.", encoding="utf-8")
    (tmp_path / "c.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nNot read.", encoding="utf-8")
    entries = read_entries(str(tmp_path))
    assert [e.title for e in entries if not isinstance(e, Skipped)] == ["First", "Second"]
    [skipped] = [e for e in entries if isinstance(e, Skipped)]
    assert skipped.message.startswith(str(tmp_path / "c.html") + ": ")


def test_folder_leaves_out_what_digest_wrote_there(tmp_path):
    # An output folder given as input: last episode's transcripts and the feed are not stories.
    (tmp_path / "story.txt").write_text("Story\n\nA real article.", encoding="utf-8")
    (tmp_path / "2026-11-25-story.mp3").write_bytes(b"ID3")
    (tmp_path / "2026-11-25-story.txt").write_text("Welcome to Digest.\n\nA real article.", encoding="utf-8")
    (tmp_path / "2026-11-25-story.chapters.json").write_text('{"version": "1.2.0", "chapters": []}')
    (tmp_path / "2026-11-24-notes.txt").write_text("Notes\n\nNo episode has this name.", encoding="utf-8")
    (tmp_path / "digest.toml").write_text('title = "Digest"\n', encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<rss version='2.0'><channel><title>x</title></channel></rss>")
    own = OwnFiles(companion_suffixes=(".txt", ".chapters.json"), companion_of=".mp3",
                   names_when_marked=("feed.xml",), marker="digest.toml")
    entries = read_entries(str(tmp_path), ReadSettings(own_files=own))
    assert [e.title for e in entries] == ["Notes", "Story"]


def test_xml_that_is_not_a_feed_is_refused_not_read_aloud(tmp_path):
    config = tmp_path / "settings.xml"
    config.write_text('<?xml version="1.0"?>\n<config><retries>3</retries></config>', encoding="utf-8")
    with pytest.raises(InputError, match="settings.xml: is XML but not an RSS or Atom feed"):
        read_input(str(config))


def test_folder_without_articles_is_a_clear_error(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(InputError, match="is a directory with no article files"):
        read_input(str(tmp_path))


@pytest.mark.parametrize("name, content", [
    ("today.json", "[]"),
    ("feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'),
    ("today.list", "# nothing today\n"),
])
def test_an_input_holding_no_stories_says_so_in_its_own_kind_from_the_reading_process(tmp_path, name, content):
    """Read in a child process within its budget, the error still arrives as NothingToRead:
    a batch tells a quiet day from a broken input by it."""
    from digest.errors import NothingToRead
    from digest.read import read_within_budget

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    spec = f"@{path}" if name.endswith(".list") else str(path)
    with pytest.raises(NothingToRead):
        read_within_budget(spec, ReadSettings())
    (tmp_path / "broken.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(InputError) as broken:
        read_within_budget(str(tmp_path / "broken.json"), ReadSettings())
    assert not isinstance(broken.value, NothingToRead)


def test_list_file_names_inputs_relative_to_itself(tmp_path):
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "one.txt").write_text("One\n\nStory one.", encoding="utf-8")
    shutil.copy(FIXTURES / "articles.jsonl", tmp_path / "stories" / "more.jsonl")
    listing = tmp_path / "stories" / "today.list"
    (tmp_path / "stories" / "notes #2.txt").write_text("Two\n\nStory two.", encoding="utf-8")
    listing.write_text("# today's reading\n\none.txt   # the short one\nnotes #2.txt\n\n  more.jsonl  \n#the end\n",
                       encoding="utf-8")
    titles = [a.title for a in read_input(f"@{listing}")]
    assert titles == ["One", "Two", "Market hall reopens", "Library extends hours"]


@pytest.mark.parametrize("content, message", [
    ("", "lists no inputs"),
    ("# only a comment\n", "lists no inputs"),
    ("@other.list\n", "may not name '@other.list'"),
    ("-\n", "may not name '-'"),
])
def test_bad_list_files(tmp_path, content, message):
    listing = tmp_path / "bad.list"
    listing.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_input(f"@{listing}")


def test_missing_list_file(tmp_path):
    with pytest.raises(InputError, match="no such list file"):
        read_input(f"@{tmp_path / 'nope.list'}")


def test_a_50_mb_file_is_refused_without_being_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: costs no disk and would take long to read
    with pytest.raises(InputError, match=r"huge.txt: is larger than 6,000,000 bytes.*--max-chars 300,000"):
        read_input(str(huge))


class _EndlessStream:
    def __init__(self):
        self.requested = 0

    def read(self, size=-1):
        assert size > 0, "an unbounded read of stdin"
        self.requested += size
        return (b"word " * (size // 5 + 1))[:size]


def test_huge_stdin_is_refused_after_reading_only_the_limit():
    stream = _EndlessStream()
    settings = ReadSettings(max_chars=10_000)
    with pytest.raises(InputError, match="stdin: is larger than 200,000 bytes"):
        read_input("-", settings, stdin=stream)
    assert stream.requested == settings.max_bytes + 1


def test_article_longer_than_max_chars_is_refused(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Long\n\n" + "A sentence of six words here. " * 100, encoding="utf-8")
    with pytest.raises(InputError, match=r"long.txt: has 2,999 characters, more than the limit of 2,000 \(--max-chars\)"):
        read_input(str(path), ReadSettings(max_chars=2_000))
    assert read_input(str(path), ReadSettings(max_chars=3_000))[0].title == "Long"


@pytest.mark.parametrize("spec", ["file:///etc/passwd", "ftp://example.org/a.txt", "gopher://example.org/"])
def test_other_schemes_are_refused(spec):
    with pytest.raises(InputError, match="only http and https URLs can be read"):
        read_input(spec)


def test_settings_validate_themselves():
    with pytest.raises(InputError, match="--limit"):
        ReadSettings(limit=0)
    with pytest.raises(InputError, match="--max-chars"):
        ReadSettings(max_chars=0)
