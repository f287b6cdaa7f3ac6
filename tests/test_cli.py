"""The command line through a real subprocess: exit codes, formats, selection, rule docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED, SEED_FIXED


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shapelint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_exit_codes() -> None:
    assert run("check", str(SEED_FIXED)).returncode == 0
    assert run("check", str(SEED)).returncode == 1
    missing = run("check", "no/such/file.py")
    assert missing.returncode == 2
    assert "shapelint: error: no/such/file.py: no such file or directory" in missing.stderr


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    bad_format = run("check", "--format", "xml", str(SEED))
    assert bad_format.returncode == 2
    unknown_rule = run("check", "--select", "SL999", str(SEED))
    assert unknown_rule.returncode == 2
    assert "unknown rule: 'SL999'" in unknown_rule.stderr


def test_select_and_ignore_by_code_or_name() -> None:
    assert run("check", "--select", "SL002", str(SEED)).returncode == 0
    assert run("check", "--select", "batch-remainder", str(SEED)).returncode == 1
    assert run("check", "--ignore", "SL001,SL004,SL008", str(SEED)).returncode == 0
    assert run("check", "--ignore", "SL001", str(SEED)).returncode == 1


def test_findings_and_an_io_error_together_exit_2_and_report_both(tmp_path: Path) -> None:
    result = run("check", "--format", "json", str(SEED), str(tmp_path / "gone.py"))
    assert result.returncode == 2
    assert [f["code"] for f in json.loads(result.stdout)] == ["SL008", "SL004", "SL001"]
    assert "gone.py: no such file or directory" in result.stderr


def test_directory_search_finds_py_files_and_skips_virtualenvs(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "train.py").write_text(SEED.read_text())
    (tmp_path / "notes.txt").write_text(SEED.read_text())
    venv = tmp_path / "env"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    (venv / "lib.py").write_text(SEED.read_text())
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "hook.py").write_text(SEED.read_text())
    result = run("check", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert {f["path"] for f in json.loads(result.stdout)} == {"pkg/train.py"}


def test_no_paths_means_current_directory(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(SEED.read_text())
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("model.py:34:11: SL008")


def test_rule_docs() -> None:
    doc = run("rule", "SL001")
    assert doc.returncode == 0
    assert doc.stdout.startswith("SL001 batch-remainder (error)")
    for part in ("## What it does", "## Why it breaks", "## Example", "## Fix"):
        assert part in doc.stdout
    assert "Incompatible shapes: [25,30,1] vs. [30,30,1]" in doc.stdout
    listing = run("rule", "--all")
    assert [line.split()[0] for line in listing.stdout.splitlines()] == [
        "SL000",
        "SL001",
        "SL002",
        "SL003",
        "SL004",
        "SL005",
        "SL006",
        "SL007",
        "SL008",
        "SL009",
        "SL010",
        "SL011",
        "SL012",
    ]
    assert run("rule", "SL999").returncode == 2


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("shapelint ")


def test_colour_only_when_forced_or_on_a_terminal() -> None:
    plain = run("check", str(SEED))
    assert "\033[" not in plain.stdout
    coloured = subprocess.run(
        [sys.executable, "-m", "shapelint", "check", str(SEED)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"FORCE_COLOR": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert "\033[" in coloured.stdout


def test_cache_key_follows_shapelint_own_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """An editable install (or a mutation-testing run) changes the code, not the version:
    findings cached for other code must not be reused."""
    from shapelint import cache
    from shapelint.config import Options

    before = cache.Cache.key("import keras\n", "a.py", Options())
    assert cache.Cache.key("import keras\n", "a.py", Options()) == before
    monkeypatch.setattr(cache, "code_stamp", lambda: "other code")
    assert cache.Cache.key("import keras\n", "a.py", Options()) != before


def test_two_findings_at_one_place_come_in_the_same_order_whatever_the_hash_seed() -> None:
    """validation_split.py's fit has a training part and a validation part, each an SL001
    finding at the same place: they are ordered by message, not by set iteration."""
    import os

    fixture = str(ROOT / "fixtures" / "rules" / "sl001" / "validation_split.py")
    outputs = set()
    for seed in ("1", "2", "3", "4", "5"):
        result = subprocess.run(
            [sys.executable, "-m", "shapelint", "check", "--no-cache", "--format", "concise",
             fixture],
            capture_output=True, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        outputs.add(result.stdout)
    (output,) = outputs
    first, second = output.splitlines()[:2]
    assert ":15:1: SL001 [batch-remainder] fit: the training part of X" in first
    assert ":15:1: SL001 [batch-remainder] fit: the validation part of X" in second
