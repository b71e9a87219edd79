"""Run one input's read inside a wall-clock and a memory budget.

A parser stuck in C code cannot be interrupted and one that balloons cannot be stopped from
inside the process, so where the system allows it the read runs in a forked child: its
address space is capped (RLIMIT_DATA, a margin over what the process already holds) and it is
killed when its time is up. The child sends back its result and the log records it made, so
warnings still reach the user, in order, through the parent's own logging. Where there is no
fork (Windows), a daemon thread keeps the time budget and the memory budget is not enforced.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import threading
import time
import warnings
from typing import Callable, TypeVar

from digest.errors import InputError, NothingToRead
from digest.read.base import ReadSettings, unexpected_failure

log = logging.getLogger(__name__)

T = TypeVar("T")

# Downloads stop this long before the budget runs out, so that a feed can still hand back the
# items it finished before its reader is stopped.
_GRACE_SECONDS = 2.0
_MEGABYTE = 1024 * 1024


def downloads_end(budget_seconds: float) -> float:
    """When, from now (time.monotonic()), downloads must stop for a read given `budget_seconds`."""
    return time.monotonic() + budget_seconds - min(_GRACE_SECONDS, budget_seconds / 4)


def run_within_budget(read: Callable[[], T], spec: str, settings: ReadSettings) -> T:
    """`read()`, or the input's InputError: its own, an unexpected failure, or a budget overrun."""
    if hasattr(os, "fork") and hasattr(os, "register_at_fork"):
        return _in_child(read, spec, settings)
    return _in_thread(read, spec, settings)


def _over_time(spec: str, settings: ReadSettings) -> InputError:
    return InputError(f"{spec}: took longer than {settings.budget_seconds:g} s to read; left out")


def _over_memory(spec: str, settings: ReadSettings) -> InputError:
    return InputError(f"{spec}: needed more than {settings.budget_bytes // _MEGABYTE} MB of memory to read; left out")


def _in_thread(read: Callable[[], T], spec: str, settings: ReadSettings) -> T:
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(read())
        except InputError as error:
            outcome.append(error)
        except Exception as error:  # a hostile input must not stop the others
            outcome.append(unexpected_failure(spec, error))

    worker = threading.Thread(target=run, name=f"read {spec[:40]}", daemon=True)
    worker.start()
    worker.join(settings.budget_seconds)
    if not outcome:
        raise _over_time(spec, settings)
    if isinstance(outcome[0], InputError):
        raise outcome[0]
    return outcome[0]


class _Collector(logging.Handler):
    """Keeps the child's log records to be replayed by the parent."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()  # arguments may not survive pickling
        record.args = None
        record.exc_info = None
        record.exc_text = None
        self.records.append(record)


# Held from making a pipe until the parent closes its writing end, so that no other thread's
# child inherits that end and keeps the pipe open past this child's exit.
_FORKING = threading.Lock()


def _in_child(read: Callable[[], T], spec: str, settings: ReadSettings) -> T:
    with _FORKING:
        receive, send = os.pipe()
        with warnings.catch_warnings():
            # Python 3.12+ warns on forking a threaded process: the child runs only `read`,
            # and a child that deadlocks on a lock copied mid-use is killed by the budget.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, reported through the pipe
            os.close(receive)
            _child(read, spec, settings, send)
        os.close(send)
    payload = None
    try:
        payload = _receive(receive, time.monotonic() + settings.budget_seconds)
    finally:
        os.close(receive)
        if payload is None:
            _kill(pid)
        status = _reap(pid)
    if payload is None:
        raise _over_time(spec, settings)
    try:
        kind, value, records = pickle.loads(payload)
    except Exception:
        if os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == _MEMORY_EXIT:
            raise _over_memory(spec, settings) from None
        raise InputError(f"{spec}: the reader stopped without an answer; this looks like a bug in digest, "
                         "please report it") from None
    for record in records:
        logging.getLogger(record.name).handle(record)
    if kind == "memory":
        raise _over_memory(spec, settings)
    if kind == "empty":
        raise NothingToRead(value)
    if kind == "error":
        raise InputError(value)
    return value


_MEMORY_EXIT = 75


def _child(read, spec: str, settings: ReadSettings, send: int) -> None:  # pragma: no cover - child
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        collector = _Collector()
        for logger in [logging.root, *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger):
                logger.handlers = []
        logging.root.addHandler(collector)
        watch = _PeakWatch(_data_in_use(), _cap_memory(settings.budget_bytes))
        try:
            outcome = ("value", read(), collector.records)
        except NothingToRead as error:  # its kind travels: a batch treats it as a quiet day, not a failure
            outcome = ("empty", str(error), collector.records)
        except InputError as error:
            outcome = ("error", str(error), collector.records)
        except MemoryError:
            outcome = ("memory", None, [])
        except Exception as error:
            outcome = ("error", str(unexpected_failure(spec, error)), collector.records)
        if outcome[0] == "error" and watch.reached():
            # A parser that met the cap inside C code fails in its own words ("unknown error",
            # "no article found"): the cap, not the page, is the cause to report.
            outcome = ("memory", None, [])
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            os._exit(_MEMORY_EXIT)
        except Exception as error:
            payload = pickle.dumps(("error", str(unexpected_failure(spec, error)), []))
        view = memoryview(payload)
        while view:
            view = view[os.write(send, view):]
        os._exit(0)
    except MemoryError:
        os._exit(_MEMORY_EXIT)
    except BaseException:
        os._exit(70)


def _cap_memory(budget_bytes: int) -> int | None:  # pragma: no cover - child
    """Let the child's writable memory grow by at most `budget_bytes` from where it stands;
    the cap in bytes, or None where it cannot be set."""
    try:
        import resource
    except ImportError:
        return None
    in_use = _data_in_use()
    if in_use is None:
        return None
    limit = in_use + budget_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    return limit


class _PeakWatch:  # pragma: no cover - child
    """Samples the child's writable memory while it reads, to tell a read that failed at the
    cap from one that failed on its own."""

    _EVERY_SECONDS = 0.005
    _NEAR = 0.9  # of the way from where the read started to the cap

    def __init__(self, start: int | None, ceiling: int | None) -> None:
        self.start = start or 0
        self.ceiling = ceiling
        self.peak = 0
        if ceiling is not None:
            threading.Thread(target=self._sample, name="memory watch", daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, _data_in_use() or 0)
            time.sleep(self._EVERY_SECONDS)

    def reached(self) -> bool:
        if self.ceiling is None:
            return False
        self.peak = max(self.peak, _data_in_use() or 0)
        return self.peak >= self.start + self._NEAR * (self.ceiling - self.start)


def _data_in_use() -> int | None:  # pragma: no cover - child
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _receive(receive: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe, or None if the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([receive], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(receive, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0
