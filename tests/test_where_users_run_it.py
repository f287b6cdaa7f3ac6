"""Output formats, notebooks, standard input, parallel checking, the cache and pre-commit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from shapelint import check_paths, check_source
from shapelint.report import FORMATS
from shapelint.rules import RULES
from tests.conftest import FIXTURES, ROOT, SEED, SEED_FIXED

NOTEBOOK = FIXTURES / "notebooks" / "stateful_forecast.ipynb"
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())


def run(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shapelint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        check=False,
    )


def test_sarif_validates_against_the_official_schema() -> None:
    result = run("check", "--no-cache", "--format", "sarif", "fixtures/seed", str(NOTEBOOK))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "shapelint" and driver["informationUri"]
    assert {"id", "name", "shortDescription", "fullDescription", "help"} <= set(driver["rules"][1])
    results = document["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("SL001", "error"),
        ("SL008", "error"),
        ("SL004", "warning"),
        ("SL001", "error"),
    ]
    seed = results[3]["locations"][0]["physicalLocation"]
    assert seed["artifactLocation"]["uri"] == "fixtures/seed/stateful_lstm_stock.py"
    assert seed["region"] == {"startLine": 40, "startColumn": 11, "endLine": 40, "endColumn": 97}
    assert results[0]["properties"]["cell"] == 6
    assert "fixes" not in results[0]  # notebooks are not rewritten
    [change] = results[2]["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "fixtures/seed/stateful_lstm_stock.py"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 35, "startColumn": 25, "endLine": 35, "endColumn": 70},
            "insertedContent": {"text": ""},
        }
    ]
    assert results[3]["fixes"][0]["description"]["text"].endswith(
        "(unsafe: applied with --unsafe-fixes)"
    )


def test_sarif_rule_index_points_at_the_rule_of_each_result() -> None:
    document = json.loads(FORMATS["sarif"](check_paths([SEED]), False))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in RULES]
    results = run["results"]
    assert [
        (r["ruleId"], r["ruleIndex"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in results
    ] == [("SL008", 8, 34), ("SL004", 4, 35), ("SL001", 1, 40)]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_github_annotations() -> None:
    result = run("check", "--no-cache", "--format", "github", str(SEED))
    lines = result.stdout.splitlines()
    assert [line.split("::")[1].split(" ")[0] for line in lines] == ["error", "warning", "error"]
    assert lines[2].startswith(f"::error file={SEED},line=40,col=11,endLine=40,endColumn=97,")
    assert (
        ",line=40,col=11,endLine=40,endColumn=97,title=SL001 batch-remainder::fit: trainX"
        in (lines[2])
    )
    assert lines[1].startswith("::warning file=")


def test_concise_is_one_line_per_finding() -> None:
    result = run("check", "--no-cache", "--format", "concise", str(SEED))
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{SEED}:34:11: SL008 [*] [keras3-removed-argument] ")
    assert lines[1].startswith(f"{SEED}:35:11: SL004 [*] [ignored-input-shape] ")
    assert lines[2].startswith(f"{SEED}:40:11: SL001 [batch-remainder] fit: trainX (line 27)")


def test_exit_zero_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run(
        "check", "--no-cache", "--exit-zero", "--format", "json", "-o", str(out), str(SEED)
    )
    assert result.returncode == 0
    assert result.stdout == ""
    assert [f["code"] for f in json.loads(out.read_text())] == ["SL008", "SL004", "SL001"]


def test_notebook_cells_and_lines() -> None:
    (finding,) = check_paths([NOTEBOOK]).findings
    assert (finding.code, finding.cell, finding.line, finding.column) == ("SL001", 6, 6, 1)
    assert "X (cell 3, line 3) has 1735 samples" in finding.message
    assert finding.to_dict()["cell"] == 6
    text = run("check", "--no-cache", str(NOTEBOOK)).stdout.splitlines()
    assert text[0].startswith(f"{NOTEBOOK}:cell 6:6:1: SL001 [batch-remainder]")
    assert text[2].startswith("6 | model.fit(X, y, batch_size=30, epochs=10, shuffle=False)  #")


def test_notebook_magics_and_shell_escapes_are_skipped() -> None:
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["%load_ext autoreload\n", "!ls data/\n"]},
            {"cell_type": "code", "source": "%%bash\necho not python (\n"},
            {"cell_type": "code", "source": "import keras\nfiles = !ls\nkeras.utils?\n"},
        ],
        "nbformat": 4,
    }
    assert check_source(json.dumps(notebook), "clean.ipynb") == []


def test_invalid_notebook_is_a_clear_error_and_the_run_goes_on(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "train.py")
    (tmp_path / "broken.ipynb").write_text('{"cells": [')
    result = run("check", "--no-cache", "--format", "concise", str(tmp_path))
    assert result.returncode == 2
    assert "broken.ipynb: not a valid notebook: invalid JSON" in result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_directories_pick_up_notebooks(tmp_path: Path) -> None:
    shutil.copy(NOTEBOOK, tmp_path / "explore.ipynb")
    report = check_paths([tmp_path])
    assert [(Path(f.path).name, f.cell) for f in report.findings] == [("explore.ipynb", 6)]


def test_standard_input_with_a_reported_filename() -> None:
    result = run(
        "check",
        "--format",
        "concise",
        "--stdin-filename",
        "models/train.py",
        "-",
        stdin=SEED.read_text(),
    )
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["models/train.py"] * 3


def test_parallel_results_equal_serial_ones(tmp_path: Path) -> None:
    sources = sorted(FIXTURES.rglob("*.py"))
    for i, source in enumerate(sources):
        shutil.copy(source, tmp_path / f"{i:03d}_{source.name}")
    (tmp_path / "data").symlink_to(FIXTURES / "sizes" / "data")
    serial = check_paths([tmp_path], jobs=1)
    parallel = check_paths([tmp_path], jobs=2)
    assert len(sources) >= 16
    assert parallel.findings == serial.findings
    assert parallel.errors == serial.errors
    assert parallel.findings and parallel.files_checked == serial.files_checked


def test_second_run_on_an_unchanged_tree_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for source in (SEED, SEED_FIXED, NOTEBOOK):
        shutil.copy(source, tmp_path / source.name)
    monkeypatch.chdir(tmp_path)
    first = check_paths(["."], cache=True)
    assert (first.files_checked, first.files_cached) == (3, 0)
    assert (tmp_path / ".shapelint_cache" / ".gitignore").read_text().endswith("*\n")

    import shapelint.lint as lint

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached file was analysed again")

    monkeypatch.setattr(lint, "facts_for", fail)
    second = check_paths(["."], cache=True)
    assert (second.files_checked, second.files_cached) == (3, 3)
    assert second.findings == first.findings
    assert second.sources == first.sources


def test_the_cache_notices_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "train.py"
    script.write_text(SEED.read_text())
    assert check_paths(["."], cache=True).files_cached == 0
    assert check_paths(["."], cache=True).files_cached == 1
    script.write_text(SEED.read_text().replace("shuffle=False", "shuffle=False "))
    assert check_paths(["."], cache=True).files_cached == 0
    assert check_paths(["."], cache=True, select={"SL001"}).files_cached == 0


def test_the_cache_notices_data_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rows.csv").write_text("a,b\n" + "1,2\n" * 1735)
    (tmp_path / "train.py").write_text(
        "import pandas as pd\nimport keras\nx = pd.read_csv('rows.csv').values.reshape(-1, 1, 2)\n"
        "inputs = keras.Input(batch_shape=(30, 1, 2))\n"
        "model = keras.Model(inputs, keras.layers.LSTM(8, stateful=True)(inputs))\n"
        "model.predict(x, batch_size=30)\n"
    )
    assert [f.code for f in check_paths(["."], cache=True).findings] == ["SL001"]
    (tmp_path / "rows.csv").write_text("a,b\n" + "1,2\n" * 1740)
    os.utime(tmp_path / "rows.csv", ns=(1, 1))
    report = check_paths(["."], cache=True)
    assert report.files_cached == 0 and report.findings == []


def test_no_cache_flag(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "train.py")
    run("check", "--no-cache", ".", cwd=tmp_path)
    assert not (tmp_path / ".shapelint_cache").exists()
    run("check", ".", cwd=tmp_path)
    assert (tmp_path / ".shapelint_cache").exists()


def test_every_format_is_stable_and_sorted() -> None:
    report = check_paths([FIXTURES / "rules" / "sl001"])
    keys = [(f.path, f.line, f.column) for f in report.findings]
    assert keys == sorted(keys)
    assert set(FORMATS) == {"text", "concise", "json", "sarif", "github"}
