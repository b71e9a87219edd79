"""Transcript and chapter files beside an episode."""

import json

from digest.sidecars import build_sidecars, find_sidecars, prune_orphans, write_sidecars
from digest.tags import Chapter
from digest.transcripts import Cue


def test_written_found_and_replaced_together(tmp_path):
    mp3 = tmp_path / "2026-11-25-harbour.mp3"
    mp3.write_bytes(b"audio")
    contents = build_sidecars([Cue(0, 1, "Hello.")], ["Hello."], [Chapter("Introduction", 0, 1)], [])
    write_sidecars(mp3, contents)
    found = find_sidecars(mp3)
    assert {kind: path.name for kind, path in found.items()} == {
        "vtt": "2026-11-25-harbour.vtt", "srt": "2026-11-25-harbour.srt",
        "text": "2026-11-25-harbour.txt", "chapters": "2026-11-25-harbour.chapters.json"}
    assert json.loads(found["chapters"].read_text())["chapters"][0]["title"] == "Introduction"
    write_sidecars(mp3, {"vtt": b"WEBVTT\n"})
    assert set(find_sidecars(mp3)) == {"vtt"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_orphans_of_episodes_are_pruned_other_files_kept(tmp_path):
    (tmp_path / "2026-11-25-kept.mp3").write_bytes(b"audio")
    for name in ("2026-11-25-kept.vtt", "2026-11-25-gone.vtt", "2026-11-25-gone.chapters.json",
                 "2026-11-25-gone.txt", "notes.txt", "other.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = prune_orphans(tmp_path)
    assert sorted(p.name for p in removed) == ["2026-11-25-gone.chapters.json", "2026-11-25-gone.txt", "2026-11-25-gone.vtt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-25-kept.mp3", "2026-11-25-kept.vtt", "notes.txt", "other.json"]
