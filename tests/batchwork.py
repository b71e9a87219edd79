"""Worker job functions for tests/test_batch.py, importable by spawned and Dask worker processes.

They run the real `make_episode`, except for articles whose title asks for trouble: "Broken"
fails like an engine that gives up, and "Doomed" kills its worker process the first time
(a marker file, named by DIGEST_TEST_MARKER, remembers that it already did).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from digest.batch.work import make_episode
from digest.errors import EngineError


def make_or_fail(job, limiter=None):
    if "Broken" in job.tags.title:
        raise EngineError(f"piper failed on {job.tags.title!r}: the voice refused it")
    return make_episode(job, limiter)


def make_or_die_once(job, limiter=None):
    marker = Path(os.environ["DIGEST_TEST_MARKER"])
    if "Doomed" in job.tags.title and not marker.exists():
        marker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return make_episode(job, limiter)


def make_first_last(job, limiter=None):
    """The first article finishes after the others (it waits for them to be made)."""
    if job.index == 0:
        import time

        time.sleep(4)
    return make_episode(job, limiter)
