"""digest batch as a publisher runs it: per-article --summary and --max-minutes, the issue's
"done when" (a feed of 20 items, twice), Ctrl-C in the middle of a batch, and a client killed outright.

Piper speaks (offline); stories are a sentence or a few so that each batch stays short.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from digest.batch.client import STAGING_NAME
from tests.conftest import DEAD_PROXY
from tests.test_batch import write_stories

ROOT = Path(__file__).resolve().parent.parent

# One story of four sentences, each with a word no other sentence has.
SENTENCES = ["The harbour office reopened the north quay on Monday after a year of repairs.",
             "Fishing boats tied up there again before noon.",
             "A brass band played while the mayor cut a ribbon.",
             "Tickets for the evening ferry sold out within the hour."]
MARKERS = ["quay", "boats", "ribbon", "ferry"]


def told(mp3: Path) -> list[str]:
    """Which of the story's sentences the episode says, by their words in its transcript."""
    transcript = mp3.with_suffix(".vtt").read_text(encoding="utf-8").lower()
    return [marker for marker in MARKERS if marker in transcript]


def test_summary_and_max_minutes_tell_each_story_briefly_and_a_change_makes_it_again_in_place(tmp_path, cli):
    stories = tmp_path / "in"
    stories.mkdir()
    (stories / "quay.txt").write_text("date 2026-11-20 Quay reopens\n\n" + " ".join(SENTENCES) + "\n",
                                      encoding="utf-8")
    out = tmp_path / "out"

    def batch(*flags):
        code, stdout, stderr = cli("batch", stories, "-o", out, "--engine", "piper", "--processes", "1",
                                   "--cache-dir", tmp_path / "cache", "--json", *flags)
        assert code == 0, stderr
        [outcome] = json.loads(stdout)["outcomes"]
        return outcome, stderr

    short, _ = batch("--summary", "1")
    assert short["status"] == "made"
    assert told(Path(short["mp3"])) == ["quay"]  # the lead only
    assert batch("--summary", "1")[0]["status"] == "up_to_date"
    whole, _ = batch()  # no summary now: the whole story, in place of the short one
    assert whole["status"] == "made"
    assert (whole["guid"], whole["mp3"]) == (short["guid"], short["mp3"])
    assert told(Path(whole["mp3"])) == MARKERS
    fitted, stderr = batch("--max-minutes", "0.4")
    assert fitted["status"] == "made" and fitted["mp3"] == whole["mp3"]
    assert 1 <= len(told(Path(fitted["mp3"]))) < 4
    assert fitted["duration_seconds"] < whole["duration_seconds"]
    assert stderr.count("--max-minutes 0.4: 1 of 1 story summarized to fit") == 1
    assert batch("--max-minutes", "0.4")[0]["status"] == "up_to_date"
    assert len(list(out.glob("*.mp3"))) == 1
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 1


def rss_of(count: int, base: str) -> str:
    """A feed of `count` one-sentence items, each with its whole text, a GUID and a link."""
    items = "".join(
        f"<item><title>Notice {n}</title><guid>notice-{n}</guid><link>{base}/notice/{n}</link>"
        f"<pubDate>Fri, 20 Nov 2026 {7 + n // 60:02d}:{n % 60:02d}:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p>Notice {n} was posted at the town hall.</p>]]></content:encoded></item>"
        for n in range(1, count + 1))
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Town Notices</title>{items}</channel></rss>")


@pytest.mark.slow
def test_a_feed_of_20_items_becomes_20_episodes_and_one_feed_and_a_rerun_does_nothing(tmp_path, cli, web):
    """The issue's "done when": `digest batch feed.xml -o out --workers 2`, twice."""
    web.page("/feed.xml", rss_of(20, web.base), "application/rss+xml")
    out = tmp_path / "out"
    argv = ["batch", web.url("/feed.xml"), "-o", out, "--workers", "2", "--engine", "piper", "--allow-private",
            "--cache-dir", tmp_path / "cache"]
    code, stdout, stderr = cli(*argv)
    assert code == 0, stderr
    assert stdout.startswith("20 episodes made, 0 up to date, 0 failed (")
    assert "on a local Dask cluster of 2 processes)" in stdout.splitlines()[0]
    mp3s = sorted(out.glob("*.mp3"))
    assert len(mp3s) == 20
    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo and feed.feed.title
    assert len(feed.entries) == 20
    assert {e.title for e in feed.entries} == {f"Notice {n}" for n in range(1, 21)}
    for entry in feed.entries:
        [enclosure] = entry.enclosures
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == (out / enclosure.href.rsplit("/", 1)[1]).stat().st_size
    before = {p.name: p.stat().st_mtime_ns for p in mp3s}
    code, stdout, stderr = cli(*argv)
    assert code == 0, stderr
    assert stdout.splitlines()[0] == f"nothing to do: all 20 articles up to date in {out}"
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp3")} == before


@pytest.mark.slow
@pytest.mark.parametrize("where", [["--processes", "1"], ["--workers", "2"]], ids=["local", "dask"])
def test_ctrl_c_stops_a_batch_cleanly_and_the_next_run_resumes(tmp_path, cli, where):
    """Ctrl-C at a terminal reaches the whole process group: the client and its workers."""
    names = ["bakery", "ferry", "library", "orchard", "bridge"]
    stories = write_stories(tmp_path / "in", names)
    out, cache = tmp_path / "out", tmp_path / "cache"
    env = {**os.environ, "HTTPS_PROXY": DEAD_PROXY, "https_proxy": DEAD_PROXY}
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "batch", str(stories), "-o", str(out), "--engine", "piper",
         *where, "--cache-dir", str(cache), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, cwd=ROOT,
        start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("*.mp3")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended before an episode was placed"
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = (text.decode("utf-8") for text in process.communicate(timeout=60))
    assert process.returncode == 130
    partial = json.loads(stdout)  # --json still tells what was done before Ctrl-C
    assert partial["exit_code"] == 130 and partial["error"] == stderr.strip().removeprefix("digest: ")
    [line] = stderr.splitlines()  # one line, no traceback (from the client or a worker)
    match = re.fullmatch(r"digest: interrupted: (\d) of 5 episodes to make (?:was|were) made and (?:is|are) in "
                         r"feed.xml; run the same command to make the rest", line)
    assert match, line
    placed = sorted(out.glob("*.mp3"))
    assert 1 <= int(match.group(1)) == len(placed) < 5
    assert sorted(Path(o["mp3"]).name for o in partial["outcomes"] if o["status"] == "made") == [p.name for p in placed]
    feed = feedparser.parse(str(out / "feed.xml"))
    assert sorted(e.enclosures[0].href.rsplit("/", 1)[1] for e in feed.entries) == [p.name for p in placed]
    assert list((out / STAGING_NAME).iterdir()) == []
    assert list(out.rglob("*.partial")) == []
    code, stdout, stderr = cli("batch", stories, "-o", out, "--engine", "piper", "--processes", "2",
                               "--cache-dir", cache, "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert (summary["made"], summary["up_to_date"]) == (5 - len(placed), len(placed))
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 5


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def _is_worker(pid: int) -> bool:
    """A spawned worker process; False for one that ended while the tree was read (an ffmpeg probe)."""
    try:
        return "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from Linux's /proc")
@pytest.mark.parametrize("kill_after", [0.0, 1.0], ids=["while-workers-start", "while-they-work"])
def test_local_workers_end_when_the_client_is_killed_outright(tmp_path, kill_after):
    """kill -9 (the OOM killer, a cron timeout) gives the client no chance to end its workers,
    whether they were still importing (init is then their parent before they look) or working."""
    stories = write_stories(tmp_path / "in", ["bakery", "ferry", "library", "orchard"])
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "batch", str(stories), "-o", str(tmp_path / "out"), "--engine", "piper",
         "--processes", "2", "--no-cache", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
            workers = {pid for pid in _children(process.pid) if _is_worker(pid)}
            time.sleep(0.05)
        assert len(workers) == 2, "the batch did not start its two workers"
        time.sleep(kill_after)
        process.kill()
        process.wait()
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "a worker outlived its killed client"
    finally:
        try:  # whatever is left of the batch's session, the test failing or not
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from Linux's /proc")
def test_ctrl_c_while_the_local_cluster_starts_stops_it_cleanly(tmp_path):
    """Ctrl-C once the cluster's workers are spawned, while they start: not ignored, no traceback."""
    stories = write_stories(tmp_path / "in", ["bakery", "ferry"])
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "batch", str(stories), "-o", str(out), "--engine", "piper",
         "--workers", "2", "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline and sum(
                _is_worker(pid) for pid in _children(process.pid) if _alive(pid)) < 2:
            time.sleep(0.01)
        time.sleep(0.5)  # the client notices the spawned workers; they take a second or more to start
        assert process.poll() is None, "the batch ended before its cluster's workers were spawned"
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = (text.decode("utf-8") for text in process.communicate(timeout=60))
        assert process.returncode == 130, stderr
        assert stderr == ("digest: interrupted: no episode was made yet of the 2 articles to make; "
                          "run the same command to resume\n")
        assert list(out.glob("*.mp3")) == []
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
