"""The whole contract of a speech engine. Built-ins and third-party engines alike subclass Engine.

What the rest of digest asks of an engine, and nothing else:
- who it is: `name`, `description`, the languages it speaks (`languages()`), the command-line
  options it takes (`options`: the CLI builds `--tld`, `--slow`, `--voice` from these);
- what text it reads: `reads_phonemes`, whether Piper's `[[ raw phonemes ]]` may be in it;
- its limits: the longest utterance (`max_chars`) and how many to synthesize at once
  (`default_jobs`); how fast its voices speak (`words_per_minute`, with digest's pauses, at
  speed 1), which `--max-minutes` fits the stories to;
- its work: `check_option(name, value)` for one option's value (a flag's or digest.toml's),
  `check(voice)` before any, `identity(voice)` for the clip cache, optionally
  `warm_up(voice)` to load what the first clip needs ahead, and `synthesize(text, voice) -> Clip`;
- its account of the run: `requests` and `retries` made, `counters()` (what it did, in its own
  words: Google's requests and retries, Piper's clips synthesized), the engine actually `used`, and, for
  an engine that can hand over to another (`auto`), `can_fall_back()`, `fall_back(reason)`
  and the `fallback_reason`; `limit_retries(seconds)` caps waiting on a network service.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from digest.errors import EngineError
from digest.models import Clip, Voice

# Weak: a finished load is let go with its engine (a long-lived process warms up many).
_loading_ahead: weakref.WeakSet[threading.Thread] = weakref.WeakSet()


def loading_ahead() -> bool:
    """Whether a load an engine began in `warm_up` is still running. A run that did not need it
    (every clip was cached, or it failed first) may end without waiting, by os._exit: a load
    cannot be stopped, and a native library's teardown at a normal exit could crash under it."""
    return any(thread.is_alive() for thread in _loading_ahead)


@dataclass(frozen=True)
class EngineOption:
    """A setting an engine takes from the command line: `--<name> VALUE`, or a flag when `flag`.

    Its value reaches the engine as `voice.options[name]`; `default` when not given. It may also
    be kept in the output folder's digest.toml under `name`; a `path` there is relative to the folder.
    """

    name: str
    help: str
    default: Any = None
    flag: bool = False
    metavar: str | None = None
    number: bool = False  # a float rather than text
    path: bool = False  # a file path


class Engine:
    """Base class of every engine: sensible defaults for all but the work itself.

    An engine is made with no arguments (`EngineClass()`) by the registry.
    """

    name: str = ""
    description: str = ""
    max_chars: int = 200
    default_jobs: int = 1
    words_per_minute: float = 150.0
    options: tuple[EngineOption, ...] = ()
    # Whether it reads Piper's raw phonemes, `[[ kuːbɚnˈɛtiːz ]]`, in its text (the dictionary's
    # `phonemes`); an engine that does not is given the respelling instead.
    reads_phonemes: bool = False
    # The format its clips come in ("mp3", "wav"), when always the same: the sound stage then
    # loads that decoder while the first clips are being made rather than when the first arrives.
    clip_format: str | None = None
    # Whether its synthesis keeps this machine's cores busy (Piper): a batch running one worker
    # per core then masters each episode after its last clip, where it competes with no synthesis.
    cpu_bound: bool = False

    def __init__(self) -> None:
        self.requests = 0
        self.retries = 0
        self.fallback_reason: str | None = None

    def languages(self) -> dict[str, str] | None:
        """Language code -> name of what it speaks; None when that depends on the voice chosen."""
        return None

    def option(self, voice: Voice, name: str) -> Any:
        """The value of one of this engine's options for `voice`: given, or the declared default."""
        if name in voice.options and voice.options[name] is not None:
            return voice.options[name]
        return next((option.default for option in self.options if option.name == name), None)

    def check_option(self, name: str, value: Any) -> str | None:
        """What is wrong with `value` for the option `name` on its own ("... does not exist"), or None.

        Used for digest.toml's values before any work, so that a bad one is named with its key;
        `check(voice)` still checks the whole voice.
        """
        return None

    def check(self, voice: Voice) -> None:
        """Raise InputError when this engine cannot speak with `voice` (language, voice file)."""

    def warm_up(self, voice: Voice) -> None:
        """Start loading, in the background, what the first clip will need (a voice model), so
        that it loads while digest reads and plans (`load_ahead`). A failure is left for
        `synthesize` to meet again and report. Nothing to load by default."""

    def load_ahead(self, load: Callable[[], None]) -> threading.Thread:
        """Run `load` on a thread of its own, known to `loading_ahead`. Not a daemon: a normal
        exit waits for it rather than tearing its libraries down under it."""
        thread = threading.Thread(target=load, name=f"{self.name}-warm-up")
        _loading_ahead.add(thread)
        thread.start()
        return thread

    def identity(self, voice: Voice) -> str:
        """A string that changes whenever the audio for the same text would change."""
        raise NotImplementedError

    def synthesize(self, text: str, voice: Voice) -> Clip:
        """Speak one utterance. Raise EngineError when it finally fails."""
        raise NotImplementedError

    @property
    def used(self) -> str:
        """The engine that actually spoke (another than this one after a fall-back)."""
        return self.name

    def counters(self) -> dict[str, dict[str, int]]:
        """What each engine that worked did this run, by engine name, in counts that mean what they
        say: a network engine's requests and retries; an offline one overrides this with its own."""
        return {self.name: {"requests": self.requests, "retries": self.retries}}

    def limit_retries(self, seconds: float) -> None:
        """Cap the time spent waiting between retries of one utterance (network engines)."""

    def can_fall_back(self) -> bool:
        """Whether a failure may be answered by handing the rest of the episode to another engine."""
        return False

    def speakers(self) -> list[Engine]:
        """Every engine an episode of this one may end up spoken by, this one's own first."""
        return [self]

    def fall_back(self, reason: str) -> None:
        raise EngineError(f"{self.name} cannot fall back to another engine ({reason})")
