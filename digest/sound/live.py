"""Mastering and encoding that start while the episode is still being joined.

Mastering plans its gains on a measurement of the episode, so waiting for the last clip put
two measurements and the whole encode after synthesis: most of a short gTTS episode's time once
Google has answered. Instead, once the first CALIBRATION_SECONDS are in the spool, the chain is
planned on them (digest.sound.loudness, the same plan a whole episode gets) and ffmpeg starts
mastering and encoding, fed every clip as it is joined and metering what it puts out.
When the episode ends, the meter tells whether the whole reached the target: within
TOLERANCE_LU the MP3 is kept; otherwise the caller masters the spool again, planned on the whole.

The calibration's ffmpeg is started as soon as clips are to be made, so that its start-up
(80 ms for Debian's build) passes while the first requests are in flight. The mastering
filters with the meter, and the MP3 encoder, run in two ffmpeg processes joined by a pipe: on
two cores the encode then keeps pace with clips arriving from Google (one process,
single-threaded before ffmpeg 7, took half as long again), and the bytes are the same.

Every decision depends on the clips alone (the calibration ends at a clip boundary), never on
how fast they came, so the same clips give the same bytes on any machine.
"""

from __future__ import annotations

import logging
import math
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from digest.errors import DigestError
from digest.models import SAMPLE_RATE
from digest.sound import loudness
from digest.sound.ffmpeg import start_ffmpeg
from digest.sound.mp3 import mp3_output, pcm_input, tempo_filter

log = logging.getLogger(__name__)

# Enough speech for the plan to hold for the whole episode, and early enough that the encode
# runs beside most of the synthesis: gTTS's first round of requests brings about this much.
CALIBRATION_SECONDS = 30.0
# How far the whole episode may land from the target before it is mastered again. The podcast
# norm allows 1 LU; a plan made on the whole lands within about 0.3.
TOLERANCE_LU = 0.5
# How far the calibrated make-up gain may be from the first guess (loudness.PROBE_MAKEUP_GAINS)
# for the encode started on the guess to stand: Google's voices land within 0.2 dB of it.
GUESS_TOLERANCE_DB = 0.3
# ffmpeg finishes within a second of its input ending; one that does not is stuck.
FINISH_TIMEOUT_SECONDS = 120


class Growing(Protocol):
    """What a live master reads of the spool it follows (digest.sound.stitch.Spool)."""

    path: Path  # raw PCM in the common format
    position: int  # samples so far
    speech_level: float  # RMS dBFS of the clips so far

    def flush(self) -> None: ...


@dataclass(frozen=True)
class LiveMastered:
    """The finished MP3 of a live master and how it was made."""

    path: Path
    speech_level: float  # of the calibration, RMS dBFS
    plan: loudness.Mastering
    measured: float  # LUFS of the whole, before the encoder


class LiveMaster:
    """Masters and encodes a spool's audio as it grows; `finish` says whether the result stands.

    The spool calls `prepare` when clips are about to be made (the calibration's ffmpeg then
    starts while they are) and `joined` after each clip with the bytes it added. Nothing here
    raises for a failure of its own: a live master that cannot go on stops, and the caller's
    mastering of the whole spool (which reports ffmpeg's errors) takes over.
    """

    def __init__(self, speed: float, workdir: Path, encode_on_guess: bool = True) -> None:
        self.speed = speed
        self.encode_on_guess = encode_on_guess
        self._path = workdir / "live.mp3"
        self._workdir = workdir
        self._processes: list[subprocess.Popen] = []  # mastering, then encoding
        self._probe: _Probe | None = None
        self._messages: list = []
        self._speech_level = math.nan
        self._plan: loudness.Mastering | None = None
        self._given_up = False

    def prepare(self) -> None:
        """Start the calibration's ffmpeg ahead: Debian's takes 80 ms to start, which the first
        requests' round trip hides."""
        if self._probe is None and not self._processes and not self._given_up:
            try:
                self._probe = _Probe(self._workdir)
            except DigestError as error:
                log.debug("calibration not started ahead: %s", error)

    def joined(self, spool: Growing, added: bytes) -> None:
        """`spool` has grown by `added`, a clip and the pause after it."""
        if self._given_up:
            return
        if not self._processes:
            if spool.position >= CALIBRATION_SECONDS * SAMPLE_RATE:
                spool.flush()
                self._start(spool.path, spool.speech_level)
            return
        self._write(added)

    def finish(self) -> LiveMastered | None:
        """The MP3, once every clip is in, when it reached the target; None otherwise."""
        if not self._processes or self._given_up:
            self.stop()
            return None
        mastering, encoding = self._processes
        try:
            mastering.stdin.close()
            for process in self._processes:
                process.wait(FINISH_TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as error:
            log.debug("live mastering stopped: %s", error)
            self.stop()
            return None
        self._close_messages()
        self._processes = []
        self._given_up = True
        measured = _measured(self._workdir / "mastering.log")
        if mastering.returncode != 0 or encoding.returncode != 0 or not math.isfinite(measured):
            log.debug("live mastering failed (exit %s, %s); mastering the whole episode",
                      mastering.returncode, encoding.returncode)
            return None
        target = loudness.TARGET_LUFS + loudness.ENCODER_LOSS_DB
        if abs(measured - target) > TOLERANCE_LU:
            log.info("the episode's first %d seconds planned it at %.1f LUFS against %.1f; mastering it again "
                     "on the whole", CALIBRATION_SECONDS, measured, target)
            return None
        return LiveMastered(self._path, self._speech_level, self._plan, measured)

    def stop(self) -> None:
        """End the live master, if running, and forget its output; the next clips start none."""
        self._given_up = True
        self._end_processes()
        self._drop_probe()

    def _end_processes(self) -> None:
        processes, self._processes = self._processes, []
        _end(processes)
        self._close_messages()
        self._path.unlink(missing_ok=True)

    def _drop_probe(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.stop()

    def _start(self, spool_path: Path, speech_level: float) -> None:
        # The spool does not grow while this runs: clips are added on this thread.
        if not math.isfinite(speech_level) or speech_level < loudness.SILENCE_LUFS:
            self.stop()  # silent so far: the whole episode is planned at the end
            return
        prefix = spool_path.read_bytes()
        level_gain = loudness.level_gain_for(speech_level)
        guess = loudness.Mastering(level_gain, loudness.PROBE_MAKEUP_GAINS[0])
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="calibrate") as pool:
            calibrating = pool.submit(self._calibrate, prefix, speech_level)
            # The encode starts on the first guess while the calibration measures; it is kept when
            # the plan comes out within GUESS_TOLERANCE_DB of it, as it does for Google's voices.
            # An engine that keeps the cores busy itself (Piper) would only be slowed by it.
            if self.encode_on_guess and self._spawn(guess):
                self._write(prefix)
            try:
                plan = calibrating.result()
            except DigestError as error:
                log.debug("live mastering not started: %s", error)
                plan = None
        if self._given_up:  # ffmpeg would not take the audio; the whole is mastered at the end
            return
        if plan is None:  # ffmpeg failed, or the calibration found silence
            self.stop()
            return
        if abs(plan.makeup_gain - guess.makeup_gain) <= GUESS_TOLERANCE_DB:
            plan = guess  # whether or not its encode started early: the same clips, the same bytes
        if plan is not guess or not self._processes:
            self._end_processes()
            if not self._spawn(plan):
                return
            self._write(prefix)
        self._speech_level, self._plan = speech_level, plan

    def _calibrate(self, prefix: bytes, speech_level: float) -> loudness.Mastering | None:
        # Measured the same way whether the probe was started ahead or not, so that the plan,
        # and so the MP3's bytes, depend on the clips alone.
        probe, self._probe = self._probe, None
        try:
            probe = probe or _Probe(self._workdir)
            return loudness.plan_mastering(speech_level, lambda chains: probe.measure(
                chains, prefix, loudness.level_gain_for(speech_level)))
        finally:
            if probe is not None:
                probe.stop()

    def _spawn(self, plan: loudness.Mastering) -> bool:
        """Start mastering and encoding with `plan`; False (and the live master stopped) when ffmpeg cannot start."""
        chain = [f for f in [tempo_filter(self.speed)] if f] + plan.filters()
        between = ["-f", "f32le", "-ar", str(SAMPLE_RATE), "-ac", "1"]
        try:
            # The meter passes the audio on unchanged: the MP3 is what the chain alone would make.
            # It sits with the filters because LAME alone takes as long as both.
            mastering = self._ffmpeg("mastering", [*pcm_input("pipe:0"), "-af", ",".join([*chain, loudness.METER]),
                                                   *between, "pipe:1"], stdout=subprocess.PIPE)
            self._ffmpeg("encoding", [*between, "-i", "pipe:0", *mp3_output(self._path)], stdin=mastering.stdout)
            mastering.stdout.close()  # the encoder's now: it sees the end when mastering ends
        except DigestError as error:
            log.debug("live mastering not started: %s", error)
            self.stop()
            return False
        return True

    def _ffmpeg(self, role: str, args: list[str], **pipes) -> subprocess.Popen:
        messages = (self._workdir / f"{role}.log").open("wb")
        self._messages.append(messages)
        process = start_ffmpeg(["-nostats", "-v", "info", *args], step="master", stderr=messages, **pipes)
        self._processes.append(process)
        return process

    def _write(self, data: bytes) -> None:
        try:
            self._processes[0].stdin.write(data)
        except OSError as error:  # ffmpeg ended early; its messages say why when the whole is mastered
            log.debug("live mastering stopped: %s", error)
            self.stop()

    def _close_messages(self) -> None:
        for messages in self._messages:
            messages.close()
        self._messages = []


def _end(processes: list[subprocess.Popen]) -> None:
    """Kill `processes` (ffmpeg of a live master) and reap them; what they were fed is dropped."""
    for process in processes:
        if process.poll() is None:
            process.kill()
    for process in processes:
        process.wait()
        if process.stdin:
            try:
                process.stdin.close()
            except OSError:  # unwritten data to a process now gone
                pass


def _measured(messages: Path) -> float:
    try:
        return loudness.parse_ebur128(messages.read_text("utf-8", "replace")).integrated
    except (OSError, ValueError):
        return math.nan


class _Probe:
    """The calibration's two measurements in an ffmpeg started before the audio is there.

    Its chains cannot hold the level gain, which depends on the audio: it reads 32-bit float
    samples the gain was applied to here, through chains whose own level gain is 0 dB.
    """

    def __init__(self, workdir: Path) -> None:
        self._chains = [loudness.Mastering(0.0, gain).filters(oversample=False)
                        for gain in loudness.PROBE_MAKEUP_GAINS]
        self._messages_path = workdir / "probe.log"
        self._messages = self._messages_path.open("wb")
        try:
            self._process = start_ffmpeg(["-nostats", "-v", "info", "-f", "f32le", "-ar", str(SAMPLE_RATE),
                                          "-ac", "1", "-i", "pipe:0", *loudness.together_args(self._chains)],
                                         step="measure", stderr=self._messages)
        except DigestError:
            self._messages.close()
            raise

    def measure(self, chains: list[list[str]], pcm: bytes, level_gain: float) -> list[loudness.Loudness]:
        """What `loudness.measure_all` would read of the s16 `pcm` through `chains`, which must
        be this probe's own with `level_gain` in front."""
        import numpy as np  # loaded by the clips' decoder already

        if [chain[1:] for chain in chains] != [chain[1:] for chain in self._chains]:
            raise DigestError("the calibration started ahead measures other chains")
        scale = 10 ** (level_gain / 20) / 32768
        try:
            self._process.stdin.write((np.frombuffer(pcm, "<i2").astype(np.float32) * scale).tobytes())
            self._process.stdin.close()
            self._process.wait(FINISH_TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise DigestError(f"the calibration's ffmpeg stopped: {error}") from error
        self._messages.close()
        try:
            found = loudness.summaries_by_meter(self._messages_path.read_text("utf-8", "replace"))
        except (OSError, ValueError):
            found = []
        if self._process.returncode != 0 or len(found) != len(chains):
            raise DigestError(f"the calibration's ffmpeg failed (exit {self._process.returncode})")
        return found

    def stop(self) -> None:
        _end([self._process])
        self._messages.close()
