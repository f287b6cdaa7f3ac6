"""`shapelint verify` with real TensorFlow: reproductions, fixes, exit codes, isolation.

These tests train small models on the CPU; TensorFlow is installed by the `verify` extra.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shapelint.verify import Row, verify_paths
from tests.conftest import FIXTURES, ROOT, SEED, SEED_FIXED


def by_location(rows: list[Row]) -> dict[tuple[str, int, str], Row]:
    return {(Path(r.finding.path).name, r.finding.line, r.finding.code): r for r in rows}


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shapelint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=600,
    )


def test_seed_reproduces_and_its_fixes_confirm() -> None:
    result = run_cli("verify", "--format", "json", str(SEED))
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {(r["finding"]["code"], r["finding"]["line"]): r for r in json.loads(result.stdout)}
    remainder = rows[("SL001", 40)]
    assert remainder["status"] == "reproduced"
    error = remainder["reproduction"]["error"]
    assert error["class"] == "InvalidArgumentError"
    assert error["phase"] == "fit"
    assert "Incompatible shapes" in error["message"]
    assert "[25," in error["message"] and "[30," in error["message"]
    assert [f["description"] for f in remainder["fixes"]] == [
        "trim to 30 samples",
        "batch size 5 on 10 samples",
    ]
    assert all(f["ok"] and f["loss"] is not None for f in remainder["fixes"])
    keras3 = rows[("SL008", 34)]
    assert keras3["status"] == "reproduced"
    assert "Unrecognized keyword arguments passed to LSTM" in keras3["reproduction"]["verdict"]
    assert keras3["confirmed"] is True
    assert rows[("SL004", 35)]["status"] == "skipped"
    assert "Progress" not in result.stdout
    assert "reproducing (fit on 55 samples in batches of 30)" in result.stderr
    # No TensorFlow banners (oneDNN, CUDA) on a CPU machine.
    assert "oneDNN" not in result.stderr and "cuda" not in result.stderr.lower()


def test_clean_script_has_nothing_to_verify() -> None:
    result = run_cli("verify", str(SEED_FIXED))
    assert result.returncode == 0
    assert "0 of 0 findings reproduced and fixed" in result.stdout


def test_the_family_reproduces() -> None:
    files = [
        FIXTURES / "rules" / "sl001" / "validation_data_remainder.py",
        FIXTURES / "rules" / "sl001" / "predict_remainder.py",
        FIXTURES / "rules" / "sl001" / "remainder_of_one.py",
        FIXTURES / "rules" / "sl001" / "bidirectional_epoch_loop.py",
        FIXTURES / "rules" / "sl002" / "explicit_mismatch.py",
        FIXTURES / "rules" / "sl003" / "functional_shape_only.py",
        FIXTURES / "sizes" / "tf_data_pipeline.py",
        FIXTURES / "rules" / "sl006" / "missing_return_sequences.py",
    ]
    report = verify_paths(files, shrink=True, timeout=300)
    rows = by_location(report.rows)
    statuses = {key: row.status for key, row in rows.items()}
    expected_reproduced = [
        ("validation_data_remainder.py", 18, "SL001"),  # GRU, validation data
        ("predict_remainder.py", 19, "SL001"),  # GRU, evaluate
        ("predict_remainder.py", 20, "SL001"),  # GRU, predict
        ("remainder_of_one.py", 11, "SL001"),  # silent: a batch of one
        ("remainder_of_one.py", 12, "SL001"),  # silent: 1008 rows
        ("bidirectional_epoch_loop.py", 18, "SL001"),
        ("explicit_mismatch.py", 15, "SL002"),  # SimpleRNN
        ("functional_shape_only.py", 9, "SL003"),
        ("tf_data_pipeline.py", 25, "SL001"),  # tf.data, partial last batch
        ("tf_data_pipeline.py", 28, "SL002"),
        ("tf_data_pipeline.py", 28, "SL005"),
        ("missing_return_sequences.py", 9, "SL006"),
        ("missing_return_sequences.py", 27, "SL006"),  # targets: silent
    ]
    for key in expected_reproduced:
        assert statuses[key] == "reproduced", (key, rows[key].reproduction)
        assert rows[key].confirmed, (key, [f.verdict for f in rows[key].fixes])
    validation = rows[("validation_data_remainder.py", 18, "SL001")].reproduction
    assert validation is not None and validation.result["error"]["phase"] == "validation"
    one_row = rows[("remainder_of_one.py", 12, "SL001")].reproduction
    assert one_row is not None
    assert one_row.verdict == "silent: predict returned 16 rows for 9 samples"
    one_batch = rows[("remainder_of_one.py", 11, "SL001")].reproduction
    assert one_batch is not None and one_batch.verdict.startswith("silent: ran 2 batches on 9")
    assert all(row.shrunk for row in report.rows if row.status != "skipped")
    assert report.ok


def test_the_script_is_never_run(tmp_path: Path) -> None:
    script = tmp_path / "trap.py"
    script.write_text(
        "import pathlib\nimport numpy as np\nimport keras\n"
        "pathlib.Path(__file__).with_name('ran.txt').write_text('ran')\n"
        "x = np.zeros((35, 5, 2))\n"
        "inputs = keras.Input(batch_shape=(10, 5, 2))\n"
        "model = keras.Model(inputs, keras.layers.LSTM(3, stateful=True)(inputs))\n"
        "model.predict(x, batch_size=10)\n"
    )
    result = run_cli("verify", str(script))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reproduced" in result.stdout
    assert not (tmp_path / "ran.txt").exists()


def test_a_run_that_takes_too_long_is_a_timed_out_row() -> None:
    report = verify_paths([SEED], select={"SL001"}, timeout=0.5)
    (row,) = report.rows
    assert row.status == "timed out"
    assert not report.ok


def test_without_tensorflow_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shapelint.verify as verify
    from shapelint.cli import main

    monkeypatch.setattr(verify, "_available", lambda module: False)
    assert main(["verify", str(SEED)]) == 2
    assert 'pip install "shapelint[verify]"' in capsys.readouterr().err


def test_check_with_verify_prints_findings_then_the_table() -> None:
    script = FIXTURES / "rules" / "sl003" / "functional_shape_only.py"
    result = run_cli("check", "--no-cache", "--verify", "--shrink", str(script))
    assert result.returncode == 1  # the finding stands, and it was reproduced
    head, _, table = result.stdout.partition("\n\nfinding ")
    assert "SL003 [stateful-needs-batch-size]" in head
    assert "reproduced" in table and "confirmed" in table
    assert "1 of 1 finding reproduced and fixed" in table
