"""Train what a (fixed) script trains: each fit/evaluate/predict call, rebuilt from facts.

``verify`` reproduces findings. After ``--fix`` there are none left to reproduce, so
this is the other half of the proof: every call whose model and data shapes are known
is run once, on seeded synthetic data of the extracted shapes, and must succeed.
Nothing of the script is executed or imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapelint.facts import Data, Facts, Model, TrainCall
from shapelint.verify.plan import CannotBuild, Run, model_spec
from shapelint.verify.runner import Outcome, Worker, judge


@dataclass
class TrainingRow:
    path: str
    line: int
    method: str
    model: str
    status: str  # trains, builds, FAILED, skipped, timed out
    reason: str = ""
    outcome: Outcome | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("trains", "builds", "skipped")


def _count(data: Data | None, b: int, full: bool) -> int | None:
    """How many samples to train on: the real count with --full, else at most two batches
    plus the real remainder, so the end of the data looks as it will at run time."""
    if data is None:
        return None
    n = data.samples.int_value if data.samples is not None else None
    if n is None:
        if data.multiple_of is not None and data.multiple_of % b == 0:
            return 2 * b
        return None
    if full or n <= 2 * b:
        return n
    return 2 * b + n % b


def plan_training(call: TrainCall, facts: Facts, *, full: bool, shrink: bool) -> Run:
    model = call.model
    fixed = model.batch.size.int_value if model.batch.size is not None else None
    given = call.batch_size.int_value if call.batch_size is not None else None
    x = call.x
    if x is None or x.kind not in ("array", "dataset"):
        raise CannotBuild("the data is not an array or a dataset shapelint can follow")
    if x.kind == "dataset":
        given = x.batch_size.int_value if x.batch_size is not None else None
    b = given or fixed
    if b is None:
        raise CannotBuild("the batch size is not known")
    samples = _count(x, b, full)
    if samples is None:
        raise CannotBuild(f"the number of samples in {x.label} is not known")
    spec = model_spec(model, facts, shrink=shrink, batch=fixed)
    run: dict[str, object] = {
        "model": spec,
        "action": call.method,
        "samples": samples,
        "batch_size": b,
        "dataset": x.kind == "dataset",
        "drop_remainder": x.drop_remainder,
    }
    for key, data in (("x_shape", x), ("y_shape", call.y)):
        shape = data.sample_shape if data is not None else None
        if shape is not None and all(isinstance(d, int) for d in shape):
            run[key] = list(shape)
    what = f"{call.method} on {samples} samples in batches of {b}"
    if call.method == "fit" and call.validation is not None:
        validation = _count(call.validation, b, full)
        if validation is None:
            raise CannotBuild("the number of validation samples is not known")
        run["validation_samples"] = validation
        what += f", validating on {validation}"
    return Run(what, run, "success")


def train_facts(
    facts: Facts, worker: Worker, *, full: bool, shrink: bool, timeout: float, keras: int | None
) -> list[TrainingRow]:
    rows: list[TrainingRow] = []
    seen: set[tuple[int, str]] = set()
    for call in facts.calls:
        key = (call.anchor.line, call.method)
        if key in seen:
            continue
        seen.add(key)
        row = TrainingRow(facts.path, call.anchor.line, call.method, call.model.name, "skipped")
        try:
            run = plan_training(call, facts, full=full, shrink=shrink)
        except CannotBuild as reason:
            row.reason = str(reason)
            rows.append(row)
            continue
        if keras is not None:
            run.spec["model"]["keras"] = keras
        outcome = judge(run, worker.run(run.spec, timeout))
        row.outcome = outcome
        if outcome.result.get("timeout"):
            row.status = "timed out"
        else:
            row.status = "trains" if outcome.ok else "FAILED"
        row.reason = outcome.verdict
        rows.append(row)
    trained = {call.model.key for call in facts.calls}
    for model in facts.models:
        if model.key in trained:
            continue
        trained.add(model.key)
        rows.append(_build(facts, model, worker, shrink=shrink, timeout=timeout, keras=keras))
    return rows


def _build(
    facts: Facts, model: Model, worker: Worker, *, shrink: bool, timeout: float, keras: int | None
) -> TrainingRow:
    """A model no call trains is still built, to show that its construction works."""
    row = TrainingRow(facts.path, model.anchor.line, "build", model.name, "skipped")
    fixed = model.batch.size.int_value if model.batch.size is not None else None
    try:
        spec = model_spec(model, facts, shrink=shrink, batch=fixed)
    except CannotBuild as reason:
        row.reason = str(reason)
        return row
    if keras is not None:
        spec["keras"] = keras
    run = Run(
        f"build model '{model.name}'", {"model": spec, "action": "build", "samples": 0}, "success"
    )
    outcome = judge(run, worker.run(run.spec, timeout))
    row.outcome = outcome
    row.status = (
        "timed out" if outcome.result.get("timeout") else ("trains" if outcome.ok else "FAILED")
    )
    if row.status == "trains":
        row.status = "builds"
    row.reason = "builds" if outcome.ok else outcome.verdict
    return row
