"""Suppression comments and [tool.shapelint]: each key is shown changing what is reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shapelint import check_paths, check_source
from tests.conftest import ROOT, SEED

# Three findings: SL008 (line 6), SL004 (line 7), SL001 (line 9).
SCRIPT = """import numpy as np
from keras.layers import LSTM, Dense
from keras.models import Sequential
x = np.zeros((1735, 30, 7))
model = Sequential()
model.add(LSTM(8, batch_input_shape=(30, 30, 7), stateful=True, return_sequences=True))
model.add(LSTM(8, input_shape=(30, 7), stateful=True))
model.add(Dense(1))
model.fit(x, x[:, 0, :1], batch_size=30, shuffle=False)
"""


def codes(source: str) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in check_source(source)]


def test_the_script_has_three_findings() -> None:
    assert codes(SCRIPT) == [("SL008", 6), ("SL004", 7), ("SL001", 9)]


@pytest.mark.parametrize(
    ("comment", "left"),
    [
        ("  # shapelint: ignore[SL001]", [("SL008", 6), ("SL004", 7)]),
        ("  # shapelint: ignore[batch-remainder]", [("SL008", 6), ("SL004", 7)]),
        ("  # shapelint: ignore[SL007, SL001]", [("SL008", 6), ("SL004", 7)]),
        ("  # noqa: SL001", [("SL008", 6), ("SL004", 7)]),
        ("  # noqa: E501,SL001", [("SL008", 6), ("SL004", 7)]),
        ("  # shapelint: ignore", [("SL008", 6), ("SL004", 7)]),
        ("  # noqa", [("SL008", 6), ("SL004", 7)]),
        ("  # noqa: E501", [("SL008", 6), ("SL004", 7), ("SL001", 9)]),
        ("  # shapelint: ignore[SL002]", [("SL008", 6), ("SL004", 7), ("SL001", 9)]),
    ],
)
def test_suppression_on_the_line_of_the_finding(comment: str, left: list[tuple[str, int]]) -> None:
    lines = SCRIPT.splitlines()
    lines[8] += comment
    assert codes("\n".join(lines) + "\n") == left


def test_suppression_on_the_last_line_of_a_multi_line_call() -> None:
    source = SCRIPT.replace(
        "model.fit(x, x[:, 0, :1], batch_size=30, shuffle=False)",
        "model.fit(\n    x, x[:, 0, :1], batch_size=30, shuffle=False\n)  # noqa: SL001",
    )
    assert codes(source) == [("SL008", 6), ("SL004", 7)]


def test_suppression_elsewhere_does_nothing() -> None:
    source = SCRIPT.replace("model.add(Dense(1))", "model.add(Dense(1))  # noqa: SL001")
    assert ("SL001", 9) in codes(source)


def test_ignore_file() -> None:
    assert codes("# shapelint: ignore-file\n" + SCRIPT) == []
    assert codes("x = '# shapelint: ignore-file'\n" + SCRIPT) != []


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.shapelint]\n" + config)
    (tmp_path / "train.py").write_text(SCRIPT)
    (tmp_path / "experiments").mkdir(exist_ok=True)
    (tmp_path / "experiments" / "try.py").write_text(SCRIPT)
    return tmp_path


def found(tmp_path: Path, **kwargs: object) -> list[tuple[str, str]]:
    report = check_paths([tmp_path], **kwargs)  # type: ignore[arg-type]
    assert report.errors == []
    return [(Path(f.path).relative_to(tmp_path).as_posix(), f.code) for f in report.findings]


ALL_SIX = [
    ("experiments/try.py", "SL008"),
    ("experiments/try.py", "SL004"),
    ("experiments/try.py", "SL001"),
    ("train.py", "SL008"),
    ("train.py", "SL004"),
    ("train.py", "SL001"),
]


def test_no_configuration(tmp_path: Path) -> None:
    assert found(_project(tmp_path, "")) == ALL_SIX


def test_select_and_ignore_keys(tmp_path: Path) -> None:
    assert found(_project(tmp_path, 'select = ["SL001"]\n')) == [
        ("experiments/try.py", "SL001"),
        ("train.py", "SL001"),
    ]
    assert found(_project(tmp_path, 'ignore = ["ignored-input-shape", "SL008"]\n')) == [
        ("experiments/try.py", "SL001"),
        ("train.py", "SL001"),
    ]


def test_command_line_overrides_the_file(tmp_path: Path) -> None:
    project = _project(tmp_path, 'select = ["SL001"]\n')
    assert found(project, select={"SL004"}) == [
        ("experiments/try.py", "SL004"),
        ("train.py", "SL004"),
    ]
    assert found(project, ignore=set()) == [
        ("experiments/try.py", "SL001"),
        ("train.py", "SL001"),
    ]


def test_exclude_key(tmp_path: Path) -> None:
    assert found(_project(tmp_path, 'exclude = ["experiments"]\n')) == ALL_SIX[3:]
    assert found(_project(tmp_path, 'exclude = ["*/try.py"]\n')) == ALL_SIX[3:]


def test_per_file_ignores_key(tmp_path: Path) -> None:
    config = '[tool.shapelint.per-file-ignores]\n"experiments/*" = ["SL004", "SL008"]\n'
    assert found(_project(tmp_path, config)) == [("experiments/try.py", "SL001"), *ALL_SIX[3:]]


def test_target_keras_key_and_flag(tmp_path: Path) -> None:
    project = _project(tmp_path, "target-keras = 2\n")
    without_sl008 = [row for row in ALL_SIX if row[1] != "SL008"]
    assert found(project) == without_sl008
    assert found(project, target_keras=3) == ALL_SIX


def test_tf_keras_implies_keras_2() -> None:
    source = SCRIPT.replace("from keras.", "from tf_keras.")
    assert codes(source) == [("SL004", 7), ("SL001", 9)]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("target-keras = 4\n", "target-keras must be 2 or 3, not 4"),
        ('select = ["SL999"]\n', "select: unknown rule 'SL999'"),
        ("ignore = 3\n", "ignore must be a list of rule codes or names"),
        ("exclude = 'fixtures'\n", "exclude must be a list of glob patterns"),
        ("colour = true\n", "unknown key in [tool.shapelint]: colour"),
        ("select = [\n", "cannot read it"),
    ],
)
def test_bad_configuration_is_a_clear_error_with_exit_2(
    tmp_path: Path, config: str, message: str
) -> None:
    project = _project(tmp_path, config)
    result = subprocess.run(
        [sys.executable, "-m", "shapelint", "check", str(project)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "configuration error" in result.stderr


def test_target_keras_flag_on_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "shapelint", "check", "--target-keras", "2", str(SEED)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert "SL008" not in result.stdout and "SL001" in result.stdout


def test_the_lookup_of_a_run_gives_what_options_for_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check_paths looks each folder's pyproject.toml up once (OptionsLookup); the options
    of every file must be those options_for finds for it alone."""
    from shapelint.config import ConfigError, OptionsLookup, Overrides, options_for

    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\nselect = ["SL001"]\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.shapelint]\nignore = ["SL001"]\n')
    (tmp_path / "c").mkdir()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pyproject.toml").write_text("[tool.shapelint]\ncolour = 1\n")
    monkeypatch.chdir(tmp_path / "a")
    paths = ["x.py", "b/y.py", "../c/z.py", "../t.py", "-", "b/../../c/w.py", str(tmp_path)]
    for overrides in (None, Overrides.of(target_keras=2, read_data=False)):
        lookup = OptionsLookup(overrides)
        for path in paths * 2:
            assert lookup(path) == options_for(path, overrides), path
        for path in ("../bad/one.py", "../bad/two.py"):
            with pytest.raises(ConfigError, match="unknown key"):
                lookup(path)
