"""Verify can say no: judge() on hand-made worker results, the outcome of each finding, the
summary line and the exit codes. No TensorFlow: nothing here trains a model."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shapelint.cli import main
from shapelint.findings import Finding, Span
from shapelint.terminal import worst
from shapelint.verify import Row, TrainingRow, VerifyReport
from shapelint.verify.plan import Run
from shapelint.verify.report import (
    FAILED,
    PASSED,
    UNPROVEN,
    outcome,
    overall,
    render_json,
    render_text,
    render_training_text,
    summary,
    training_overall,
    unproven_files,
)
from shapelint.verify.runner import Outcome, judge
from tests.conftest import SEED

MODEL: dict[str, Any] = {
    "layers": [
        {"kind": "LSTM", "kwargs": {"units": 4, "stateful": True}},
        {"kind": "Dense", "kwargs": {"units": 1}},
    ],
    "input_shape": [5, 2],
    "batch": 8,
    "loss": "mse",
    "optimizer": "adam",
    "keras": 3,
}


def spec(action: str, samples: int, **extra: Any) -> dict[str, Any]:
    return {"model": dict(MODEL), "action": action, "samples": samples, **extra}


def result(**fields: Any) -> dict[str, Any]:
    """A worker's answer: no error unless one is given."""
    base: dict[str, Any] = {"error": None, "loss": None, "rows": None, "batches": None}
    return {**base, "seconds": 0.1, **fields}


def error(message: str, cls: str = "InvalidArgumentError", phase: str = "fit") -> dict[str, Any]:
    return {"class": cls, "message": message, "text": message, "phase": phase}


INCOMPATIBLE = error("Incompatible shapes: [5,1] vs. [8,1]")

# The runs verify plans for each kind of expectation (as plan.py builds them).
REMAINDER = Run(
    "fit on 13 samples in batches of 8", spec("fit", 13, batch_size=8), "error", {"dims": [5, 8]}
)
BUILD = Run("build", spec("build", 0), "error", {"any": ["stateful", "batch size"]})
ROWS = Run(
    "predict on 9 samples in batches of 8",
    spec("predict", 9, batch_size=8),
    "silent-rows",
    {"samples": 9, "batch": 8},
)
BATCHES = Run(
    "fit on 9 samples in batches of 8",
    spec("fit", 9, batch_size=8),
    "silent-batches",
    {"samples": 9, "batch": 8},
)
VALIDATION = Run(
    "fit, validating on 9 samples",
    spec("fit", 8, batch_size=8, validation_samples=9),
    "silent-batches",
    {"samples": 9, "batch": 8},
)
CALL_BATCH_ONE = Run(
    "fit on 3 samples in batches of 1",
    spec("fit", 3, batch_size=1),
    "silent-batches",
    {"samples": 3, "batch": 8},
)
TARGETS = Run(
    "fit with targets of shape (5, 1)",
    spec("fit", 16, batch_size=8, y_shape=[5, 1]),
    "silent",
    {"targets": [5, 1], "output_rank": 1},
)
SUCCESS = Run("trim to 8 samples", spec("fit", 8, batch_size=8), "success")
EVERY_EXPECTATION = [REMAINDER, BUILD, ROWS, BATCHES, VALIDATION, CALL_BATCH_ONE, TARGETS]


# --- expect == "error" ---


def test_the_expected_error_reproduces() -> None:
    judged = judge(REMAINDER, result(error=INCOMPATIBLE))
    assert judged.ok
    assert judged.verdict == "InvalidArgumentError: Incompatible shapes: [5,1] vs. [8,1] (fit)"
    eager = error("Expected batch size: 8 - Received batch size: 5", cls="ValueError")
    assert judge(REMAINDER, result(error=eager)).ok
    assert judge(BUILD, result(error=error("stateful RNN needs a static batch size"))).ok


def test_no_error_is_not_a_reproduction() -> None:
    judged = judge(REMAINDER, result(loss=0.3, batches=2))
    assert (judged.ok, judged.verdict) == (False, "no error")
    assert not judge(BUILD, result()).ok


def test_another_error_is_not_a_reproduction() -> None:
    other = error("Incompatible shapes: [4,1] vs. [7,1]")
    judged = judge(REMAINDER, result(error=other))
    assert not judged.ok
    assert judged.verdict.startswith("other error: InvalidArgumentError: Incompatible shapes")
    unrelated = error("Unknown loss function: msee", cls="ValueError", phase="build")
    assert judge(BUILD, result(error=unrelated)).verdict.startswith("other error: ValueError")
    assert not judge(BUILD, result(error=unrelated)).ok


# --- silent expectations: an error is never the silent defect ---


@pytest.mark.parametrize("run", [ROWS, BATCHES, VALIDATION, CALL_BATCH_ONE, TARGETS])
def test_an_error_in_a_run_expected_to_be_silent_is_other_error(run: Run) -> None:
    judged = judge(run, result(error=INCOMPATIBLE))
    assert not judged.ok
    assert judged.verdict == (
        "other error: InvalidArgumentError: Incompatible shapes: [5,1] vs. [8,1] (fit)"
    )


def test_silent_rows_need_more_rows_than_samples() -> None:
    judged = judge(ROWS, result(rows=16, batches=2, output_shape=[1]))
    assert judged.ok
    assert judged.verdict == "silent: predict returned 16 rows for 9 samples"
    right = judge(ROWS, result(rows=9, batches=2, output_shape=[1]))
    assert not right.ok
    assert right.verdict == "predict returned 9 rows for 9 samples, as it should"
    assert not judge(ROWS, result()).ok  # no rows reported at all


def test_silent_batches_need_the_odd_batch_to_have_run() -> None:
    judged = judge(BATCHES, result(batches=2, loss=0.2))
    assert judged.ok
    assert judged.verdict == (
        "silent: ran 2 batches on 9 samples; the last held 1 sample for a state built for 8"
    )
    # The partial batch was dropped (drop_remainder, steps_per_epoch): nothing shows.
    dropped = judge(BATCHES, result(batches=1, loss=0.2))
    assert not dropped.ok
    assert dropped.verdict == "ran 1 batches on 9 samples, not the 2 that show the defect"


def test_silent_batches_on_whole_batches_is_not_reproduced() -> None:
    whole = Run(
        "fit on 16 samples in batches of 8",
        spec("fit", 16, batch_size=8),
        "silent-batches",
        {"samples": 16, "batch": 8},
    )
    judged = judge(whole, result(batches=2, loss=0.2))
    assert not judged.ok
    assert (
        judged.verdict == "ran 2 batches on 16 samples; every batch held 8, the state's batch size"
    )


def test_silent_batches_count_validation_batches_for_a_validation_run() -> None:
    assert judge(VALIDATION, result(batches=1, validation_batches=2)).ok
    # Training batches do not stand in for validation batches that never ran.
    judged = judge(VALIDATION, result(batches=2, validation_batches=0))
    assert not judged.ok
    assert judged.verdict.startswith("ran 0 validation batches on 9 samples")


def test_silent_batches_split_by_the_calls_batch_size() -> None:
    # SL002 with batch_size=1 against a state built for 8: three batches of one sample.
    assert judge(CALL_BATCH_ONE, result(batches=3)).ok
    assert not judge(CALL_BATCH_ONE, result(batches=1)).ok


def test_silent_targets_need_an_output_of_another_rank() -> None:
    judged = judge(TARGETS, result(loss=0.1, output_shape=[1], target_shape=[5, 1]))
    assert judged.ok
    assert judged.verdict == (
        "silent: trained without error, output (1,) per sample against targets (5, 1)"
    )


def test_silent_targets_matching_the_output_are_not_reproduced() -> None:
    judged = judge(TARGETS, result(loss=0.1, output_shape=[5, 1], target_shape=[5, 1]))
    assert not judged.ok
    assert judged.verdict == "trained correctly: output (5, 1) per sample against targets (5, 1)"


def test_silent_targets_keras_adjusts_are_not_reproduced() -> None:
    # Targets (N,) for an output (N, 1): Keras adds the trailing 1; sparse labels are one short.
    flat = Run("fit", spec("fit", 16, y_shape=[]), "silent", {"targets": []})
    assert not judge(flat, result(output_shape=[1], target_shape=[])).ok
    sparse_spec = spec("fit", 16)
    sparse_spec["model"]["loss"] = "sparse_categorical_crossentropy"
    labels = Run("fit", sparse_spec, "silent", {"targets": [5]})
    assert not judge(labels, result(output_shape=[5, 10], target_shape=[5])).ok
    assert judge(flat, result(output_shape=[5, 3], target_shape=[])).ok


def test_silent_targets_the_run_did_not_use_are_not_reproduced() -> None:
    judged = judge(TARGETS, result(output_shape=[1], target_shape=[1]))
    assert not judged.ok
    assert judged.verdict == "trained on targets (1,), not the finding's (5, 1)"


def test_silent_targets_need_the_output_rank_the_finding_claims() -> None:
    judged = judge(TARGETS, result(output_shape=[5, 1, 2], target_shape=[5, 1]))
    assert not judged.ok
    assert judged.verdict.endswith("but the finding expected an output of rank 1")


def test_silent_targets_without_an_output_shape_are_not_reproduced() -> None:
    judged = judge(TARGETS, result(loss=0.1))
    assert (judged.ok, judged.verdict) == (
        False,
        "trained without error; no output shape to compare",
    )


# --- every expectation ---


@pytest.mark.parametrize("run", EVERY_EXPECTATION)
def test_a_clean_run_reproduces_nothing(run: Run) -> None:
    """A run that trains and returns what a correct model returns is never a reproduction."""
    n = run.match.get("samples", run.spec["samples"])
    clean = result(
        loss=0.2, rows=n, batches=0, validation_batches=0, output_shape=[5, 1], target_shape=[5, 1]
    )
    assert not judge(run, clean).ok


@pytest.mark.parametrize("run", [*EVERY_EXPECTATION, SUCCESS])
def test_time_outs_and_internal_errors_are_never_ok(run: Run) -> None:
    assert judge(run, {"timeout": True}).verdict == "timed out"
    assert not judge(run, {"timeout": True}).ok
    crashed = judge(run, {"internal": "Traceback ...\nKeyError: 'model'\n"})
    assert not crashed.ok and crashed.verdict == "internal error: Traceback ...\nKeyError: 'model'"


def test_an_unknown_expectation_is_never_ok() -> None:
    judged = judge(Run("?", spec("fit", 8), "silent-sometimes"), result())
    assert not judged.ok and "unknown expectation" in judged.verdict


def test_success_runs() -> None:
    assert judge(SUCCESS, result(loss=0.25)).verdict == "trains, loss 0.25"
    failed = judge(SUCCESS, result(error=INCOMPATIBLE))
    assert not failed.ok and failed.verdict.startswith("failed: InvalidArgumentError")
    fixed = Run("return_sequences=True", spec("fit", 16, expect_output=[5, 1]), "success")
    assert judge(fixed, result(output_shape=[5, 1])).ok
    wrong = judge(fixed, result(output_shape=[1]))
    assert (wrong.ok, wrong.verdict) == (False, "output (1,) instead of (5, 1)")


# --- outcomes, summary line, exit codes ---


def finding(code: str, line: int) -> Finding:
    return Finding("train.py", Span(line, 1, line, 10), code, "name", "error", "message")


def row(code: str, line: int, status: str, *runs: bool, reason: str = "") -> Row:
    """A row whose reproduction is ``runs[0]`` (ok or not) and whose fixes are the rest."""
    judged = [Outcome(SUCCESS, result(seconds=1.0), ok, "verdict") for ok in runs]
    return Row(finding(code, line), status, judged[0] if judged else None, judged[1:], reason)


CONFIRMED = row("SL001", 10, "reproduced", True, True, True)
NO_FIX = row("SL006", 11, "reproduced", True)
NOT_REPRODUCED = row("SL001", 12, "NOT reproduced", False, True)
FIX_FAILED = row("SL002", 13, "reproduced", True, False)
TIMED_OUT = row("SL003", 14, "timed out", False)
SKIPPED = row("SL001", 15, "skipped", reason="verify cannot rebuild a Foo layer (line 3)")
STATIC = row("SL004", 16, "skipped", reason="not verifiable: a static rule")


def test_each_row_has_one_outcome() -> None:
    assert [
        outcome(r)
        for r in (CONFIRMED, NO_FIX, NOT_REPRODUCED, FIX_FAILED, TIMED_OUT, SKIPPED, STATIC)
    ] == [
        "confirmed",
        "reproduced, no fix to try",
        "not reproduced",
        "fix not confirmed",
        "timed out",
        "skipped",
        "not verifiable",
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], PASSED),
        ([CONFIRMED, NO_FIX, STATIC], PASSED),
        ([CONFIRMED, NOT_REPRODUCED], FAILED),
        ([CONFIRMED, FIX_FAILED], FAILED),
        ([TIMED_OUT], FAILED),
        ([NOT_REPRODUCED, SKIPPED], FAILED),
        ([CONFIRMED, SKIPPED], UNPROVEN),
        ([SKIPPED, STATIC], UNPROVEN),
        ([STATIC], UNPROVEN),
    ],
)
def test_overall_result(rows: list[Row], expected: str) -> None:
    assert overall(VerifyReport(rows=rows)) == expected


def test_the_summary_line_counts_confirmed_not_reproduced_and_skipped() -> None:
    every = [CONFIRMED, NO_FIX, NOT_REPRODUCED, FIX_FAILED, TIMED_OUT, SKIPPED, STATIC]
    report = VerifyReport(rows=every, seconds=12.34)
    assert summary(report) == (
        "7 findings: 1 confirmed, 1 not reproduced, 1 skipped, 1 fix not confirmed, "
        "1 timed out, 1 reproduced with no fix to try, 1 not verifiable (static rules) in 12.3 s."
    )
    text = render_text(report)
    assert text.endswith(summary(report) + "\n")
    assert "!! NOT REPRODUCED: train.py:12 SL001" in text
    assert re.search(r"SL001  skipped +verify cannot rebuild a Foo layer \(line 3\)", text)
    assert "not verifiable (static rule)" in text
    assert summary(VerifyReport(rows=[CONFIRMED])) == (
        "1 finding: 1 confirmed, 0 not reproduced, 0 skipped in 0.0 s."
    )


def test_unproven_reports_say_so() -> None:
    text = render_text(VerifyReport(rows=[CONFIRMED, SKIPPED]))
    assert text.splitlines()[-1] == (
        "Unproven: 1 finding could not be rebuilt and trained (see 'skipped' above); nothing "
        "here confirms or refutes them."
    )
    static = render_text(VerifyReport(rows=[STATIC]))
    assert static.splitlines()[-1] == (
        "Nothing verified: every finding is of a static rule, which verify cannot train."
    )
    assert "Unproven" not in render_text(VerifyReport(rows=[CONFIRMED, STATIC]))


def test_json_rows_carry_the_outcome() -> None:
    import json

    rows = json.loads(render_json(VerifyReport(rows=[CONFIRMED, NOT_REPRODUCED, SKIPPED])))
    assert [r["outcome"] for r in rows] == ["confirmed", "not reproduced", "skipped"]


def test_worst_exit_code() -> None:
    assert worst(0, 3) == 3
    assert worst(1, 3) == worst(3, 1) == 1
    assert worst(2, 1, 3) == 2
    assert worst(0, 0) == 0


def test_verify_exits_3_when_nothing_could_be_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "custom.py"
    script.write_text(UNBUILDABLE)
    assert main(["verify", str(script)]) == 3
    out = capsys.readouterr().out
    assert re.search(r"skipped +verify cannot rebuild a UnitNormalization layer \(line 8\)", out)
    assert "3 findings: 0 confirmed, 0 not reproduced, 2 skipped, 1 not verifiable" in out
    assert "Unproven: 2 findings could not be rebuilt and trained" in out
    # check --verify: the findings (1) are more serious than "unproven" (3)...
    assert main(["check", "--no-cache", "--verify", str(script)]) == 1
    # ...unless --exit-zero sets the findings aside.
    assert main(["check", "--no-cache", "--verify", "--exit-zero", str(script)]) == 3


def test_verify_exits_3_when_every_finding_is_static(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--select", "SL004", str(SEED)]) == 3
    out = capsys.readouterr().out
    assert "1 finding: 0 confirmed, 0 not reproduced, 0 skipped, 1 not verifiable" in out
    assert "Nothing verified" in out


# A stateful model with a layer verify cannot rebuild: SL001 and SL002 cannot be tested,
# and after --fix (SL002, SL007) neither fit call can be trained.
UNBUILDABLE = """\
import numpy as np
import keras

x = np.zeros((35, 5, 2))
y = np.zeros((35, 1))
inputs = keras.Input(batch_shape=(10, 5, 2))
h = keras.layers.LSTM(3, stateful=True)(inputs)
h = keras.layers.UnitNormalization()(h)
model = keras.Model(inputs, keras.layers.Dense(1)(h))
model.compile(loss="mse", optimizer="adam")
model.fit(x, y, batch_size=10, shuffle=False)
model.fit(x[:30], y[:30], epochs=1)
"""


def test_fix_verify_with_nothing_to_train_is_unproven(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "custom.py"
    script.write_text(UNBUILDABLE)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--fix", "--verify", "--exit-zero", "custom.py"]) == 3
    out = capsys.readouterr().out
    assert "shuffle=False" in script.read_text().splitlines()[-1]
    assert "0 confirmed (trained or built), 0 failed, 2 skipped." in out
    assert out.endswith("Unproven: nothing in custom.py could be rebuilt and trained.\n")
    # Without --exit-zero the SL001 left in the file makes it 1.
    script.write_text(UNBUILDABLE)
    assert main(["check", "--fix", "--verify", "custom.py"]) == 1


def test_fix_verify_json_says_unproven(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    (tmp_path / "custom.py").write_text(UNBUILDABLE)
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--fix", "--verify", "--exit-zero", "--format", "json", "custom.py"])
    assert code == 3
    verify = json.loads(capsys.readouterr().out)["verify"]
    assert (verify["result"], verify["unproven_files"]) == ("unproven", ["custom.py"])
    assert [r["status"] for r in verify["trained"]] == ["skipped", "skipped"]


def training_row(path: str, status: str) -> TrainingRow:
    return TrainingRow(path, 3, "fit", "model", status, reason="why")


def test_training_results() -> None:
    trained = [training_row("a.py", "trains"), training_row("b.py", "builds")]
    assert training_overall(trained, ["a.py", "b.py"]) == PASSED
    assert training_overall([], []) == PASSED  # nothing was fixed
    assert training_overall([], ["a.py"]) == UNPROVEN
    partly = [*trained, training_row("c.py", "skipped")]
    assert training_overall(partly, ["a.py", "b.py", "c.py"]) == UNPROVEN
    assert unproven_files(partly, ["a.py", "b.py", "c.py"]) == ["c.py"]
    # A file with one run trained and one skipped is proven by the one.
    assert training_overall([*partly, training_row("c.py", "trains")], ["c.py"]) == PASSED
    assert training_overall([*trained, training_row("a.py", "FAILED")], ["a.py"]) == FAILED
    assert training_overall([training_row("a.py", "timed out")], ["a.py"]) == FAILED
    text = render_training_text([*partly, training_row("a.py", "FAILED")], ["a.py", "c.py"])
    assert text.splitlines()[-2:] == [
        "2 confirmed (trained or built), 1 failed, 1 skipped.",
        "Unproven: nothing in c.py could be rebuilt and trained.",
    ]
