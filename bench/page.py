"""What an hour-long episode page costs a browser (issue 15), beside a bare <audio> page, side by side.

    python bench/page.py                # 600 cues, an hour of silence, 20 s of playing per page
    python bench/page.py --seconds 60 --cues 1200

An hour-long MP3 of silence is made with ffmpeg, and two pages beside it: digest's episode
page for 600 cues in ten chapters (two caption lines each, as an hour of speech gives), and a
page holding only an <audio> element of the same MP3. Each is opened from file:// in headless
chromium (Debian's, through selenium with the driver's path given: no Selenium Manager),
played muted for the given seconds, and the renderer's busy time read from the DevTools
Performance metrics (TaskDuration: main-thread work; ScriptDuration: JavaScript). Prints
both pages' share of one core and their ratio, and the page's size. Exits 1 when the episode
page is over 300 KB or spends more than 5% of one core while playing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.publish import pages  # noqa: E402
from digest.publish.tags import Chapter, EpisodeTags  # noqa: E402
from digest.publish.transcripts import Cue  # noqa: E402

MAX_BYTES = 300_000
MAX_CORE_SHARE = 0.05
SENTENCE = ("The harbour master said the new pontoons would be ready before the spring tides, and the "
            "ferry would use them from April. ")


def silent_mp3(path: Path, seconds: int) -> None:
    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "anullsrc=r=24000:cl=mono", "-t", str(seconds), "-c:a", "libmp3lame", "-b:a", "16k",
                    str(path)], check=True)


def episode_page(cues: int, seconds: int) -> bytes:
    step = seconds / cues
    timed = [Cue(i * step, i * step + step * 0.9, f"{SENTENCE}({i})") for i in range(cues)]
    chapters = [Chapter(f"Story {n + 1}", n * seconds / 10, (n + 1) * seconds / 10) for n in range(10)]
    tags = EpisodeTags(title="An hour of harbour news", programme="Harbour Weekly", guid="bench",
                       published=dt.datetime(2026, 11, 25, 7), engine="gtts", description="Ten stories.")
    return pages.placed(pages.episode_page(tags, float(seconds), timed, chapters), "episode")


def browser():
    os.environ["SE_AVOID_STATS"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--mute-audio",
                 "--autoplay-policy=no-user-gesture-required", "--proxy-server=http://127.0.0.1:9",
                 "--disable-background-networking", "--disable-component-update"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)


def busy_while_playing(driver, url: str, seconds: float) -> dict[str, float]:
    """Seconds of renderer work per second of playing, by metric."""
    driver.get(url)
    deadline = time.monotonic() + 20
    while not driver.execute_script("return document.getElementById('audio').readyState >= 1"):
        if time.monotonic() > deadline:
            raise SystemExit(f"the audio of {url} did not load")
        time.sleep(0.1)
    driver.execute_script("const a = document.getElementById('audio'); a.muted = true; a.play()")
    time.sleep(1)  # past the start
    driver.execute_cdp_cmd("Performance.enable", {})

    def metrics():
        return {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}

    before, started = metrics(), time.monotonic()
    time.sleep(seconds)
    after, elapsed = metrics(), time.monotonic() - started
    played = driver.execute_script("return document.getElementById('audio').currentTime")
    driver.execute_cdp_cmd("Performance.disable", {})
    if played < seconds:
        raise SystemExit(f"{url} played only {played:.1f} s")
    return {name: (after[name] - before[name]) / elapsed for name in ("TaskDuration", "ScriptDuration")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=600)
    parser.add_argument("--length", type=int, default=3600, help="the episode's seconds")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of playing measured per page")
    args = parser.parse_args()
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("bench/page.py needs chromium and chromedriver (apt-get install chromium chromium-driver)")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        silent_mp3(folder / "episode.mp3", args.length)
        page = episode_page(args.cues, args.length)
        (folder / "episode.html").write_bytes(page)
        (folder / "bare.html").write_text('<!doctype html><audio id="audio" controls src="episode.mp3"></audio>',
                                          encoding="utf-8")
        driver = browser()
        try:
            results = {name: busy_while_playing(driver, (folder / f"{name}.html").as_uri(), args.seconds)
                       for name in ("bare", "episode")}
        finally:
            driver.quit()
    print(f"episode page: {len(page) / 1000:.0f} kB for {args.cues} cues (target under {MAX_BYTES // 1000} kB)")
    print(f"{'share of one core while playing':34} {'bare <audio>':>13} {'episode page':>13} {'ratio':>7}")
    for metric in ("TaskDuration", "ScriptDuration"):
        bare, episode = results["bare"][metric], results["episode"][metric]
        ratio = f"{episode / bare:.1f}x" if bare > 0 else "-"
        print(f"{metric:34} {bare:13.2%} {episode:13.2%} {ratio:>7}")
    failed = len(page) > MAX_BYTES or results["episode"]["TaskDuration"] > MAX_CORE_SHARE
    print("FAIL" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
