"""`shapelint verify` with real TensorFlow: reproductions, fixes, exit codes, isolation.

These tests train small models on the CPU; TensorFlow is installed by the `verify` extra.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shapelint.verify import Row, verify_paths
from shapelint.verify.plan import Case, Run
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
    # One model of batch 30 for three runs: built and traced for the reproduction (its
    # partial batch first), kept for SL008's fix and the trimmed fit. Batches of 5 are
    # another model, and Keras 3 rejecting batch_input_shape builds none.
    assert remainder["reproduction"]["reused_model"] is False
    assert [f["reused_model"] for f in remainder["fixes"]] == [True, False]
    assert keras3["reproduction"]["reused_model"] is False
    assert keras3["fixes"][0]["reused_model"] is True
    # Built models report their building; every run that trained, its first batch.
    reproduction = remainder["reproduction"]
    assert 0 < reproduction["build_seconds"] < reproduction["seconds"]
    assert 0 < reproduction["first_batch_seconds"] < reproduction["seconds"]
    assert [f["build_seconds"] is None for f in remainder["fixes"]] == [True, False]
    assert all(0 < f["first_batch_seconds"] <= f["seconds"] for f in remainder["fixes"])
    assert keras3["reproduction"]["build_seconds"] is None  # it failed to build
    assert keras3["reproduction"]["first_batch_seconds"] is None
    assert rows[("SL004", 35)]["status"] == "skipped"
    assert "Progress" not in result.stdout
    assert "reproducing (fit on 55 samples in batches of 30)" in result.stderr
    # No TensorFlow banners (oneDNN, CUDA) on a CPU machine.
    assert "oneDNN" not in result.stderr and "cuda" not in result.stderr.lower()


def test_clean_script_has_nothing_to_verify() -> None:
    result = run_cli("verify", str(SEED_FIXED))
    assert result.returncode == 0
    assert "0 findings: 0 confirmed, 0 not reproduced, 0 skipped in" in result.stdout


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
    targets = rows[("missing_return_sequences.py", 27, "SL006")].reproduction
    assert targets is not None and targets.verdict == (
        "silent: trained without error, output (1,) per sample against targets (30, 1)"
    )
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
    assert "1 finding: 1 confirmed, 0 not reproduced, 0 skipped in" in table


def _model(
    *, stateful: bool = True, sequences: bool = False, batch: int | None = 8
) -> dict[str, Any]:
    lstm = {"units": 4, "stateful": stateful, "return_sequences": sequences}
    return {
        "layers": [{"kind": "LSTM", "kwargs": lstm}, {"kind": "Dense", "kwargs": {"units": 1}}],
        "input_shape": [5, 2],
        "batch": batch,
        "loss": "mse",
        "optimizer": "adam",
        "keras": 3,
    }


def _run(model: dict[str, Any], action: str, samples: int, **extra: Any) -> dict[str, Any]:
    return {"model": model, "action": action, "samples": samples, "batch_size": 8, **extra}


def test_findings_that_do_not_reproduce_say_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Runs planned by hand on models and data for which Keras works fine (or fails another
    way): each is NOT reproduced, and verify exits 1."""
    import shapelint.verify as verify
    from shapelint.api import check_paths
    from shapelint.cli import main

    script = FIXTURES / "rules" / "sl001" / "remainder_of_one.py"
    fit, predict = check_paths([script]).findings
    stateful = _model()
    cases = [
        # A whole number of batches: no batch of one, nothing broadcast.
        Case(
            fit,
            Run("fit on 16 samples", _run(stateful, "fit", 16), "silent-batches",
                {"samples": 16, "batch": 8}),
            [Run("trim to 16 samples", _run(stateful, "fit", 16), "success")],
        ),
        Case(
            predict,
            Run("predict on 16 samples", _run(stateful, "predict", 16), "silent-rows",
                {"samples": 16, "batch": 8}),
        ),
        # Not stateful: a partial last batch is fine.
        Case(
            fit,
            Run("fit on 13 samples", _run(_model(stateful=False), "fit", 13), "error",
                {"dims": [5, 8]}),
        ),
        # Expected to be silent, but a remainder of 2 crashes: that is another error.
        Case(
            fit,
            Run("fit on 10 samples", _run(stateful, "fit", 10), "silent-batches",
                {"samples": 10, "batch": 8}),
        ),
        # Targets that match the output: the loss compares like with like.
        Case(
            fit,
            Run("fit with targets (5, 1)",
                _run(_model(stateful=False, sequences=True, batch=None), "fit", 16,
                     y_shape=[5, 1]),
                "silent", {"targets": [5, 1], "output_rank": 1}),
        ),
    ]  # fmt: skip
    monkeypatch.setattr(verify, "_cases", lambda *args, **kwargs: cases)
    assert main(["verify", "--format", "json", str(script)]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in rows] == ["NOT reproduced"] * 5
    assert [r["outcome"] for r in rows] == ["not reproduced"] * 5
    verdicts = [r["reproduction"]["verdict"] for r in rows]
    assert verdicts[0] == "ran 2 batches on 16 samples; every batch held 8, the state's batch size"
    assert verdicts[1] == "predict returned 16 rows for 16 samples, as it should"
    assert verdicts[2] == "no error"
    assert verdicts[3].startswith("other error: ")
    assert "[2," in verdicts[3] and "[8," in verdicts[3]
    assert verdicts[4] == "trained correctly: output (5, 1) per sample against targets (5, 1)"
    assert rows[4]["reproduction"]["output_shape"] == [5, 1]
    # The fix of a finding that did not reproduce still runs, and trains.
    assert rows[0]["fixes"][0]["ok"] is True
