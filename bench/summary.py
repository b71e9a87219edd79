"""Time and memory of summaries and of --max-minutes fitting (issue 14), side by side by size.

    python bench/summary.py

A story made of the twelve sample stories (tests/script/stories) repeated, opening with "I"
so it is ranked by centrality (the costly path), is summarized at 1x, 4x and 16x its size, and
fitted to ten minutes among the twelve. Printed per size: characters, sentences, seconds and
the peak memory Python and numpy allocated; then the ratio of the largest to the smallest
against the ratio of their sizes. Exits 1 when time grows more than twice as fast as size
(ranking is capped at the first sentences, so it should grow about linearly), or a 16x story
(about 170,000 characters, over half of the default --max-chars) takes over 100 MB.
"""

from __future__ import annotations

import logging
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.models import Article  # noqa: E402
from digest.read import read_input  # noqa: E402
from digest.read.lineup import Lineup  # noqa: E402
from digest.script.fit import fit_minutes  # noqa: E402
from digest.script.summary import Summary  # noqa: E402

SIZES = (1, 4, 16)
MAX_PEAK_MB = 100


def measure(day: list[Article], size: int) -> tuple[int, int, float, float]:
    body = "I remember the morning it began.\n\n" + "\n\n".join(a.body for a in day * size)
    tracemalloc.start()
    start = time.perf_counter()
    sentences = len(Summary(body))
    Summary(body).text(5)
    fit_minutes(Lineup([Article("Long story", body), *day]), max_minutes=10)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return len(body), sentences, seconds, peak


def main() -> int:
    logging.disable(logging.WARNING)  # fitting warns that it summarized; that is the point here
    day = [a for path in sorted((ROOT / "tests/script/stories").glob("*.txt")) for a in read_input(str(path))]
    rows = [measure(day, size) for size in SIZES]
    print(f"{'size':>5} {'chars':>8} {'sentences':>9} {'seconds':>8} {'peak MB':>8}")
    for size, (chars, sentences, seconds, peak) in zip(SIZES, rows):
        print(f"{size:>4}x {chars:>8} {sentences:>9} {seconds:>8.2f} {peak:>8.1f}")
    size_ratio = rows[-1][0] / rows[0][0]
    time_ratio = rows[-1][2] / rows[0][2]
    print(f"largest / smallest: size x{size_ratio:.1f}, time x{time_ratio:.1f}, memory x{rows[-1][3] / rows[0][3]:.1f}")
    failed = time_ratio > 2 * size_ratio or rows[-1][3] > MAX_PEAK_MB
    print("FAIL" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
