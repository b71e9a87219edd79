"""Stitching and mastering: the podcast target whatever the engine's level, gaps, tempo."""

from pathlib import Path

import numpy as np
import pytest
from pydub import AudioSegment
from pydub.generators import Sine

from digest.errors import DigestError
from digest.models import Clip, Voice
from digest.sound.chime import chime_gap
from digest.sound.clips import decode as decode_clip
from digest.sound.clips import normalize_clip
from digest.sound.ffmpeg import configure_pydub
from digest.sound.loudness import TARGET_LUFS, TRUE_PEAK_CEILING, measure_file
from digest.sound.stitch import stitch
from digest.speech.engines import get_engine
from tests.audio_checks import decode, dominant_hz

FAKE_GOOGLE_AUDIO = Path(__file__).parent.parent / "data" / "google_frames.mp3"


@pytest.fixture(scope="module")
def piper_clips():
    configure_pydub()
    engine = get_engine("piper")
    texts = ["The harbour wall is finished.", "About one thousand two hundred people came back to the town."]
    return [normalize_clip(engine.synthesize(text, Voice())) for text in texts]


def _on_target(path: Path) -> None:
    measured = measure_file(path)
    assert TARGET_LUFS - 1 <= measured.integrated <= TARGET_LUFS + 1, measured
    assert measured.true_peak <= TRUE_PEAK_CEILING, measured


@pytest.mark.parametrize("gain_db", [0.0, -25.0, +3.0])
def test_real_speech_reaches_the_target_whatever_its_level(piper_clips, tmp_path, gain_db):
    clips = [(clip.apply_gain(gain_db), 400) for clip in piper_clips] * 3
    stitch(clips, tmp_path / "out.mp3")
    _on_target(tmp_path / "out.mp3")


def test_smooth_speech_like_audio_reaches_the_target(tmp_path):
    configure_pydub()
    clip = decode_clip(Clip(FAKE_GOOGLE_AUDIO.read_bytes() * 3, "mp3"))
    stitch([(clip, 300)] * 6, tmp_path / "out.mp3")
    _on_target(tmp_path / "out.mp3")


def test_a_chime_gap_keeps_the_episode_on_target(piper_clips, tmp_path):
    first, second = piper_clips
    result = stitch([(first, chime_gap()), (second, 0)], tmp_path / "out.mp3")
    _on_target(tmp_path / "out.mp3")
    assert result.spans[1].start - result.spans[0].end == pytest.approx(len(chime_gap()) / 1000, abs=0.002)


def test_spans_and_duration_follow_clips_and_pauses(tmp_path):
    configure_pydub()
    tone = Sine(220).to_audio_segment(duration=1000, volume=-20).set_frame_rate(24000).set_sample_width(2)
    result = stitch([(tone, 500), (tone[:250], 0)], tmp_path / "out.mp3")
    assert [(s.start, s.end) for s in result.spans] == [(0.0, 1.0), (1.5, 1.75)]
    assert result.duration == pytest.approx(1.75)
    assert len(decode(tmp_path / "out.mp3")) / 24000 == pytest.approx(1.75, abs=0.08)


def test_silence_is_encoded_without_processing(tmp_path):
    result = stitch([(AudioSegment.silent(800, frame_rate=24000), 200)], tmp_path / "out.mp3")
    assert "makeup_gain" not in result.loudness
    assert np.abs(decode(tmp_path / "out.mp3")).max() < 0.01


def test_speed_changes_tempo_not_pitch(tmp_path):
    configure_pydub()
    tone = Sine(440).to_audio_segment(duration=3000, volume=-20).set_frame_rate(24000).set_sample_width(2)
    normal = stitch([(tone, 0)], tmp_path / "normal.mp3")
    fast = stitch([(tone, 0)], tmp_path / "fast.mp3", speed=1.5)
    assert fast.duration == pytest.approx(2.0) and normal.duration == pytest.approx(3.0)
    fast_audio = decode(tmp_path / "fast.mp3")
    assert len(fast_audio) / 24000 == pytest.approx(2.0, abs=0.1)
    assert dominant_hz(fast_audio, 24000) == pytest.approx(440, abs=5)


def test_clips_in_another_format_are_refused(tmp_path):
    wrong = AudioSegment.silent(100, frame_rate=22050)
    with pytest.raises(DigestError, match="common PCM format"):
        stitch([(wrong, 0)], tmp_path / "out.mp3")


def test_a_long_episode_is_measured_on_a_sample_and_still_hits_the_target(piper_clips, tmp_path):
    # About three minutes: over the length from which a third of the episode is measured.
    clips = [(clip, 600) for clip in piper_clips] * 30
    result = stitch(clips, tmp_path / "out.mp3")
    assert result.duration > 150
    _on_target(tmp_path / "out.mp3")
