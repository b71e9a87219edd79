"""Podcast loudness: measure speech with ffmpeg's EBU R128 meter and build the mastering chain.

The chain is: a gain that brings the speech to a standard level, a gentle compressor (so
its settings mean the same whatever the engine's own level), a make-up gain to the target,
and a lookahead limiter whose ceiling leaves room for the overshoot MP3 encoding adds. Only
the make-up gain depends on a measurement of the whole episode: ebur128 (without true-peak
oversampling, which is slow) measures the chain at two make-up gains, and the gain that meets
the target is read off the line through them, because the limiter makes loudness grow more
slowly than the gain.
"""

from __future__ import annotations

import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from digest.sound.ffmpeg import run_ffmpeg

TARGET_LUFS = -16.0
TRUE_PEAK_CEILING = -1.5  # dBTP the finished MP3 must stay under
# The limiter only sees sample peaks; inter-sample peaks and 64 kbps MP3 encoding add up to
# about 1.2 dB on speech, so the limiter sits well under the true-peak ceiling.
LIMITER_CEILING_DBFS = -3.5
# What the compressor is tuned for: speech brought to this level (RMS dBFS, or LUFS) first.
COMPRESSOR_INPUT_LEVEL = -20.0
COMPRESSOR = "acompressor=threshold=-24dB:ratio=3:attack=2:release=120:knee=4"
# Compressing speech at this level lowers its loudness by about this much: the first guess
# that measurements then correct.
COMPRESSOR_LOSS_DB = 8.0
# Distance between the two make-up gains measured.
PROBE_STEP_DB = 5.0
# The MP3 encoder's low-pass takes a little of the loudness the meter counted before it.
ENCODER_LOSS_DB = 0.2
# Speech is steady enough that a third of a long episode, spread evenly, measures within
# 0.1 LU of the whole: the measurements then cost a third as much.
SAMPLE_LONGER_THAN_SECONDS = 120.0
SAMPLE_FILTER = "aselect='lt(mod(t,30),10)'"
MAX_GAIN_DB = 40.0
SILENCE_LUFS = -70.0
# framelog=verbose keeps the per-frame lines out of the info-level output that carries the
# summary; "quiet" would too, but only ffmpeg 7 and newer know it.
METER = "ebur128=framelog=verbose"

_INTEGRATED = re.compile(r"Integrated loudness:\s*I:\s*(-?(?:\d+(?:\.\d+)?|inf))\s*LUFS")
_TRUE_PEAK = re.compile(r"True peak:\s*Peak:\s*(-?(?:\d+(?:\.\d+)?|inf))\s*dBFS")


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS; -inf for silence
    true_peak: float | None = None  # dBTP, when measured


@dataclass(frozen=True)
class Mastering:
    """The gains of one episode's chain, in dB."""

    level_gain: float
    makeup_gain: float

    def filters(self, oversample: bool = True) -> list[str]:
        limit = 10 ** (LIMITER_CEILING_DBFS / 20)
        # The limiter runs at twice the rate so that it also sees peaks between samples:
        # atempo's splices leave some up to 2 dB over the sample peak (-1.4 dBTP on an hour
        # at speed 1.5 without this; -2.7 with it). Loudness measurements skip it: it changes
        # the peaks, not the loudness, and would make them slower.
        limiter = f"alimiter=limit={limit:.4f}:attack=5:release=80:level=false"  # level=false: no auto gain
        return [
            f"volume={self.level_gain:.2f}dB",
            COMPRESSOR,
            f"volume={self.makeup_gain:.2f}dB",
            *(["aresample=48000", limiter, "aresample=24000"] if oversample else [limiter]),
        ]


def _number(text: str) -> float:
    return -math.inf if text in ("-inf", "inf") else float(text)


def parse_ebur128(stderr: str) -> Loudness:
    """Read the summary ffmpeg's ebur128 filter prints when its input ends."""
    found = _INTEGRATED.findall(stderr)
    if not found:
        raise ValueError("no EBU R128 summary in ffmpeg's output")
    peaks = _TRUE_PEAK.findall(stderr)
    return Loudness(_number(found[-1]), _number(peaks[-1]) if peaks else None)


def measure(input_args: list[str], filters: list[str] = (), *, true_peak: bool = False,
            stdin: bytes | None = None) -> Loudness:
    """Integrated loudness (and optionally true peak) of ffmpeg input `input_args` (reading
    `stdin` when given) after `filters`."""
    meter = METER + (":peak=true" if true_peak else "")
    result = run_ffmpeg(["-nostats", *input_args, "-af", ",".join([*filters, meter]), "-f", "null", "-"],
                        step="measure", stdin=stdin)
    return parse_ebur128(result.stderr.decode("utf-8", "replace"))


def measure_all(input_args: list[str], chains: list[list[str]], stdin: bytes | None = None) -> list[Loudness]:
    """`measure` through each chain, side by side: each is one single-threaded ffmpeg, so two use
    both cores."""
    with ThreadPoolExecutor(max_workers=len(chains)) as pool:
        return list(pool.map(lambda chain: measure(input_args, chain, stdin=stdin), chains))


def together_args(chains: list[list[str]]) -> list[str]:
    """ffmpeg's output arguments that meter its input through each of `chains`, side by side."""
    branches = "".join(f"[in{n}]" for n in range(len(chains)))
    graph = [f"[0:a]asplit={len(chains)}{branches}"]
    outputs = []
    for n, chain in enumerate(chains):
        graph.append(f"[in{n}]{','.join([*chain, METER])}[out{n}]")
        outputs += ["-map", f"[out{n}]", "-f", "null", "-"]
    return ["-filter_complex", ";".join(graph), *outputs]


_METER_SUMMARY = re.compile(r"^\[Parsed_ebur128_(\d+) @ [^\]]*\] Summary:", re.MULTILINE)


def summaries_by_meter(stderr: str) -> list[Loudness]:
    """Each meter's summary, in the order the meters appear in the filter graph.

    ffmpeg prints them in no set order, each under its instance name (Parsed_ebur128_<its index
    in the graph>); a graph it set up once before the audio's format was known prints a silent
    summary first, which the later one of the same meter replaces.
    """
    starts = list(_METER_SUMMARY.finditer(stderr))
    by_meter = {}
    for position, start in enumerate(starts):
        end = starts[position + 1].start() if position + 1 < len(starts) else len(stderr)
        by_meter[int(start.group(1))] = parse_ebur128(stderr[start.start():end])
    return [by_meter[index] for index in sorted(by_meter)]


def measure_file(path: Path) -> Loudness:
    """Loudness and true peak of a finished audio file, the way a podcast app's checker sees it."""
    return measure(["-i", str(path)], true_peak=True)


def plan_mastering(speech_level: float, measure_chains) -> Mastering | None:
    """Gains that bring speech at `speech_level` (RMS dBFS, or LUFS) to the target.

    `measure_chains([filters, ...]) -> [Loudness, ...]` measures the episode through each
    candidate chain. None means the episode is silent and gets no processing.
    """
    if not math.isfinite(speech_level) or speech_level < SILENCE_LUFS:
        return None
    level_gain = level_gain_for(speech_level)
    target = TARGET_LUFS + ENCODER_LOSS_DB
    low, high = PROBE_MAKEUP_GAINS
    low_level, high_level = (m.integrated for m in measure_chains(
        [Mastering(level_gain, low).filters(oversample=False), Mastering(level_gain, high).filters(oversample=False)]))
    if not math.isfinite(low_level) or low_level < SILENCE_LUFS:
        return None
    slope = min(1.0, max(0.25, (high_level - low_level) / PROBE_STEP_DB))
    nearer, nearer_level = (low, low_level) if abs(target - low_level) <= abs(target - high_level) else (high, high_level)
    return Mastering(level_gain, _clamp(nearer + (target - nearer_level) / slope))


def level_gain_for(speech_level: float) -> float:
    """The gain that brings speech at `speech_level` to the level the compressor is tuned for."""
    return _clamp(COMPRESSOR_INPUT_LEVEL - speech_level)


def _clamp(gain: float) -> float:
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain))


# The two make-up gains a plan measures the episode at: the first guess, and a step above it.
PROBE_MAKEUP_GAINS = (_clamp(TARGET_LUFS - COMPRESSOR_INPUT_LEVEL + COMPRESSOR_LOSS_DB),
                      _clamp(TARGET_LUFS - COMPRESSOR_INPUT_LEVEL + COMPRESSOR_LOSS_DB) + PROBE_STEP_DB)
