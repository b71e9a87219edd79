"""Every pattern the read and script stages run on untrusted text takes linear time.

A pattern that backtracks takes seconds to minutes on a few hundred kilobytes of the right
characters (runs of "!", "St. St. St.", "<!--" with no end). This test finds the patterns by
itself, so a new one is covered without anyone remembering to add it: every compiled pattern
held by those modules (in any constant, list or dict of rules), and every pattern literal
passed to `re` inside their functions. Each is run on inputs built from its own tokens at
10 KB and at 40 KB; four times the text may take at most about six times as long.
"""

from __future__ import annotations

import ast
import importlib
import math
import pkgutil
import re
import time
from pathlib import Path

import pytest

STAGES = ("digest.read", "digest.script")
SMALL, LARGE = 10_000, 40_000
RATIO = 6.0
# Below this a measurement is noise, and no backtracking pattern is this fast on 40 KB.
FLOOR_SECONDS = 0.02
# Measurements this short are checked again on more text before a pattern is failed.
CONFIRM_BELOW_SECONDS = 0.5
# A pattern slower than this on the small input has already failed; the large one is not tried.
SMALL_LIMIT_SECONDS = 1.0


def _modules():
    for stage in STAGES:
        package = importlib.import_module(stage)
        yield package
        for info in pkgutil.iter_modules(package.__path__, stage + "."):
            yield importlib.import_module(info.name)


def _held_patterns(value, depth=0):
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 4 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _held_patterns(item, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield from _held_patterns(key, depth + 1)
            yield from _held_patterns(item, depth + 1)


_RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _literal_patterns(module):
    """Patterns written as literals in calls to re.*, with their literal flags."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _RE_CALLS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            continue
        flags = 0
        for keyword in node.keywords:
            if keyword.arg == "flags":
                flags = _flags(keyword.value)
        if node.func.attr == "compile" and len(node.args) > 1:
            flags = _flags(node.args[1])
        if node.func.attr in ("search", "match", "fullmatch", "split", "findall", "finditer") and len(node.args) > 2:
            flags = _flags(node.args[2]) if node.func.attr != "split" else flags
        yield re.compile(node.args[0].value, flags)


def _flags(node) -> int:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return getattr(re, node.attr)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags(node.left) | _flags(node.right)
    return 0


def _all_patterns():
    found = {}
    for module in _modules():
        for value in vars(module).values():
            for pattern in _held_patterns(value):
                found.setdefault((pattern.pattern, pattern.flags), (module.__name__, pattern))
        for pattern in _literal_patterns(module):
            found.setdefault((pattern.pattern, pattern.flags), (module.__name__, pattern))
    ordered = sorted(found.items(), key=lambda item: (item[1][0], repr(item[0][0]), item[0][1]))
    return [(f"{module}:{_source(pattern)[:60]}", pattern) for _, (module, pattern) in ordered]


def _source(pattern: re.Pattern) -> str:
    """A pattern's source as text (patterns over bytes are decoded to find their tokens)."""
    source = pattern.pattern
    return source.decode("latin-1") if isinstance(source, bytes) else source


PATTERNS = _all_patterns()

_ESCAPES = {r"\s": " ", r"\n": "\n", r"\t": "\t", r"\d": "7", r"\w": "a", r"\W": "!", r"\S": "x", r"\.": ".",
            r"\-": "-", r"\(": "(", r"\)": ")", r"\[": "[", r"\]": "]", r"\?": "?", r"\*": "*", r"\+": "+",
            r"\u2026": "\u2026", r"\u2014": "\u2014", r"\u2013": "\u2013"}


def _tokens(source: str) -> list[str]:
    """The pieces of text a pattern looks for: its literal runs, escapes and single characters."""
    text = source
    characters = set()
    for escape, meaning in _ESCAPES.items():
        if escape in text:
            characters.add(meaning)
    runs = re.findall(r"[A-Za-z]{2,}\.?|[^\w\s\\()\[\]{}|?*+^$]{2,}", re.sub(r"\\[A-Za-z]|\(\?[^)]*\)|\{\d+(,\d*)?\}", " ", text))
    literal_characters = {c for c in re.sub(r"\\[A-Za-z]", "", text) if not c.isalnum() and c not in "()[]{}|?*+^$\\"}
    characters |= literal_characters | {" ", "a", "A", "1", "\n", "."}
    tokens = sorted(characters) + sorted(set(runs))
    # Runs that mix the pattern's pieces are what make a backtracking engine try every split.
    tokens += ["".join(sorted(characters)), " ".join(sorted(set(runs)) or ["x"]) + " "]
    return tokens


def _inputs(source: str, size: int) -> list[str]:
    inputs = []
    for token in _tokens(source):
        inputs.append((token * (size // max(1, len(token)) + 1))[:size])
        spaced = token + " "
        inputs.append((spaced * (size // len(spaced) + 1))[:size])
        inputs.append(("A" + token) * (size // (len(token) + 1) + 1))
        # A word at the very end defeats patterns that succeed at once when "$" follows the run.
        inputs.append((token * (size // max(1, len(token)) + 1))[:size - 1] + "Z")
    return inputs


def _best_time(pattern: re.Pattern, text: str, enough_seconds: float = 2.0) -> float:
    """The best of three timings, or of fewer when one is already long enough to trust."""
    best = _time(pattern, text)
    for _ in range(2):
        if best > enough_seconds:
            break
        best = min(best, _time(pattern, text))
    return best


def _time(pattern: re.Pattern, text: str) -> float:
    if isinstance(pattern.pattern, bytes):
        text = text.encode("utf-8")
    started = time.perf_counter()
    pattern.search(text)
    for _ in pattern.finditer(text):
        pass
    return time.perf_counter() - started


def test_the_walk_finds_the_patterns_of_every_stage():
    modules = {name.split(":")[0] for name, _ in PATTERNS}
    assert {"digest.read.clean", "digest.read.sniff", "digest.script.speakable_en", "digest.script.chunk",
            "digest.read.text"} <= modules
    assert len(PATTERNS) > 100


@pytest.mark.parametrize("name, pattern", PATTERNS, ids=[name for name, _ in PATTERNS])
def test_every_text_pattern_takes_linear_time(name, pattern):
    worst = None
    for small, large in zip(_inputs(_source(pattern), SMALL), _inputs(_source(pattern), LARGE)):
        small_seconds = _time(pattern, small)
        assert small_seconds < SMALL_LIMIT_SECONDS, f"{small_seconds:.1f} s on 10 KB of {small[:20]!r}..."
        large_seconds = _time(pattern, large)
        if large_seconds < FLOOR_SECONDS:
            continue
        # Worth a closer look: the best of three of each, so a pause of the machine's is not
        # taken for the pattern's.
        small_seconds = min(small_seconds, _time(pattern, small), _time(pattern, small))
        large_seconds = min(large_seconds, _time(pattern, large), _time(pattern, large))
        ratio = large_seconds / max(small_seconds, FLOOR_SECONDS / 4)
        if ratio > RATIO and large_seconds < CONFIRM_BELOW_SECONDS:
            # A few hundredths of a second on a busy machine can make a linear pattern look
            # slower (6.3 was seen under load). Sixteen times more text takes a linear pattern 16
            # times as long and a quadratic one 256 times: the square root is on RATIO's scale,
            # and a pause of the machine's counts for half as much.
            largest = (large * 16)[: LARGE * 16]
            ratio = min(ratio, math.sqrt(_best_time(pattern, largest) / large_seconds))
        if worst is None or ratio > worst[0]:
            worst = (ratio, small[:20], large_seconds)
    assert worst is None or worst[0] <= RATIO, (
        f"{worst[0]:.1f} times as long on 4 times the text ({worst[2]:.2f} s on 40 KB of {worst[1]!r}...)")
