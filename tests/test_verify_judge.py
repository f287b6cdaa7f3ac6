# ruff: noqa: E501  (a verdict per line reads best unwrapped)
"""Edges of verify's judge (shapelint/verify/runner.py) that tests/test_verify_verdicts.py
leaves open: long internal errors, the three spellings of a batch-size failure, loss
wording, batch counts at the edges, and when Keras adjusts targets itself."""

from __future__ import annotations

import pytest

from shapelint.verify.plan import Run
from shapelint.verify.runner import Outcome, judge
from tests.test_verify_verdicts import (
    BATCHES,
    REMAINDER,
    ROWS,
    SUCCESS,
    TARGETS,
    error,
    result,
    spec,
)


def test_an_internal_error_keeps_its_last_300_characters() -> None:
    text = "x" * 100 + "y" * 300 + "\n\n"
    judged = judge(SUCCESS, {"internal": text})
    assert judged.verdict == "internal error: " + "y" * 300
    assert judge(SUCCESS, {"internal": "  short\n"}).verdict == "internal error: short"


@pytest.mark.parametrize(
    ("message", "ok"),
    [
        ("Incompatible shapes: [5,1] vs. [8,1]", True),
        ("Incompatible shapes: [8,1] vs. [5,1]", True),
        ("[5,1] vs. [8,1]", False),  # the bracket form needs Keras's words
        ("Incompatible shapes: [5,1] vs. [9,1]", False),
        ("Expected batch size: 8 - Received batch size: 5", True),
        ("Expected batch size: 8 - Received batch size: 4", False),
        ("Input has shape=(5, 3) but the state has shape=(8, 4)", True),
        ("Input has shape=(5, 3) but the state has shape=(9, 4)", False),
    ],
)
def test_the_named_batch_sizes_in_each_spelling(message: str, ok: bool) -> None:
    assert judge(REMAINDER, result(error=error(message))).ok is ok


def test_expected_words_are_matched_in_the_text_and_the_message_alike() -> None:
    words = Run("build", spec("build", 0), "error", {"any": ["Stateful"]})
    assert judge(words, result(error=error("a STATEFUL layer needs a batch size"))).ok
    in_text = {"class": "ValueError", "message": "bad", "text": "stateful", "phase": "build"}
    assert judge(words, result(error=in_text)).ok
    assert not judge(words, result(error=error("batch size"))).ok
    everything = Run("build", spec("build", 0), "error", {})
    judged = judge(everything, result(error=error("anything", phase="build")))
    assert (judged.ok, judged.verdict) == (True, "InvalidArgumentError: anything (build)")


@pytest.mark.parametrize(
    ("loss", "verdict"),
    [
        (0.25, "trains, loss 0.25"),
        (1234.5678, "trains, loss 1235"),
        (0.0, "trains"),
        (None, "trains"),
    ],
)
def test_the_loss_in_a_success_verdict(loss: float | None, verdict: str) -> None:
    judged = judge(SUCCESS, result(loss=loss))
    assert (judged.ok, judged.verdict) == (True, verdict)


def test_a_success_without_an_output_shape_to_compare_is_ok() -> None:
    fixed = Run("return_sequences=True", spec("fit", 16, expect_output=[5, 1]), "success")
    assert judge(fixed, result()).ok
    assert judge(fixed, result(output_shape=(5, 1))).ok  # a tuple reads like a list


def run_of(samples: int, state: int, batch_size: int | None = None) -> Run:
    extra = {"batch_size": batch_size} if batch_size is not None else {}
    return Run(
        "fit", spec("fit", samples, **extra), "silent-batches", {"samples": samples, "batch": state}
    )


@pytest.mark.parametrize(
    ("run", "batches", "verdict"),
    [
        (
            run_of(10, 8),
            2,
            "silent: ran 2 batches on 10 samples; the last held 2 samples for a state built for 8",
        ),
        (
            run_of(5, 8),
            1,
            "silent: ran 1 batches on 5 samples; the last held 5 samples for a state built for 8",
        ),
        (run_of(8, 8), 1, "ran 1 batches on 8 samples; every batch held 8, the state's batch size"),
        (run_of(10, 8), 3, "ran 3 batches on 10 samples, not the 2 that show the defect"),
        # the call's batch size splits the data: 12 samples in batches of 4 are 3 whole batches
        (
            run_of(12, 8, 4),
            3,
            "silent: ran 3 batches on 12 samples; the last held 4 samples for a state built for 8",
        ),
    ],
)
def test_silent_batches_at_the_edges(run: Run, batches: int, verdict: str) -> None:
    judged = judge(run, result(batches=batches))
    assert judged.verdict.removeprefix("silent: ") == verdict.removeprefix("silent: ")
    assert judged.ok is verdict.startswith("silent:")


def test_silent_batches_count_training_batches_unless_validating() -> None:
    assert judge(BATCHES, result(batches=2, validation_batches=5)).ok
    assert not judge(BATCHES, result(batches=5, validation_batches=2)).ok


@pytest.mark.parametrize(
    ("output", "targets", "loss", "ok"),
    [
        ([1], [], "mse", False),  # Keras adds the trailing 1
        ([3], [], "mse", True),
        ([3], [], "sparse_categorical_crossentropy", False),
        ([5, 3], [5], "sparse_categorical_crossentropy", False),
        ([5, 3], [], "sparse_categorical_crossentropy", True),  # two ranks short
        ([5, 1], [5, 1, 1], "mse", True),
        ([1], [1], "mse", False),
    ],
)
def test_which_targets_keras_adjusts(
    output: list[int], targets: list[int], loss: str, ok: bool
) -> None:
    run_spec = spec("fit", 16, y_shape=targets)
    run_spec["model"]["loss"] = loss
    run = Run("fit", run_spec, "silent", {"targets": targets})
    assert judge(run, result(output_shape=output, target_shape=targets)).ok is ok


def test_silent_targets_read_the_claimed_shape_when_the_run_does_not_say() -> None:
    judged = judge(TARGETS, result(output_shape=[1]))
    assert judged.ok
    assert (
        judged.verdict
        == "silent: trained without error, output (1,) per sample against targets (5, 1)"
    )
    unclaimed = Run("fit", spec("fit", 16), "silent", {})
    judged = judge(unclaimed, result(output_shape=[3], target_shape=[5, 1]))
    assert (
        judged.verdict
        == "silent: trained without error, output (3,) per sample against targets (5, 1)"
    )
    rank = Run("fit", spec("fit", 16), "silent", {"targets": [5, 1], "output_rank": 1})
    assert judge(rank, result(output_shape=[3], target_shape=[5, 1])).ok


def test_an_outcome_reports_its_seconds() -> None:
    assert Outcome(SUCCESS, {"seconds": 2.5}, True, "").seconds == 2.5
    assert Outcome(SUCCESS, {"seconds": None}, True, "").seconds == 0.0
    assert Outcome(SUCCESS, {}, True, "").seconds == 0.0


INCOMPATIBLE_TEXT = "Incompatible shapes: [5,1] vs. [8,1]"
WORDS = Run("build", spec("build", 0), "error", {"any": ["stateful"]})
TARGETS_RANK = Run("fit", spec("fit", 16), "silent", {"targets": [5, 1], "output_rank": 1})
UNKNOWN = Run("?", spec("fit", 8), "silent-sometimes")


@pytest.mark.parametrize(
    ("run", "answer", "ok", "verdict"),
    [
        (SUCCESS, {"timeout": True}, False, "timed out"),
        (SUCCESS, {"internal": "boom\n"}, False, "internal error: boom"),
        (
            SUCCESS,
            result(error=error(INCOMPATIBLE_TEXT)),
            False,
            f"failed: InvalidArgumentError: {INCOMPATIBLE_TEXT}",
        ),
        (
            Run("f", spec("fit", 8, expect_output=[5, 1]), "success"),
            result(output_shape=[1]),
            False,
            "output (1,) instead of (5, 1)",
        ),
        (SUCCESS, result(loss=0.5), True, "trains, loss 0.5"),
        (REMAINDER, result(), False, "no error"),
        (
            REMAINDER,
            result(error=error(INCOMPATIBLE_TEXT)),
            True,
            f"InvalidArgumentError: {INCOMPATIBLE_TEXT} (fit)",
        ),
        (
            WORDS,
            result(error=error("shapes")),
            False,
            "other error: InvalidArgumentError: shapes (fit)",
        ),
        # an error without its full text is judged on its message
        (
            WORDS,
            result(error={"class": "E", "message": "stateful!", "phase": "build"}),
            True,
            "E: stateful! (build)",
        ),
        (UNKNOWN, result(), False, "internal error: unknown expectation 'silent-sometimes'"),
        (
            BATCHES,
            result(error=error(INCOMPATIBLE_TEXT)),
            False,
            f"other error: InvalidArgumentError: {INCOMPATIBLE_TEXT} (fit)",
        ),
        (ROWS, result(), False, "predict returned nothing to count"),
        (ROWS, result(rows=9), False, "predict returned 9 rows for 9 samples, as it should"),
        (ROWS, result(rows=16), True, "silent: predict returned 16 rows for 9 samples"),
        (
            BATCHES,
            result(batches=1),
            False,
            "ran 1 batches on 9 samples, not the 2 that show the defect",
        ),
        (
            run_of(16, 8),
            result(batches=2),
            False,
            "ran 2 batches on 16 samples; every batch held 8, the state's batch size",
        ),
        (
            BATCHES,
            result(batches=2),
            True,
            "silent: ran 2 batches on 9 samples; the last held 1 sample for a state built for 8",
        ),
        # one batch of 3 samples for a state built for 3, though the call asked for 8
        (
            run_of(3, 3, 8),
            result(batches=1),
            False,
            "ran 1 batches on 3 samples; every batch held 3, the state's batch size",
        ),
        # batches of 8 and 5 for a state built for 5: the first one shows the defect
        (
            run_of(13, 5, 8),
            result(batches=2),
            True,
            "silent: ran 2 batches on 13 samples; the last held 5 samples for a state built for 5",
        ),
        (TARGETS_RANK, result(), False, "trained without error; no output shape to compare"),
        (
            TARGETS_RANK,
            result(output_shape=[1], target_shape=[1]),
            False,
            "trained on targets (1,), not the finding's (5, 1)",
        ),
        (
            TARGETS_RANK,
            result(output_shape=[5, 1], target_shape=[5, 1]),
            False,
            "trained correctly: output (5, 1) per sample against targets (5, 1)",
        ),
        (
            TARGETS_RANK,
            result(output_shape=[5, 1, 2], target_shape=[5, 1]),
            False,
            "output (5, 1, 2) per sample against targets (5, 1), but the finding expected an output of rank 1",
        ),
        (
            TARGETS_RANK,
            result(output_shape=[1], target_shape=[5, 1]),
            True,
            "silent: trained without error, output (1,) per sample against targets (5, 1)",
        ),
    ],
)
def test_every_verdict_carries_its_run_and_result(
    run: Run, answer: dict[str, object], ok: bool, verdict: str
) -> None:
    judged = judge(run, answer)
    assert judged.run is run
    assert judged.result is answer
    assert judged.ok is ok
    assert judged.verdict == verdict
