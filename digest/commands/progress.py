"""Progress of `make` (and `sync`) on a terminal: one line per stage, log lines printed above it.

Each stage (reading, synthesizing, joining, mastering, encoding, publishing) draws one tqdm line on
stderr and leaves it finished when the next stage begins, so the screen ends as a short
account of the run. While a line is being drawn, warnings are written above it (tqdm.write
clears the line, prints, draws it again), never into it. Synthesis counts cached and new
clips apart and starts its count after the cache lookup, so the rate and time left measure
only the clips made now: a resumed run does not look fast. Stages without a count show the
time they have taken, redrawn by a ticker so a long mastering pass is not a silent pause.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from contextlib import contextmanager
from typing import Iterator, TextIO

from tqdm import tqdm

from digest.make import Step

NOUNS = {"reading": "input", "joining": "clip"}  # what the counted stages count
WIDTH = 13  # of the stage's name, so that the lines' counts line up
TICK_SECONDS = 0.5


def _plural(noun: str, number: int | None) -> str:
    return noun if number == 1 else noun + "s"


class _Line(tqdm):
    """tqdm with one more field for the line's format: `{speed}`, "3.6 clips/s" or "1.6 s/clip"."""

    @property
    def format_dict(self):
        fields = super().format_dict
        rate = fields["rate"]
        if rate is None and fields["elapsed"]:  # the average, as tqdm itself shows at the end
            rate = (fields["n"] - fields["initial"]) / fields["elapsed"]
        fields["speed"] = "?" if not rate else f"{rate:.1f} clips/s" if rate >= 1 else f"{1 / rate:.1f} s/clip"
        return fields


class TerminalProgress:
    """A make progress callback drawing on `stream`; `close()` ends the last line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lock = threading.RLock()
        self.bar: _Line | None = None
        self.step: Step | None = None
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
        self.ticker.start()

    def __call__(self, step: Step) -> None:
        with self.lock:
            if self.stopped.is_set():
                return
            current = self.step
            if current is None or step.stage != current.stage:
                self._finish()
                self._open(step)
            elif step.total != current.total or step.cached != current.cached or step.done < current.done:
                # Synthesis started over (a fall-back to another engine): the old count is void,
                # so its line is cleared, not left behind.
                self._finish(leave=False)
                self._open(step)
            else:
                self._advance(step)
            self.step = step

    def close(self) -> None:
        with self.lock:
            self.stopped.set()
            self._finish()

    def _open(self, step: Step) -> None:
        desc = f"{step.stage:<{WIDTH}}"
        if step.total is None:
            fmt = "{desc}{elapsed}"
        elif step.stage == "synthesizing":
            fmt = ("{desc}{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} " + _plural("clip", step.total)
                   + "{postfix} [{elapsed}<{remaining}, {speed}]")
        else:
            fmt = "{desc}{n_fmt}/{total_fmt} " + _plural(NOUNS.get(step.stage, "item"), step.total) + " [{elapsed}]"
        # The cached clips are the count's starting point (`initial`), so tqdm's rate and time
        # left are worked out from the clips made since.
        columns, rows = self._size()
        self.bar = _Line(total=step.total, initial=step.done, desc=desc, bar_format=fmt, file=self.stream,
                         leave=True, ncols=columns, nrows=rows, mininterval=0.1)
        self.bar.dynamic_ncols = lambda _: self._size()  # follows the window as it is resized
        if step.stage == "synthesizing":
            self._postfix(step)

    def _size(self) -> tuple[int, int]:
        """Columns and rows to draw in: two columns short of the window's width, so that the "^C"
        a terminal echoes fits behind the line instead of wrapping it onto a copy of itself."""
        try:
            size = os.get_terminal_size(self.stream.fileno())
        except (OSError, ValueError, AttributeError):
            size = os.terminal_size((0, 0))
        if size.columns <= 0:
            # A terminal that reports no size (0x0: a bare pseudo-terminal) gets 80x24: tqdm would
            # take it for a screen too small to draw on and print empty lines.
            size = os.terminal_size((80, 24))
        return max(size.columns - 2, 20), max(size.lines, 2)

    def _advance(self, step: Step) -> None:
        assert self.bar is not None
        if step.stage == "synthesizing":
            self._postfix(step, refresh=False)
        self.bar.update(step.done - self.bar.n)

    def _postfix(self, step: Step, refresh: bool = True) -> None:
        assert self.bar is not None
        self.bar.set_postfix_str(f"{step.cached} cached, {step.done - step.cached} new", refresh=refresh)

    def _finish(self, leave: bool = True) -> None:
        if self.bar is not None:
            step = self.step
            if step is not None and step.stage == "synthesizing" and step.done == step.cached:
                # Every clip came from the cache: there is no rate, and "?" would look like a fault.
                self.bar.bar_format = self.bar.bar_format.split(" [")[0] + " [{elapsed}]"
            self.bar.leave = leave
            self.bar.close()
            self.bar = None
            self.step = None

    def _tick(self) -> None:
        while not self.stopped.wait(TICK_SECONDS):
            with self.lock:
                if self.bar is not None and not self.stopped.is_set():
                    self.bar.refresh()


@contextmanager
def terminal_progress(stream: TextIO | None = None) -> Iterator[TerminalProgress]:
    """Progress drawn on `stream` (stderr), with the root logger's console lines written above it."""
    from tqdm.contrib.logging import logging_redirect_tqdm

    progress = TerminalProgress(stream or sys.stderr)
    try:
        with logging_redirect_tqdm(loggers=[logging.getLogger()]):
            yield progress
    finally:
        progress.close()
