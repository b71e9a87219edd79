"""Registry of speech engines.

Built-in engines register themselves exactly the way a third-party package would: through
`register()`, or through the `digest.engines` entry-point group whose entries are zero-argument
factories returning an Engine.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Callable

from ..errors import InputError
from .base import Engine

EngineFactory = Callable[[], Engine]
_FACTORIES: dict[str, tuple[EngineFactory, str]] = {}


def register(name: str, factory: EngineFactory, description: str) -> None:
    _FACTORIES[name] = (factory, description)


def _load_builtins() -> None:
    from . import auto, gtts_engine, piper_engine  # noqa: F401  (they register on import)


def _load_plugins() -> None:
    for entry in entry_points(group="digest.engines"):
        if entry.name not in _FACTORIES:
            register(entry.name, entry.load(), f"plugin from {entry.value}")


def available() -> dict[str, str]:
    """Engine name -> one-line description, built-ins first."""
    _load_builtins()
    _load_plugins()
    return {name: description for name, (_, description) in _FACTORIES.items()}


def get_engine(name: str) -> Engine:
    names = available()
    if name not in names:
        raise InputError(f"unknown engine {name!r}; choose one of: {', '.join(names)}")
    return _FACTORIES[name][0]()
