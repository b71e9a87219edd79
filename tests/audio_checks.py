"""Measurements on finished audio for the listening tests: decoding, pauses, pitch, and an
offline recogniser's word error rate. numpy and pocketsphinx come with the test extra."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np

from digest.sound.ffmpeg import ffmpeg_path


def decode(path: Path, rate: int = 24000) -> np.ndarray:
    """Mono samples in [-1, 1] at `rate`, decoded by ffmpeg."""
    raw = subprocess.run(
        [ffmpeg_path(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
        capture_output=True, check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768


def quiet_runs_ms(samples: np.ndarray, rate: int, threshold_db: float = -50.0, window_ms: int = 10) -> list[int]:
    """Lengths of the stretches whose 10 ms windows are all below `threshold_db` RMS."""
    size = rate * window_ms // 1000
    frames = samples[: len(samples) // size * size].reshape(-1, size)
    level = 20 * np.log10(np.maximum(np.sqrt((frames ** 2).mean(axis=1)), 1e-10))
    runs, current = [], 0
    for quiet in level < threshold_db:
        if quiet:
            current += 1
        elif current:
            runs.append(current * window_ms)
            current = 0
    if current:
        runs.append(current * window_ms)
    return runs


def median_pitch_hz(samples: np.ndarray, rate: int) -> float:
    """Median fundamental frequency of the voiced 40 ms frames (autocorrelation, 70-400 Hz)."""
    size = rate * 40 // 1000
    low, high = rate // 400, rate // 70
    estimates = []
    for start in range(0, len(samples) - size, size):
        frame = samples[start:start + size] - samples[start:start + size].mean()
        if np.sqrt((frame ** 2).mean()) < 0.03:
            continue
        correlation = np.correlate(frame, frame, mode="full")[size - 1:]
        if correlation[0] <= 0:
            continue
        lag = low + int(np.argmax(correlation[low:high]))
        if correlation[lag] / correlation[0] > 0.5:
            estimates.append(rate / lag)
    return float(np.median(estimates))


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def transcribe(path: Path) -> str:
    """What pocketsphinx's bundled US English model hears in the audio file."""
    from pocketsphinx import Decoder

    pcm = subprocess.run(
        [ffmpeg_path(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", "16000", "-"],
        capture_output=True, check=True,
    ).stdout
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis else ""


def _words(text: str) -> list[str]:
    text = text.lower().replace("-", " ")
    # The recogniser spells American English; the scripts spell British.
    text = re.sub(r"our\b", "or", text)
    text = re.sub(r"tre(s?)\b", r"ter\1", text)
    return re.findall(r"[a-z']+", text)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, on lower-case words."""
    ref, hyp = _words(reference), _words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, hyp_word in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
        previous = current
    return previous[-1] / max(1, len(ref))


def chapter_wav(mp3: Path, title: str, destination: Path) -> Path:
    """Cut the chapter called `title` (from the episode's ID3 CHAP frames) out to a WAV file."""
    from mutagen.id3 import ID3

    for chapter in ID3(str(mp3)).getall("CHAP"):
        if str(chapter.sub_frames.get("TIT2", "")) == title:
            start, end = chapter.start_time / 1000, chapter.end_time / 1000
            subprocess.run([ffmpeg_path(), "-v", "error", "-y", "-i", str(mp3), "-ss", f"{start:.3f}",
                            "-to", f"{end:.3f}", str(destination)], check=True)
            return destination
    raise LookupError(f"no chapter {title!r} in {mp3}")
