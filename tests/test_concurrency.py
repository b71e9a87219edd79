"""Several `digest make` runs into one folder at the same time: every episode lands in the feed."""

import os
import subprocess
import sys

import feedparser

from tests.fakegoogle import FakeGoogle


def test_concurrent_runs_all_land_in_the_feed_under_distinct_names(tmp_path):
    out = tmp_path / "audio"
    sources = []
    for index, (title, body) in enumerate([
        ("Same title", "The first story under this title."),
        ("Same title", "A different story that happens to share the title."),
        ("Another story", "Something else entirely happened today."),
    ]):
        path = tmp_path / f"story-{index}.txt"
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        sources.append(path)

    with FakeGoogle(latency=0.05) as google:
        env = {**os.environ, **google.env, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        runs = [
            subprocess.Popen([sys.executable, "-m", "digest", "make", str(source), "-o", str(out),
                              "--engine", "gtts", "--date", "2026-11-25", "-q"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for source in sources
        ]
        results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in results]

    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo
    names = sorted(entry.enclosures[0].href.rsplit("/", 1)[1] for entry in feed.entries)
    assert names == ["2026-11-25-another-story.mp3", "2026-11-25-same-title-2.mp3", "2026-11-25-same-title.mp3"]
    assert len({entry.id for entry in feed.entries}) == 3
    assert sorted(p.name for p in out.glob("*.mp3")) == names
    for entry in feed.entries:
        path = out / entry.enclosures[0].href.rsplit("/", 1)[1]
        assert path.stat().st_size == int(entry.enclosures[0].length)
