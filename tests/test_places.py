"""One finding per place when a function is followed from several calls
(fixtures/models/ has the realistic scripts; these pin the rules they follow)."""

from __future__ import annotations

import dataclasses

from shapelint import check_source
from shapelint.lint import facts_for
from shapelint.rules import RULES
from tests.conftest import FIXTURES

_STATEFUL = """
import numpy as np
import keras
model = keras.Sequential([
    keras.Input(batch_shape=(30, 30, 7)),
    keras.layers.LSTM(8, stateful=True),
    keras.layers.Dense(1),
])
model.compile(loss="mse", optimizer="adam")
"""


def test_every_rule_merges_the_findings_of_one_place() -> None:
    assert all(getattr(rule.check, "__wrapped__", None) is not None for rule in RULES)


def test_different_findings_from_one_call_stay_apart() -> None:
    # A loop walked once per value gives two findings at one line from one call: both stay.
    source = _STATEFUL + (
        "def train(m):\n"
        "    for n in [1000, 1735]:\n"
        "        x = np.random.rand(n, 30, 7)\n"
        "        m.fit(x, x[:, -1, :1], batch_size=30, shuffle=False)\n"
        "train(model)\n"
    )
    remainders = sorted(dict(f.numbers)["remainder"] for f in check_source(source))
    assert remainders == [10, 25]


def test_a_merged_finding_offers_no_edit_that_suits_only_one_call() -> None:
    path = FIXTURES / "models" / "train_function_called_twice.py"
    (finding,) = check_source(path.read_text(), str(path))
    assert "line 25" in finding.message and "line 26" in finding.message
    assert dict(finding.numbers)["samples"] == 1735
    assert finding.fix is not None and not finding.fix.edits


def test_a_rule_wraps_its_check_to_merge_places_once() -> None:
    """Every Rule, also one made later (dataclasses.replace), merges its findings by place,
    and a check that already merges is not wrapped again."""
    rule = next(r for r in RULES if r.code == "SL008")
    raw = rule.check.__wrapped__  # type: ignore[attr-defined]
    fresh = dataclasses.replace(rule, check=raw)
    assert getattr(fresh.check, "merges_places", False)
    assert fresh.check.__wrapped__ is raw  # type: ignore[attr-defined]
    assert dataclasses.replace(fresh).check is fresh.check
    source = (FIXTURES / "models" / "builder_called_twice.py").read_text()
    facts = facts_for(source, "builder_called_twice.py")
    assert len(list(fresh.check(facts))) == 1
    assert len(list(raw(facts))) == 2
