"""Transcript and chapter files beside an episode."""

import datetime as dt
import json

from digest.publish.library import follow_episodes
from digest.publish.outputs import (
    OUTPUTS,
    Material,
    OutputKind,
    build_sidecars,
    find_sidecars,
    fingerprint_sidecars,
    missing_sidecars,
    write_sidecars,
)
from digest.publish.tags import Chapter, EpisodeFile, EpisodeTags
from digest.publish.transcripts import Cue

SUFFIXES = [kind.suffix for kind in OUTPUTS.values()]


def test_written_found_and_replaced_together(tmp_path):
    mp3 = tmp_path / "2026-11-25-harbour.mp3"
    mp3.write_bytes(b"audio")
    contents = build_sidecars(Material([Cue(0, 1, "Hello.")], ["Hello."], [Chapter("Introduction", 0, 1)], []))
    write_sidecars(mp3, contents)
    found = find_sidecars(mp3)
    assert {kind: path.name for kind, path in found.items()} == {
        "vtt": "2026-11-25-harbour.vtt", "srt": "2026-11-25-harbour.srt",
        "text": "2026-11-25-harbour.txt", "chapters": "2026-11-25-harbour.chapters.json",
        "page": "2026-11-25-harbour.html"}
    assert 'src="2026-11-25-harbour.mp3"' in found["page"].read_text()
    assert json.loads(found["chapters"].read_text())["chapters"][0]["title"] == "Introduction"
    write_sidecars(mp3, {"vtt": b"WEBVTT\n"})
    assert set(find_sidecars(mp3)) == {"vtt"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_missing_sidecars_are_named(tmp_path):
    mp3 = tmp_path / "2026-11-25-harbour.mp3"
    write_sidecars(mp3, build_sidecars(Material([Cue(0, 1, "Hello.")], ["Hello."], [Chapter("Intro", 0, 1)], [])))
    assert missing_sidecars(mp3) == []
    (tmp_path / "2026-11-25-harbour.vtt").unlink()
    (tmp_path / "2026-11-25-harbour.chapters.json").unlink()
    assert [p.name for p in missing_sidecars(mp3)] == ["2026-11-25-harbour.vtt", "2026-11-25-harbour.chapters.json"]


# follow_episodes gets the episodes whose MP3 is gone (as the index last saw them, with the
# fingerprints of the outputs digest wrote) and the episodes now in the folder; these tests make
# both by hand, with a few bytes standing in for each file.

def episode(folder, guid, name, recorded: dict[str, bytes] | None = None):
    """An episode at `name`; `recorded` is what digest wrote for it, by kind (its SIDECARS tag)."""
    path = folder / name
    tags = EpisodeTags(title=name, programme="P", guid=guid, published=dt.datetime(2026, 11, 25), engine="gtts")
    if recorded is not None:
        tags.extra["SIDECARS"] = fingerprint_sidecars(recorded)
    return EpisodeFile(path=path, tags=tags, duration=1.0, size=5)


def present(folder, guid, name):
    found = episode(folder, guid, name)
    found.path.write_bytes(b"audio")
    return found


def files(folder, stem, keys=tuple(OUTPUTS), text="ours") -> dict[str, bytes]:
    written = {}
    for key in keys:
        written[key] = f"{text} {OUTPUTS[key].suffix}".encode()
        (folder / (stem + OUTPUTS[key].suffix)).write_bytes(written[key])
    return written


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_only_files_digest_recorded_writing_are_removed(tmp_path):
    # A user's meeting notes, named like an episode's outputs, with no episode at all.
    files(tmp_path, "2024-05-01-meeting-notes", ["text", "srt"], text="mine")
    # A deleted episode: digest recorded writing its .vtt and chapters; the .txt and .srt at its
    # names are not those (the user's, or from before fingerprints were recorded).
    written = files(tmp_path, "2026-11-25-gone", ["vtt", "chapters"])
    files(tmp_path, "2026-11-25-gone", ["text", "srt"], text="mine")
    gone = [episode(tmp_path, "g1", "2026-11-25-gone.mp3", written)]
    tidied = follow_episodes(tmp_path, gone, [])
    assert sorted(p.name for p in tidied.removed) == ["2026-11-25-gone.chapters.json", "2026-11-25-gone.vtt"]
    assert names(tmp_path) == ["2024-05-01-meeting-notes.srt", "2024-05-01-meeting-notes.txt",
                               "2026-11-25-gone.srt", "2026-11-25-gone.txt"]


def test_a_file_changed_since_digest_wrote_it_is_left_alone(tmp_path):
    written = files(tmp_path, "2026-11-25-gone")
    (tmp_path / "2026-11-25-gone.txt").write_text("edited by the user", encoding="utf-8")
    tidied = follow_episodes(tmp_path, [episode(tmp_path, "g1", "2026-11-25-gone.mp3", written)], [])
    assert [p.name for p in tidied.kept] == ["2026-11-25-gone.txt"]
    assert names(tmp_path) == ["2026-11-25-gone.txt"]


def test_an_episode_with_no_record_touches_nothing(tmp_path):
    files(tmp_path, "2026-11-25-old")
    tidied = follow_episodes(tmp_path, [episode(tmp_path, "g1", "2026-11-25-old.mp3")], [])
    assert tidied.removed == tidied.moved == [] and len(tidied.kept) == len(OUTPUTS)


def test_sidecars_follow_a_renamed_mp3_to_any_name(tmp_path):
    written = files(tmp_path, "2026-11-25-harbour")
    now = [present(tmp_path, "g1", "My Episode (final).mp3")]
    tidied = follow_episodes(tmp_path, [episode(tmp_path, "g1", "2026-11-25-harbour.mp3", written)], now)
    assert names(tmp_path) == sorted(["My Episode (final).mp3", *("My Episode (final)" + k.suffix
                                                                   for k in OUTPUTS.values())])
    assert len(tidied.moved) == len(OUTPUTS) and tidied.removed == [] and tidied.kept == []
    assert (tmp_path / "My Episode (final).vtt").read_text(encoding="utf-8") == "ours .vtt"


def test_a_new_episode_in_a_deleted_ones_place_keeps_its_sidecars(tmp_path):
    # The old episode was deleted and a new one made under the same name before the next run.
    now = [present(tmp_path, "new", "2026-11-25-harbour.mp3")]
    written = files(tmp_path, "2026-11-25-harbour", text="new")
    tidied = follow_episodes(tmp_path, [episode(tmp_path, "old", "2026-11-25-harbour.mp3", written)], now)
    assert tidied.removed == tidied.moved == []
    assert (tmp_path / "2026-11-25-harbour.vtt").read_text(encoding="utf-8") == "new .vtt"


def test_nothing_is_overwritten_and_copies_are_left_for_the_user(tmp_path):
    written = files(tmp_path, "2026-11-25-a")
    now = [present(tmp_path, "a", "renamed-a.mp3")]
    files(tmp_path, "renamed-a", ["vtt"])  # moved by hand: the same bytes
    files(tmp_path, "renamed-a", ["srt"], text="the user's own")
    tidied = follow_episodes(tmp_path, [episode(tmp_path, "a", "2026-11-25-a.mp3", written)], now)
    assert (tmp_path / "renamed-a.srt").read_text(encoding="utf-8") == "the user's own .srt"
    assert [p.name for p in tidied.kept] == ["2026-11-25-a.srt"]
    assert [p.name for p in tidied.removed] == ["2026-11-25-a.vtt"]  # a duplicate of renamed-a.vtt
    assert sorted(b.name for _, b in tidied.moved) == ["renamed-a.chapters.json", "renamed-a.html",
                                                           "renamed-a.txt"]

    # Two copies of one episode: which one the files go with is not digest's guess.
    written = files(tmp_path, "2026-11-25-b")
    copies = [present(tmp_path, "b", "b1.mp3"), present(tmp_path, "b", "b2.mp3")]
    tidied = follow_episodes(tmp_path, [episode(tmp_path, "b", "2026-11-25-b.mp3", written)], copies)
    assert len(tidied.kept) == len(OUTPUTS) and tidied.moved == tidied.removed == []
    assert all((tmp_path / ("2026-11-25-b" + kind.suffix)).exists() for kind in OUTPUTS.values())


def test_a_folder_input_leaves_out_every_output_kind_and_the_feed(tmp_path):
    from digest.publish.outputs import own_files
    from digest.read import ReadSettings, read_entries

    (tmp_path / "story.txt").write_text("Story\n\nA real article.", encoding="utf-8")
    (tmp_path / "2026-11-25-story.mp3").write_bytes(b"ID3")
    for kind in OUTPUTS.values():
        (tmp_path / f"2026-11-25-story{kind.suffix}").write_text("Welcome to Digest.\n\nOld words.")
    (tmp_path / "digest.toml").write_text('title = "Digest"\n', encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<rss version='2.0'><channel><title>x</title></channel></rss>")
    entries = read_entries(str(tmp_path), ReadSettings(own_files=own_files()))
    assert [entry.title for entry in entries] == ["Story"]


class WordList(OutputKind):
    """An output kind as the next one (say, the episode page) would be added: a class and a register call."""

    key, suffix, mime = "words", ".words.json", "application/json"
    link, link_order = "transcript", -1

    def build(self, material):
        return json.dumps([cue.text for cue in material.cues]).encode("utf-8")


def test_a_registered_output_kind_is_written_linked_checked_served_and_skipped(cli, tmp_path, article_file,
                                                                              monkeypatch):
    from digest.publish import outputs
    from digest.publish.serve import content_type

    # register() would do; setitem also takes it out again after the test.
    monkeypatch.setitem(outputs.OUTPUTS, WordList.key, WordList())
    out = tmp_path / "audio"
    code, _, err = cli("make", article_file, "-o", out, "--engine", "piper", "-q")
    assert code == 0, err
    [mp3] = out.glob("*.mp3")
    words = mp3.with_name(mp3.stem + ".words.json")
    assert json.loads(words.read_text())[0].startswith("Welcome to")
    assert f'url="http://127.0.0.1:8000/{words.name}" type="application/json"' in (out / "feed.xml").read_text()
    assert content_type(words.name) == "application/json; charset=utf-8"
    code, out_text, _ = cli("feed", "--check", "-o", out)
    assert code == 0, out_text
    from digest.read import ReadSettings, read_entries

    (out / "story.txt").write_text("Story\n\nA real article.", encoding="utf-8")
    entries = read_entries(str(out), ReadSettings(own_files=outputs.own_files()))
    assert [entry.title for entry in entries] == ["Story"]
