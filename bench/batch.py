"""`digest batch` on one machine: 1 vs 2 local worker processes, and a Dask LocalCluster vs local mode.

    python bench/batch.py                 # 8 one-minute Piper articles (a shared 2-core machine)
    python bench/batch.py --articles 40   # the issue's figure

Each configuration makes the same N articles (about 150 words, a minute of speech, each) with
Piper into a fresh output folder with a fresh clip cache, so every one synthesizes cold; the
time is the whole `run_batch` call as a user waits for it: reading, planning, starting the
workers (and the cluster), synthesis, stitching, placing and the feed. Printed side by side:
seconds, seconds per article, each worker's peak memory, and the ratios the issue sets targets
for: 2 processes vs 1 (at least 1.7x on 2 cores) and the LocalCluster vs local mode (within 10%).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.batch import BatchOptions, dask_installed, run_batch  # noqa: E402
from digest.make import MakeOptions  # noqa: E402

PLACES = ["harbour", "library", "orchard", "station", "market", "bakery", "museum", "stadium", "school", "bridge"]
SENTENCES = [
    "Work on the {place} began in the spring and is now about {n} weeks ahead of the plan the council agreed.",
    "Residents who live near the {place} say the noise has been less than they feared, though deliveries start early.",
    "The budget for the {place} was set at {n} thousand pounds, and the treasurer expects a small amount to be left over.",
    "Volunteers have offered to paint the fences around the {place} if the weather stays dry over the weekend.",
    "A public meeting about the {place} will be held in the town hall on Thursday evening, and everyone is welcome.",
    "Children from the primary school drew pictures of the {place} that will hang in the entrance when it opens.",
    "The contractor said that {n} workers are on site most days, and that the roof should be finished next month.",
    "Some shop owners worry that the road closures near the {place} will keep customers away until the summer.",
    "The mayor thanked the neighbours for their patience and promised that the paths would reopen before the holidays.",
    "Anyone with questions about the {place} can write to the council or leave a note at the library desk.",
]


def article(number: int) -> str:
    """About 150 words (a minute of speech), different for every number so nothing is cached."""
    place = PLACES[number % len(PLACES)]
    lines = [s.format(place=place, n=number + 3 + i) for i, s in enumerate(SENTENCES)]
    return f"date 2026-11-{1 + number % 28:02d} Update {number + 1} on the {place}\n\n" + " ".join(lines) + "\n"


def run(label: str, stories: Path, work: Path, **where) -> dict:
    out, cache = work / f"out-{label}", work / f"cache-{label}"
    options = BatchOptions(MakeOptions(inputs=[str(stories)], output_dir=out, engine="piper", cache_dir=cache),
                           now=dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc), **where)
    start = time.perf_counter()
    result = run_batch(options)
    seconds = time.perf_counter() - start
    made = [o for o in result.outcomes if o.status == "made"]
    if len(made) != len(result.outcomes):
        raise SystemExit(f"{label}: {len(result.outcomes) - len(made)} articles failed")
    return {"label": label, "seconds": seconds, "per_article": seconds / len(made),
            "work_seconds": sum(o.seconds for o in made) / len(made),
            "peak_mb": max(o.peak_mb or 0 for o in made), "workers": len({o.worker for o in made})}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digest-bench-batch-") as scratch:
        work = Path(scratch)
        stories = work / "stories"
        stories.mkdir()
        for number in range(args.articles):
            (stories / f"{number:03d}.txt").write_text(article(number), encoding="utf-8")
        rows = [run("local-1", stories, work, processes=1), run("local-2", stories, work, processes=2)]
        if dask_installed():
            rows.append(run("dask-2", stories, work, workers=2))
        else:
            print("dask is not installed (pip install 'digest[dask]'): LocalCluster not measured")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.articles} one-minute Piper articles, {os.cpu_count()} cores, load average {load:.1f} at the end")
    print(f"{'run':10} {'seconds':>8} {'s/article':>10} {'s/article in worker':>20} {'worker peak MB':>15} {'workers':>8}")
    for row in rows:
        print(f"{row['label']:10} {row['seconds']:8.1f} {row['per_article']:10.2f} {row['work_seconds']:20.2f} "
              f"{row['peak_mb']:15.0f} {row['workers']:8d}")
    by = {row["label"]: row for row in rows}
    print(f"2 local processes vs 1: {by['local-1']['seconds'] / by['local-2']['seconds']:.2f}x faster (target >= 1.7x)")
    if "dask-2" in by:
        print(f"LocalCluster of 2 vs 2 local processes: {by['dask-2']['seconds'] / by['local-2']['seconds']:.2f}x "
              f"the time (target <= 1.10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
