"""Sizes from data files, declarations and configuration, and the switches around them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from shapelint import check_paths, check_source
from shapelint.config import Options
from tests.conftest import FIXTURES, ROOT

CSV_SCRIPT = FIXTURES / "sizes" / "csv_windows_helper.py"

STATEFUL_TAIL = """
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(8, stateful=True)(inputs))
model.predict(x, batch_size=30)
"""


def test_csv_rows_reach_the_message_with_their_file() -> None:
    (finding,) = check_paths([CSV_SCRIPT], select={"SL001"}).findings
    assert "1735 samples (len(values)=1765 rows of prices.csv - look_back=30)" in finding.message
    assert dict(finding.provenance)["samples"] == (
        "1735 = len(values)=1765 rows of prices.csv - look_back=30 (X, line 22)"
    )


def test_no_read_data_turns_file_reading_off() -> None:
    assert check_paths([CSV_SCRIPT], select={"SL001"}, read_data=False).findings == []
    result = subprocess.run(
        [
            sys.executable,
            *("-m", "shapelint", "check", "--select", "SL001", "--no-read-data"),
            str(CSV_SCRIPT),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_data_paths_resolve_next_to_the_script_then_the_working_directory(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    np.save(tmp_path / "beside.npy", np.zeros((1735, 30, 7), dtype="float32"))
    work = tmp_path / "work"
    work.mkdir()
    np.save(work / "cwd.npy", np.zeros((1001, 30, 7), dtype="float32"))
    script = tmp_path / "train.py"
    for name, samples in (("beside.npy", 1735), ("cwd.npy", 1001)):
        script.write_text(
            f"import numpy as np\nimport keras\nx = np.load('{name}')" + STATEFUL_TAIL
        )
        monkeypatch.chdir(work)
        (finding,) = check_paths([script]).findings
        assert f"{samples} samples ({samples} rows of {name})" in finding.message


def test_files_over_the_size_limit_are_not_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from shapelint import datafiles

    data = tmp_path / "rows.csv"
    data.write_text("a,b\n" + "1,2\n" * 1735)
    script = tmp_path / "train.py"
    script.write_text(
        "import pandas as pd\nimport keras\nx = pd.read_csv('rows.csv').values.reshape(-1, 1, 2)\n"
        "inputs = keras.Input(batch_shape=(30, 1, 2))\n"
        "model = keras.Model(inputs, keras.layers.LSTM(8, stateful=True)(inputs))\n"
        "model.predict(x, batch_size=30)\n"
    )
    assert [f.code for f in check_paths([script]).findings] == ["SL001"]
    monkeypatch.setattr(datafiles, "MAX_BYTES", 100)
    assert check_paths([script]).findings == []


def test_pyproject_samples_table(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "sizes" / "declared_pyproject" / "train.py", tmp_path / "train.py")
    assert check_paths([tmp_path]).findings == []  # no declaration: unknown, silent
    (tmp_path / "pyproject.toml").write_text("[tool.shapelint.samples]\ntrain_x = 1001\n")
    (finding,) = check_paths([tmp_path]).findings
    assert "train_x (line 5) has 1001 samples (1001 declared for train_x in pyproject.toml)" in (
        finding.message
    )


def test_bad_samples_table_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint.samples]\ntrain_x = "many"\n')
    (tmp_path / "train.py").write_text("import keras\n")
    result = subprocess.run(
        [sys.executable, "-m", "shapelint", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "[tool.shapelint.samples] must map variable names to whole numbers" in result.stderr


def test_declared_comment_applies_only_to_its_line() -> None:
    source = (
        "import numpy as np\nimport keras\nimport sys\n"
        "x = np.load(sys.argv[1])  # shapelint: samples=1001\n"
        "z = np.load(sys.argv[2])\n" + STATEFUL_TAIL.replace("predict(x", "predict(z")
    )
    assert check_source(source, options=Options(read_data=False)) == []
    findings = check_source(source.replace("predict(z", "predict(x"), options=Options())
    assert [f.code for f in findings] == ["SL001"]
    assert "1001 samples (1001 declared on line 4)" in findings[0].message
