"""Joining clips in script order while synthesis goes on: overlap, fall-back, failures."""

import threading
import time

import pytest
from pydub import AudioSegment

from digest.errors import EngineError
from digest.models import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH, Voice
from digest.script.utterances import plan_utterances
from digest.sound.clips import RECIPE
from digest.sound.ffmpeg import configure_pydub
from digest.sound.join import joining
from digest.sound.stitch import master, stitch
from digest.speech.cache import ClipCache
from digest.speech.synth import load_clip, synthesize_all
from tests.speech.test_synth import PARAGRAPHS, ToneEngine, script_of


def tone(ms: int, level: int = 4000) -> AudioSegment:
    """`ms` of a square wave whose level tells the clip apart."""
    frames = SAMPLE_RATE * ms // 1000
    samples = b"".join((level if (i // 20) % 2 else -level).to_bytes(2, "little", signed=True) for i in range(frames))
    return AudioSegment(data=samples, sample_width=SAMPLE_WIDTH, frame_rate=SAMPLE_RATE, channels=CHANNELS)


@pytest.fixture(autouse=True)
def _pydub():
    configure_pydub()


@pytest.mark.audio
def test_clips_are_joined_while_later_ones_are_still_being_made(tmp_path):
    """The last clip is held back until the first is in the spool: without the overlap it would never be."""
    first_joined = threading.Event()
    last = PARAGRAPHS[-1]

    class HoldsTheLast(ToneEngine):
        def synthesize(self, text, voice):
            if text == last:
                assert first_joined.wait(30), "the first clip was not joined while synthesis went on"
            return super().synthesize(text, voice)

    engine = HoldsTheLast(jitter=0.01)
    utterances = plan_utterances(script_of(*PARAGRAPHS), engine.max_chars)
    cache = ClipCache(tmp_path / "clips")

    def fetch(key, text):
        clip = load_clip(key, text, engine, Voice(), cache, recipe=RECIPE)
        first_joined.set()
        return clip

    steps = []
    with joining([u.pause_after_ms for u in utterances], fetch) as joiner:
        report = synthesize_all(utterances, engine, Voice(), cache, recipe=RECIPE, jobs=3, arrivals=joiner.arrivals)
        assert joiner.spool.clips >= 1
        joined = master(joiner.finish(report.keys, lambda *step: steps.append(step)), tmp_path / "joined.mp3")
    # Only what was left is reported as joining, ending with every clip.
    assert steps[-1] == ("joining", len(utterances), len(utterances)) and len(steps) <= len(utterances)
    # The same episode, to the byte, as stitching the clips after synthesis.
    whole = stitch(((cache.get(key), u.pause_after_ms) for key, u in zip(report.keys, utterances)),
                   tmp_path / "whole.mp3")
    assert (tmp_path / "joined.mp3").read_bytes() == (tmp_path / "whole.mp3").read_bytes()
    assert joined.spans == whole.spans and joined.duration == whole.duration


def _clips(*lengths: int) -> dict[str, AudioSegment]:
    return {f"k{ms}": tone(ms) for ms in lengths}


def test_a_new_round_after_a_fall_back_starts_the_spool_over():
    old, new = _clips(100, 200, 300), _clips(110, 220, 330)
    clips = {**old, **new}
    both_joined = threading.Event()

    def fetch(key, text):
        if key == "k200":
            both_joined.set()
        return clips[key]

    with joining([50, 50, 0], fetch) as joiner:
        arrivals = joiner.arrivals
        arrivals.start(list(old), {key: key for key in old}, set())
        arrivals.arrived("k100")
        arrivals.arrived("k200")
        assert both_joined.wait(30)
        # Google gave up: Piper speaks everything again, under other keys.
        arrivals.start(list(new), {key: key for key in new}, set())
        for key in new:
            arrivals.arrived(key)
        arrivals.end()
        spool = joiner.finish(list(new), lambda *_: None)
        assert spool.clips == 3
        assert [round(span.end - span.start, 3) for span in spool.spans()] == [0.11, 0.22, 0.33]
        assert spool.path.stat().st_size == (110 + 220 + 330 + 50 + 50) * SAMPLE_RATE * SAMPLE_WIDTH // 1000


def test_clips_all_in_the_cache_are_joined_only_when_the_episode_is_wanted():
    clips = _clips(100, 200)
    fetched = []

    def fetch(key, text):
        fetched.append(key)
        return clips[key]

    with joining([0, 0], fetch) as joiner:
        joiner.arrivals.start(list(clips), {key: key for key in clips}, set(clips))
        joiner.arrivals.end()
        joiner._thread.join(30)
        assert fetched == []  # an up-to-date episode costs no joining
        steps = []
        joiner.finish(list(clips), lambda *step: steps.append(step))
    assert fetched == ["k100", "k200"]
    assert steps == [("joining", 0, 2), ("joining", 1, 2), ("joining", 2, 2)]


def test_a_clip_that_cannot_be_joined_fails_the_finish_and_leaves_no_spool():
    def fetch(key, text):
        raise EngineError(f"the clip for {text!r} vanished and could not be spoken again")

    with pytest.raises(EngineError, match="vanished"):
        with joining([0], fetch) as joiner:
            spool_path = joiner.spool.path
            joiner.arrivals.start(["k1"], {"k1": "Hello."}, set())
            joiner.arrivals.arrived("k1")
            joiner.arrivals.end()
            joiner.finish(["k1"], lambda *_: None)
    assert not spool_path.parent.exists()


def test_a_failed_synthesis_stops_the_joiner_and_removes_its_spool(tmp_path):
    engine = ToneEngine(fail_on="seven eight")
    utterances = plan_utterances(script_of(*PARAGRAPHS), engine.max_chars)
    cache = ClipCache(tmp_path)
    with pytest.raises(EngineError, match="refuses"):
        with joining([u.pause_after_ms for u in utterances],
                     lambda key, text: load_clip(key, text, engine, Voice(), cache, recipe=RECIPE)) as joiner:
            spool_path = joiner.spool.path
            synthesize_all(utterances, engine, Voice(), cache, recipe=RECIPE, jobs=2, arrivals=joiner.arrivals)
    assert not joiner._thread.is_alive() and not spool_path.parent.exists()


def test_the_calibration_starts_ahead_only_when_clips_are_to_be_made():
    clips = _clips(100, 200)
    with joining([0, 0], lambda key, text: clips[key]) as joiner:
        arrivals = joiner.arrivals
        arrivals.start(list(clips), {key: key for key in clips}, set())
        deadline = time.monotonic() + 30
        while joiner.spool.live._probe is None and time.monotonic() < deadline:
            time.sleep(0.01)
        probe = joiner.spool.live._probe
        assert probe is not None and probe._process.poll() is None
    assert probe._process.poll() is not None  # stopped with the joiner
    with joining([0, 0], lambda key, text: clips[key]) as joiner:
        joiner.arrivals.start(list(clips), {key: key for key in clips}, set(clips))  # all in the cache
        joiner.arrivals.end()
        joiner._thread.join(30)
        assert joiner.spool.live._probe is None


def test_an_engine_that_keeps_the_cores_busy_is_mastered_after_its_last_clip():
    with joining([0], lambda key, text: None, master_alongside=False) as joiner:
        assert joiner.spool.live is None
    with joining([0], lambda key, text: None) as joiner:
        assert joiner.spool.live is not None
