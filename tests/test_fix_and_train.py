"""`check --fix --verify` for real: fix, re-check, then train the fixed scripts on TensorFlow.

The seed is trained as written (512-unit LSTMs); the fixture of each fixable rule is
trained with --shrink to keep the run short. Nothing of the scripts is executed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, SEED
from tests.test_verify import run_cli

ONE_PER_RULE = {
    "SL001": "rules/sl001/remainder_of_one.py",
    "SL002": "rules/sl002/explicit_mismatch.py",
    "SL004": "rules/sl004/input_shape_on_later_layers.py",
    "SL006": "rules/sl006/missing_return_sequences.py",
    "SL007": "rules/sl007/shuffled_stateful_training.py",
    "SL008": "rules/sl008/keras2_arguments_on_keras3.py",
    "SL010": "rules/sl010/keras2_tutorial_on_keras3.py",
}


def test_seed_is_fixed_rechecks_clean_and_trains_on_keras3(tmp_path: Path) -> None:
    script = tmp_path / SEED.name
    shutil.copy(SEED, script)
    result = run_cli(
        "check", "--fix", "--unsafe-fixes", "--verify", "--format", "json", script.name,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = json.loads(result.stdout)
    assert [(f["code"], f["line"]) for f in out["fixed"]] == [
        ("SL008", 34),
        ("SL004", 35),
        ("SL001", 40),
    ]
    assert out["remaining"] == []
    assert out["recheck"] == {
        "files": [script.name],
        "fixed_codes": ["SL001", "SL004", "SL008"],
        "still_reported": [],
        "clean": True,
    }
    assert script.read_text() == (FIXTURES / "fixed" / "seed" / SEED.name).read_text()
    [row] = out["verify"]["trained"]
    assert (row["line"], row["method"], row["status"]) == (43, "fit", "trains")
    assert row["run"]["description"] == "fit on 60 samples in batches of 30"
    assert row["run"]["error"] is None and row["run"]["loss"] > 0


def test_one_fixture_per_fixable_rule_is_fixed_and_trains(tmp_path: Path) -> None:
    for relative in ONE_PER_RULE.values():
        shutil.copy(FIXTURES / relative, tmp_path / Path(relative).name)
    select = "SL001,SL002,SL003,SL004,SL005,SL006,SL007,SL008,SL010"
    result = run_cli(
        "check", "--fix", "--unsafe-fixes", "--verify", "--shrink", "--select", select,
        "--format", "json", ".", cwd=tmp_path,
    )  # fmt: skip
    out = json.loads(result.stdout)
    # evaluate_generator(workers=4, ...) has no automatic fix: Keras 3's evaluate has no workers.
    assert [(Path(f["path"]).name, f["line"], f["code"]) for f in out["remaining"]] == [
        ("keras2_tutorial_on_keras3.py", 35, "SL010")
    ]
    assert result.returncode == 1, result.stderr
    assert out["recheck"]["clean"] is True
    assert {f["code"] for f in out["fixed"]} == set(ONE_PER_RULE)
    for code, relative in ONE_PER_RULE.items():
        expected = (FIXTURES / "fixed" / relative).read_text()
        assert (tmp_path / Path(relative).name).read_text() == expected, code
    statuses = {
        (Path(r["path"]).name, r["line"], r["method"]): r["status"]
        for r in out["verify"]["trained"]
    }
    assert statuses == {
        ("explicit_mismatch.py", 14, "fit"): "trains",
        ("explicit_mismatch.py", 15, "evaluate"): "trains",
        ("input_shape_on_later_layers.py", 7, "build"): "builds",
        ("input_shape_on_later_layers.py", 14, "build"): "builds",
        ("input_shape_on_later_layers.py", 20, "build"): "builds",
        ("keras2_arguments_on_keras3.py", 5, "build"): "builds",
        ("keras2_arguments_on_keras3.py", 10, "build"): "builds",
        ("keras2_arguments_on_keras3.py", 15, "build"): "builds",
        ("keras2_arguments_on_keras3.py", 16, "build"): "builds",
        ("keras2_tutorial_on_keras3.py", 21, "fit"): "trains",
        ("keras2_tutorial_on_keras3.py", 33, "fit"): "skipped",
        ("missing_return_sequences.py", 27, "fit"): "trains",
        ("missing_return_sequences.py", 6, "build"): "builds",
        ("missing_return_sequences.py", 12, "build"): "builds",
        ("missing_return_sequences.py", 17, "build"): "builds",
        ("remainder_of_one.py", 13, "fit"): "trains",
        ("remainder_of_one.py", 14, "predict"): "trains",
        ("shuffled_stateful_training.py", 14, "fit"): "trains",
        ("shuffled_stateful_training.py", 22, "fit"): "trains",
    }
