"""Markup-like text, control characters and CDATA terminators never break feed or transcripts."""

import json

import feedparser
from lxml import etree, html
from mutagen.id3 import ID3, TIT2

NASTY = 'Fish & <chips> "quoted" \'single\' ]]> --> \x07bell'


def test_nasty_titles_and_text_are_escaped_everywhere(cli, tmp_path, fake_google):
    source = tmp_path / "nasty.txt"
    source.write_text(f"{NASTY}\n\nThe body has <b>tags</b> & ampersands ]]> and --> arrows.\n", encoding="utf-8")
    out = tmp_path / "audio"
    code, _, err = cli("make", source, "-o", out, "--engine", "gtts", "-q", "--title", f"Title {NASTY}\x01")
    assert code == 0, err

    etree.parse(str(out / "feed.xml"))  # well-formed XML, or this raises
    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo
    [entry] = feed.entries
    assert entry.title == "Title Fish & \"quoted\" 'single']]> --> bell"
    [mp3] = out.glob("*.mp3")
    stem = mp3.name[:-4]

    vtt = (out / f"{stem}.vtt").read_text(encoding="utf-8")
    cues = [block for block in vtt.split("\n\n")[1:] if block.strip()]
    # Exactly one arrow per cue: the one separating its times; text arrows are escaped.
    assert all(block.count("-->") == 1 for block in cues)
    srt = (out / f"{stem}.srt").read_text(encoding="utf-8")
    assert srt.count("-->") == len([b for b in srt.split("\n\n") if b.strip()])
    chapters = json.loads((out / f"{stem}.chapters.json").read_text(encoding="utf-8"))
    assert any("Fish &" in chapter["title"] for chapter in chapters["chapters"])

    # The pages: the title is text (in <title> and <h1>), never markup; no element comes from it.
    for page in (out / f"{stem}.html", out / "index.html"):
        tree = html.fromstring(page.read_bytes())
        assert tree.xpath("//chips") == [] and tree.xpath("//b") == [], page.name
        assert len(tree.xpath("//script")) == (2 if page.suffix == ".html" and page.stem == stem else 0)
        assert [h.text_content() for h in tree.xpath("//h1 | //article//h2")][-1] == entry.title
    sentences = [a.text_content() for a in html.fromstring((out / f"{stem}.html").read_bytes()).xpath(
        "//a[@class='cue']")]
    assert "The body has tags and ampersands]]> and --> arrows." in sentences  # as spoken, as text


def test_a_hand_edited_tag_with_control_characters_does_not_break_the_feed(cli, tmp_path, fake_google, article_file):
    out = tmp_path / "audio"
    assert cli("make", article_file, "-o", out, "--engine", "gtts", "-q")[0] == 0
    [mp3] = out.glob("*.mp3")
    tags = ID3(str(mp3))
    tags.add(TIT2(encoding=3, text="Edited\x1b by\x07 hand ]]>"))
    tags.save(str(mp3))
    code, _, err = cli("feed", "-o", out)
    assert code == 0, err
    assert feedparser.parse(str(out / "feed.xml")).entries[0].title == "Edited by hand ]]>"
