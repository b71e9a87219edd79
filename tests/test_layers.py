"""The house's rules: rooms by stage, no upward imports, no import cycles, a small top floor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["digest.read", "digest.script", "digest.speech", "digest.sound", "digest.publish"]


def test_the_layers_contract_holds():
    # import-linter's own command, as a contributor would run it, on the contract in pyproject.toml.
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 kept, 0 broken" in result.stdout


def test_no_module_imports_itself_round_about():
    # Every import counts, those under `if TYPE_CHECKING:` too (grimp reads them all).
    graph = grimp.build_graph("digest", include_external_packages=False)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                cycles.append(" -> ".join([module, *chain]))
    assert cycles == []


def test_the_top_floor_keeps_at_most_thirteen_modules_and_every_stage_is_a_package():
    # Thirteen since the terminal progress display (progress.py) left cli.py, which stays thin.
    top = sorted(path.name for path in (ROOT / "digest").glob("*.py"))
    assert len(top) <= 12, top
    for stage in STAGES:
        assert (ROOT / stage.replace(".", "/") / "__init__.py").is_file(), stage


def test_an_upward_import_is_caught(tmp_path):
    # The contract must be able to fail: a read-stage module importing publishing breaks it.
    copy = tmp_path / "digest"
    subprocess.run(["cp", "-r", str(ROOT / "digest"), str(copy)], check=True)
    (copy / "read" / "upward.py").write_text("from digest.publish import feed  # noqa: F401\n")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")], cwd=tmp_path,
                            capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "digest.read is not allowed to import digest.publish" in result.stdout
