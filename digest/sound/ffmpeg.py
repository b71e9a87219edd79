"""Choose the ffmpeg digest runs, check that it can do the job, and run it.

Users already have an ffmpeg: Ubuntu 20.04 ships 4.2, Debian 12 5.1, Homebrew 7 or 8, and the
imageio-ffmpeg wheel bundles a recent static build. digest's filter chains use only options
that exist in 4.2, so any of them works; what differs between builds is which filters and
encoders were compiled in. The choice, in order:

1. `DIGEST_FFMPEG=/path/to/ffmpeg`, then the output folder's `ffmpeg` setting: used as given,
   or refused with one line when it is missing, not ffmpeg, too old or lacks what digest needs.
2. The `ffmpeg` on PATH, when it is 4.2 or newer and has every filter and encoder digest uses.
3. The binary bundled with imageio-ffmpeg, with a warning saying why the PATH one was passed over.

Each binary is probed once per process (version, filters, encoders: three quick runs).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from digest.errors import DigestError, InputError

log = logging.getLogger(__name__)

ENV_VAR = "DIGEST_FFMPEG"
MIN_RELEASE = (4, 2)
# What decoding, loudness measurement, mastering and encoding ask of ffmpeg.
REQUIRED_FILTERS = ("acompressor", "alimiter", "aresample", "aselect", "atempo", "ebur128", "volume")
REQUIRED_ENCODERS = ("libmp3lame",)
# A probe answers in well under a second; a binary that does not is not a usable ffmpeg.
PROBE_TIMEOUT_SECONDS = 20
# Bump when the self-test asks more of ffmpeg, so remembered verdicts are taken again.
SELF_TEST_VERSION = 1
# ffmpeg releases by the libavutil version they ship, for builds whose banner carries no
# release number (git snapshots print "N-112233-g1234abc").
_LIBAVUTIL_RELEASES = [
    ((55, 78), (3, 4)), ((56, 14), (4, 0)), ((56, 22), (4, 1)), ((56, 31), (4, 2)), ((56, 51), (4, 3)), ((56, 70), (4, 4)), ((57, 17), (5, 0)), ((57, 28), (5, 1)),
    ((58, 2), (6, 0)), ((58, 29), (6, 1)), ((59, 8), (7, 0)), ((59, 39), (7, 1)), ((60, 8), (8, 0)),
]
_BANNER = re.compile(r"^ffmpeg version (\S+)", re.MULTILINE)
_RELEASE = re.compile(r"^n?(\d+)\.(\d+)")
_LIBAVUTIL = re.compile(r"^libavutil\s+(\d+)\.\s*(\d+)\.", re.MULTILINE)
# ffmpeg prints errors among informational lines; these words mark the ones that explain a failure.
_ERROR_LINE = re.compile(
    r"error|invalid|no such|not found|unknown|unrecogni[sz]ed|failed|cannot|could not|unable|"
    r"not supported|permission denied|does not|mismatch|too (?:many|few)", re.IGNORECASE)
_CONTEXT_PREFIX = re.compile(r"^\[(?:Parsed_)?([^\]@\s]+?)(?:_\d+)? @ (?:0x)?[0-9a-fA-F]+\]\s*")


class FfmpegError(DigestError):
    """An ffmpeg step failed on the episode's audio.

    `lasting`: the binary fails this way every time (its own error), rather than this once
    (killed, or not started: short of memory, its libraries being upgraded), so that a
    verdict on it may be remembered.
    """

    def __init__(self, message: str, lasting: bool = True) -> None:
        super().__init__(message)
        self.lasting = lasting


class FfmpegRefused(InputError):
    """The ffmpeg the user named cannot be used; `lasting` as for FfmpegError, where only a
    binary's version or what it is lasts (until the file changes)."""

    def __init__(self, message: str, lasting: bool = False) -> None:
        super().__init__(message)
        self.lasting = lasting


@dataclass(frozen=True)
class Binary:
    """One ffmpeg executable and what it can do."""

    path: str
    version: str  # as its banner prints it, e.g. "5.1.9-0+deb12u1"
    release: tuple[int, int] | None  # (major, minor); None when neither banner nor libraries tell
    missing: tuple[str, ...] = ()  # required filters and encoders it was built without

    @property
    def label(self) -> str:
        return f"{self.path}, version {self.version}"

    @property
    def release_text(self) -> str:
        return "%d.%d" % self.release if self.release else "unknown"


@dataclass(frozen=True)
class Choice:
    """The ffmpeg this run uses and how it was chosen."""

    binary: Binary
    origin: str  # "DIGEST_FFMPEG", "setting", "PATH" or "bundled"
    passed_over: str | None = None  # why the ffmpeg on PATH is not used, when there is one


def _run_quietly(path: str, *args: str) -> str:
    return _answer(path, *args).stdout


def _answer(path: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([path, "-hide_banner", *args], capture_output=True, text=True, errors="replace",
                          timeout=PROBE_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL)


def _release(banner_version: str, version_text: str) -> tuple[int, int] | None:
    found = _RELEASE.match(banner_version)
    if found:
        return int(found.group(1)), int(found.group(2))
    avutil = _LIBAVUTIL.search(version_text)
    if not avutil:
        return None
    library = (int(avutil.group(1)), int(avutil.group(2)))
    known = [release for first, release in _LIBAVUTIL_RELEASES if library >= first]
    return known[-1] if known else None


def _listed_names(listing: str) -> set[str]:
    # `-filters` and `-encoders` print a flags column then the name: " ... ebur128   A->N  ..."
    names = set()
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith(" ="):
            names.add(parts[1])
    return names


_probed: dict[tuple, Binary] = {}
# Part of what is remembered of a binary on disk: raised when what a probe remembers changes
# (2: a failure that may pass next time, such as a crash on `-version`, is no longer kept).
PROBE_VERSION = 2


def probe(path: str, fresh: bool = False) -> Binary:
    """What the ffmpeg at `path` is and can do. Raises FfmpegRefused naming `path` when it cannot be used.

    `fresh` asks the binary again instead of trusting what was learnt of it before.
    """
    target = Path(path).expanduser()
    try:
        stat = target.stat()
    except OSError:
        raise FfmpegRefused(f"ffmpeg {path} does not exist") from None
    key = (str(target), stat.st_mtime_ns, stat.st_size)
    if fresh or key not in _probed:
        # Remembered on disk too: a distribution's ffmpeg takes a fifth of a second to answer
        # the three questions, on every run.
        disk_key = "|".join(map(str, (*key, PROBE_VERSION)))
        remembered = None if fresh else _read_remembered().get("probes", {}).get(disk_key)
        try:
            _probed[key] = _binary_from(remembered, path) if remembered else _probe(target, path)
        except FfmpegRefused as refusal:
            # One that may pass next time (a crash, a timeout) is asked again then: remembered,
            # it would pass the binary over on every run until the file changed.
            if not remembered and refusal.lasting:
                _remember("probes", disk_key, {"refused": str(refusal)})
            raise
        if not remembered:
            binary = _probed[key]
            _remember("probes", disk_key, {"version": binary.version, "release": list(binary.release),
                                           "missing": list(binary.missing)})
    return _probed[key]


def _binary_from(remembered: dict, path: str) -> Binary:
    if "refused" in remembered:
        raise FfmpegRefused(str(remembered["refused"]), lasting=True)
    return Binary(str(Path(path).expanduser()), str(remembered["version"]), tuple(remembered["release"]),
                  tuple(remembered["missing"]))


def _probe(target: Path, path: str) -> Binary:
    if target.is_dir() or not os.access(target, os.X_OK):
        raise FfmpegRefused(f"ffmpeg {path} is not an executable program")
    try:
        answer = _answer(str(target), "-version")
        version_text = answer.stdout
    except subprocess.TimeoutExpired:
        raise FfmpegRefused(f"ffmpeg {path} did not answer `-version` within {PROBE_TIMEOUT_SECONDS} s") from None
    except OSError as error:
        raise FfmpegRefused(f"ffmpeg {path} cannot be run: {error.strerror or error}") from None
    banner = _BANNER.search(version_text)
    if not banner and version_text.strip():  # another program
        raise FfmpegRefused(f"{path} is not ffmpeg: `-version` printed "
                            f"{version_text.strip().splitlines()[0][:80]!r}", lasting=True)
    if not banner:
        said = first_error_line(answer.stderr) or f"exit code {answer.returncode}"
        raise FfmpegRefused(f"ffmpeg {path} did not say its version ({said[:120]})")
    version = banner.group(1)
    release = _release(version, version_text)
    if release is None or release < MIN_RELEASE:
        found = "%d.%d" % release if release else "an unknown version"
        raise FfmpegRefused(f"ffmpeg {path} is {found} ({version}); digest needs "
                            f"{MIN_RELEASE[0]}.{MIN_RELEASE[1]} or newer", lasting=True)
    try:
        filters = _listed_names(_run_quietly(str(target), "-filters"))
        encoders = _listed_names(_run_quietly(str(target), "-encoders"))
    except (subprocess.TimeoutExpired, OSError):
        raise FfmpegRefused(f"ffmpeg {path} did not list its filters and encoders") from None
    missing = tuple(name for name in REQUIRED_FILTERS if name not in filters) + tuple(
        name for name in REQUIRED_ENCODERS if name not in encoders)
    return Binary(str(target), version, release, missing)


def _usable(binary: Binary, named_by: str) -> Binary:
    if binary.missing:
        raise FfmpegRefused(f"ffmpeg {binary.path} ({binary.version}), named by {named_by}, lacks "
                            f"{', '.join(binary.missing)}; install a full build or unset it to use the bundled one")
    return binary


def bundled_path() -> str | None:
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return None


def path_ffmpeg() -> str | None:
    return shutil.which("ffmpeg")


# A self-test runs a representative job (the sound stage passes its own: measure, master,
# encode a second of tone) with the binary being tried; it raises FfmpegError when that fails.
SelfTest = Callable[[], None]
# The binary on trial, for every thread: a self-test measures on worker threads too.
_trial: list[Binary] = []
_trial_lock = threading.RLock()
# Verdicts of self-tests by binary (path, mtime, size), for this process.
_verdicts: dict[tuple, str] = {}


@contextmanager
def trying(binary: Binary) -> Iterator[None]:
    """Within this block, run_ffmpeg runs `binary` in every thread, whatever was chosen for the process."""
    with _trial_lock:
        _trial.append(binary)
        try:
            yield
        finally:
            _trial.pop()


def self_test_failure(binary: Binary, self_test: SelfTest, fresh: bool = False) -> str | None:
    """Why `binary` fails `self_test`, or None when it passes.

    The verdict is remembered for the process and, so that a daily run does not pay for the
    test again, in the user cache folder, keyed by the binary's path, size and modification time.
    """
    key = _binary_key(binary)
    if not fresh and key in _verdicts:
        return _verdicts[key] or None
    remembered = {} if fresh else _read_remembered().get("tests", {})
    disk_key = "|".join(map(str, key))
    if isinstance(remembered.get(disk_key), str):
        verdict = remembered[disk_key]
    else:
        try:
            with trying(binary):
                self_test()
            verdict = ""
        except FfmpegError as error:
            verdict = str(error)
            if not error.lasting:  # tried again by the next run, not passed over for good
                _verdicts[key] = verdict
                return verdict
        _remember("tests", disk_key, verdict)
    _verdicts[key] = verdict
    return verdict or None


def _binary_key(binary: Binary) -> tuple:
    stat = Path(binary.path).stat()
    return (binary.path, stat.st_mtime_ns, stat.st_size, SELF_TEST_VERSION)


def _verdicts_file() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("digest", appauthor=False)) / "ffmpeg-checks.json"


def _read_remembered() -> dict:
    """What earlier runs learnt of ffmpeg binaries: {"probes": {key: ...}, "tests": {key: verdict}}."""
    try:
        found = json.loads(_verdicts_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {section: found[section] for section in ("probes", "tests") if isinstance(found.get(section), dict)}


def _remember(section: str, disk_key: str, value) -> None:
    from digest.fsutil import write_atomic

    remembered = _read_remembered()
    remembered.setdefault(section, {})[disk_key] = value
    try:
        write_atomic(_verdicts_file(), json.dumps(remembered, indent=1).encode("utf-8"))
    except (OSError, DigestError) as error:  # a read-only cache only costs a probe next time
        log.debug("could not remember the ffmpeg check: %s", error)


def choose(setting: str | None = None, setting_source: str = "the ffmpeg setting",
           self_test: SelfTest | None = None, fresh: bool = False) -> Choice:
    """Pick the ffmpeg to run (see the module's docstring). Raises FfmpegRefused or DigestError."""
    named = [(os.environ.get(ENV_VAR, "").strip(), ENV_VAR, ENV_VAR), (setting, setting_source, "setting")]
    for path, named_by, origin in named:
        if path:
            binary = _usable(probe(path, fresh), named_by)
            failure = self_test and self_test_failure(binary, self_test, fresh)
            if failure:
                raise FfmpegRefused(f"ffmpeg {path}, named by {named_by}, failed digest's test run: {failure}")
            return Choice(binary, origin)
    passed_over = None
    on_path = path_ffmpeg()
    if on_path:
        try:
            binary = probe(on_path, fresh)
        except FfmpegRefused as refusal:
            passed_over = f"the ffmpeg on PATH cannot be used: {refusal}"
        else:
            failure = self_test and not binary.missing and self_test_failure(binary, self_test, fresh)
            if binary.missing:
                passed_over = f"the ffmpeg on PATH ({binary.label}) lacks {', '.join(binary.missing)}"
            elif failure:
                passed_over = f"the ffmpeg on PATH failed digest's test run: {failure}"
            else:
                return Choice(binary, "PATH")
    bundled = bundled_path()
    if bundled is None:
        if passed_over:
            raise DigestError(f"{passed_over}, and imageio-ffmpeg's bundled ffmpeg is not installed; "
                              f"reinstall digest or set {ENV_VAR} to a full ffmpeg {MIN_RELEASE[0]}.{MIN_RELEASE[1]}+")
        raise DigestError(f"ffmpeg was not found on PATH and imageio-ffmpeg is not installed; reinstall digest "
                          f"or set {ENV_VAR}")
    return Choice(probe(bundled), "bundled", passed_over)


_chosen: dict[tuple, Choice] = {}
_wanted: dict = {"setting": None, "source": "the ffmpeg setting", "self_test": None}
_warned: set[str] = set()


def use_setting(setting: str | None, source: str = "the ffmpeg setting", self_test: SelfTest | None = None,
                fresh: bool = False) -> Choice:
    """Choose the ffmpeg for the rest of the process, honouring the output folder's `ffmpeg` setting.

    With `self_test`, an ffmpeg the user has (on PATH or named) must also pass it; `fresh`
    ignores remembered verdicts.
    """
    _wanted.update(setting=setting or None, source=source, self_test=self_test)
    if fresh:
        _chosen.clear()
    return current(fresh=fresh)


def current(fresh: bool = False) -> Choice:
    """The ffmpeg for this process, chosen once per DIGEST_FFMPEG/setting/PATH combination."""
    if _trial:
        return Choice(_trial[-1], "trial")
    key = (os.environ.get(ENV_VAR, "").strip(), _wanted["setting"], _wanted["self_test"], path_ffmpeg())
    with _trial_lock:
        return _chosen_for(key, fresh)


def _chosen_for(key: tuple, fresh: bool) -> Choice:
    if key not in _chosen:
        choice = choose(_wanted["setting"], _wanted["source"], _wanted["self_test"], fresh)
        _chosen[key] = choice
        if choice.passed_over and choice.passed_over not in _warned:
            _warned.add(choice.passed_over)
            log.warning("using the bundled ffmpeg %s: %s", choice.binary.version, choice.passed_over)
    return _chosen[key]


def ffmpeg_path() -> str:
    return current().binary.path


def configure_pydub() -> None:
    # pydub runs "ffmpeg" from PATH by default; point it at the binary chosen here.
    from pydub import AudioSegment

    AudioSegment.converter = ffmpeg_path()


def first_error_line(stderr: str) -> str:
    """The line of ffmpeg's output that explains a failure: the first error, not the last.

    ffmpeg ends most failures with a summary ("Conversion failed!", "Error opening output
    files") that says nothing of the cause, which it printed earlier.
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    chosen = next((line for line in lines if _ERROR_LINE.search(line)), lines[-1] if lines else "")
    return _CONTEXT_PREFIX.sub(lambda found: f"{found.group(1)}: ", chosen)[:300]


STEPS = {
    "decode": "decode a clip",
    "measure": "measure loudness",
    "master": "master and encode the episode",
    "encode": "encode the episode",
}


def run_ffmpeg(args: list[str], *, step: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run the chosen ffmpeg on `args` for `step` (a key of STEPS).

    Raises FfmpegError naming the step, the binary and its version, and ffmpeg's own first
    error line.
    """
    binary = current().binary
    command = [binary.path, "-hide_banner", *(["-nostdin"] if stdin is None else []), "-y", *args]
    try:
        if stdin is None:
            result = subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL)
        else:
            result = subprocess.run(command, input=stdin, capture_output=True)
    except OSError as error:
        raise FfmpegError(f"ffmpeg could not {STEPS[step]}: {binary.label} cannot be run: "
                          f"{error.strerror or error}", lasting=False) from error
    if result.returncode != 0:
        reason = first_error_line(result.stderr.decode("utf-8", "replace")) or f"exit code {result.returncode}"
        # Killed by a signal (the OOM killer, a timeout's kill): not the binary's own failure.
        raise FfmpegError(f"ffmpeg could not {STEPS[step]} ({binary.label}): {reason}",
                          lasting=result.returncode > 0)
    return result


def start_ffmpeg(args: list[str], *, step: str, stderr, stdin=subprocess.PIPE,
                 stdout=subprocess.DEVNULL) -> subprocess.Popen:
    """Start the chosen ffmpeg on `args` for `step` (a key of STEPS), its input and output the
    pipes or files given, its messages going to the file `stderr`."""
    binary = current().binary
    try:
        return subprocess.Popen([binary.path, "-hide_banner", "-y", *args], stdin=stdin, stdout=stdout, stderr=stderr)
    except OSError as error:
        raise FfmpegError(f"ffmpeg could not {STEPS[step]}: {binary.label} cannot be run: "
                          f"{error.strerror or error}", lasting=False) from error
