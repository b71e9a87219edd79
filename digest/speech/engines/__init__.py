"""Registry of speech engines.

Engines are named by "module:Class" references, built-ins exactly like third-party ones,
which add theirs to the `digest.engines` entry-point group. A reference is imported only
when its engine is used (or listed), so a run with Piper never imports the gTTS stack.
The class is called with no arguments and subclasses `base.Engine`, which states the whole
contract; its `description`, `options` and `languages()` are what the CLI and `digest engines`
show.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from digest.errors import InputError
from digest.speech.engines.base import Engine, EngineOption

BUILTINS = {
    "gtts": "digest.speech.engines.gtts_engine:GttsEngine",
    "piper": "digest.speech.engines.piper_engine:PiperEngine",
    "auto": "digest.speech.engines.auto:AutoEngine",
}
_registry: dict[str, str] = dict(BUILTINS)


def register(name: str, reference: str) -> None:
    _registry[name] = reference


@cache
def _installed() -> tuple[tuple[str, str], ...]:
    """The engines installed packages declare: read once per process, as scanning every
    installed distribution's metadata costs more than a Piper sentence, and the CLI asks often."""
    from importlib.metadata import entry_points

    return tuple((entry.name, entry.value) for entry in entry_points(group="digest.engines"))


def _references() -> dict[str, str]:
    for name, value in _installed():
        _registry.setdefault(name, value)
    return _registry


def _load(reference: str):
    module_name, _, attribute = reference.partition(":")
    return getattr(import_module(module_name), attribute)


def names() -> list[str]:
    return list(_references())


def engine_classes() -> dict[str, type[Engine]]:
    """Engine name -> class, built-ins first (imports every engine)."""
    return {name: _load(ref) for name, ref in _references().items()}


def available() -> dict[str, str]:
    """Engine name -> one-line description, built-ins first (imports every engine)."""
    return {name: cls.description or name for name, cls in engine_classes().items()}


def all_options() -> list[EngineOption]:
    """Every option any engine declares, once each by name, in the order engines are listed."""
    seen: dict[str, EngineOption] = {}
    for cls in engine_classes().values():
        for option in cls.options:
            seen.setdefault(option.name, option)
    return list(seen.values())


def get_engine(name: str) -> Engine:
    references = _references()
    if name not in references:
        raise InputError(f"unknown engine {name!r}; choose one of: {', '.join(references)}")
    return _load(references[name])()
