"""The seed case end to end: the blog post's stateful LSTM and its fixed twin."""

from __future__ import annotations

import json
import subprocess
import sys

from shapelint import check_paths, check_source
from tests.conftest import ROOT, SEED, SEED_FIXED


def test_seed_reports_the_remainder_with_numbers_and_fix() -> None:
    findings = check_source(SEED.read_text(), str(SEED))
    # The blog post's script has three bugs: Keras 3 rejects batch_input_shape (line 34),
    # the second LSTM's input_shape is ignored (line 35), and the remainder (line 40).
    assert [(f.code, f.line) for f in findings] == [("SL008", 34), ("SL004", 35), ("SL001", 40)]
    finding = findings[2]
    assert finding.severity == "error"
    assert finding.message == (
        "fit: trainX (line 27) has 1735 samples (len(raw)=1765 - window_size=30), not a "
        "multiple of the model's batch size 30 (batch_input_shape on line 34; batch_size = 30 "
        "on line 13): the last batch has 25 samples and the stateful LSTM (line 34) fails at "
        'the end of the first epoch with "Incompatible shapes: [25,30,1] vs. [30,30,1]".'
    )
    assert finding.fix is not None
    assert finding.fix.description == (
        "Train on 1710 samples (drop the last 25); or build the model for a batch size that "
        "divides 1735 (5 or 347) and pass the same batch_size to fit."
    )
    assert dict(finding.fix.params) == {
        "samples": 1735,
        "batch_size": 30,
        "remainder": 25,
        "trim_to": 1710,
        "batch_sizes": (5, 347),
    }
    assert (finding.column, finding.span.end_line) == (11, 40)


def test_fixed_twin_is_clean() -> None:
    assert check_source(SEED_FIXED.read_text(), str(SEED_FIXED)) == []


def test_check_paths_on_the_seed_folder() -> None:
    report = check_paths([SEED.parent])
    assert report.errors == []
    assert report.files_checked == 2
    assert [(f.path, f.code) for f in report.findings] == [
        (str(SEED), "SL008"),
        (str(SEED), "SL004"),
        (str(SEED), "SL001"),
    ]


def _shapelint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shapelint", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_cli_seed_text_output_and_exit_code() -> None:
    result = _shapelint("check", "--select", "SL001", "fixtures/seed/stateful_lstm_stock.py")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "fixtures/seed/stateful_lstm_stock.py:40:11: SL001 [batch-remainder] fit: trainX"
    )
    assert "1735 samples" in lines[0] and "25 samples" in lines[0]
    assert lines[2] == (
        "40 | history = model.fit(trainX, trainY, epochs=100, batch_size=batch_size, "
        "shuffle=False, verbose=2)  # error: [SL001] samples=1735 batch_size=30 remainder=25 "
        "full_batches=57 trim_to=1710 batch_sizes=(5,347)"
    )
    assert lines[3] == "   | " + " " * 10 + "^" * 86
    assert lines[4].startswith("   = help: Train on 1710 samples (drop the last 25)")
    assert lines[-2] == "Found 1 finding (1 error, 0 warnings) in 1 file."
    assert lines[-1] == "1 fixable with `--fix --unsafe-fixes`."
    assert "\033[" not in result.stdout  # no colour when not on a terminal


def test_cli_bare_path_is_check_and_twin_exits_zero() -> None:
    assert _shapelint("fixtures/seed/stateful_lstm_stock.py").returncode == 1
    clean = _shapelint("fixtures/seed/stateful_lstm_stock_fixed.py")
    assert clean.returncode == 0
    assert clean.stdout == "All checks passed (1 file checked).\n"


def test_cli_json_has_exactly_the_documented_keys() -> None:
    result = _shapelint("check", "--format", "json", "fixtures/seed")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [(d["code"], d["line"], d["severity"]) for d in data] == [
        ("SL008", 34, "error"),
        ("SL004", 35, "warning"),
        ("SL001", 40, "error"),
    ]
    data = data[2:]
    assert list(data[0]) == [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
        "fix",
        "provenance",
        "numbers",
    ]
    assert data[0]["path"] == "fixtures/seed/stateful_lstm_stock.py"
    assert (data[0]["line"], data[0]["column"], data[0]["end_line"], data[0]["end_column"]) == (
        40,
        11,
        40,
        97,
    )
    assert data[0]["fix"]["trim_to"] == 1710
    assert data[0]["fix"]["batch_sizes"] == [5, 347]
    # 1735 = 57 * 30 + 25
    assert data[0]["numbers"] == {
        "samples": 1735,
        "batch_size": 30,
        "remainder": 25,
        "full_batches": 57,
    }
    assert data[0]["provenance"] == {
        "samples": "1735 = len(raw)=1765 - window_size=30 (trainX, line 27)",
        "batch_size": "30 = batch_input_shape on line 34; batch_size = 30 on line 13",
    }
