"""feed.xml of a real episode: every Apple and Podcasting 2.0 tag, read by lxml, feedparser and podcastparser."""

import email.utils
import shutil

import feedparser
import podcastparser
import pytest
from lxml import etree

from digest.publish.check import check_folder, failed
from digest.publish.feed_ext import ITUNES_NS, PODCAST_NS
from digest.publish.feedxml import file_name
from digest.publish.library import list_episodes
from digest.publish.settings import load_settings, podcast_guid
from tests.published import PROGRAMME

NS = {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "atom": "http://www.w3.org/2005/Atom",
      "content": "http://purl.org/rss/1.0/modules/content/"}
BASE = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def feed(published):
    return etree.parse(str(published.folder / "feed.xml")).getroot()


def one(root, path):
    [element] = root.xpath(path, namespaces=NS)
    return element


def test_channel_tags(feed, published):
    channel = one(feed, "/rss/channel")
    assert one(channel, "title").text == PROGRAMME
    assert one(channel, "description").text
    assert one(channel, "link").text == BASE + "index.html"  # the show page
    assert one(channel, "language").text == "en"
    assert one(channel, "itunes:author").text == "digest"
    assert one(channel, "itunes:owner/itunes:name").text and "@" in one(channel, "itunes:owner/itunes:email").text
    assert one(channel, "itunes:category").get("text") == "News"
    assert one(channel, "itunes:category/itunes:category").get("text") == "Daily News"
    assert one(channel, "itunes:explicit").text == "false"
    assert one(channel, "itunes:image").get("href") == BASE + "default-cover.png"
    assert one(channel, "atom:link[@rel='self']").get("href") == BASE + "feed.xml"
    assert one(channel, "podcast:guid").text == podcast_guid("127.0.0.1:8000/feed.xml")
    assert one(channel, "podcast:locked").text == "yes"


def test_item_tags(feed, published):
    item = one(feed, "/rss/channel/item")
    assert one(item, "title").text == published.result.title
    assert one(item, "guid").text == published.result.guid and one(item, "guid").get("isPermaLink") == "false"
    assert email.utils.parsedate_to_datetime(one(item, "pubDate").text).tzinfo is not None
    enclosure = one(item, "enclosure")
    assert enclosure.get("url") == BASE + published.mp3.name
    assert enclosure.get("type") == "audio/mpeg"
    assert int(enclosure.get("length")) == published.mp3.stat().st_size
    assert one(item, "itunes:episodeType").text == "full"
    hours, minutes, seconds = map(int, one(item, "itunes:duration").text.split(":"))
    assert abs(hours * 3600 + minutes * 60 + seconds - published.result.duration) <= 1
    transcripts = {t.get("type"): t.get("url") for t in item.xpath("podcast:transcript", namespaces=NS)}
    stem = BASE + published.mp3.stem
    assert transcripts == {"text/vtt": stem + ".vtt", "application/x-subrip": stem + ".srt", "text/plain": stem + ".txt"}
    chapters = one(item, "podcast:chapters")
    assert (chapters.get("url"), chapters.get("type")) == (stem + ".chapters.json", "application/json+chapters")


def test_show_notes_link_stories_and_escape_everything(feed):
    item = one(feed, "/rss/channel/item")
    for html in (one(item, "description").text, one(item, "content:encoded").text):
        assert '<a href="https://news.example.org/ferries?id=7&amp;lang=en">Ferries sail again after the storm</a>' in html
        assert "(Harbour Post, 2024-03-02)" in html
        assert "<li>Mill Street bakery wins a bread award</li>" in html
        assert "javascript:" not in html


def test_podcastparser_reads_every_tag(published):
    with (published.folder / "feed.xml").open("rb") as stream:
        parsed = podcastparser.parse(BASE + "feed.xml", stream)
    assert parsed["title"] == PROGRAMME
    assert parsed["cover_url"] == BASE + "default-cover.png"
    assert parsed["itunes_categories"] == [["News", "Daily News"]]
    assert parsed["explicit"] is False and parsed["import_prohibited"] is True
    [episode] = parsed["episodes"]
    assert episode["guid"] == published.result.guid
    assert episode["enclosures"] == [{"url": BASE + published.mp3.name, "file_size": published.mp3.stat().st_size,
                                      "mime_type": "audio/mpeg"}]
    assert abs(episode["total_time"] - published.result.duration) <= 1
    assert episode["type"] == "full"
    assert episode["transcript_url"] == BASE + published.mp3.stem + ".vtt"
    assert episode["chapters_json_url"] == BASE + published.mp3.stem + ".chapters.json"
    assert "Ferries sail again" in episode["description"]


def test_feedparser_reads_every_tag(published):
    parsed = feedparser.parse((published.folder / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.version == "rss20"
    assert parsed.feed.title == PROGRAMME and parsed.feed.language == "en"
    assert parsed.feed.image.href == BASE + "default-cover.png"
    assert parsed.feed.podcast_guid == podcast_guid("127.0.0.1:8000/feed.xml")
    assert {"rel": "self", "href": BASE + "feed.xml", "type": "application/rss+xml"} in parsed.feed.links
    [entry] = parsed.entries
    assert entry.id == published.result.guid
    assert entry.itunes_episodetype == "full"
    [enclosure] = entry.enclosures
    assert int(enclosure.length) == published.mp3.stat().st_size and enclosure.type == "audio/mpeg"
    assert entry.podcast_chapters["type"] == "application/json+chapters"
    assert entry.published_parsed is not None


def test_rebuild_after_deleting_an_episode_drops_it_and_its_sidecars(tmp_path, published, cli):
    copy = published.copy(tmp_path)
    notes = copy.folder / "my-notes.txt"
    notes.write_text("not digest's", encoding="utf-8")
    copy.mp3.unlink()
    code, out, err = cli("feed", "-o", copy.folder)
    assert code == 0, err
    assert "lists 0 episodes" in out
    assert not list(copy.folder.glob(copy.mp3.stem + ".*"))
    assert notes.exists()
    assert etree.parse(str(copy.folder / "feed.xml")).getroot().xpath("//item") == []
    # The user is told about every file removed.
    assert sorted(line.split()[3].rstrip(":") for line in err.splitlines()) == sorted(
        copy.sidecar(suffix).name for suffix in (".vtt", ".srt", ".txt", ".chapters.json", ".html"))
    assert err.startswith(f"digest: warning: removed {copy.mp3.stem}.")


USER_FILES = {"2024-05-01-meeting-notes.txt": "minutes", "2024-05-01-meeting-notes.srt": "1\n",
              "2024-05-01-meeting-notes.chapters.json": "{}", "2024-05-01-meeting-notes.vtt": "WEBVTT\n"}


def test_feed_never_removes_a_users_files_named_like_episodes(tmp_path, published, cli):
    folder = tmp_path / "u"
    folder.mkdir()
    for name, text in USER_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert cli("feed", "-o", folder)[0] == 0
    # Beside a published episode too, and when the feed has an episode to tidy away.
    copy = published.copy(tmp_path)
    for name, text in USER_FILES.items():
        (copy.folder / name).write_text(text, encoding="utf-8")
    assert cli("feed", "-o", copy.folder)[0] == 0
    copy.mp3.unlink()
    assert cli("feed", "-o", copy.folder)[0] == 0
    for where in (folder, copy.folder):
        assert {name: (where / name).read_text(encoding="utf-8") for name in USER_FILES} == USER_FILES


def test_sidecars_follow_an_mp3_renamed_to_any_name_and_the_feed_passes(tmp_path, published, cli):
    copy = published.copy(tmp_path)
    renamed = copy.folder / "my episode.mp3"
    vtt = copy.sidecar(".vtt").read_bytes()
    shutil.move(copy.mp3, renamed)
    code, out, err = cli("feed", "-o", copy.folder)
    assert code == 0 and "lists 1 episode" in out, err
    assert not list(copy.folder.glob(copy.mp3.stem + ".*"))
    assert (copy.folder / "my episode.vtt").read_bytes() == vtt
    xml = (copy.folder / "feed.xml").read_text(encoding="utf-8")
    for name in ("my%20episode.mp3", "my%20episode.vtt", "my%20episode.srt", "my%20episode.txt",
                 "my%20episode.chapters.json"):
        assert BASE + name in xml
    assert f"renamed {copy.mp3.stem}.vtt to my episode.vtt" in err
    code, out, _ = cli("feed", "-o", copy.folder, "--check")
    assert code == 0 and out.splitlines()[-1].endswith("feed.xml: passes"), out


def test_sidecars_renamed_by_hand_with_the_mp3_are_kept_and_the_rest_follow(tmp_path, published, cli):
    copy = published.copy(tmp_path)
    renamed = copy.folder / "2026-11-25-renamed.mp3"
    shutil.move(copy.mp3, renamed)
    shutil.move(copy.sidecar(".vtt"), renamed.with_suffix(".vtt"))
    assert cli("feed", "-o", copy.folder)[0] == 0
    xml = (copy.folder / "feed.xml").read_text(encoding="utf-8")
    assert "2026-11-25-renamed.mp3" in xml and "2026-11-25-renamed.vtt" in xml
    assert "2026-11-25-renamed.srt" in xml and not copy.sidecar(".srt").exists()
    assert not failed(check_folder(copy.folder))


@pytest.mark.parametrize("url, name", [
    (BASE + "2026-11-25-harbour.vtt", "2026-11-25-harbour.vtt"),
    (BASE + "My%20Episode.mp3", "My Episode.mp3"),
    (BASE + "..%2Fnotes.txt", None),
    (BASE + "sub/dir.vtt", None),
    (BASE + ".hidden.mp3", None),
    (BASE + "a%00b.vtt", None),
    ("https://elsewhere.example/2026-11-25-harbour.vtt", None),
])
def test_a_link_names_a_file_in_the_folder_only_under_the_feeds_address(url, name):
    assert file_name(url, BASE) == name


def test_a_crafted_feed_never_deletes_or_moves_a_users_file(tmp_path, published, cli):
    # The reported attack: an item whose enclosure talk.mp3 is "gone" and that links the user's
    # talk.txt and talk.vtt as its transcripts. digest never wrote them, so they stay.
    copy = published.copy(tmp_path)
    (copy.folder / "talk.txt").write_text("my talk notes", encoding="utf-8")
    (copy.folder / "talk.vtt").write_text("WEBVTT\n\nmine", encoding="utf-8")
    feed = copy.folder / "feed.xml"
    xml = feed.read_text(encoding="utf-8")
    forged = ('<item><title>x</title><guid isPermaLink="false">forged</guid>'
              f'<enclosure url="{BASE}talk.mp3" length="1" type="audio/mpeg"/>'
              f'<podcast:transcript url="{BASE}talk.txt" type="text/plain"/>'
              f'<podcast:transcript url="{BASE}talk.vtt" type="text/vtt"/></item>')
    feed.write_text(xml.replace("</channel>", forged + "</channel>"), encoding="utf-8")
    code, _, err = cli("feed", "-o", copy.folder)
    assert code == 0, err
    assert (copy.folder / "talk.txt").read_text(encoding="utf-8") == "my talk notes"
    assert (copy.folder / "talk.vtt").exists()
    assert "removed" not in err and "renamed" not in err


def test_base_url_flag_is_remembered_and_pins_the_guid(tmp_path, published, cli):
    copy = published.copy(tmp_path)
    assert cli("feed", "-o", copy.folder, "--base-url", "https://pods.example.net/harbour")[0] == 0
    assert cli("feed", "-o", copy.folder)[0] == 0  # no flag: the remembered URL stays
    root = etree.parse(str(copy.folder / "feed.xml")).getroot()
    assert one(root, "//enclosure").get("url") == "https://pods.example.net/harbour/" + copy.mp3.name
    expected = podcast_guid("pods.example.net/harbour/feed.xml")
    assert one(root, "//podcast:guid").text == expected
    assert load_settings(copy.folder).guid == expected
    # Moving the feed later keeps its identity.
    assert cli("feed", "-o", copy.folder, "--base-url", "https://elsewhere.example.net/")[0] == 0
    root = etree.parse(str(copy.folder / "feed.xml")).getroot()
    assert one(root, "//podcast:guid").text == expected


def test_list_episodes_ignores_foreign_mp3s(tmp_path, published):
    copy = published.copy(tmp_path)
    (copy.folder / "someone-elses.mp3").write_bytes(b"ID3 not really")
    assert [e.path.name for e in list_episodes(copy.folder)] == [copy.mp3.name]


def test_feed_of_an_empty_folder_is_valid_rss(tmp_path, cli):
    folder = tmp_path / "audio"
    folder.mkdir()
    assert cli("feed", "-o", folder)[0] == 0
    parsed = feedparser.parse((folder / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.entries == [] and parsed.feed.title == "Digest"
    assert (folder / "digest.toml").is_file() and (folder / "default-cover.png").is_file()



def test_feed_takes_the_folder_as_serve_does(tmp_path, published, cli):
    copy = published.copy(tmp_path)
    code, out, err = cli("feed", copy.folder)
    assert code == 0 and out == f"{copy.folder / 'feed.xml'} lists 1 episode\n", err
    code, out, _ = cli("feed", copy.folder, "--check")
    assert code == 0 and out.splitlines()[-1].endswith("feed.xml: passes")
    code, _, err = cli("feed", copy.folder, "-o", tmp_path)
    assert code == 2 and err.count("\n") == 1 and "two folders given" in err


@pytest.mark.parametrize("how", ["positional", "-o"])
@pytest.mark.parametrize("check", [[], ["--check"]])
def test_feed_in_a_missing_folder_says_so_in_one_line(tmp_path, cli, how, check):
    missing = tmp_path / "nope"
    code, out, err = cli("feed", *check, *(["-o"] if how == "-o" else []), missing)
    assert (code, out, err) == (2, "", f"digest: error: {missing}: no such folder\n")
    assert not missing.exists()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert cli("feed", tmp_path / "file")[2] == f"digest: error: {tmp_path / 'file'} is not a folder\n"
