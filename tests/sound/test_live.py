"""Mastering while the episode is still being joined: kept when on target, redone when not."""

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from pydub import AudioSegment

from digest.errors import DigestError
from digest.models import Clip
from digest.sound import live
from digest.sound.clips import decode
from digest.sound.ffmpeg import configure_pydub
from digest.sound.loudness import (
    ENCODER_LOSS_DB,
    PROBE_MAKEUP_GAINS,
    TARGET_LUFS,
    TRUE_PEAK_CEILING,
    Mastering,
    measure_all,
    measure_file,
)
from digest.sound.stitch import Spool, master, stitch

FAKE_GOOGLE_AUDIO = Path(__file__).parent.parent / "data" / "google_frames.mp3"

pytestmark = pytest.mark.audio


@pytest.fixture(scope="module")
def speech() -> AudioSegment:
    """About three seconds of speech-like audio, Google's own MP3 frames decoded."""
    configure_pydub()
    return decode(Clip(FAKE_GOOGLE_AUDIO.read_bytes() * 3, "mp3"))


def _episode(speech: AudioSegment, seconds: float, gain_db: float = 0.0) -> list[tuple[AudioSegment, int]]:
    clip = speech.apply_gain(gain_db)
    count = int(seconds * 1000 / (len(clip) + 300)) + 1
    return [(clip, 300)] * count


def _on_target(path: Path) -> None:
    measured = measure_file(path)
    assert TARGET_LUFS - 1 <= measured.integrated <= TARGET_LUFS + 1, measured
    assert measured.true_peak <= TRUE_PEAK_CEILING, measured


def test_an_episode_longer_than_the_calibration_is_mastered_live_and_on_target(speech, tmp_path):
    result = stitch(_episode(speech, 80), tmp_path / "out.mp3")
    # Only the live master reports what its meter read of the whole.
    assert abs(result.loudness["measured"] - (TARGET_LUFS + ENCODER_LOSS_DB)) <= live.TOLERANCE_LU
    _on_target(tmp_path / "out.mp3")


def test_a_short_episode_is_mastered_on_the_whole_at_the_end(speech, tmp_path):
    result = stitch(_episode(speech, live.CALIBRATION_SECONDS / 2), tmp_path / "out.mp3")
    assert "measured" not in result.loudness and "makeup_gain" in result.loudness
    _on_target(tmp_path / "out.mp3")


def test_the_same_clips_give_the_same_bytes_however_fast_they_come(speech, tmp_path):
    clips = _episode(speech, 60)
    stitch(clips, tmp_path / "at-once.mp3")
    with Spool(1.0) as spool:
        for segment, gap in clips:
            spool.add(segment, gap)
            time.sleep(0.01)  # the encoder runs ahead of some clips and behind others
        slow = master(spool, tmp_path / "trickled.mp3")
    assert "measured" in slow.loudness
    assert (tmp_path / "trickled.mp3").read_bytes() == (tmp_path / "at-once.mp3").read_bytes()


def test_a_beginning_unlike_the_rest_is_mastered_again_on_the_whole(speech, tmp_path, caplog):
    # Planned on a loud first half-minute, the quieter two minutes after it land far under the target.
    clips = _episode(speech, live.CALIBRATION_SECONDS) + _episode(speech, 120, gain_db=-9)
    with caplog.at_level("INFO", logger="digest.sound.live"):
        result = stitch(clips, tmp_path / "out.mp3")
    assert "measured" not in result.loudness
    assert "mastering it again on the whole" in caplog.text
    _on_target(tmp_path / "out.mp3")


def test_a_live_master_whose_ffmpeg_dies_gives_way_to_mastering_the_whole(speech, tmp_path):
    clips = _episode(speech, 70)
    with Spool(1.0) as spool:
        for index, (segment, gap) in enumerate(clips):
            spool.add(segment, gap)
            if spool.live._processes and index % 5 == 0:
                spool.live._processes[0].kill()
        result = master(spool, tmp_path / "out.mp3")
    assert "measured" not in result.loudness
    _on_target(tmp_path / "out.mp3")


def test_starting_over_or_closing_stops_the_live_master(speech, tmp_path):
    clips = _episode(speech, 40)
    spool = Spool(1.0)
    for segment, gap in clips:
        spool.add(segment, gap)
    first = list(spool.live._processes)
    assert len(first) == 2
    spool.clear()  # a fall-back to another engine: other clips, another plan
    assert all(process.poll() is not None for process in first)
    assert spool.live._processes == [] and spool.position == 0
    for segment, gap in clips:
        spool.add(segment, gap)
    second = list(spool.live._processes)
    assert len(second) == 2
    workdir = spool.path.parent
    spool.close()
    assert all(process.poll() is not None for process in second)
    assert not workdir.exists()


def test_another_speed_than_the_live_one_is_mastered_on_the_whole(speech, tmp_path):
    with Spool(1.0) as spool:
        for segment, gap in _episode(speech, 40):
            spool.add(segment, gap)
        result = master(spool, tmp_path / "fast.mp3", speed=1.5)
    assert "measured" not in result.loudness
    assert result.duration == pytest.approx(spool.position / 24000 / 1.5)


def test_joining_on_another_thread_then_finishing_here_keeps_the_live_master(speech, tmp_path):
    """Clips are joined on the joiner's thread and the rest on the caller's: one live master serves both."""
    clips = _episode(speech, 60)
    with Spool(1.0) as spool:
        half = len(clips) // 2
        joiner = threading.Thread(target=lambda: [spool.add(*pair) for pair in clips[:half]])
        joiner.start()
        joiner.join()
        for pair in clips[half:]:
            spool.add(*pair)
        result = master(spool, tmp_path / "out.mp3")
    assert "measured" in result.loudness
    _on_target(tmp_path / "out.mp3")


@pytest.mark.parametrize("level_gain", [-6.0, 0.0, 7.5])
def test_the_probe_started_ahead_reads_what_measuring_the_chains_apart_does(tmp_path, level_gain):
    rate = 24000
    t = np.arange(rate * 6) / rate
    warble = 0.2 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))
    pcm = (warble * 32767).astype("<i2").tobytes()
    chains = [Mastering(level_gain, gain).filters(oversample=False) for gain in PROBE_MAKEUP_GAINS]
    probe = live._Probe(tmp_path)
    try:
        ahead = probe.measure(chains, pcm, level_gain)
    finally:
        probe.stop()
    apart = measure_all(["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0"], chains, pcm)
    assert [m.integrated for m in ahead] == pytest.approx([m.integrated for m in apart], abs=0.1)
    assert ahead[0].integrated < ahead[1].integrated  # in the order of the chains


def test_a_probe_asked_for_other_chains_refuses(tmp_path):
    probe = live._Probe(tmp_path)
    try:
        with pytest.raises(DigestError, match="other chains"):
            probe.measure([["volume=1dB", "acompressor"]], b"\0\0" * 100, 1.0)
    finally:
        probe.stop()
    assert probe._process.poll() is not None


def test_clips_about_to_be_made_start_the_calibration_ahead_and_it_plans_the_same(speech, tmp_path):
    clips = _episode(speech, 45)
    plain = stitch(clips, tmp_path / "plain.mp3")
    with Spool(1.0) as spool:
        spool.expect_clips()
        started_ahead = spool.live._probe._process
        assert started_ahead.poll() is None  # waiting for the first half-minute
        for segment, gap in clips:
            spool.add(segment, gap)
        assert started_ahead.poll() is not None and spool.live._probe is None
        ahead = master(spool, tmp_path / "ahead.mp3")
    assert ahead.loudness == plain.loudness
    assert (tmp_path / "ahead.mp3").read_bytes() == (tmp_path / "plain.mp3").read_bytes()


def _warble(seconds: float) -> AudioSegment:
    rate = 24000
    t = np.arange(int(rate * seconds)) / rate
    wave = 0.3 * np.sin(2 * np.pi * 180 * t) * (1 + 0.9 * np.sin(2 * np.pi * 2 * t))
    return AudioSegment(data=(wave * 32767).astype("<i2").tobytes(), sample_width=2, frame_rate=rate, channels=1)


def test_the_encode_started_on_the_first_guess_stands_when_the_calibration_agrees(speech, tmp_path):
    result = stitch(_episode(speech, 50), tmp_path / "out.mp3")
    assert result.loudness["makeup_gain"] == PROBE_MAKEUP_GAINS[0]
    assert "measured" in result.loudness


def test_audio_far_from_the_first_guess_is_encoded_again_on_the_calibrated_plan(tmp_path):
    # A steady warble loses far less to the compressor than speech: its plan is not the guess.
    result = stitch([(_warble(4.0), 200)] * 12, tmp_path / "out.mp3")
    assert abs(result.loudness["makeup_gain"] - PROBE_MAKEUP_GAINS[0]) > live.GUESS_TOLERANCE_DB
    assert "measured" in result.loudness
    _on_target(tmp_path / "out.mp3")


def _mastered_counting_encodes(clips, path, encode_on_guess: bool) -> list:
    """Master `clips` live into `path`; the plans an encode was started on, in order."""
    started = []
    with Spool(1.0, encode_on_guess=encode_on_guess) as spool:
        spawn = spool.live._spawn
        spool.live._spawn = lambda plan: started.append(plan) or spawn(plan)
        for segment, gap in clips:
            spool.add(segment, gap)
        assert "measured" in master(spool, path).loudness
    return started


@pytest.mark.parametrize("kind", ["speech", "warble"])
def test_waiting_for_the_plan_before_encoding_gives_the_same_bytes(speech, tmp_path, kind):
    """Piper keeps the cores busy: its episode is not encoded on the guess first, and is the same MP3."""
    clips = _episode(speech, 50) if kind == "speech" else [(_warble(4.0), 200)] * 12
    early = _mastered_counting_encodes(clips, tmp_path / "early.mp3", encode_on_guess=True)
    waited = _mastered_counting_encodes(clips, tmp_path / "waited.mp3", encode_on_guess=False)
    assert len(waited) == 1 and waited[0] == early[-1]
    assert len(early) == (1 if kind == "speech" else 2)  # the guess stood, or was encoded again
    assert (tmp_path / "waited.mp3").read_bytes() == (tmp_path / "early.mp3").read_bytes()
