"""The floors of the package hold: the import contracts, and no import cycles at all.

`make test` runs `lint-imports` too; these tests also show that the contracts can
fail, by breaking a copy of the package on purpose.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from repo_paths import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_contracts_hold() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("tui/core/model.py", "import textual.app", "Below the UI nothing imports Textual"),
        ("tui/state/queue.py", "from tui.ui import app", "Floors"),
        ("tui/core/repair.py", "from tui.settings import config", "Floors"),
    ],
)
def test_contracts_fail_when_broken(tmp_path: Path, module: str, line: str, broken: str) -> None:
    shutil.copytree(REPO / "tui", tmp_path / "tui")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    # Inside a function, where a careless import usually hides.
    target.write_text(target.read_text() + f"\n\ndef _sneak() -> None:\n    {line}\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{broken}" in result.stdout
    assert "BROKEN" in result.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan, iterative)."""
    modules = sorted(m for m in graph.modules if m.startswith("tui"))
    edges = {
        m: sorted(i for i in graph.find_modules_directly_imported_by(m) if i.startswith("tui"))
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if child < len(edges[node]):
                work.append((node, child + 1))
                nxt = edges[node][child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    group.append(top)
                    if top == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def test_no_module_import_cycles() -> None:
    """Not even through an import inside a function: a cycle means two modules are one."""
    graph = grimp.build_graph("tui", exclude_type_checking_imports=True, cache_dir=None)
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("tui", "tui.a", "tui.b", "tui.c"):
        graph.add_module(name)
    graph.add_import(importer="tui.a", imported="tui.b")
    graph.add_import(importer="tui.b", imported="tui.c")
    graph.add_import(importer="tui.c", imported="tui.a")
    assert _cycles(graph) == [["tui.a", "tui.b", "tui.c"]]
