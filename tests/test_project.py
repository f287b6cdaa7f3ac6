"""The project's own promises: README in step with the rules, CI runs the README's test
command, and the code passes ruff and mypy."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shapelint.rules import markdown_table
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    match = re.search(r"<!-- rules-table:start -->\n(.*?)<!-- rules-table:end -->", README, re.S)
    assert match is not None
    assert match.group(1) == markdown_table()


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(python3 -m venv .*?)\n```", README)
    assert len(commands) == 2, commands
    test_command = next(c for c in commands if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_quick_start_runs_the_seed_fixture() -> None:
    commands = re.findall(r"```sh\n(python3 -m venv .*?)\n```", README)
    main_job = next(c for c in commands if "pytest" not in c)
    assert main_job.endswith("shapelint fixtures/seed/stateful_lstm_stock.py")


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(
        name, path=str(__import__("pathlib").Path(sys.executable).parent)
    )
    if path is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "shapelint", "tests", "bench", "tools"],
        ["ruff", "format", "--check", "shapelint", "tests", "bench", "tools"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_code_quality(command: list[str]) -> None:
    result = subprocess.run(
        [_tool(command[0]), *command[1:]], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _module_name(path: Path, root: Path, package: str) -> str:
    parts = [package, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Who imports whom inside ``package`` (its folder is ``root``), read with ``ast``.

    Every import counts: at module level, inside functions (deferred), and under
    ``if TYPE_CHECKING:``. Relative imports are resolved, and ``from pkg import name``
    is an edge to ``pkg.name`` when that is a module, else to ``pkg``. The implicit
    import of a module's parent packages is not an edge; what an ``__init__`` itself
    imports is.
    """
    files = {_module_name(p, root, package): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}

    def known(name: str) -> str | None:
        # `import shapelint.a.b` or `from shapelint.a.b import c`: the deepest module named
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    for name, path in files.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.append(submodule if submodule in files else source)
            for target in targets:
                if target == package or target.startswith(package + "."):
                    module = known(target)
                    if module is not None and module != name:
                        graph[name].add(module)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[tuple[list[str], list[str]]]:
    """Each group of modules that import each other in a circle (a strongly connected
    component), with one shortest cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for child in sorted(graph[node]):
            if child not in index:
                connect(child)
                low[node] = min(low[node], low[child])
            elif child in stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            group: set[str] = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted((sorted(group), _shortest_cycle(graph, group)) for group in groups)


def _shortest_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & group):
                if child == start:
                    return [*paths[node], start]
                if child not in paths:
                    paths[child] = [*paths[node], child]
                    following.append(child)
        frontier = following
    raise AssertionError(f"no cycle through {sorted(group)}")


def test_the_import_graph_counts_every_kind_of_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    sources = {
        "__init__.py": "from pkg.a import f\n",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import g\n",
        "b.py": "def g():\n    from pkg import c\n",
        "c.py": "import pkg.a\nVALUE = 1\n",
        "sub/__init__.py": "from .d import h\n",
        "sub/d.py": "import pkg.sub.e as e\nfrom ..c import VALUE\nfrom pkg.sub import NAME\n",
        "sub/e.py": "import os\nfrom . import d\n",
    }
    for name, text in sources.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = import_graph(package, "pkg")
    assert graph == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.b"},
        "pkg.b": {"pkg.c"},
        "pkg.c": {"pkg.a"},
        "pkg.sub": {"pkg.sub.d"},
        "pkg.sub.d": {"pkg.sub", "pkg.sub.e", "pkg.c"},
        "pkg.sub.e": {"pkg.sub.d"},
    }
    assert import_cycles(graph) == [
        (["pkg.a", "pkg.b", "pkg.c"], ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]),
        (["pkg.sub", "pkg.sub.d", "pkg.sub.e"], ["pkg.sub", "pkg.sub.d", "pkg.sub"]),
    ]


def test_no_import_cycles() -> None:
    cycles = import_cycles(import_graph(ROOT / "shapelint", "shapelint"))
    message = "\n".join(
        f"{' -> '.join(cycle)}  (all in the circle: {', '.join(group)})" for group, cycle in cycles
    )
    assert cycles == [], "import cycles:\n" + message
