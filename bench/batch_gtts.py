"""`digest batch` with gTTS and 4 workers, through the fake Google: requests in flight, and a 429 storm.

    python bench/batch_gtts.py                  # 16 one-minute articles, 4 workers
    python bench/batch_gtts.py --articles 8 --no-cluster

Every gTTS request of the batch goes to the fake Google of tests/fakegoogle.py (an HTTPS proxy
on loopback that answers like Google, with a fixed latency per request). The same articles are
made four ways, each into a fresh folder with a fresh clip cache: by 4 local processes and by a
LocalCluster of 4, each once with Google answering every request and once through a 429 storm:
for a few seconds, starting a second after the batch's first request, the fake answers 429 to
about 30% of requests (no Retry-After, so digest's own exponential backoff with jitter decides
the waits). Printed side by side: seconds, requests, 429s answered, and the most requests the
fake was answering at once. Exits 1 when a target is missed:
- never more than --gtts-limit (default 8) requests in flight, in any run;
- no article fails, storm or not, with the batch's own retry of a failed article turned off
  (--retries 0), so every 429 must have been weathered by the gTTS engine's retries;
- the storm is real: some 429s were answered.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from batch import article  # noqa: E402

from digest.batch import BatchOptions, dask_installed, run_batch  # noqa: E402
from digest.make import MakeOptions  # noqa: E402
from tests.fakegoogle import FakeGoogle  # noqa: E402

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
LATENCY = 0.150  # seconds per request, as bench/run.py simulates Google


class Storm:
    """The fake's fault rule: 429 to `share` of the requests that arrive within the storm's window.

    The window opens `after` seconds after the first request of a run and lasts `seconds`.
    """

    def __init__(self, share: float, after: float, seconds: float, seed: int = 7) -> None:
        self.share, self.after, self.seconds = share, after, seconds
        self.enabled = False
        self._random = random.Random(seed)
        self._first: float | None = None
        self._lock = threading.Lock()

    def start(self, enabled: bool) -> None:
        with self._lock:
            self.enabled, self._first = enabled, None

    def __call__(self, number: int) -> str | None:
        with self._lock:
            now = time.monotonic()
            if self._first is None:
                self._first = now
            into = now - self._first
            if self.enabled and self.after <= into < self.after + self.seconds and self._random.random() < self.share:
                return "429"
            return None


@contextmanager
def routed_to(google: FakeGoogle):
    """This process's environment, which the worker processes inherit, sends gTTS to the fake."""
    saved = {name: os.environ.get(name) for name in google.env}
    try:
        for name, value in google.env.items():
            if value:
                os.environ[name] = value
            else:
                os.environ.pop(name, None)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run(label: str, google: FakeGoogle, storm: Storm, stormy: bool, stories: Path, work: Path, limit: int,
        **where) -> dict:
    out, cache = work / f"out-{label}", work / f"cache-{label}"
    options = BatchOptions(MakeOptions(inputs=[str(stories)], output_dir=out, engine="gtts", cache_dir=cache),
                           gtts_limit=limit, retries=0, now=NOW, **where)
    before = google.count
    with google._lock:
        google.peak_in_flight = google.in_flight = 0
    storm.start(stormy)
    start = time.perf_counter()
    result = run_batch(options)
    seconds = time.perf_counter() - start
    storm.start(False)
    requests = google.requests[before:]
    return {"label": label, "storm": stormy, "seconds": seconds, "requests": len(requests),
            "429s": sum(r.status == 429 for r in requests), "peak": google.peak_in_flight,
            "made": result.count("made"), "failed": result.count("failed"), "articles": len(result.outcomes),
            "reasons": [o.reason for o in result.outcomes if o.status == "failed"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--gtts-limit", type=int, default=8)
    parser.add_argument("--storm-share", type=float, default=0.3, help="share of requests answered 429 in the storm")
    parser.add_argument("--storm-seconds", type=float, default=4.0)
    parser.add_argument("--no-cluster", action="store_true", help="local processes only")
    args = parser.parse_args()
    load_before = os.getloadavg()
    storm = Storm(args.storm_share, after=1.0, seconds=args.storm_seconds)
    rows = []
    with tempfile.TemporaryDirectory(prefix="digest-bench-batch-gtts-") as scratch, \
            FakeGoogle(latency=LATENCY, faults=storm) as google, routed_to(google):
        work = Path(scratch)
        stories = work / "stories"
        stories.mkdir()
        for number in range(args.articles):
            (stories / f"{number:03d}.txt").write_text(article(number), encoding="utf-8")
        places = [("local", {"processes": args.workers})]
        if not args.no_cluster and dask_installed():
            places.append(("cluster", {"workers": args.workers}))
        elif not args.no_cluster:
            print("dask is not installed (pip install 'digest[dask]'): LocalCluster not measured")
        for name, where in places:
            for stormy in (False, True):
                label = f"{name}-{args.workers}{'-storm' if stormy else ''}"
                print(f"bench: {label}...", file=sys.stderr, flush=True)
                rows.append(run(label, google, storm, stormy, stories, work, args.gtts_limit, **where))
    load = os.getloadavg()
    print(f"{args.articles} one-minute gTTS articles, {args.workers} workers, --gtts-limit {args.gtts_limit}, "
          f"fake latency {LATENCY * 1000:.0f} ms; storm: 429 to {args.storm_share:.0%} of requests for "
          f"{args.storm_seconds:.0f} s from 1 s in; {os.cpu_count()} cores, load average {load_before[0]:.1f} "
          f"before, {load[0]:.1f} at the end")
    print(f"{'run':18} {'seconds':>8} {'requests':>9} {'429s':>6} {'peak in flight':>15} {'made':>5} {'failed':>7}")
    for row in rows:
        print(f"{row['label']:18} {row['seconds']:8.1f} {row['requests']:9d} {row['429s']:6d} {row['peak']:15d} "
              f"{row['made']:5d} {row['failed']:7d}")
        for reason in row["reasons"]:
            print(f"    failed: {reason}")
    checks = []

    def check(text: str, met: bool) -> None:
        checks.append(met)
        print(f"{text}: {'met' if met else 'MISSED'}")

    peak = max(row["peak"] for row in rows)
    check(f"most requests in flight: {peak} (target <= {args.gtts_limit})", peak <= args.gtts_limit)
    failed = sum(row["failed"] for row in rows)
    check(f"articles failed: {failed} (target 0)", failed == 0 and all(row["made"] == args.articles for row in rows))
    for calm, stormy in zip(rows[::2], rows[1::2]):
        print(f"{stormy['label']}: {stormy['seconds'] / calm['seconds']:.2f}x the calm run's time, "
              f"{stormy['429s']} 429s answered")
        check(f"{stormy['label']}: the storm answered 429s", stormy["429s"] > 0)
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
