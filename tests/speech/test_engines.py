import io
import json
import os
import subprocess
import sys
import threading
import wave

import pytest

from digest.errors import EngineError, InputError
from digest.models import Clip, Voice
from digest.speech.engines import available, get_engine
from digest.speech.engines.base import Engine, EngineOption
from digest.speech.engines.gtts_engine import GoogleUnavailable, GttsEngine, RetryPolicy
from tests.conftest import route_to
from tests.fakegoogle import FakeGoogle

FAST_RETRIES = RetryPolicy(attempts=4, connect_attempts=4, base_delay=0.01, max_delay=0.05, max_total_wait=5)


def test_registry_lists_builtins_and_rejects_unknown_names():
    assert {"gtts", "piper", "auto"} <= set(available())
    with pytest.raises(InputError, match="unknown engine 'espeak'; choose one of: .*gtts.*piper.*auto"):
        get_engine("espeak")


def test_gtts_engine_sends_text_language_accent_and_speed(fake_google):
    engine = GttsEngine()
    clip = engine.synthesize("Harbour reopens.", Voice(lang="en", options={"tld": "co.uk", "slow": True}))
    assert clip.format == "mp3" and clip.data[:2] in (b"\xff\xf3", b"\xff\xfb", b"ID")
    [request] = fake_google.requests
    assert (request.text, request.lang, request.slow, request.host) == (
        "Harbour reopens.", "en", True, "translate.google.co.uk")
    assert engine.requests == 1


@pytest.mark.parametrize("fault", ["429", "500", "503", "reset"])
def test_gtts_retries_transient_faults(monkeypatch, fault):
    with FakeGoogle(faults=lambda n: fault if n <= 2 else None) as google:
        route_to(monkeypatch, google)
        engine = GttsEngine(policy=FAST_RETRIES)
        clip = engine.synthesize("Try again.", Voice())
    assert clip.data
    assert google.count == 3
    assert engine.retries == 2


def test_gtts_gives_up_naming_the_chunk(monkeypatch):
    with FakeGoogle(faults=lambda n: "500") as google:
        route_to(monkeypatch, google)
        engine = GttsEngine(policy=FAST_RETRIES)
        with pytest.raises(EngineError, match=r"gtts gave up on 'Never works\.': 500"):
            engine.synthesize("Never works.", Voice())
    assert google.count == FAST_RETRIES.attempts


def test_gtts_does_not_retry_client_errors(monkeypatch):
    with FakeGoogle(faults=lambda n: "noaudio") as google:
        route_to(monkeypatch, google)
        with pytest.raises(EngineError):
            GttsEngine(policy=FAST_RETRIES).synthesize("No audio.", Voice())
    assert google.count == 1


def test_gtts_honours_retry_after(monkeypatch):
    import time

    with FakeGoogle(faults=lambda n: "429" if n == 1 else None, retry_after=1) as google:
        route_to(monkeypatch, google)
        start = time.monotonic()
        GttsEngine(policy=FAST_RETRIES).synthesize("Wait for it.", Voice())
        elapsed = time.monotonic() - start
    assert elapsed >= 0.75  # Retry-After: 1, with at most 20% jitter below


def test_unreachable_google_is_reported_as_unavailable():
    # conftest points HTTPS_PROXY at a closed port: exactly what a dead network looks like.
    with pytest.raises(GoogleUnavailable, match="Failed to connect"):
        GttsEngine(policy=FAST_RETRIES).synthesize("Hello.", Voice())


@pytest.mark.parametrize("voice, message", [
    (Voice(lang="xx"), "language 'xx' is not supported"),
    (Voice(options={"tld": "moon"}), "unknown accent domain"),
])
def test_gtts_checks_voice(voice, message):
    with pytest.raises(InputError, match=message):
        GttsEngine().check(voice)


def test_piper_speaks_offline_and_loads_voice_once():
    engine = get_engine("piper")
    engine.check(Voice())
    first = engine.synthesize("The lighthouse keeper retired.", Voice())
    engine.synthesize("She kept the light for years.", Voice())
    assert engine.loads == 1
    with wave.open(io.BytesIO(first.data)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert 1.0 < seconds < 5.0


def test_piper_loads_its_voice_in_the_background_once_warmed_up(monkeypatch):
    """`digest make` warms the engine up before it imports the rest and reads: the load must
    not hold the caller up, and the first clip must use the voice loaded, not load another."""
    from digest.speech.engines import piper_engine

    real_load, may_finish, loading = piper_engine.load_voice, threading.Event(), threading.Event()

    def held_load(*args):
        loading.set()
        assert may_finish.wait(30)
        return real_load(*args)

    monkeypatch.setattr(piper_engine, "load_voice", held_load)
    engine = get_engine("piper")
    engine.warm_up(Voice())
    assert loading.wait(30), "warming up did not start loading the voice"
    assert engine.loads == 0  # warm_up returned while the load was still held
    may_finish.set()
    clip = engine.synthesize("Loaded before it was needed.", Voice())
    assert (engine.loads, clip.format) == (1, "wav")
    engine.warm_up(Voice())  # loaded already: nothing more is started
    engine._warming.join(30)
    assert engine.loads == 1


def test_a_piper_voice_that_cannot_be_warmed_up_is_reported_when_used(tmp_path):
    missing = Voice(options={"voice": str(tmp_path / "nope.onnx")})
    engine = get_engine("piper")
    engine.warm_up(missing)  # no exception from the background
    engine._warming.join(30)
    assert engine.loads == 0
    with pytest.raises(InputError, match="does not exist"):
        engine.check(missing)


def test_piper_refuses_language_its_voice_does_not_speak():
    with pytest.raises(InputError, match="speaks 'en', not 'de'"):
        get_engine("piper").check(Voice(lang="de"))


def test_piper_refuses_missing_voice_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        get_engine("piper").check(Voice(options={"voice": str(tmp_path / "nope.onnx")}))


def test_auto_uses_google_when_it_answers(fake_google):
    engine = get_engine("auto")
    engine.check(Voice())
    assert engine.synthesize("Hello.", Voice()).format == "mp3"
    assert engine.used == "gtts"


class WhistleEngine(Engine):
    """A third-party engine as a plugin would write it: a subclass, one option, a registration line."""

    name = "whistle"
    description = "a steady whistle per word (test engine)"
    max_chars = 120
    default_jobs = 2
    options = (EngineOption("pitch", "whistle: pitch in Hz", default=880.0, number=True, metavar="HZ"),)
    heard: list = []

    def languages(self):
        return {"en": "English", "cy": "Welsh"}

    def identity(self, voice):
        return f"whistle|{self.option(voice, 'pitch')}"

    def synthesize(self, text, voice):
        WhistleEngine.heard.append(self.option(voice, "pitch"))
        rate, seconds = 22050, 0.15 * len(text.split())
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rate)
            wav.writeframes(b"".join(int(8000 * ((i // 20) % 2 * 2 - 1)).to_bytes(2, "little", signed=True)
                                     for i in range(int(rate * seconds))))
        return Clip(buffer.getvalue(), "wav")


def test_a_registered_engine_gets_its_flag_its_listing_and_the_whole_pipeline(cli, tmp_path, article_file,
                                                                             monkeypatch):
    from digest.speech import engines

    monkeypatch.setattr(engines, "_registry", dict(engines._registry))
    engines.register("whistle", "tests.speech.test_engines:WhistleEngine")
    WhistleEngine.heard = []
    code, out, _ = cli("engines", "--languages")
    assert code == 0
    assert "whistle  a steady whistle per word (test engine) [--pitch]" in out
    assert "whistle speaks:\ncy       Welsh\nen       English" in out
    code, out, err = cli("make", article_file, "-o", tmp_path / "audio", "--engine", "whistle", "--pitch", "440",
                         "-q", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["engine"] == "whistle" and summary["tts_requests"] == 0
    assert WhistleEngine.heard and set(WhistleEngine.heard) == {440.0}


def test_piper_speaks_raw_phonemes_not_the_brackets(tmp_path):
    """piper-tts reads `[[ ... ]]` as espeak (IPA) phonemes: the dictionary's phonemes reach the voice.

    Phonemes of a sentence the recogniser knows, with no letters of its words, are heard as it."""
    from tests.audio_checks import transcribe, word_error_rate

    engine = get_engine("piper")
    assert engine.reads_phonemes and not get_engine("gtts").reads_phonemes
    clip = engine.synthesize("[[ ðə lˈaɪthaʊs kˈiːpɚ ɹᵻtˈaɪɚd ]].", Voice())
    path = tmp_path / "phonemes.wav"
    path.write_bytes(clip.data)
    # ("the white house keeper retired" is 0.5, a run now and then 0.75; the IPA read as letters is far over 1.)
    assert word_error_rate("the lighthouse keeper retired", transcribe(path)) <= 0.75


def test_auto_reads_phonemes_only_once_it_has_fallen_back_to_piper():
    engine = get_engine("auto")
    assert not engine.reads_phonemes
    engine.fall_back("no route to Google")
    assert engine.reads_phonemes and engine.used == "piper"


def test_piper_inference_threads_follow_digest_piper_threads(monkeypatch):
    """digest batch gives each worker process its share of the cores (DIGEST_PIPER_THREADS)."""
    monkeypatch.setenv("DIGEST_PIPER_THREADS", "1")
    engine = get_engine("piper")
    session = engine._voice(Voice()).session
    assert session.get_session_options().intra_op_num_threads == 1
    assert engine.synthesize("One thread is enough.", Voice()).format == "wav"


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2,
                    reason="needs two cores, to give a process one of them")
def test_a_process_given_fewer_cores_than_the_machine_has_uses_only_those():
    """Under taskset or a container's cpuset, inference threads and batch workers follow the
    cores the process may use, not the machine's count (onnxruntime's default)."""
    script = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
              "from digest.speech.engines.piper_engine import _threads; "
              "from digest.batch.runners import LocalRunner, piper_threads; "
              "print(_threads(), LocalRunner().processes, piper_threads(1))")
    environment = {k: v for k, v in os.environ.items() if k != "DIGEST_PIPER_THREADS"}
    given_one = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment)
    assert given_one.stdout.split() == ["1", "1", "1"], given_one.stderr
    every = subprocess.run([sys.executable, "-c", script.replace("os.sched_setaffinity", "(lambda *a: None)")],
                           capture_output=True, text=True, env=environment)
    cores = len(os.sched_getaffinity(0))
    expected_threads = "None" if cores == os.cpu_count() else str(cores)
    assert every.stdout.split() == [expected_threads, str(cores), str(cores)], every.stderr


def test_a_piper_voice_is_one_onnxruntime_session_without_memory_patterns(monkeypatch):
    """Memory is what limits batch workers per machine: one session per voice, no memory-pattern plan."""
    import onnxruntime

    built = []
    real = onnxruntime.InferenceSession

    def counting(*args, **kwargs):
        built.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(onnxruntime, "InferenceSession", counting)
    monkeypatch.delenv("DIGEST_PIPER_THREADS", raising=False)
    engine = get_engine("piper")
    session = engine._voice(Voice()).session
    assert len(built) == 1
    assert session.get_session_options().enable_mem_pattern is False
    assert engine.synthesize("Less memory, same voice.", Voice()).format == "wav"


def test_a_piper_whose_voice_takes_other_fields_is_loaded_its_own_way_with_our_session(monkeypatch):
    import piper

    real = piper.PiperVoice

    class NewerPiperVoice:
        def __init__(self, **fields):
            raise TypeError("unexpected keyword argument 'download_dir'")

        @classmethod
        def load(cls, model):
            return real.load(model)

    monkeypatch.setattr(piper, "PiperVoice", NewerPiperVoice)
    monkeypatch.delenv("DIGEST_PIPER_THREADS", raising=False)
    engine = get_engine("piper")
    voice = engine._voice(Voice())
    assert isinstance(voice, real)
    assert voice.session.get_session_options().enable_mem_pattern is False  # ours, not piper's own
    assert engine.synthesize("Still speaking.", Voice()).format == "wav"
