"""`digest episodes`: listing a folder's episodes and removing some, atomically, with their outputs."""

import datetime as dt
import json
import os
import shutil

import pytest
from lxml import etree

from digest.publish import episodes as episodes_module
from digest.publish.library import INDEX_NAME, list_episodes
from tests.published import SHELF

OUTPUT_SUFFIXES = (".vtt", ".srt", ".txt", ".chapters.json", ".html")
TITLES_NEWEST_FIRST = [title for _, title, _ in reversed(SHELF.values())]


@pytest.fixture
def folder(shelf, tmp_path):
    copy = tmp_path / "audio"
    shutil.copytree(shelf, copy)
    return copy


def snapshot(folder):
    """Every file in the folder, hidden ones too, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def episode_files(folder, stem):
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(stem + "."))


def feed_items(folder):
    root = etree.parse(str(folder / "feed.xml")).getroot()
    return [(item.findtext("guid"), item.find("enclosure").get("url").rsplit("/", 1)[1]) for item in root.iter("item")]


def test_episodes_lists_newest_first_in_aligned_columns(cli, shelf):
    code, out, err = cli("episodes", shelf)
    assert code == 0, err
    header, *rows = out.splitlines()
    assert header.split() == ["DATE", "TITLE", "DURATION", "SIZE", "FILE"]
    assert [row.split("  ")[1].strip() for row in rows] == TITLES_NEWEST_FIRST
    assert [row[:10] for row in rows] == ["2026-11-25", "2026-11-24", "2026-11-23"]
    files = [row.split()[-1] for row in rows]
    assert all((shelf / name).is_file() and name.endswith(".mp3") for name in files)
    # Aligned: each column starts at the same place on every line.
    assert len({line.index(name) for line, name in zip(rows, files)} | {header.index("FILE")}) == 1
    assert all(" kB" in row or " MB" in row for row in rows)
    # -o names the folder the same way.
    assert cli("episodes", "-o", shelf)[1] == out


def test_the_table_cuts_long_titles_to_a_terminal_width(shelf):
    _, found = episodes_module.listing(shelf)
    lines = episodes_module.table(found, width=80)
    assert all(len(line) <= 80 for line in lines), lines
    assert any("\u2026" in line for line in lines)


def test_episodes_json_lists_what_is_there(cli, shelf):
    code, out, err = cli("episodes", shelf, "--json")
    assert code == 0, err
    listed = json.loads(out)["episodes"]
    found = list_episodes(shelf)
    assert [e["guid"] for e in listed] == [e.tags.guid for e in found] and len(listed) == 3
    assert [e["title"] for e in listed] == TITLES_NEWEST_FIRST
    for entry in listed:
        mp3 = shelf / entry["file"]
        assert entry["size"] == mp3.stat().st_size
        assert entry["duration"] > 1
        assert sorted(entry["outputs"].values()) == sorted(mp3.stem + s for s in OUTPUT_SUFFIXES)
        assert all((shelf / name).is_file() for name in entry["outputs"].values())


def test_an_empty_folder_says_so(cli, tmp_path):
    code, out, err = cli("episodes", tmp_path)
    assert (code, out, err) == (0, f"{tmp_path}: no episodes\n", "")
    assert json.loads(cli("episodes", tmp_path, "--json")[1])["episodes"] == []


@pytest.mark.parametrize("command", [["episodes"], ["episodes", "remove", "x"]])
def test_a_missing_folder_is_one_line_and_exit_2(cli, tmp_path, command):
    missing = tmp_path / "nope"
    code, out, err = cli(*command, "-o", missing)
    assert (code, out, err) == (2, "", f"digest: error: {missing}: no such folder\n")
    assert not missing.exists()


def test_remove_one_leaves_two_with_their_outputs_and_a_passing_feed(cli, folder):
    before = snapshot(folder)
    middle = sorted(name for name in before if name.endswith(".mp3"))[1]
    stem = middle[:-4]
    guid = dict((file, guid) for guid, file in feed_items(folder))[middle]
    assert len(episode_files(folder, stem)) == 1 + len(OUTPUT_SUFFIXES)

    code, out, err = cli("episodes", "remove", "2026-11-24", "-o", folder)
    assert code == 0, err
    assert err == ""  # the four warnings of deleting by hand are not here
    assert sorted(out.splitlines()[:1 + len(OUTPUT_SUFFIXES)]) == sorted(f"removed {folder / (stem + s)}" for s in (".mp3", *OUTPUT_SUFFIXES))
    assert episode_files(folder, stem) == []
    after = snapshot(folder)
    untouched = {name for name in before if not name.startswith(stem + ".") and not name.startswith(".")}
    rebuilt = {"feed.xml", "index.html"}  # without the episode
    assert untouched - rebuilt and all(after[name] == before[name] for name in untouched - rebuilt)
    assert len(feed_items(folder)) == 2 and guid not in [g for g, _ in feed_items(folder)]
    assert middle not in json.loads(after[INDEX_NAME])["episodes"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".digest-removing-")]
    code, out, _ = cli("feed", folder, "--check")
    assert code == 0 and out.splitlines()[-1].endswith("feed.xml: passes"), out
    assert [e["title"] for e in json.loads(cli("episodes", folder, "--json")[1])["episodes"]] == [
        TITLES_NEWEST_FIRST[0], TITLES_NEWEST_FIRST[2]]


def test_dry_run_changes_nothing(cli, folder):
    before = snapshot(folder)
    newest = sorted(name for name in before if name.endswith(".mp3"))[-1]
    code, out, err = cli("episodes", "remove", "--dry-run", newest, "-o", folder)
    assert code == 0, err
    assert sorted(out.splitlines()) == sorted(
        f"would remove {folder / (newest[:-4] + s)}" for s in (".mp3", *OUTPUT_SUFFIXES))
    assert snapshot(folder) == before


def test_ids_are_guids_names_with_or_without_mp3_paths_or_unique_prefixes(cli, folder):
    names = sorted(name for name in os.listdir(folder) if name.endswith(".mp3"))
    guid = dict((file, guid) for guid, file in feed_items(folder))[names[0]]
    code, out, err = cli("episodes", "remove", "--json", guid, names[1][:-4], folder / names[2], "-o", folder)
    assert code == 0, err
    assert sorted(r["file"] for r in json.loads(out)["removed"]) == names
    assert not [name for name in os.listdir(folder) if name.endswith(".mp3")] and feed_items(folder) == []


def test_ambiguous_or_unknown_ids_remove_nothing(cli, folder):
    before = snapshot(folder)
    names = sorted(name for name in before if name.endswith(".mp3"))
    code, out, err = cli("episodes", "remove", names[0], "2026-11-2", "-o", folder)
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert "'2026-11-2' could be any of 3 episodes: " in err and all(name in err for name in names)
    code, out, err = cli("episodes", "remove", names[0], "no-such-episode", "-o", folder)
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert "'no-such-episode'" in err and all(name in err for name in names)
    elsewhere = folder.parent / "elsewhere" / names[0]
    code, out, err = cli("episodes", "remove", elsewhere, "-o", folder)
    assert (code, out, err) == (2, "", f"digest: error: {elsewhere} is not in {folder}\n")
    assert snapshot(folder) == before


def test_a_users_files_named_like_the_episodes_outputs_survive(cli, folder):
    stem = sorted(name for name in os.listdir(folder) if name.endswith(".mp3"))[0][:-4]
    notes = folder / f"{stem}.notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    transcript = folder / f"{stem}.txt"  # the episode's own, edited by the user: theirs now
    transcript.write_text("my corrected transcript", encoding="utf-8")
    code, out, err = cli("episodes", "remove", stem, "-o", folder)
    assert code == 0, err
    assert f"left {transcript}: not the file digest wrote for {stem}.mp3" in out.splitlines()
    assert notes.read_text(encoding="utf-8") == "my notes"
    assert transcript.read_text(encoding="utf-8") == "my corrected transcript"
    assert episode_files(folder, stem) == sorted([notes.name, transcript.name])
    assert cli("feed", folder, "--check")[0] == 0


def test_a_failure_partway_leaves_the_folder_as_it_was(cli, folder, monkeypatch):
    before = snapshot(folder)
    real_move = episodes_module._move
    calls = []

    def fail_on_the_third_file(source, target):
        calls.append(source)
        if len(calls) == 3:
            raise PermissionError(13, "Permission denied", str(source))
        return real_move(source, target)

    monkeypatch.setattr(episodes_module, "_move", fail_on_the_third_file)
    code, out, err = cli("episodes", "remove", "2026-11-23", "-o", folder)
    monkeypatch.undo()
    assert code == 1 and err.count("\n") == 1 and "nothing was removed" in err, err
    assert len(calls) > 3  # two moved aside, and put back
    assert snapshot(folder) == before
    assert not [p for p in folder.iterdir() if p.is_dir()]
    assert cli("feed", folder, "--check")[0] == 0


@pytest.mark.parametrize("args, message", [
    (["--dry-run"], "--dry-run goes with `episodes remove`"),
    (["a", "b"], "one folder to list, not 2"),
    (["remove"], "name at least one episode to remove"),
])
def test_misused_episodes_is_one_line_and_exit_2(cli, folder, args, message):
    before = snapshot(folder)
    code, out, err = cli("episodes", *args, "-o", folder)
    assert (code, out) == (2, "") and err.count("\n") == 1 and message in err, err
    assert snapshot(folder) == before


def test_a_killed_removals_hidden_folder_is_cleared_by_the_next_one(cli, folder):
    stale = folder / ".digest-removing-killed"
    stale.mkdir()
    (stale / "2026-11-20-old.mp3").write_bytes(b"audio of an episode already out of the feed")
    assert cli("episodes", folder)[1].count(".mp3") == 3  # hidden: neither listed nor served
    code, _, err = cli("episodes", "remove", "2026-11-25", "-o", folder)
    assert code == 0, err
    assert not stale.exists()
    assert len(feed_items(folder)) == 2


def _dated(guid: str, day: int):
    from types import SimpleNamespace

    moment = dt.datetime(2026, 11, day, 6, 0).astimezone()
    return SimpleNamespace(tags=SimpleNamespace(guid=guid, published=moment))


@pytest.mark.parametrize("keep_episodes, keep_days, gone", [
    (3, None, ["d2", "d1"]),
    (None, 3, ["d2", "d1"]),  # on the 5th, the 2nd is three days old: it goes
    (2, 4, ["d3", "d2", "d1"]),  # either rule lets an episode go
    (None, None, []),
    (1, None, ["d4", "d3", "d2", "d1"]),
])
def test_retention_rules(keep_episodes, keep_days, gone):
    from digest.publish.episodes import expired

    episodes = [_dated(f"d{day}", day) for day in (1, 4, 2, 3, 5)]
    chosen = expired(episodes, dt.date(2026, 11, 5), keep_episodes, keep_days)
    assert [e.tags.guid for e in chosen] == gone


def test_retention_never_removes_the_episode_just_made():
    from digest.publish.episodes import expired

    episodes = [_dated("old-but-new", 1), _dated("d5", 5)]
    # A back-dated episode made now (--date) is protected even though the rules would take it.
    assert [e.tags.guid for e in expired(episodes, dt.date(2026, 11, 5), 1, None, protect=frozenset({"old-but-new"}))] \
        == ["d5"]


def test_the_folder_is_listed_again_only_when_a_file_came_or_went(tmp_path, monkeypatch):
    import os

    import digest.publish.library as library_module

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    library = library_module.Library.open(tmp_path)
    listings = []
    real_scandir = os.scandir
    monkeypatch.setattr(library_module.os, "scandir", lambda path: listings.append(path) or real_scandir(path))
    library.refresh_if_changed()
    assert listings == []  # nothing changed: a batch placing its next episode skips the listing
    os.utime(tmp_path, ns=(0, 0))  # a coarse clock would not tell the two apart: force a difference
    (tmp_path / "theirs.txt").write_text("added by someone else", encoding="utf-8")
    library.refresh_if_changed()
    assert len(listings) == 1 and "theirs.txt" in library.names


def test_a_new_name_is_never_one_a_file_took_since_the_listing(tmp_path):
    import datetime as dt

    from digest.publish.library import Library

    library = Library.open(tmp_path)
    (tmp_path / "2026-11-20-weather.mp3").write_bytes(b"not ours")  # after the listing
    path = library.path_for("guid-1", dt.date(2026, 11, 20), "Weather")
    assert path.name == "2026-11-20-weather-2.mp3"
