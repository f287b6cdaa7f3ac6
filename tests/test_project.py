"""The project's own promises: README in step with the rules, CI runs the README's test
command, and the code passes ruff and mypy."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

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
        ["ruff", "check", "shapelint", "tests", "bench"],
        ["ruff", "format", "--check", "shapelint", "tests", "bench"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_code_quality(command: list[str]) -> None:
    result = subprocess.run(
        [_tool(command[0]), *command[1:]], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
