"""Publishing's heavy libraries stay out of a run's start, and are loaded while speech is made."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["PIL", "mutagen", "feedgen", "lxml", "charset_normalizer"]


def _loaded_after(code: str) -> dict[str, bool]:
    script = f"import json, sys\n{code}\nprint(json.dumps({{name: name in sys.modules for name in {HEAVY!r}}}))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_starting_a_make_imports_none_of_publishings_heavy_libraries():
    # What `digest make` loads before its first request: a top-level import of any of these
    # would put it back in front of the speech (Pillow alone took 0.02-0.08 s).
    loaded = _loaded_after("import digest.cli, digest.make, digest.read, digest.script.compose")
    assert loaded == {name: False for name in HEAVY}


def test_preload_loads_them_on_a_thread():
    loaded = _loaded_after(
        "import threading\n"
        "from digest.publish import preload\n"
        "preload()\n"
        "for thread in threading.enumerate():\n"
        "    if thread.name == 'preload-publishing':\n"
        "        thread.join(60)\n"
    )
    assert loaded["mutagen"] and loaded["feedgen"] and loaded["lxml"]
    assert not loaded["PIL"]  # left to the cover, which needs it only to draw one
