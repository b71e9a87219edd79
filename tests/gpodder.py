"""gPodder's command-line client (`gpo`), a real podcast app, for tests of feeds served on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


def gpodder(tmp_path: Path) -> tuple[Callable[..., str], Path] | None:
    """A runner of `gpo` with its own home under tmp_path, and the folder it downloads to; None
    where gpodder is not installed (CI installs it, so there it is a failure)."""
    gpo = shutil.which("gpo")
    if gpo is None:
        if os.environ.get("CI") == "true":
            pytest.fail("gpo is missing; .ci/run installs Debian's gpodder package for this test")
        return None
    downloads = tmp_path / "gpo-downloads"
    # A proxy in the environment would send gpo's requests for 127.0.0.1 away from the test server.
    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    env.update(GPODDER_HOME=str(tmp_path / "gpo-home"), GPODDER_DOWNLOAD_DIR=str(downloads),
               HOME=str(tmp_path), NO_PROXY="*")

    def run(*args: str) -> str:
        result = subprocess.run([gpo, *args], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    return run, downloads
