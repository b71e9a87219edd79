"""Kill `digest make` with SIGKILL at many moments: the folder must stay consistent.

After every kill the feed parses, every enclosure it lists exists with exactly the declared
byte length, the episode that was there before is untouched, and no visible partial file
is left behind (unfinished files are hidden dot-files the feed never lists).
"""

import hashlib
import json
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

        # One uninterrupted run tells how long each stage takes on this machine.
        timing_out = tmp_path / "timing"
        start = time.monotonic()
        done = subprocess.run(make_command(source, timing_out, "--no-cache"), env=env, check=True,
                              capture_output=True, text=True)
        total = time.monotonic() - start
        stages = json.loads(done.stdout)["seconds_per_stage"]
        synth_end = total - stages["stitch"] - stages["tag"] - stages["feed"]
        # Kill during start-up, synthesis, stitching, and in the last moments (tags, feed).
        moments = [0.15, synth_end * 0.5, synth_end + stages["stitch"] * 0.3,
                   synth_end + stages["stitch"] * 0.9, total - 0.15, total - 0.05, total - 0.02]

        kills = 0
        for moment in moments:
            process = subprocess.Popen(make_command(source, out, "--no-cache"), env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(max(0.0, moment))
            if process.poll() is None:
                process.kill()
                kills += 1
            process.wait()
            assert_consistent(out, protected)
        assert kills >= 4

        finished = subprocess.run(make_command(source, out), env=env, capture_output=True, text=True)
        assert finished.returncode == 0, finished.stderr
    assert assert_consistent(out, protected) == 2
