"""Engine clips -> one common PCM format with the engine's silence trimmed off the edges."""

from __future__ import annotations

import io
import wave

from pydub import AudioSegment
from pydub.silence import detect_leading_silence

from digest.models import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH, Clip
from digest.sound.ffmpeg import run_ffmpeg
from digest.speech.synth import ClipRecipe

__all__ = ["CHANNELS", "NORMALIZATION_VERSION", "RECIPE", "SAMPLE_RATE", "SAMPLE_WIDTH", "decode", "normalize_clip",
           "trim_silence"]
# Keep a little of the engine's lead-in so that soft onsets ("h", "f") are not clipped.
EDGE_MARGIN_MS = 30
# Bump this when decoding or trimming changes, so cached clips made the old way are not reused.
NORMALIZATION_VERSION = "pcm24k-trim3"


def _native_pcm(clip: Clip):
    """(int16 mono samples, sample rate) decoded in-process; None for what only ffmpeg reads."""
    import numpy as np

    if clip.format == "wav":
        try:
            with wave.open(io.BytesIO(clip.data)) as wav:
                if wav.getsampwidth() != SAMPLE_WIDTH or wav.getcomptype() != "NONE":
                    return None
                rate, channels = wav.getframerate(), wav.getnchannels()
                samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
        except (wave.Error, EOFError):
            return None
    elif clip.format == "mp3":
        import miniaudio

        try:
            decoded = miniaudio.mp3_read_s16(clip.data)
        except miniaudio.DecodeError:
            return None
        rate, channels = decoded.sample_rate, decoded.nchannels
        samples = np.frombuffer(decoded.samples, dtype=np.int16)
    else:
        return None
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1).astype(np.int16)
    return samples, rate


def decode(clip: Clip) -> AudioSegment:
    """Decode any engine's clip to 24 kHz mono 16-bit PCM.

    MP3 (gTTS) and WAV (Piper) clips are decoded in-process (miniaudio, the wave module) and
    resampled with soxr, the resampler ffmpeg itself offers: starting ffmpeg for each clip
    cost ~30 ms of CPU, more than a network round trip or a short Piper sentence. Anything
    else, or anything those cannot read, goes to ffmpeg, which also gives the error message.
    """
    native = _native_pcm(clip)
    if native is not None:
        samples, rate = native
        if rate != SAMPLE_RATE:
            import soxr

            samples = soxr.resample(samples, rate, SAMPLE_RATE, quality="HQ")
        return AudioSegment(data=samples.tobytes(), sample_width=SAMPLE_WIDTH, frame_rate=SAMPLE_RATE,
                            channels=CHANNELS)
    result = run_ffmpeg(
        ["-v", "error", "-f", clip.format, "-i", "pipe:0",
         "-f", "s16le", "-acodec", "pcm_s16le", "-ac", str(CHANNELS), "-ar", str(SAMPLE_RATE), "pipe:1"],
        step="decode", stdin=clip.data,
    )
    return AudioSegment(data=result.stdout, sample_width=SAMPLE_WIDTH, frame_rate=SAMPLE_RATE, channels=CHANNELS)


def trim_silence(segment: AudioSegment) -> AudioSegment:
    """Cut the engine's leading and trailing silence, relative to the clip's own peak level."""
    if len(segment) == 0 or segment.max == 0:
        return segment[:0]
    threshold = max(-60.0, segment.max_dBFS - 45.0)
    start = detect_leading_silence(segment, silence_threshold=threshold, chunk_size=5)
    end = len(segment) - detect_leading_silence(segment.reverse(), silence_threshold=threshold, chunk_size=5)
    if end <= start:
        return segment[:0]
    return segment[max(0, start - EDGE_MARGIN_MS):min(len(segment), end + EDGE_MARGIN_MS)]


def normalize_clip(clip: Clip) -> AudioSegment:
    return trim_silence(decode(clip))


def load_decoder(clip_format: str) -> None:
    """Import the modules decoding `clip_format` uses: a fifth of a second for MP3's."""
    import numpy  # noqa: F401
    import soxr  # noqa: F401

    if clip_format == "mp3":
        import miniaudio  # noqa: F401


# What the speech stage does to every engine clip before caching it (see speech.synth).
RECIPE = ClipRecipe(NORMALIZATION_VERSION, normalize_clip, load_decoder)
