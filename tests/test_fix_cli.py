"""`shapelint check --fix / --diff / --unsafe-fixes`: what is written and printed, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shapelint import fix_paths
from shapelint.fixes import paths as fixing
from tests.conftest import FIXTURES, ROOT, SEED

FIXED_SEED = FIXTURES / "fixed" / "seed" / SEED.name


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shapelint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _seed(tmp_path: Path) -> Path:
    script = tmp_path / "train.py"
    shutil.copy(SEED, script)
    return script


def test_diff_prints_the_change_and_writes_nothing(tmp_path: Path) -> None:
    script = _seed(tmp_path)
    result = run("check", "--diff", "--unsafe-fixes", "train.py", cwd=tmp_path)
    assert result.returncode == 1
    assert script.read_text() == SEED.read_text()
    lines = result.stdout.splitlines()
    assert lines[:2] == ["--- a/train.py", "+++ b/train.py"]
    assert "-from keras.layers import LSTM, Dense" in lines
    assert "+from keras.layers import LSTM, Dense, Input" in lines
    assert "+trainX = trainX[: len(trainX) // batch_size * batch_size]" in lines
    assert "+model.add(Input(batch_shape=(batch_size, window_size, input_data_column)))" in lines
    assert result.stderr == "Would fix 3 findings in 1 file.\n"
    clean = run("check", "--diff", "train.py", cwd=tmp_path / "..")
    assert clean.returncode == 2  # no such file there: an error, not a diff


def test_diff_of_a_clean_file_is_empty_and_exits_0(tmp_path: Path) -> None:
    shutil.copy(FIXED_SEED, tmp_path / "train.py")
    result = run("check", "--diff", "--unsafe-fixes", "train.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "Would fix 0 findings in 1 file.\n".replace("1 file", "0 files")


def test_fix_applies_safe_fixes_only_and_says_what_is_left(tmp_path: Path) -> None:
    script = _seed(tmp_path)
    mode = 0o640
    script.chmod(mode)
    result = run("check", "--fix", "train.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("train.py:41:11: SL001 [batch-remainder]")
    assert result.stdout.endswith(
        "Found 1 finding (1 error, 0 warnings) in 1 file.\n"
        "1 fixable with `--fix --unsafe-fixes`.\n"
        "Fixed 2 findings in 1 file. 1 more finding can be fixed with --unsafe-fixes.\n"
    )
    assert (
        script.read_text()
        == (FIXTURES / "fixed" / "seed" / "stateful_lstm_stock.safe.py").read_text()
    )
    assert script.stat().st_mode & 0o777 == mode
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]  # no temporary file left
    again = run("check", "--fix", "--unsafe-fixes", "train.py", cwd=tmp_path)
    assert again.returncode == 0, again.stdout
    assert again.stdout == "All checks passed (1 file checked).\nFixed 1 finding in 1 file.\n"
    assert script.read_text() == FIXED_SEED.read_text()
    third = run("check", "--fix", "--unsafe-fixes", "train.py", cwd=tmp_path)
    assert third.stdout.endswith("Fixed 0 findings in 0 files.\n")
    assert script.read_text() == FIXED_SEED.read_text()


def test_fix_strategy_divisor_changes_the_constant(tmp_path: Path) -> None:
    script = _seed(tmp_path)
    result = run(
        "check", "--fix", "--unsafe-fixes", "--fix-strategy", "divisor", "train.py", cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout
    text = script.read_text()
    assert "\nbatch_size = 5\n" in text and "len(trainX)" not in text
    assert text == (FIXTURES / "fixed" / "seed" / "stateful_lstm_stock.divisor.py").read_text()


def test_json_findings_carry_the_edit_and_its_applicability(tmp_path: Path) -> None:
    _seed(tmp_path)
    result = run("check", "--format", "json", "train.py", cwd=tmp_path)
    findings = {f["code"]: f for f in json.loads(result.stdout)}
    assert findings["SL004"]["fix"]["applicability"] == "safe"
    assert findings["SL004"]["fix"]["edits"] == [
        {"line": 35, "column": 25, "end_line": 35, "end_column": 70, "content": ""}
    ]
    assert findings["SL001"]["fix"]["applicability"] == "unsafe"
    assert [e["line"] for e in findings["SL001"]["fix"]["edits"]] == [27, 28]
    assert findings["SL008"]["fix"]["edits"][0] == {
        "line": 34,
        "column": 1,
        "end_line": 34,
        "end_column": 1,
        "content": "model.add(Input(batch_shape=(batch_size, window_size, input_data_column)))\n",
    }


def test_text_output_marks_safe_fixes(tmp_path: Path) -> None:
    _seed(tmp_path)
    result = run("check", "train.py", cwd=tmp_path)
    heads = [line for line in result.stdout.splitlines() if line.startswith("train.py:")]
    codes = [
        h.split(": ", 1)[1].split(" [", 1)[0] + (" [*]" if " [*] " in h else "") for h in heads
    ]
    assert codes == ["SL008 [*]", "SL004 [*]", "SL001"]
    assert result.stdout.endswith(
        "[*] 2 fixable with `shapelint check --fix`; 1 more with `--fix --unsafe-fixes`.\n"
    )


def test_fix_reads_stdin_and_writes_the_fixed_source(tmp_path: Path) -> None:
    result = run(
        "check", "--fix", "--unsafe-fixes", "--stdin-filename", "train.py", "-",
        cwd=tmp_path, stdin=SEED.read_text(),
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stdout == FIXED_SEED.read_text()


def test_a_failed_write_leaves_the_original_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _seed(tmp_path)

    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixing.os, "replace", refuse)
    report = fix_paths([script], unsafe=True)
    assert script.read_text() == SEED.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]
    assert [e.message for e in report.errors] == [
        "not fixed: cannot write it: [Errno 28] No space left on device"
    ]


def test_a_fix_that_would_break_the_syntax_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _seed(tmp_path)
    other = tmp_path / "other.py"
    shutil.copy(FIXTURES / "rules" / "sl007" / "shuffled_stateful_training.py", other)
    from shapelint.fixes import apply

    original = apply.apply_edits

    def broken(text: str, groups: object) -> tuple[str, list[int]]:
        out, applied = original(text, groups)  # type: ignore[arg-type]
        return (out + "\n)(\n" if "trainX" in text else out), applied

    monkeypatch.setattr(apply, "apply_edits", broken)
    report = fix_paths([tmp_path], unsafe=True)
    assert script.read_text() == SEED.read_text()
    assert [(Path(e.path).name, e.message.split(" (")[0]) for e in report.errors] == [
        ("train.py", "not fixed: a fix would break the file")
    ]
    assert "shuffle=False" in other.read_text()  # the other file is still fixed


def test_notebooks_are_fixed_in_their_cells(tmp_path: Path) -> None:
    notebook = tmp_path / "seed.ipynb"
    shutil.copy(FIXTURES / "notebooks" / "stateful_forecast.ipynb", notebook)
    report = fix_paths([notebook], unsafe=True)
    assert (
        notebook.read_text() == (FIXTURES / "fixed/notebooks/stateful_forecast.ipynb").read_text()
    )
    assert [(f.code, f.cell) for f in report.fixed] == [("SL001", 6)]
    assert report.after.findings == []


def test_diff_of_a_notebook_is_one_per_changed_cell(tmp_path: Path) -> None:
    notebook = tmp_path / "port.ipynb"
    shutil.copy(FIXTURES / "notebooks" / "python2_cell.ipynb", notebook)
    before = notebook.read_text()
    result = run("check", "--diff", str(notebook), cwd=tmp_path)
    assert result.returncode == 1
    assert notebook.read_text() == before
    headers = [line for line in result.stdout.splitlines() if line.startswith(("---", "+++"))]
    assert headers == [
        f"{prefix}{notebook}:cell {cell}" for cell in (2, 5, 7) for prefix in ("--- a/", "+++ b/")
    ]
    assert "+model.add(Input(batch_shape=(batch_size, lookback, 1)))\n" in result.stdout
    assert (
        "-from keras.layers import LSTM, Dense\n+from keras.layers import LSTM, Dense, Input\n"
        in (result.stdout)
    )
    assert "Would fix 3 findings in 1 file." in result.stderr


def test_a_symlinked_script_is_fixed_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    shutil.copy(SEED, real)
    link = tmp_path / "train.py"
    link.symlink_to(real)
    fix_paths([link], unsafe=True)
    assert link.is_symlink()
    assert real.read_text() == FIXED_SEED.read_text()


def test_fix_strategy_can_be_set_in_pyproject(tmp_path: Path) -> None:
    script = _seed(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\nfix-strategy = "divisor"\n')
    result = run("check", "--fix", "--unsafe-fixes", "train.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\nbatch_size = 5\n" in script.read_text()
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\nfix-strategy = "lcm"\n')
    bad = run("check", "train.py", cwd=tmp_path)
    assert bad.returncode == 2
    assert 'fix-strategy must be "trim" or "divisor", not \'lcm\'' in bad.stderr
