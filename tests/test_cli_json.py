"""`--json` on every command that does work: full paths of what was written, URLs, counts that mean
what they say, and on failure a JSON object with the error and exit code beside the stderr line."""

import json
from pathlib import Path

import pytest

from tests.published import Published


def test_make_json_names_every_file_the_episode_url_its_stories_and_googles_counts(cli, tmp_path, article_file,
                                                                                   fake_google):
    out_dir = tmp_path / "audio"
    code, out, err = cli("make", article_file, "-o", out_dir, "--engine", "gtts", "--json", "--date", "2026-11-25",
                         "--base-url", "https://pod.example.org/daily/")
    assert code == 0, err
    summary = json.loads(out)
    stem = out_dir / "2026-11-25-harbour-reopens-after-storm"
    assert summary["url"] == "https://pod.example.org/daily/2026-11-25-harbour-reopens-after-storm.mp3"
    assert summary["feed_url"] == "https://pod.example.org/daily/feed.xml"
    assert summary["story_titles"] == ["Harbour reopens after storm"]
    assert summary["chapters"] == f"{stem}.chapters.json"
    assert summary["page_url"] == "https://pod.example.org/daily/2026-11-25-harbour-reopens-after-storm.html"
    assert sorted(summary["transcripts"]) == sorted(f"{stem}{suffix}" for suffix in (".srt", ".txt", ".vtt"))
    written = sorted(path for path in out_dir.iterdir() if not path.name.startswith("."))
    assert sorted(Path(path) for path in summary["files"]) == written
    # Google's work in Google's words; the clips made are counted apart from the cache's.
    assert summary["engine_counters"] == {"gtts": {"requests": fake_google.count, "retries": 0}}
    assert summary["clips_synthesized"] == summary["clips"] - summary["cache_hits"] == fake_google.count
    # The keys scripts already read stay.
    assert summary["tts_requests"] == fake_google.count and summary["mp3"] == f"{stem}.mp3"

    code, out, _ = cli("make", article_file, "-o", out_dir, "--engine", "gtts", "--json", "--date", "2026-11-25")
    again = json.loads(out)
    assert again["up_to_date"] and again["clips_synthesized"] == 0
    assert again["engine_counters"] == {"gtts": {"requests": 0, "retries": 0}}
    assert again["url"] == summary["url"]  # the base URL is remembered


def test_make_json_counts_piper_work_as_clips_synthesized_not_requests(cli, tmp_path, article_file):
    code, out, err = cli("make", article_file, "-o", tmp_path / "audio", "--engine", "piper", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["engine_counters"] == {"piper": {"clips_synthesized": summary["clips"]}}
    assert summary["clips"] > 0 and summary["url"].startswith("http://127.0.0.1:8000/")


def test_auto_counts_googles_requests_and_after_falling_back_pipers_clips():
    from digest.speech.engines import get_engine

    engine = get_engine("auto")
    assert engine.counters() == {"gtts": {"requests": 0, "retries": 0}}
    engine.online.requests, engine.online.retries = 1, 2
    engine.active = engine.offline
    engine.offline.synthesized = 5
    assert engine.counters() == {"gtts": {"requests": 1, "retries": 2}, "piper": {"clips_synthesized": 5}}


@pytest.mark.parametrize("argv, code, message", [
    (["make", "{tmp}/missing.txt", "--json"], 2, "missing.txt: no such file"),
    (["make", "a.txt", "--jsn", "--json"], 2, "unrecognized arguments: --jsn; did you mean --json?"),
    (["episodes", "remove", "nothing-like-it", "-o", "{tmp}", "--json"], 2, "nothing-like-it"),
    (["make", "{article}", "-o", "{tmp}/audio", "--engine", "gtts", "--retry-seconds", "0", "--json"], 1,
     "gtts gave up on "),
])
def test_a_failure_with_json_is_a_json_object_on_stdout_and_one_line_on_stderr(cli, tmp_path, article_file, argv,
                                                                                code, message):
    argv = [arg.format(tmp=tmp_path, article=article_file) for arg in argv]
    exit_code, out, err = cli(*argv)
    assert exit_code == code
    failure = json.loads(out)
    assert failure == {"error": failure["error"], "exit_code": code} and message in failure["error"]
    assert err == f"digest: error: {failure['error']}\n"


def test_without_json_a_failure_prints_nothing_on_stdout(cli, tmp_path):
    code, out, err = cli("make", tmp_path / "missing.txt", "--", "--json")
    assert code == 2 and out == "" and "digest: error: none of the inputs could be read" in err


def test_feed_json_and_feed_check_json(cli, tmp_path, published: Published):
    copy = published.copy(tmp_path)
    code, out, err = cli("feed", copy.folder, "--json", "--base-url", "https://pod.example.org/")
    assert code == 0, err
    said = json.loads(out)
    assert said["feed"] == str(copy.folder / "feed.xml") and said["feed_url"] == "https://pod.example.org/feed.xml"
    assert [episode["url"] for episode in said["episodes"]] == [f"https://pod.example.org/{copy.mp3.name}"]
    assert all(Path(path).is_file() for path in said["files"])

    code, out, err = cli("feed", copy.folder, "--check", "--json")
    assert code == 0, err
    check = json.loads(out)
    assert check["passes"] is True and check["failures"] == 0
    assert all(set(finding) == {"severity", "where", "message"} for finding in check["findings"])

    copy.sidecar(".vtt").write_text("not a transcript", encoding="utf-8")
    code, out, _ = cli("feed", copy.folder, "--check", "--json")
    check = json.loads(out)
    assert code == 1 and check["passes"] is False and check["failures"] >= 1


def test_episodes_json_gives_paths_and_urls_and_remove_the_removed_paths(cli, tmp_path, published: Published):
    copy = published.copy(tmp_path)
    code, out, err = cli("episodes", copy.folder, "--json")
    assert code == 0, err
    [episode] = json.loads(out)["episodes"]
    assert episode["path"] == str(copy.mp3) and episode["url"] == f"http://127.0.0.1:8000/{copy.mp3.name}"

    code, out, err = cli("episodes", "remove", copy.mp3.name, "-o", copy.folder, "--json")
    assert code == 0, err
    said = json.loads(out)
    [removed] = said["removed"]
    assert removed["paths"][0] == str(copy.mp3) and not any(Path(path).exists() for path in removed["paths"])
    assert said["feed"] == str(copy.folder / "feed.xml")


def test_cache_json_info_prune_and_clear(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("DIGEST_CACHE_MAX", raising=False)
    cache = tmp_path / "clips"
    (cache / "ab").mkdir(parents=True)
    for name in ("ab1", "ab2"):
        (cache / "ab" / f"{name}.wav").write_bytes(b"x" * 1000)
    code, out, err = cli("cache", "--cache-dir", cache, "--json")
    assert code == 0, err
    assert json.loads(out) == {"action": "info", "folder": str(cache), "clips": 2, "bytes": 2000,
                               "limit_bytes": 500_000_000, "limit_source": "default"}
    said = json.loads(cli("cache", "prune", "--max", "1500", "--cache-dir", cache, "--json")[1])
    assert (said["removed"], said["freed_bytes"], said["clips"], said["bytes"]) == (1, 1000, 1, 1000)
    assert json.loads(cli("cache", "clear", "--cache-dir", cache, "--json")[1])["removed"] == 1


def test_script_json_has_the_segments_chapters_and_story_titles(cli, article_file):
    code, out, err = cli("script", article_file, "--json", "--date", "2026-11-25")
    assert code == 0, err
    script = json.loads(out)
    assert script["story_titles"] == ["Harbour reopens after storm"]
    assert script["chapters"][1] == "Harbour reopens after storm"
    assert {segment["kind"] for segment in script["segments"]} >= {"intro", "title", "paragraph", "outro"}
    assert any("Ferries sailed again" in segment["text"] for segment in script["segments"])


def test_engines_json(cli):
    code, out, _ = cli("engines", "--json")
    listed = {engine["name"]: engine for engine in json.loads(out)["engines"]}
    assert code == 0 and list(listed) == ["gtts", "piper", "auto"]
    assert listed["piper"]["options"] == ["--voice"] and "languages" not in listed["gtts"]


def test_settings_json_and_set_json(cli, tmp_path):
    out_dir = tmp_path / "audio"
    code, out, err = cli("settings", "set", "speed", "1.2", "-o", out_dir, "--json")
    assert code == 0, err
    assert json.loads(out) == {"action": "set", "key": "speed", "value": 1.2, "changed": True,
                               "file": str(out_dir / "digest.toml")}
    shown = json.loads(cli("settings", "-o", out_dir, "--json")[1])["settings"]
    assert shown["speed"] == {"value": 1.2, "source": "file", "from": str(out_dir / "digest.toml"),
                              "help": shown["speed"]["help"]}
    assert (shown["engine"]["value"], shown["engine"]["source"]) == ("auto", "default")
    said = json.loads(cli("settings", "unset", "speed", "-o", out_dir, "--json")[1])
    assert (said["key"], said["value"], said["changed"]) == ("speed", None, True)


def test_serve_json_prints_its_address_once_serving(tmp_path, published: Published):
    import http.client
    import subprocess
    import sys

    copy = published.copy(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "digest", "serve", str(copy.folder), "--port", "0", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        said = json.loads(process.stdout.readline())
        assert said["folder"] == str(copy.folder) and said["feed_url"] == said["url"] + "feed.xml"
        port = int(said["url"].rsplit(":", 1)[1].strip("/"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("HEAD", "/feed.xml")
        assert connection.getresponse().status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sources_json_on_add_list_and_remove(cli, tmp_path):
    out_dir, reading = tmp_path / "audio", tmp_path / "reading"
    reading.mkdir()
    code, out, err = cli("sources", "add", reading, "--name", "Reading", "-o", out_dir, "--json")
    assert code == 0, err
    added = json.loads(out)
    assert (added["action"], added["source"]["name"], added["file"]) == ("add", "Reading", str(out_dir / "digest.toml"))
    assert [s["name"] for s in json.loads(cli("sources", "-o", out_dir, "--json")[1])["sources"]] == ["Reading"]
    removed = json.loads(cli("sources", "remove", "Reading", "-o", out_dir, "--json")[1])
    assert removed["action"] == "remove" and removed["source"]["url"] == added["source"]["url"]


@pytest.mark.parametrize("raised, code, error", [
    (KeyboardInterrupt(), 130, "interrupted"),
    (ZeroDivisionError("a bug"), 1, "internal error: ZeroDivisionError: a bug"),
])
def test_an_interrupt_or_a_bug_with_json_is_a_json_object_too(cli, monkeypatch, raised, code, error):
    import digest.cli

    def engines(args):
        raise raised

    monkeypatch.setitem(digest.cli.COMMANDS, "engines", engines)
    exit_code, out, err = cli("engines", "--json")
    assert exit_code == code and json.loads(out) == {"error": error, "exit_code": code}
    assert err.startswith("digest: ") and err.count("\n") == 1
