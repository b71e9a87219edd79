"""`digest doctor`: what digest would use on this machine, checked for real, each with its fix.

Every check runs the thing it vouches for (ffmpeg masters a second of tone, Google is asked for
a word, Piper speaks one), so an OK means `make` will get past that point. Nothing is written
outside a temporary folder: the output folder and its settings are only read.
"""

from __future__ import annotations

import logging
import platform
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from digest import __version__
from digest.errors import DigestError
from digest.numwords import counted

OK, WARN, FAIL = "OK", "WARN", "FAIL"
# Google gets a few seconds to answer; a user waiting on doctor wants a verdict, not retries.
GOOGLE_TIMEOUT_SECONDS = 4.0
PACKAGES = ("gTTS", "pydub", "piper-tts", "onnxruntime", "imageio-ffmpeg", "mutagen", "feedgen", "trafilatura")


@dataclass
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""

    def lines(self) -> list[str]:
        shown = [f"{self.status:<5} {self.name:<8} {self.detail}"]
        if self.fix:
            shown.append(f"{'':<14} fix: {self.fix}")
        return shown


@dataclass
class Report:
    checks: list[Check]

    @property
    def can_make(self) -> bool:
        return not any(check.status == FAIL for check in self.checks)

    def text(self) -> str:
        lines = [line for check in self.checks for line in check.lines()]
        verdict = ("digest can make episodes here" if self.can_make
                   else "digest cannot make episodes here until the FAIL lines are fixed")
        return "\n".join([*lines, verdict]) + "\n"

    def as_json(self) -> dict:
        return {"can_make": self.can_make, "checks": [asdict(check) for check in self.checks]}


def check_python() -> list[Check]:
    found = []
    missing = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    version = platform.python_version()
    python = Check("python", OK if sys.version_info >= (3, 10) else FAIL, f"{version} at {sys.executable}",
                   "" if sys.version_info >= (3, 10) else "digest needs Python 3.10 or newer")
    packages = Check("packages", OK, f"digest {__version__}, " + ", ".join(found))
    if missing:
        packages = Check("packages", FAIL, f"digest {__version__}; missing: {', '.join(missing)}",
                         "reinstall digest: pip install --force-reinstall digest")
    return [python, packages]


def _origin_text(choice) -> str:
    return {"DIGEST_FFMPEG": "chosen by DIGEST_FFMPEG", "setting": "chosen by the folder's ffmpeg setting",
            "PATH": "found on PATH", "bundled": "bundled with digest (imageio-ffmpeg)"}[choice.origin]


def check_ffmpeg(folder: Path) -> list[Check]:
    from digest.publish.settings import config_path, ffmpeg_setting, load_settings
    from digest.sound import ffmpeg
    from digest.sound.stitch import self_test

    try:
        setting = ffmpeg_setting(folder, load_settings(folder))
    except DigestError:
        setting = None  # the output check reports a broken settings file
    started = time.monotonic()
    # The passed-over warning is this check's own WARN line; printed twice it is noise.
    ffmpeg_log = logging.getLogger(ffmpeg.__name__)
    level = ffmpeg_log.level
    ffmpeg_log.setLevel(logging.ERROR)
    try:
        choice = ffmpeg.use_setting(setting, f"ffmpeg in {config_path(folder)}", self_test=self_test, fresh=True)
        if choice.origin == "bundled":
            # Those the user has were tested while choosing; the bundled one is tested here.
            with ffmpeg.trying(choice.binary):
                self_test()
    except ffmpeg.FfmpegRefused as refusal:
        return [Check("ffmpeg", FAIL, str(refusal),
                      f"point {ffmpeg.ENV_VAR} (or the folder's ffmpeg setting) at a full ffmpeg 4.2 or newer, "
                      "or unset it to use the ffmpeg on PATH or the bundled one")]
    except DigestError as error:
        return [Check("ffmpeg", FAIL, str(error), "reinstall digest: pip install --force-reinstall digest")]
    finally:
        ffmpeg_log.setLevel(level)
    binary = choice.binary
    detail = (f"{binary.path}, version {binary.version} ({_origin_text(choice)}); "
              f"measured, mastered and encoded a test tone ({time.monotonic() - started:.1f} s)")
    if choice.passed_over:
        return [Check("ffmpeg", WARN, f"{detail}; {choice.passed_over}",
                      f"nothing, the bundled one works; to use your own, install ffmpeg 4.2+ with libmp3lame "
                      f"or set {ffmpeg.ENV_VAR}=/path/to/ffmpeg")]
    return [Check("ffmpeg", OK, detail)]


def check_google(lang: str = "en", engine_options: dict | None = None) -> Check:
    from digest.models import Voice
    from digest.speech.engines.gtts_engine import GoogleUnavailable, GttsEngine, RetryPolicy

    engine = GttsEngine(policy=RetryPolicy(attempts=1, connect_attempts=1, max_total_wait=0.0),
                        timeout=(GOOGLE_TIMEOUT_SECONDS, GOOGLE_TIMEOUT_SECONDS))
    started = time.monotonic()
    try:
        engine.synthesize("Hello.", Voice(lang=lang, options=engine_options or {}))
    except GoogleUnavailable as error:
        return Check("google", WARN, f"Google TTS is not reachable ({error.cause})",
                     "check the network or proxy (HTTPS_PROXY); until then `make` uses the offline Piper voice")
    except DigestError as error:
        return Check("google", WARN, f"Google TTS answered but gave no speech: {error}",
                     "try again later (Google limits requests); `make --engine piper` works offline")
    return Check("google", OK, f"Google TTS answered in {time.monotonic() - started:.1f} s")


def check_piper(lang: str = "en", engine_options: dict | None = None) -> Check:
    from digest.models import Voice
    from digest.speech.engines.piper_engine import PiperEngine, model_path

    voice = Voice(lang=lang, options=engine_options or {})
    engine = PiperEngine()
    started = time.monotonic()
    try:
        engine.check(voice)
        engine.synthesize("Hello.", voice)
    except DigestError as error:
        return Check("piper", FAIL, str(error), "reinstall digest: pip install --force-reinstall digest")
    return Check("piper", OK, f"voice {model_path(voice)} spoke a test word in {time.monotonic() - started:.1f} s")


def check_cache(cache_dir: Path | None) -> Check:
    from digest.speech.cache import ClipCache, cache_limit, default_cache_dir, format_size

    root = Path(cache_dir or default_cache_dir())
    if root.exists() and not root.is_dir():
        return Check("cache", FAIL, f"{root} is a file, not a folder", "remove it or pass --cache-dir")
    probe_at = root if root.exists() else next((p for p in root.parents if p.exists()), root)
    try:
        with tempfile.TemporaryFile(dir=probe_at, prefix=".probe-"):
            pass
    except OSError as error:
        return Check("cache", FAIL, f"{root} is not writable ({error.strerror or error})",
                     "pass --cache-dir to a writable folder, or --no-cache")
    stats = ClipCache(root).stats() if root.exists() else None
    size = f"{counted(stats.entries, 'clip')}, {stats.bytes / 1_000_000:.1f} MB" if stats else "empty (not created yet)"
    try:
        limit, _ = cache_limit()
    except DigestError as error:
        return Check("cache", FAIL, str(error), "set DIGEST_CACHE_MAX to a size such as 500MB, or unset it")
    # `make` prunes to the limit; over it means runs with a larger --cache-max, or clips in use.
    if stats and stats.bytes > limit:
        return Check("cache", WARN, f"{root}: {size}, over its {format_size(limit)} limit",
                     "`digest cache prune` trims it; clips are made again as needed")
    return Check("cache", OK, f"{root}: {size} (limit {format_size(limit)})")


def check_output(folder: Path) -> list[Check]:
    from digest.publish.check import check_folder, failed
    from digest.publish.preferences import file_values
    from digest.publish.settings import CONFIG_NAME, FEED_NAME, load_settings

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        return [Check("output", FAIL, f"{folder} is a file, not a folder", "pass -o with a folder")]
    existing = folder if folder.exists() else next((p for p in folder.absolute().parents if p.exists()), None)
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".probe-"):
            pass
    except (OSError, TypeError) as error:
        return [Check("output", FAIL, f"{folder} is not writable ({getattr(error, 'strerror', None) or error})",
                      "pass -o with a folder you can write to")]
    where = f"{folder}/" + ("" if folder.exists() else " (created by the first make)")
    try:
        load_settings(folder)
        file_values(folder)  # the run preferences: a bad value would stop every make
    except DigestError as error:
        return [Check("output", FAIL, f"{where}: {error}", f"fix or delete {folder / CONFIG_NAME}")]
    feed = folder / FEED_NAME
    if not feed.exists():
        return [Check("output", OK, f"{where}: writable, settings valid, no feed yet")]
    try:
        findings = check_folder(folder)
    except DigestError as error:
        return [Check("output", WARN, f"{where}: {error}", "`digest feed` rebuilds it")]
    problems = [finding for finding in findings if finding.severity == "fail"]
    if failed(findings):
        return [Check("output", WARN, f"{where}: {feed.name} has {counted(len(problems), 'problem')}, first: {problems[0]}",
                      "`digest feed` rebuilds it; `digest feed --check` lists them all")]
    return [Check("output", OK, f"{where}: writable, settings valid, {feed.name} passes the feed check")]


def diagnose(folder: Path, cache_dir: Path | None = None, lang: str = "en",
             engine_options: dict | None = None) -> Report:
    checks = [*check_python(), *check_ffmpeg(folder), check_google(lang, engine_options),
              check_piper(lang, engine_options),
              check_cache(cache_dir), *check_output(folder)]
    google = next(check for check in checks if check.name == "google")
    piper = next(check for check in checks if check.name == "piper")
    if google.status != OK and piper.status == FAIL:
        google.status = FAIL  # neither engine can speak: make cannot work
    elif piper.status == FAIL and google.status == OK:
        piper.status = WARN  # make works online; only the offline fallback is gone
    return Report(checks)
