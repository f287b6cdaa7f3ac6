"""The real pre-commit tool runs this checkout's hook on a temporary repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT, SEED, SEED_FIXED

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def _repo(tmp_path: Path, *files: tuple[Path, str]) -> Path:
    repo = tmp_path / "project"
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    for source, name in files:
        shutil.copy(source, repo / name)
        subprocess.run(["git", "add", name], cwd=repo, check=True)
    return repo


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), "shapelint", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_hook_fails_on_the_seed_and_passes_on_its_fixed_twin(tmp_path: Path) -> None:
    home = tmp_path / "pre-commit-home"
    notebook = FIXTURES / "notebooks" / "stateful_forecast.ipynb"
    failing = _try_repo(
        _repo(tmp_path / "a", (SEED, "train.py"), (notebook, "explore.ipynb")), home
    )
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "train.py:40:11: SL001 [batch-remainder]" in failing.stdout
    assert "explore.ipynb:cell 6:6:1: SL001 [batch-remainder]" in failing.stdout
    passing = _try_repo(_repo(tmp_path / "b", (SEED_FIXED, "train.py")), home)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


def test_hook_definitions() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "- id: shapelint\n" in text and "- id: shapelint-verify\n" in text
    assert "types_or: [python, jupyter]" in text
    assert "stages: [manual]" in text
    assert text.count("require_serial: true") == 2
