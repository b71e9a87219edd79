"""What publishing costs `digest batch` per article as the folder grows: into 1,000 episodes vs an empty folder.

    python bench/batch_folder.py                # 40 articles into a folder of 1,000 episodes
    python bench/batch_folder.py --episodes 200 --articles 12

The folder of 1,000 is made the way bench/folder.py makes its folders: one real episode (Piper,
offline) copied under new GUIDs, titles and dates, with its transcripts and chapters, and a
feed built once. The batch's short articles are made once into a scratch folder with the same
settings, so that in the measured runs every clip is a cache hit (checked: the clip cache gains
no file) and what is left is the client's work. Timed inside this process, which is the batch's
client: every `_place` (naming the episode and moving it and its outputs into the folder, under
the lock) in the order the articles arrive, and the feed written once at the end. The same
batch into an empty folder with the same settings is measured beside it. Exits 1 when a target
is missed:
- publishing the last articles into the folder of 1,000 costs no more than the first ones (the
  mean of the last 5 placements at most the mean of the first 5, with 20% for noise);
- every article is made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import folder as folder_bench  # noqa: E402  (bench/folder.py: the seed episode and the copies)

import digest.batch.client as client  # noqa: E402
from digest.batch import BatchOptions, run_batch  # noqa: E402
from digest.make import MakeOptions  # noqa: E402

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
EDGE = 5  # placements averaged at each end of the batch
SLACK = 1.2
PLACES = ["ferry", "choir", "orchard", "tram", "market", "bakery", "museum", "pool", "school", "bridge"]


def story(number: int) -> str:
    place = PLACES[number % len(PLACES)]
    return (f"date 2026-11-{1 + number % 28:02d} Notice {number + 1} about the {place}\n\n"
            f"The {place} opens {number + 2} minutes later on Friday.\n")


def _timed(function, seconds: list[float]):
    """`function`, adding the seconds each call takes to `seconds`."""

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - start)

    return timed


class Timings:
    """The client's own publishing steps, timed as run_batch calls them."""

    def __init__(self) -> None:
        self.place: list[float] = []
        self.feed: list[float] = []

    def __enter__(self) -> Timings:
        self._place, self._publish = client._place, client.publish

        client._place, client.publish = _timed(self._place, self.place), _timed(self._publish, self.feed)
        return self

    def __exit__(self, *exc) -> None:
        client._place, client.publish = self._place, self._publish


def files_in(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def batch(stories: Path, out: Path, cache: Path, processes: int) -> tuple[float, Timings, int]:
    options = BatchOptions(MakeOptions(inputs=[str(stories)], output_dir=out, engine="piper", cache_dir=cache),
                           processes=processes, now=NOW)
    with Timings() as timings:
        start = time.perf_counter()
        result = run_batch(options)
        seconds = time.perf_counter() - start
    return seconds, timings, result.count("made")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=1000, help="episodes already in the folder")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    if args.articles < 2 * EDGE:
        parser.error(f"--articles must be at least {2 * EDGE}")
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="digest-bench-batch-folder-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(workdir / "xdg-cache"), "HTTPS_PROXY": "http://127.0.0.1:9"}
    try:
        print(f"bench: a folder of {args.episodes} episodes...", file=sys.stderr, flush=True)
        seed = folder_bench.make_seed(workdir, env)
        full = workdir / f"folder-{args.episodes}"
        folder_bench.fill_folder(seed, full, args.episodes, env)
        empty = workdir / "folder-0"
        empty.mkdir()
        scratch = workdir / "warm"
        scratch.mkdir()
        for name in ("digest.toml", "default-cover.png"):  # the same programme: the same intro, the same clips
            if (full / name).exists():
                shutil.copy2(full / name, empty / name)
                shutil.copy2(full / name, scratch / name)
        stories = workdir / "stories"
        stories.mkdir()
        for number in range(args.articles):
            (stories / f"{number:03d}.txt").write_text(story(number), encoding="utf-8")
        cache = workdir / "clips"
        print("bench: synthesizing the articles once, into the clip cache...", file=sys.stderr, flush=True)
        batch(stories, scratch, cache, args.processes)
        clips = files_in(cache)
        rows = {}
        for label, out in (("empty folder", empty), (f"{args.episodes} episodes", full)):
            print(f"bench: the batch into the {label}...", file=sys.stderr, flush=True)
            rows[label] = batch(stories, out, cache, args.processes)
        synthesized = files_in(cache) - clips
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    load = os.getloadavg()
    print(f"{args.articles} short articles (clips cached) by {args.processes} local processes; {os.cpu_count()} cores, "
          f"load average {load_before[0]:.1f} before, {load[0]:.1f} at the end")
    print(f"{'folder':>15} {'batch s':>8} {'place 1st':>10} {f'first {EDGE}':>9} {'median':>8} "
          f"{f'last {EDGE}':>8} {'last':>8} {'feed once':>10}   (place and feed in ms)")
    for label, (seconds, timings, _) in rows.items():
        place = [1000 * t for t in timings.place]
        print(f"{label:>15} {seconds:8.1f} {place[0]:10.1f} {statistics.mean(place[:EDGE]):9.1f} "
              f"{statistics.median(place):8.1f} {statistics.mean(place[-EDGE:]):8.1f} {place[-1]:8.1f} "
              f"{1000 * sum(timings.feed):10.1f}")
    checks = []

    def check(text: str, met: bool) -> None:
        checks.append(met)
        print(f"{text}: {'met' if met else 'MISSED'}")

    _, timings, _ = rows[f"{args.episodes} episodes"]
    first, last = statistics.mean(timings.place[:EDGE]), statistics.mean(timings.place[-EDGE:])
    check(f"into {args.episodes} episodes, the last {EDGE} placements vs the first {EDGE}: {last / first:.2f}x "
          f"(target <= {SLACK:.1f}x)", last <= first * SLACK)
    empty_place = statistics.median(rows["empty folder"][1].place)
    print(f"a placement into {args.episodes} episodes vs into an empty folder (medians): "
          f"{statistics.median(timings.place) / empty_place:.2f}x")
    made = [made for _, _, made in rows.values()]
    check(f"articles made: {made} of {args.articles} each, {synthesized} clips synthesized in the measured runs",
          all(count == args.articles for count in made))
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
