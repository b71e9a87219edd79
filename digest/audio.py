"""Engine clips -> one common PCM format with the engine's silence trimmed off the edges."""

from __future__ import annotations

from pydub import AudioSegment
from pydub.silence import detect_leading_silence

from .ffmpeg import run_ffmpeg
from .models import Clip

SAMPLE_RATE = 24000  # gTTS's own rate; Piper's 22.05 kHz is resampled up to it
SAMPLE_WIDTH = 2
CHANNELS = 1
# Keep a little of the engine's lead-in so that soft onsets ("h", "f") are not clipped.
EDGE_MARGIN_MS = 30
# Bump this when decoding or trimming changes, so cached clips made the old way are not reused.
NORMALIZATION_VERSION = "pcm24k-trim2"


def decode(clip: Clip) -> AudioSegment:
    """Decode any engine's clip to 24 kHz mono 16-bit PCM.

    gTTS's MP3s are decoded in-process by miniaudio: starting ffmpeg costs ~30 ms of CPU per
    clip, more than the network round trip on a long article. Other clips (Piper's 22.05 kHz
    WAV, which needs resampling) go through ffmpeg's better resampler; Piper itself is far
    slower than the ffmpeg start.
    """
    if clip.format == "mp3":
        import miniaudio  # here, not at the top: it loads numpy, 0.2 s a cached rerun never needs

        try:
            decoded = miniaudio.decode(
                clip.data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=CHANNELS, sample_rate=SAMPLE_RATE,
            )
        except miniaudio.DecodeError:
            pass  # let ffmpeg try, and report, whatever miniaudio could not read
        else:
            return AudioSegment(data=decoded.samples.tobytes(), sample_width=SAMPLE_WIDTH,
                                frame_rate=SAMPLE_RATE, channels=CHANNELS)
    result = run_ffmpeg(
        ["-v", "error", "-f", clip.format, "-i", "pipe:0",
         "-f", "s16le", "-acodec", "pcm_s16le", "-ac", str(CHANNELS), "-ar", str(SAMPLE_RATE), "pipe:1"],
        stdin=clip.data,
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
