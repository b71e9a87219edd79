"""Sample articles written for digest, shipped with the package for demos and tests."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from digest.errors import InputError


def sample_names() -> list[str]:
    return sorted(p.name.rsplit(".", 1)[0] for p in Path(str(files(__name__))).glob("*.txt"))


def sample_path(name: str = "") -> Path:
    """Path of a bundled sample; the empty name means the first one."""
    names = sample_names()
    chosen = name or names[0]
    if chosen not in names:
        raise InputError(f"no sample named {chosen!r}; samples: {', '.join(names)}")
    return Path(str(files(__name__))) / f"{chosen}.txt"
