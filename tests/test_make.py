"""Whole-pipeline tests with real engines (Piper offline, gTTS against the fake Google) and real ffmpeg."""

import datetime as dt
import subprocess

import feedparser
import pytest
from mutagen.id3 import ID3

from digest.make import MakeOptions, make
from digest.publish.library import INDEX_NAME
from digest.read import read_input
from digest.read.clean import clean_text, paragraphs
from digest.script.chunk import split_sentences
from digest.script.speakable import speakable
from digest.sound.ffmpeg import ffmpeg_path
from tests.conftest import route_to
from tests.fakegoogle import FakeGoogle

DATE = dt.date(2026, 11, 25)


def decodes_cleanly(path) -> bool:
    result = subprocess.run([ffmpeg_path(), "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True)
    return result.returncode == 0 and not result.stderr.strip()


@pytest.fixture(scope="module")
def piper_episode(tmp_path_factory):
    folder = tmp_path_factory.mktemp("piper")
    source = folder / "keeper.txt"
    source.write_text(
        "The last keeper\n\nFor ninety years the lighthouse was kept by hand.\n\n"
        "The last keeper retired in 1988, and the light now runs on a timer.\n",
        encoding="utf-8",
    )
    out = folder / "audio"
    result = make(MakeOptions(inputs=[str(source)], output_dir=out, engine="piper", date=DATE,
                              cache_dir=folder / "cache"))
    return result, out


def test_piper_episode_is_a_playable_mp3_of_plausible_length(piper_episode):
    result, out = piper_episode
    assert result.mp3_path == out / "2026-11-25-the-last-keeper.mp3"
    assert decodes_cleanly(result.mp3_path)
    # Intro + title + two sentences + outro: about 60 words at 2 to 4 words per second.
    assert 12 < result.duration < 40
    assert result.engine == "piper" and result.requests == 0


def test_piper_episode_is_listed_in_the_feed(piper_episode):
    result, out = piper_episode
    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo
    [entry] = feed.entries
    [enclosure] = entry.enclosures
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == result.mp3_path.stat().st_size
    assert enclosure.href.endswith("/2026-11-25-the-last-keeper.mp3")
    assert entry.id == result.guid
    assert entry.title == "The last keeper"
    hours, minutes, seconds = map(int, entry.itunes_duration.split(":"))
    assert abs(hours * 3600 + minutes * 60 + seconds - result.duration) <= 1


def test_piper_episode_tags(piper_episode):
    result, _ = piper_episode
    tags = ID3(str(result.mp3_path))
    assert tags.version[:2] == (2, 4)
    assert str(tags["TIT2"]) == "The last keeper"
    assert str(tags["TALB"]) == "Digest"
    assert str(tags["TXXX:DIGEST_ENGINE"]) == "piper"
    assert str(tags["TCON"]) == "Podcast"


def test_gtts_episode_speaks_every_sentence_in_small_requests(tmp_path, fake_google):
    source = tmp_path / "news.txt"
    source.write_text(
        " date 2024-03-02 City council approves new bike lanes: Report\n\n"
        "The city council voted on Tuesday night to build twelve kilometres of protected bike lanes "
        "along Harbour Road and Mill Street, ending a debate that has run for almost three years.\n\n"
        "\u201cThis is about getting people home safely,\u201d said councillor Amara Osei.\n",
        encoding="utf-8",
    )
    result = make(MakeOptions(inputs=[str(source)], output_dir=tmp_path / "audio", engine="gtts", date=DATE))
    # Requests run concurrently, so their arrival order says nothing; their texts must cover the script.
    spoken = " ".join(r.text for r in fake_google.requests)
    assert all(len(r.text) <= 100 for r in fake_google.requests)
    assert "Welcome to Digest, for Wednesday, November twenty-fifth, twenty twenty-six." in spoken
    [article] = read_input(str(source))
    for paragraph in paragraphs(clean_text(article.body)):
        for sentence in split_sentences(speakable(paragraph)):
            assert " ".join(sentence.split()[:4]) in spoken
    assert "2024-03-02" not in spoken and "March second, twenty twenty-four" in spoken
    assert result.requests == fake_google.count == result.clips
    assert result.engine == "gtts"
    assert decodes_cleanly(result.mp3_path)


def test_auto_falls_back_to_piper_when_google_is_unreachable(tmp_path, article_file, caplog):
    result = make(MakeOptions(inputs=[str(article_file)], output_dir=tmp_path / "audio", date=DATE))
    assert result.engine == "piper"
    assert "Failed to connect" in result.fallback_reason
    assert str(ID3(str(result.mp3_path))["TXXX:DIGEST_ENGINE"]) == "piper"
    [warning] = [record.getMessage() for record in caplog.records if "Piper" in record.getMessage()]
    # The listener learns why in a few words; which utterance happened to go first is noise.
    assert "Google could not be reached: Failed to connect" in warning
    assert "Welcome" not in warning and "Probable cause" not in warning


def test_second_episode_keeps_the_first_and_regeneration_keeps_guid(tmp_path, monkeypatch):
    out = tmp_path / "audio"
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("First story\n\nBoats sailed.", encoding="utf-8")
    two.write_text("Second story\n\nTrains ran.", encoding="utf-8")
    with FakeGoogle() as google:
        route_to(monkeypatch, google)
        first = make(MakeOptions(inputs=[str(one)], output_dir=out, engine="gtts", date=DATE))
        second = make(MakeOptions(inputs=[str(two)], output_dir=out, engine="gtts", date=DATE))
        again = make(MakeOptions(inputs=[str(one)], output_dir=out, engine="gtts", date=dt.date(2026, 11, 26)))
    feed = feedparser.parse(str(out / "feed.xml"))
    assert sorted(e.id for e in feed.entries) == sorted([first.guid, second.guid])
    assert again.guid == first.guid and again.mp3_path == first.mp3_path
    assert sorted(p.name for p in out.glob("*.mp3")) == sorted([first.mp3_path.name, second.mp3_path.name])
    # Only the intro changed (it speaks the new date): one request, everything else from the cache.
    assert again.cache_hits == again.clips - 1 and again.requests == 1


def test_renaming_the_programme_remakes_episodes_in_place_not_anew(tmp_path, cli):
    """The programme's name is part of an episode's GUID, and the intro speaks it: renamed, an
    episode is made again under its GUID and file, not published a second time beside itself."""
    from digest.publish.settings import load_settings

    story = tmp_path / "ferry.txt"
    story.write_text("Ferry returns\n\nThe river ferry runs again from Tuesday after repairs.\n", encoding="utf-8")
    out = tmp_path / "audio"
    first = make(MakeOptions(inputs=[str(story)], output_dir=out, engine="piper", date=DATE, programme="Mill Town"))
    assert load_settings(out).guid_title == "Mill Town"  # pinned with the first episode
    again = make(MakeOptions(inputs=[str(story)], output_dir=out, engine="piper", date=DATE,
                             programme="Mill Town Audio"))
    assert not again.up_to_date  # its intro says the new name
    assert (again.guid, again.mp3_path) == (first.guid, first.mp3_path)
    feed = feedparser.parse(str(out / "feed.xml"))
    assert feed.feed.title == "Mill Town Audio" and [e.id for e in feed.entries] == [first.guid]
    assert cli("settings", "set", "title", "Harbour Audio", "-o", out)[0] == 0
    third = make(MakeOptions(inputs=[str(story)], output_dir=out, engine="piper", date=DATE))
    assert (third.guid, third.mp3_path) == (first.guid, first.mp3_path)
    assert [p.name for p in out.glob("*.mp3")] == [first.mp3_path.name]


def test_date_sets_the_publication_day_of_new_and_remade_episodes(tmp_path, fake_google, article_file):
    from digest.publish.tags import read_episode

    out = tmp_path / "audio"
    first = make(MakeOptions(inputs=[str(article_file)], output_dir=out, engine="gtts", date=dt.date(2020, 1, 1)))
    assert first.mp3_path.name.startswith("2020-01-01-")
    assert read_episode(first.mp3_path).tags.published.astimezone().date() == dt.date(2020, 1, 1)
    moved = make(MakeOptions(inputs=[str(article_file)], output_dir=out, engine="gtts", date=dt.date(2020, 1, 3)))
    # Same episode (same GUID and file, so subscribers keep it), published on the new day.
    assert (moved.guid, moved.mp3_path) == (first.guid, first.mp3_path)
    assert read_episode(moved.mp3_path).tags.published.astimezone().date() == dt.date(2020, 1, 3)
    entry = feedparser.parse(str(out / "feed.xml")).entries[0]
    assert dt.date(*entry.published_parsed[:3]) in (dt.date(2020, 1, 2), dt.date(2020, 1, 3), dt.date(2020, 1, 4))


def test_damaged_feed_is_backed_up_not_silently_overwritten(tmp_path, fake_google, article_file):
    out = tmp_path / "audio"
    out.mkdir()
    (out / "feed.xml").write_text("<rss><channel><item>half a feed", encoding="utf-8")
    make(MakeOptions(inputs=[str(article_file)], output_dir=out, engine="gtts", date=DATE))
    [backup] = out.glob("feed.xml.broken-*")
    assert backup.read_text(encoding="utf-8") == "<rss><channel><item>half a feed"
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 1


def test_no_partial_files_are_left_behind(tmp_path, fake_google, article_file):
    out = tmp_path / "audio"
    make(MakeOptions(inputs=[str(article_file)], output_dir=out, engine="gtts", date=DATE))
    # Only the folder's lock file and the library's index may stay hidden there; no unfinished
    # file survives a run.
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == sorted([".digest.lock", INDEX_NAME])


def test_stale_partials_of_killed_runs_are_swept_but_fresh_ones_kept(tmp_path, fake_google, article_file):
    import os
    import time

    out = tmp_path / "audio"
    out.mkdir()
    stale, fresh = out / ".digest-old.mp3.partial", out / ".digest-new.mp3.partial"
    stale.write_bytes(b"half an episode")
    fresh.write_bytes(b"another run is writing this")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    make(MakeOptions(inputs=[str(article_file)], output_dir=out, engine="gtts", date=DATE))
    assert not stale.exists() and fresh.exists()
