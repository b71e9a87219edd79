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
    source = tmp_path / "river.txt"
    source.write_text(ARTICLE.read_text(encoding="utf-8")[:2500], encoding="utf-8")

    with FakeGoogle(latency=0.02) as google:
        env = {**os.environ, **google.env, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        subprocess.run(make_command(first, out), env=env, check=True, capture_output=True)
        protected = digests(out)
        assert assert_consistent(out, protected) == 1

        def partial_exists() -> bool:
            return any(out.glob(".digest-*.mp3.partial"))

        def committed_since(started: float):
            seen = {"partial": False}

            def check() -> bool:
                seen["partial"] = seen["partial"] or partial_exists()
                return seen["partial"] and not partial_exists()

            return check

        # Kill at start-up, during synthesis, while stitching, and right after the MP3 was
        # moved into place while the feed is being rebuilt. Moments follow what the run is
        # doing (its files), not the clock, so a slow or fast machine hits the same phases.
        triggers = [
            ("start-up", lambda: True, 0.1),
            ("synthesis", lambda: True, 1.0),
            ("stitch begins", partial_exists, 0.0),
            ("stitching", partial_exists, 0.3),
            ("stitch ends", partial_exists, 0.8),
            ("publishing", None, 0.0),
            ("publishing, later", None, 0.01),
        ]
        kills = []
        for name, condition, delay in triggers:
            process = subprocess.Popen(make_command(source, out, "--no-cache"), env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            condition = condition or committed_since(time.monotonic())
            while process.poll() is None and not condition():
                time.sleep(0.002)
            time.sleep(delay)
            if process.poll() is None:
                process.kill()
                kills.append(name)
            process.wait()
            assert_consistent(out, protected)
        print("killed during:", kills)
        assert len(kills) >= 5, kills

        finished = subprocess.run(make_command(source, out), env=env, capture_output=True, text=True)
        assert finished.returncode == 0, finished.stderr
    assert assert_consistent(out, protected) == 2
