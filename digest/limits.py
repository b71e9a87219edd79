"""Defaults for how much is read, kept import-free so the CLI can show them in --help cheaply,
and how many cores a run may use."""

import os

# ~300,000 characters is a long book chapter and about five hours of speech at 150 words a
# minute: far beyond any digest, yet small enough to hold in memory without thinking twice.
DEFAULT_MAX_CHARS = 300_000
# Raw documents carry markup around their text (a news page is often 20 times its article),
# so the byte cap on what is read or downloaded is this many times the character cap.
RAW_BYTES_PER_CHAR = 20
DEFAULT_FEED_LIMIT = 10
# `digest batch` takes every item of a feed (a publisher's whole feed, not a listener's morning).
BATCH_FEED_LIMIT = 10_000
DEFAULT_TIMEOUT = 20.0
# One input's whole read, its downloads included: a download still running when the budget is
# spent is cut there (a feed keeps the items it has), and a parser still busy is stopped.
DEFAULT_READ_BUDGET = 30.0
# Memory one input's read may take beyond what digest already holds: a 6 MB page parses in
# well under 100 MB, so only a document built to balloon a parser comes near it.
DEFAULT_READ_MEMORY = 500 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
# Largest files digest reads back from an output folder. A folder may hold what others put
# there (a link to /dev/zero named feed.xml, a FIFO named like a transcript): only regular
# files within these sizes are read, and links are not followed.
MAX_FEED_BYTES = 64 * 1024 * 1024  # ~20,000 episodes
MAX_SETTINGS_BYTES = 1024 * 1024
MAX_INDEX_BYTES = 256 * 1024 * 1024
MAX_COVER_BYTES = 20 * 1024 * 1024  # a 3000 px PNG is rarely over 10 MB
MAX_OUTPUT_BYTES = 64 * 1024 * 1024  # a transcript or chapters file
# What a run may ask for: checked the same way for a flag and for a digest.toml preference.
MIN_SPEED, MAX_SPEED = 0.75, 2.0
MAX_JOBS = 64
MAX_RETRY_SECONDS = 3600


def usable_cores() -> int:
    """The cores this process may run on: fewer than the machine has under taskset or a
    container's cpuset, where a worker or an inference thread per core of the host would crowd
    the few it is given (and each worker hold a voice's memory)."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return counted() or 1
    if hasattr(os, "sched_getaffinity"):  # Linux
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1
