"""How a run's cost grows with the output folder (issue 12), before and after a change, side by side.

    python bench/folder.py                  # this tree against the commit before the library index
    python bench/folder.py --before REV     # against another commit
    python bench/folder.py --sizes 100 1000

A folder of N episodes is made by copying one real episode N times under new GUIDs, titles
and dates (tags edited with mutagen, so any version of digest reads them), with its
transcripts and chapters, and a feed built once. Then `digest make` of a new one-paragraph
article into that folder is timed in a process that has already imported digest, with the
clip cache warm, so that what is left outside synthesis and encoding is the folder work:
listing episodes, reading their tags, naming, tidying and the feed. Each version runs on its
own copy of the same folder. Exits 1 when this tree misses a target:
- at most 0.5 s outside synthesis and encoding with 1,000 episodes;
- that time grows at most linearly from 100 to 1,000 episodes (at most 10x, with 10% slack).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The last commit before the episode library and its index (issue 12).
DEFAULT_BEFORE = "ba90b20"
TARGET_SECONDS = 0.5
ARTICLE = """Ferry timetable changes for the winter

The island ferry will run four times a day from Monday, down from six, while the harbour wall is repaired.
"""
SEED_ARTICLE = """Seed episode for the folder bench

A short story that every episode in the bench folder is a copy of, under another name.
"""

# Runs under the version being measured: import everything first, then time one make.
DRIVER = textwrap.dedent("""
    import contextlib, io, json, pkgutil, sys, time, importlib
    import digest
    for module in pkgutil.walk_packages(digest.__path__, "digest."):
        if module.name.split(".")[-1] not in ("__main__",):
            importlib.import_module(module.name)
    import mutagen.mp3
    reads = {"mp3": 0}
    original = mutagen.mp3.MP3.__init__
    def counting(self, *args, **kwargs):
        reads["mp3"] += 1
        return original(self, *args, **kwargs)
    mutagen.mp3.MP3.__init__ = counting
    from digest.cli import main
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = main(sys.argv[1:])
    total = time.perf_counter() - start
    summary = json.loads(out.getvalue()) if code == 0 else {}
    print(json.dumps({"code": code, "total": total, "mp3_reads": reads["mp3"],
                      "stages": summary.get("seconds_per_stage", {})}))
""")


def run_digest(code_root: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=code_root, env=env, capture_output=True,
                          text=True)


def make_seed(workdir: Path, env: dict) -> Path:
    """One real episode made by this tree (with Piper, offline), the source of every copy."""
    article = workdir / "seed.txt"
    article.write_text(SEED_ARTICLE)
    seed = workdir / "seed"
    result = run_digest(ROOT, "make", str(article), "-o", str(seed), "--engine", "piper", "-q",
                        "--cache-dir", str(workdir / "clips"), "--date", "2020-01-01", env=env)
    if result.returncode != 0:
        raise SystemExit(f"bench: seed episode failed: {result.stderr[-1500:]}")
    return seed


def fill_folder(seed: Path, folder: Path, count: int, env: dict) -> None:
    from mutagen.id3 import ID3, TDRC, TIT2

    mp3 = next(seed.glob("*.mp3"))
    sidecars = [path for path in seed.iterdir() if path.name.startswith(mp3.stem + ".") and path != mp3]
    folder.mkdir(parents=True)
    for name in ("digest.toml", "default-cover.png"):
        if (seed / name).exists():
            shutil.copy2(seed / name, folder / name)
    start = dt.datetime(2021, 1, 1, 7, 0, tzinfo=dt.timezone.utc)
    for index in range(count):
        published = start + dt.timedelta(days=index)
        stem = f"{published.date().isoformat()}-bench-episode-{index:05d}"
        target = folder / f"{stem}.mp3"
        shutil.copyfile(mp3, target)
        tags = ID3(str(target))
        tags.setall("TIT2", [TIT2(encoding=3, text=f"Bench episode {index}")])
        tags.setall("TDRC", [TDRC(encoding=3, text=published.strftime("%Y-%m-%dT%H:%M:%S"))])
        for frame in tags.getall("TXXX"):
            if frame.desc == "DIGEST_GUID":
                frame.text = [f"00000000-0000-4000-8000-{index:012d}"]
            elif frame.desc == "DIGEST_PUBLISHED":
                frame.text = [published.isoformat()]
        tags.save(str(target), v2_version=4)
        for sidecar in sidecars:
            # An episode page links its own files by name (="STEM.mp3"): a copy links the copy's,
            # or digest finds it is not the episode's own page and leaves it out, with a warning.
            data = sidecar.read_bytes().replace(f'="{mp3.stem}.'.encode(), f'="{stem}.'.encode())
            (folder / (stem + sidecar.name[len(mp3.stem):])).write_bytes(data)
    result = run_digest(ROOT, "feed", "-o", str(folder), env=env)
    if result.returncode != 0:
        raise SystemExit(f"bench: building the feed of {count} episodes failed: {result.stderr[-1500:]}")


def measure(code_root: Path, folder: Path, article: Path, cache: Path, env: dict) -> dict:
    # Each version keeps its own user cache folder (it remembers what it learnt of ffmpeg there,
    # in its own format); a first make into a scratch folder warms it.
    env = {**env, "XDG_CACHE_HOME": str(cache.parent / f"xdg-{code_root.name}")}
    scratch = cache.parent / f"scratch-{code_root.name}"
    if not scratch.exists():
        warm = subprocess.run([sys.executable, "-m", "digest", "make", str(article), "-o", str(scratch), "--engine",
                               "piper", "-q", "--cache-dir", str(cache)], cwd=code_root,
                              env={**env, "PYTHONPATH": str(code_root)}, capture_output=True, text=True)
        if warm.returncode != 0:
            raise SystemExit(f"bench: warming up {code_root} failed:\n{warm.stderr[-2000:]}")
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, "make", str(article), "-o", str(folder), "--engine", "piper", "--json", "-q",
         "--cache-dir", str(cache)],
        cwd=code_root, env={**env, "PYTHONPATH": str(code_root)}, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench: make under {code_root} failed:\n{result.stderr[-2000:]}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if found["code"] != 0:
        raise SystemExit(f"bench: make under {code_root} exited {found['code']}:\n{result.stderr[-2000:]}")
    stages = found["stages"]
    found["outside"] = found["total"] - stages.get("synthesize", 0.0) - stages.get("stitch", 0.0)
    return found


def checkout(rev: str, workdir: Path) -> Path:
    target = workdir / f"before-{rev}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(target), rev],
                   check=True, capture_output=True)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="commit to compare with (default: %(default)s)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="digest-bench-folder-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(workdir / "xdg-cache"), "HTTPS_PROXY": "http://127.0.0.1:9"}
    before_root = checkout(args.before, workdir)
    try:
        seed = make_seed(workdir, env)
        article = workdir / "new-story.txt"
        article.write_text(ARTICLE)
        cache = workdir / "clips"
        # Warm the clip cache for the new story, so synthesis is only cache hits in every run.
        warm = run_digest(ROOT, "make", str(article), "-o", str(workdir / "warm"), "--engine", "piper", "-q",
                          "--cache-dir", str(cache), env=env)
        if warm.returncode != 0:
            raise SystemExit(f"bench: warming the cache failed: {warm.stderr[-1500:]}")
        rows = {}
        for size in args.sizes:
            template = workdir / f"folder-{size}"
            fill_folder(seed, template, size, env)
            for label, code_root in (("before", before_root), ("after", ROOT)):
                copy = workdir / f"{label}-{size}"
                shutil.copytree(template, copy)
                rows[(label, size)] = measure(code_root, copy, article, cache, env)
        print(f"{'episodes':>9} | {'before ' + args.before:>24} | {'after (this tree)':>24}")
        print(f"{'':>9} | {'outside s':>10} {'mp3 reads':>13} | {'outside s':>10} {'mp3 reads':>13}")
        for size in args.sizes:
            before, after = rows[("before", size)], rows[("after", size)]
            print(f"{size:>9} | {before['outside']:>10.3f} {before['mp3_reads']:>13} | "
                  f"{after['outside']:>10.3f} {after['mp3_reads']:>13}")
        small, large = min(args.sizes), max(args.sizes)
        outside = rows[("after", large)]["outside"]
        growth = outside / max(rows[("after", small)]["outside"], 1e-6)
        allowed = large / small * 1.1
        met_time = outside <= TARGET_SECONDS
        met_growth = growth <= allowed
        print(f"outside synthesis and encoding at {large} episodes: {outside:.3f} s "
              f"(target <= {TARGET_SECONDS} s): {'met' if met_time else 'MISSED'}")
        print(f"growth from {small} to {large} episodes: {growth:.2f}x (target <= {allowed:.1f}x, linear): "
              f"{'met' if met_growth else 'MISSED'}")
        return 0 if met_time and met_growth else 1
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_root)],
                       capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
