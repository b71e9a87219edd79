"""Kill `digest make` with SIGKILL at many moments: the folder must stay consistent.

After every kill the feed parses, every enclosure it lists exists with exactly the declared
byte length, the episode that was there before is untouched, and no visible partial file
is left behind (unfinished files are hidden dot-files the feed never lists).
"""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import feedparser

from tests.fakegoogle import FakeGoogle

ARTICLE = Path(__file__).parent.parent / "bench" / "data" / "long-article.txt"


def make_command(source: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "digest", "make", str(source), "-o", str(out), "--engine", "gtts",
            "--json", "-q", *extra]


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.mp3")}


def assert_consistent(folder: Path, protected: dict[str, str]) -> int:
    feed = feedparser.parse(str(folder / "feed.xml"))
    assert not feed.bozo, feed.bozo_exception
    for entry in feed.entries:
        [enclosure] = entry.enclosures
        path = folder / unquote(Path(urlparse(enclosure.href).path).name)
        assert path.exists(), path
        assert path.stat().st_size == int(enclosure.length)
    now = digests(folder)
    for name, digest in protected.items():
        assert now.get(name) == digest, f"{name} was lost or changed"
    visible_partials = [p.name for p in folder.iterdir() if "partial" in p.name and not p.name.startswith(".")]
    assert visible_partials == []
    return len(feed.entries)


def test_sigkill_at_many_moments_never_corrupts_the_folder(tmp_path):
    out = tmp_path / "audio"
    first = tmp_path / "first.txt"
    first.write_text("An earlier episode\n\nIt must survive whatever happens next.\n", encoding="utf-8")

    with FakeGoogle(latency=0.02) as google:
        env = {**os.environ, **google.env, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        subprocess.run(make_command(first, out), env=env, check=True, capture_output=True)
        protected = digests(out)
        assert assert_consistent(out, protected) == 1

        def partial_exists(slug: str, asked: int) -> bool:
            return any(out.glob(".digest-*.mp3.partial"))

        def google_asked(slug: str, asked: int) -> bool:
            return google.count > asked

        def appears(suffix: str):
            return lambda slug, asked: any(out.glob(f"*-{slug}{suffix}"))

        # Kill at start-up, during synthesis, while stitching, and while publishing (after
        # the transcripts are written, after the MP3 is moved into place). Each run has its
        # own story, so none can skip its work as already done; moments follow what the run
        # is doing (its requests, its files), not the clock, so slow and fast machines hit the
        # same phases. The last moments are short: on a busy machine a run may finish before
        # the kill lands, so each moment gets a few runs.
        triggers = [
            ("start-up", None, 0.1),
            ("synthesis", google_asked, 0.0),
            ("stitch begins", partial_exists, 0.0),
            ("stitching", partial_exists, 0.3),
            ("stitch ends", partial_exists, 0.8),
            ("transcripts written", appears(".vtt"), 0.0),
            ("episode moved into place", appears(".mp3"), 0.0),
        ]
        body = ARTICLE.read_text(encoding="utf-8").split("\n", 1)[1][:2500]
        kills, finished_runs = [], 0
        for index, (name, condition, delay) in enumerate(triggers):
            for attempt in range(3):
                slug = f"river-{index}-{attempt}"
                source = tmp_path / f"{slug}.txt"
                # A sentence of its own: the same words would be the same story (one GUID).
                source.write_text(f"River {index} {attempt}\n\n{body}\n\nThis was run {index}, try {attempt}.",
                                  encoding="utf-8")
                asked = google.count
                process = subprocess.Popen(make_command(source, out, "--no-cache"), env=env,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                while condition and process.poll() is None and not condition(slug, asked):
                    time.sleep(0.001)
                time.sleep(delay)
                killed = process.poll() is None
                if killed:
                    process.kill()
                process.wait()
                assert_consistent(out, protected)
                if killed:
                    kills.append(name)
                    break
                finished_runs += process.returncode == 0
        print("killed during:", kills)
        assert len(kills) >= 6, kills
        last_killed = killed  # then the run below makes that story; else it is already made

        finished = subprocess.run(make_command(source, out), env=env, capture_output=True, text=True)
        assert finished.returncode == 0, finished.stderr
    # The earlier episode, every run that finished, the last story (made by the run above if
    # its own was killed), and the one killed after its transcripts, if its MP3 was already
    # moved into place (the next run publishes it).
    expected = 1 + finished_runs + last_killed
    assert expected <= assert_consistent(out, protected) <= expected + 1
