"""Concurrent synthesis into the clip cache: order, hits and misses, resuming after a failure."""

import io
import random
import threading
import time
import wave
from dataclasses import replace

import pytest

from digest.errors import EngineError
from digest.models import Clip, Script, Segment, Voice
from digest.script.utterances import plan_utterances
from digest.sound.clips import RECIPE
from digest.sound.ffmpeg import configure_pydub
from digest.sound.stitch import stitch
from digest.speech.cache import ClipCache
from digest.speech.engines.base import Engine
from digest.speech.synth import synthesize_all


def tone_wav(seconds: float, rate: int = 22050) -> bytes:
    """A real, audible clip: a 220 Hz square-ish tone, so trimming keeps all of it."""
    frames = int(seconds * rate)
    period = rate // 220
    samples = bytearray()
    for index in range(frames):
        value = 8000 if (index // (period // 2)) % 2 else -8000
        samples += value.to_bytes(2, "little", signed=True)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(samples))
    return buffer.getvalue()


class ToneEngine(Engine):
    """A speech engine whose clip length encodes the text (0.1 s per word) and whose answers
    arrive in random order, like a network service under load."""

    name = "tone"
    max_chars = 100
    default_jobs = 4

    def __init__(self, fail_on: str | None = None, jitter: float = 0.05):
        super().__init__()
        self.fail_on = fail_on
        self.jitter = jitter
        self.calls: list[str] = []
        self.finished: list[str] = []
        self._lock = threading.Lock()

    def check(self, voice):
        pass

    def identity(self, voice):
        return "tone|v1"

    def synthesize(self, text, voice):
        with self._lock:
            self.calls.append(text)
        if self.fail_on and self.fail_on in text:
            raise EngineError(f"tone engine refuses {text!r}")
        time.sleep(random.uniform(0, self.jitter))
        with self._lock:
            self.finished.append(text)
        return Clip(tone_wav(0.1 * len(text.split())), "wav")


def script_of(*paragraphs: str) -> Script:
    return Script(tuple(Segment("paragraph", text, "Story") for text in paragraphs))


WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
# Paragraph n has n+1 words, so every clip's length tells which utterance it is.
PARAGRAPHS = [" ".join(WORDS[: n + 1]).capitalize() + "." for n in range(len(WORDS))]


@pytest.fixture(autouse=True)
def _pydub():
    configure_pydub()


def test_out_of_order_answers_still_give_audio_in_script_order(tmp_path):
    random.seed(7)
    engine = ToneEngine(jitter=0.08)
    utterances = plan_utterances(script_of(*PARAGRAPHS), engine.max_chars)
    cache = ClipCache(tmp_path)
    report = synthesize_all(utterances, engine, Voice(), cache, recipe=RECIPE, jobs=6)
    assert engine.finished != [u.text for u in utterances], "answers should have arrived out of order"
    result = stitch(((cache.get(k), u.pause_after_ms) for k, u in zip(report.keys, utterances)),
                    tmp_path / "out.mp3")
    lengths = [span.end - span.start for span in result.spans]
    # 0.1 s per word, give or take the trim margins: strictly increasing, as in the script.
    assert all(later > earlier + 0.05 for earlier, later in zip(lengths, lengths[1:]))
    assert lengths[0] == pytest.approx(0.1, abs=0.07) and lengths[-1] == pytest.approx(1.2, abs=0.07)


def test_second_run_hits_the_cache_and_a_changed_paragraph_is_all_that_is_redone(tmp_path):
    cache = ClipCache(tmp_path)
    utterances = plan_utterances(script_of(*PARAGRAPHS), 100)
    first = synthesize_all(utterances, ToneEngine(), Voice(), cache, recipe=RECIPE, jobs=4)
    assert (first.synthesized, first.cache_hits) == (len(PARAGRAPHS), 0)

    rerun_engine = ToneEngine()
    again = synthesize_all(utterances, rerun_engine, Voice(), cache, recipe=RECIPE, jobs=4)
    assert (again.synthesized, again.cache_hits, rerun_engine.calls) == (0, len(PARAGRAPHS), [])

    edited = list(PARAGRAPHS)
    edited[5] = "A new sixth paragraph. It has two sentences."
    edit_engine = ToneEngine()
    changed = synthesize_all(plan_utterances(script_of(*edited), 100), edit_engine, Voice(), cache, recipe=RECIPE, jobs=4)
    assert sorted(edit_engine.calls) == ["A new sixth paragraph.", "It has two sentences."]
    assert changed.cache_hits == len(PARAGRAPHS) - 1


def test_identical_utterances_are_synthesized_once(tmp_path):
    engine = ToneEngine()
    utterances = plan_utterances(script_of("Next story.", "Middle.", "Next story."), 100)
    report = synthesize_all(utterances, engine, Voice(), ClipCache(tmp_path), recipe=RECIPE, jobs=2)
    assert sorted(engine.calls) == ["Middle.", "Next story."]
    assert report.keys[0] == report.keys[2] and report.unique_clips == 2


def test_a_failed_run_resumes_where_it_stopped(tmp_path):
    cache = ClipCache(tmp_path)
    utterances = plan_utterances(script_of(*PARAGRAPHS), 100)
    failing = ToneEngine(fail_on="seven eight")
    with pytest.raises(EngineError, match="refuses"):
        synthesize_all(utterances, failing, Voice(), cache, recipe=RECIPE, jobs=2)
    kept = cache.stats().entries
    assert 0 < kept < len(PARAGRAPHS)

    resumed = ToneEngine()
    report = synthesize_all(utterances, resumed, Voice(), cache, recipe=RECIPE, jobs=2)
    assert report.cache_hits == kept
    assert len(resumed.calls) == len(PARAGRAPHS) - kept
    assert not set(resumed.calls) & set(failing.finished)


class PhonemeToneEngine(ToneEngine):
    name = "phoneme-tone"
    reads_phonemes = True


def test_only_an_engine_that_reads_phonemes_is_given_them_and_they_are_in_its_keys(tmp_path):
    from digest.script.lexicon import Entry, Lexicon, apply_lexicon

    lexicon = Lexicon([Entry("Quorvix", "kwor-vix", "t.toml:1", phonemes="kwˈɔːɹvɪks")])
    script = apply_lexicon(script_of("Quorvix sails.", "Boats sail."), lexicon)
    utterances = plan_utterances(script, 100)
    cache = ClipCache(tmp_path)

    plain = ToneEngine()
    plain_report = synthesize_all(utterances, plain, Voice(), cache, recipe=RECIPE, jobs=1)
    assert sorted(plain.calls) == ["Boats sail.", "Kwor-vix sails."]

    reader = PhonemeToneEngine()
    reader_report = synthesize_all(utterances, reader, Voice(), cache, recipe=RECIPE, jobs=1)
    # Same engine identity, so the clip without phonemes is shared; the one with them is not.
    assert reader.calls == ["[[ kwˈɔːɹvɪks ]] sails."]
    assert reader_report.keys[1] == plain_report.keys[1] and reader_report.keys[0] != plain_report.keys[0]


def test_the_decoder_is_prepared_on_its_own_thread_while_the_first_clips_are_made(tmp_path):
    """The engine is held until the decoder is prepared: were preparing done on the same
    thread after synthesis, or not at all, the wait would time out."""
    prepared = threading.Event()
    seen = []

    def prepare(clip_format):
        seen.append((clip_format, threading.current_thread().name))
        prepared.set()

    class WaitsForTheDecoder(ToneEngine):
        clip_format = "wav"

        def synthesize(self, text, voice):
            assert prepared.wait(30), "the decoder was not prepared while synthesis went on"
            return super().synthesize(text, voice)

    recipe = replace(RECIPE, prepare=prepare)
    utterances = plan_utterances(script_of(*PARAGRAPHS[:3]), 100)
    cache = ClipCache(tmp_path / "clips")
    synthesize_all(utterances, WaitsForTheDecoder(), Voice(), cache, recipe=recipe, jobs=2)
    assert seen == [("wav", "prepare-decoding")]
    # Everything cached: nothing to decode, nothing prepared.
    synthesize_all(utterances, WaitsForTheDecoder(), Voice(), cache, recipe=recipe, jobs=2)
    assert len(seen) == 1


def test_workers_send_their_next_request_without_waiting_for_decoding(tmp_path):
    """Decoding is held until every utterance was asked for, with fewer workers than utterances:
    were clips decoded on the workers' threads, the later requests would never be sent."""
    utterances = plan_utterances(script_of(*PARAGRAPHS[:6]), 100)
    engine = ToneEngine(jitter=0.0)
    all_asked = threading.Event()

    def normalize(clip):
        assert all_asked.wait(30), "decoding held up the requests"
        return RECIPE.normalize(clip)

    class CountsRequests(ToneEngine):
        def synthesize(self, text, voice):
            clip = engine.synthesize(text, voice)
            if len(engine.calls) == len(utterances):
                all_asked.set()
            return clip

    recipe = replace(RECIPE, normalize=normalize, prepare=None)
    report = synthesize_all(utterances, CountsRequests(), Voice(), ClipCache(tmp_path / "clips"), recipe=recipe,
                            jobs=2)
    assert report.synthesized == len(utterances)


def test_a_clip_that_decodes_to_silence_stops_the_requests_still_queued(tmp_path):
    utterances = plan_utterances(script_of(*PARAGRAPHS), 100)
    engine = ToneEngine(jitter=0.02)
    decoded = []

    def normalize(clip):
        decoded.append(clip)
        segment = RECIPE.normalize(clip)
        return segment[:0] if len(decoded) == 1 else segment

    with pytest.raises(EngineError, match="only silence"):
        synthesize_all(utterances, engine, Voice(), ClipCache(tmp_path / "clips"),
                       recipe=replace(RECIPE, normalize=normalize, prepare=None), jobs=1)
    assert len(engine.calls) < len(utterances)


def test_piper_keeps_the_cores_busy_and_google_does_not():
    from digest.speech.engines import get_engine

    assert get_engine("piper").cpu_bound and not get_engine("gtts").cpu_bound
    assert not get_engine("auto").cpu_bound  # until it falls back to Piper
