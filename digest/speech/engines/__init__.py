"""Registry of speech engines.

Engines are named by "module:Class" references, built-ins exactly like third-party ones,
which add theirs to the `digest.engines` entry-point group. A reference is imported only
when its engine is used (or listed), so a run with Piper never imports the gTTS stack.
The class is called with no arguments and must satisfy `base.Engine`; its `description`
attribute is what `digest engines` prints.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from digest.errors import InputError
from digest.speech.engines.base import Engine

BUILTINS = {
    "gtts": "digest.speech.engines.gtts_engine:GttsEngine",
    "piper": "digest.speech.engines.piper_engine:PiperEngine",
    "auto": "digest.speech.engines.auto:AutoEngine",
}
_registry: dict[str, str] = dict(BUILTINS)


def register(name: str, reference: str) -> None:
    _registry[name] = reference


def _references() -> dict[str, str]:
    for entry in entry_points(group="digest.engines"):
        _registry.setdefault(entry.name, entry.value)
    return _registry


def _load(reference: str):
    module_name, _, attribute = reference.partition(":")
    return getattr(import_module(module_name), attribute)


def names() -> list[str]:
    return list(_references())


def available() -> dict[str, str]:
    """Engine name -> one-line description, built-ins first (imports every engine)."""
    return {name: getattr(_load(ref), "description", ref) for name, ref in _references().items()}


def get_engine(name: str) -> Engine:
    references = _references()
    if name not in references:
        raise InputError(f"unknown engine {name!r}; choose one of: {', '.join(references)}")
    return _load(references[name])()
