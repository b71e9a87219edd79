import pytest

from digest.read.markdown import parse_markdown
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def article():
    return parse_markdown((FIXTURES / "article.md").read_text(encoding="utf-8"))


def test_front_matter_gives_the_metadata(article):
    assert article.title == "Tide tables go digital: a harbour guide"
    assert article.date.isoformat() == "2025-05-03"
    assert (article.author, article.source, article.url) == (
        "Priya Natarajan", "Harbour Notes", "https://notes.example/tide-tables")


def test_heading_repeating_the_title_is_not_read_twice(article):
    assert "Tide tables go digital" not in article.body


def test_links_keep_their_text_and_lose_their_address(article):
    assert "announced on the trust's website last week." in article.body
    assert "trust.example" not in article.body and "Harbour trust" not in article.body


def test_emphasis_markers_vanish(article):
    assert "the harbour office for a century" in article.body
    assert "and not everyone is pleased" in article.body
    assert "*" not in article.body and "_" not in article.body


def test_headings_and_list_items_become_sentences(article):
    paragraphs = article.body.split("\n\n")
    assert "What changes for skippers." in paragraphs
    assert "Times are now given to the minute." in paragraphs
    assert "Check the screen before casting off." in paragraphs


def test_code_blocks_and_images_are_not_read(article):
    for unreadable in ("def high_water", "offset", "indented_code", "```", "new screen", "screen.jpg"):
        assert unreadable not in article.body
    # Inline code is a word in a sentence, so it stays.
    assert "Use the tides command on the kiosk" in article.body


def test_quote_is_read(article):
    assert "Old Tom, who has fished here since 1962" in article.body


def test_first_heading_is_the_title_without_front_matter():
    article = parse_markdown("# Ferry timetable\n\nBoats at *nine* and ten.\n\n## Fares\n\nTwo pounds.")
    assert article.title == "Ferry timetable"
    assert article.body == "Boats at nine and ten.\n\nFares.\n\nTwo pounds."


def test_table_rows_are_read_cell_by_cell():
    article = parse_markdown("Prices:\n\n| Item | Price |\n|---|---|\n| Tea | 2 pounds |\n")
    assert article.body.split("\n\n")[1:] == ["Item, Price.", "Tea, 2 pounds."]


def test_broken_front_matter_is_ignored_not_fatal():
    article = parse_markdown("---\ntitle: [unclosed\n---\n\nBody text here.")
    assert article.title == "" and article.body == "Body text here."


def test_html_blocks_keep_text_but_not_scripts():
    article = parse_markdown("Intro.\n\n<div>Inside <b>bold</b><script>steal()</script></div>\n")
    assert article.body == "Intro.\n\nInside bold"


def test_footnotes_are_not_read():
    article = parse_markdown("# Vote\n\nThe plan passed[^1] on Monday[^why].\n\n[^1]: By seven votes.\n"
                             "    See the minutes.\n\n[^why]: It was late.\n\nAfter that, nothing.")
    assert article.body == "The plan passed on Monday.\n\nAfter that, nothing."


def test_a_yaml_alias_bomb_in_front_matter_is_refused_at_once(tmp_path):
    import time

    from digest.read import read_input

    # Nine levels of nine aliases: 600 bytes that used to grow to gigabytes when read as text.
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 10):
        levels.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    bomb = "---\n" + "\n".join(levels) + "\ntitle: *a9\n---\n\n# Real title\n\nThe body of a real story.\n"
    path = tmp_path / "bomb.md"
    path.write_text(bomb, encoding="utf-8")
    started = time.monotonic()
    [article] = read_input(str(path))
    assert time.monotonic() - started < 2
    assert article.title == "Real title" and "real story" in article.body


def test_front_matter_fields_must_be_plain_values(tmp_path):
    from digest.read import read_input

    path = tmp_path / "odd.md"
    path.write_text("---\ntitle: {nested: map}\nauthor: [Ann, Bo]\ndate: 2024-05-01\n---\n\n# Heading title\n\nBody text here.\n",
                    encoding="utf-8")
    [article] = read_input(str(path))
    assert article.title == "Heading title" and article.author == "Ann, Bo"
