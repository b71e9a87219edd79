"""The episode MP3 read back with mutagen: ID3v2.4 tags, cover, chapters and the length header."""

import io
import json
import subprocess

from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from PIL import Image

from digest.publish.tags import has_xing_header, read_episode
from digest.sound.clips import SAMPLE_RATE
from digest.sound.ffmpeg import ffmpeg_path
from tests.published import DATE, PROGRAMME


def test_players_see_title_programme_date_genre(published):
    tags = ID3(str(published.mp3))
    assert tags.version[:2] == (2, 4)
    # Two stories: the programme's edition of the day, not "<first story> and 1 more".
    assert str(tags["TIT2"]) == f"{PROGRAMME}, 25 November 2026"
    assert published.mp3.name == "2026-11-25-harbour-weekly.mp3"
    assert str(tags["TPE1"]) == PROGRAMME
    assert str(tags["TALB"]) == PROGRAMME
    assert str(tags["TCON"]) == "Podcast"
    assert str(tags["TDRC"]).startswith(str(DATE.year))
    assert str(tags["TXXX:DIGEST_GUID"]) == published.result.guid


def test_cover_art_is_a_square_jpeg(published):
    [apic] = ID3(str(published.mp3)).getall("APIC")
    assert apic.mime == "image/jpeg" and apic.type == 3
    with Image.open(io.BytesIO(apic.data)) as image:
        assert image.format == "JPEG" and image.size == (600, 600)


def test_chapter_frames_match_the_json_chapters(published):
    tags = ID3(str(published.mp3))
    [toc] = tags.getall("CTOC")
    frames = {frame.element_id: frame for frame in tags.getall("CHAP")}
    assert list(toc.child_element_ids) == sorted(frames, key=lambda i: frames[i].start_time)
    document = json.loads(published.sidecar(".chapters.json").read_text(encoding="utf-8"))
    ordered = [frames[element_id] for element_id in toc.child_element_ids]
    assert [str(f.sub_frames["TIT2"]) for f in ordered] == [c["title"] for c in document["chapters"]]
    assert [f.start_time for f in ordered] == [round(c["startTime"] * 1000) for c in document["chapters"]]
    # Chapters tile the episode: each ends where the next starts.
    assert all(a.end_time == b.start_time for a, b in zip(ordered, ordered[1:]))
    assert [c["title"] for c in document["chapters"]] == [
        "Introduction", "Ferries sail again after the storm", "Mill Street bakery wins a bread award", "Closing"]


def _decoded_seconds(path) -> float:
    pcm = subprocess.run([ffmpeg_path(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", str(SAMPLE_RATE), "-"], capture_output=True, check=True).stdout
    return len(pcm) / 2 / SAMPLE_RATE


def test_xing_header_gives_the_real_length(published):
    assert has_xing_header(published.mp3)
    header_length = MP3(str(published.mp3)).info.length
    # The header's frame count, not a bitrate guess: it matches the decoded audio closely.
    assert abs(header_length - _decoded_seconds(published.mp3)) < 0.1
    assert abs(header_length - published.result.duration) < 0.2


def test_a_file_without_xing_header_is_detected(tmp_path, published):
    data = published.mp3.read_bytes()
    damaged = tmp_path / "damaged.mp3"
    damaged.write_bytes(data.replace(b"Info", b"Junk", 1).replace(b"Xing", b"Junk", 1))
    assert not has_xing_header(damaged)
    assert not has_xing_header(tmp_path / "missing.mp3")


def test_read_episode_round_trips_stories_and_chapters(published):
    episode = read_episode(published.mp3)
    assert episode.size == published.mp3.stat().st_size
    assert [story["url"] for story in episode.tags.stories] == [
        "https://news.example.org/ferries?id=7&lang=en", "javascript:alert(1)"]
    assert len(episode.tags.chapters) == 4
    assert episode.tags.cover_jpeg.startswith(b"\xff\xd8")
