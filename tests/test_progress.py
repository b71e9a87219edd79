"""Progress on a terminal (digest/progress.py): one line per stage, warnings above it, and a
Ctrl-C that says what is kept. The terminal runs use a real pseudo-terminal for stderr."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from digest.commands.progress import TerminalProgress
from digest.make import Step, _Tally
from tests.conftest import DEAD_PROXY

ROOT = Path(__file__).resolve().parent.parent


def screen(raw: str) -> list[str]:
    """The lines a terminal shows after `raw`: carriage returns overwrite, ESC[K clears, ESC[A goes up."""
    lines, row, col = [""], 0, 0
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\x1b":
            match = re.match(r"\x1b\[(\d*)([A-Za-z])", raw[index:])
            if match:
                count, code = int(match.group(1) or 1), match.group(2)
                if code == "K":
                    lines[row] = lines[row][:col]
                elif code == "A":
                    row = max(0, row - count)
                index += len(match.group(0))
                continue
        if char == "\r":
            col = 0
        elif char == "\n":
            row, col = row + 1, 0
            if row == len(lines):
                lines.append("")
        else:
            line = lines[row].ljust(col)
            lines[row] = line[:col] + char + line[col + 1:]
            col += 1
        index += 1
    return [line.rstrip() for line in lines if line.strip()]


def run_on_terminal(argv: list[str], env: dict, interrupt_when=None, timeout: float = 240) -> tuple[int, str, str]:
    """Run digest with stderr on a pseudo-terminal (stdout piped); SIGINT it when `interrupt_when(screen)`."""
    leader, follower = pty.openpty()
    # A terminal 100 columns wide, as a window is (a bare pseudo-terminal reports 0x0).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    os.set_blocking(leader, False)
    process = subprocess.Popen([sys.executable, "-m", "digest", *argv], stdout=subprocess.PIPE, stderr=follower,
                               stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    os.close(follower)
    raw, interrupted, deadline = b"", False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.05)
        if ready:
            try:
                raw += os.read(leader, 65536)
            except OSError:  # the terminal closed: the run is over
                break
        if interrupt_when and not interrupted and interrupt_when(raw.decode("utf-8", "replace")):
            process.send_signal(signal.SIGINT)
            interrupted = True
        if process.poll() is not None and not ready:
            break
    stdout = process.communicate(timeout=30)[0].decode("utf-8")
    os.close(leader)
    return process.returncode, stdout, raw.decode("utf-8", "replace")


def write_stories(folder: Path) -> list[str]:
    paths = []
    for name, title, body in [
        ("quay.txt", "The quay gets new lamps", "Twelve lamps now line the quay. They switch on at dusk."),
        ("orchard.txt", "An orchard in the square", "Six apple trees were planted in the square on Monday."),
    ]:
        path = folder / name
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.fixture
def terminal_env(tmp_path):
    # Google is unreachable (a dead proxy), so `auto` warns and falls back to Piper.
    return {**os.environ, "HTTPS_PROXY": DEAD_PROXY, "https_proxy": DEAD_PROXY,
            "XDG_CACHE_HOME": str(tmp_path / "cache")}


@pytest.mark.audio
def test_a_terminal_run_shows_one_line_per_stage_with_the_fallback_warning_on_its_own(tmp_path, terminal_env):
    inputs = write_stories(tmp_path)
    code, stdout, raw = run_on_terminal(["make", *inputs, "-o", str(tmp_path / "audio"), "--engine", "auto"],
                                        terminal_env)
    assert code == 0, raw
    lines = screen(raw)
    stages = [line.split()[0] for line in lines if not line.startswith("digest:")]
    assert stages == ["reading", "synthesizing", "joining", "mastering", "encoding", "publishing"], lines
    [warning] = [line for line in lines if "warning" in line]
    assert warning.startswith("digest: warning: using the offline Piper voice"), lines
    [synthesis] = [line for line in lines if line.startswith("synthesizing")]
    assert re.search(r"100%.* (\d+)/\1 clips, 0 cached, \1 new", synthesis), synthesis
    assert lines.index(warning) < lines.index(synthesis)  # above the bar, not in it
    assert re.match(r"reading +2/2 inputs", lines[0]), lines
    assert not any(" 0%" in line for line in lines), lines  # no dead bar left behind
    assert "updated" in stdout and "piper" in stdout


@pytest.mark.audio
@pytest.mark.slow
def test_ctrl_c_says_how_many_clips_are_kept_and_the_rerun_resumes_from_them(tmp_path, terminal_env):
    inputs = write_stories(tmp_path)
    out = tmp_path / "audio"
    argv = ["make", *inputs, "-o", str(out), "--engine", "piper", "--jobs", "1"]
    code, _, raw = run_on_terminal(argv, terminal_env,
                                   interrupt_when=lambda text: re.search(r"clips, 0 cached, [2-9]\d* new", text))
    assert code == 130, raw
    last = screen(raw)[-1]
    assert [line for line in screen(raw) if line.startswith("synthesizing")] == [screen(raw)[-2]]
    match = re.fullmatch(r"digest: interrupted: (\d+) of (\d+) clips are kept in the cache and no episode was "
                         r"written; run the same command to resume", last)
    assert match, screen(raw)
    kept, total = int(match.group(1)), int(match.group(2))
    assert 2 <= kept < total
    # Nothing was written: the output folder this first run created is gone again, not left empty.
    assert not out.exists()

    code, stdout, raw = run_on_terminal(argv, terminal_env)
    assert code == 0, raw
    [synthesis] = [line for line in screen(raw) if line.startswith("synthesizing")]
    cached = int(re.search(r"(\d+) cached", synthesis).group(1))
    assert cached >= kept, synthesis  # clips still in flight at Ctrl-C may have landed too
    assert f"{total - cached} new" in synthesis


def test_a_resumed_synthesis_rates_only_the_clips_made_now():
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress(Step("synthesizing", 30, 40, cached=30))
    for made in range(1, 11):
        time.sleep(0.03)
        progress(Step("synthesizing", 30 + made, 40, cached=30))
    progress.close()
    final = screen(stream.getvalue())[-1]
    assert "40/40 clips, 30 cached, 10 new" in final, final
    rate = float(re.search(r"([\d.]+) clips/s", final).group(1))
    # About 10 clips in 0.3 s; counting the 30 cached ones as made would make it four times that.
    assert rate < 40, final


def test_a_synthesis_that_starts_over_leaves_no_line_behind_and_an_all_cached_one_shows_no_rate():
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress(Step("reading", 0, 1))
    progress(Step("reading", 1, 1))
    progress(Step("synthesizing", 0, 5))
    progress(Step("synthesizing", 1, 5))
    progress(Step("synthesizing", 0, 5))  # a fall-back: the count starts again
    progress(Step("synthesizing", 5, 5))
    progress(Step("mastering"))
    progress.close()
    lines = screen(stream.getvalue())
    assert [line.split()[0] for line in lines] == ["reading", "synthesizing", "mastering"], lines
    assert re.match(r"reading +1/1 input \[", lines[0]), lines  # one input, not "1/1 inputs"
    assert "5/5 clips, 0 cached, 5 new" in lines[1]

    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress(Step("synthesizing", 5, 5, cached=5))
    progress.close()
    [line] = screen(stream.getvalue())
    assert "5/5 clips, 5 cached, 0 new" in line and "?" not in line and "/s" not in line, line


def test_what_ctrl_c_says_follows_how_far_the_run_got():
    tally = _Tally(None)
    assert tally.interrupted(cached=True) == "no clip was made yet and nothing was written"
    tally.synthesis(cached=0, made=1, total=40)
    assert tally.interrupted(cached=True).startswith("1 of 40 clips is kept in the cache and no episode was written;")
    assert tally.interrupted(cached=False) == "nothing was written, and with --no-cache no clip is kept"
    tally.synthesis(cached=12, made=28, total=40)
    assert tally.interrupted(cached=True) == ("all 40 clips are kept in the cache and no episode was written; "
                                              "run the same command to resume")
    tally.placed = True
    assert "run the same command to finish" in tally.interrupted(cached=True)
    tally.published = True
    assert tally.interrupted(cached=True) == "the episode was published; only the clip cache was not yet pruned"
