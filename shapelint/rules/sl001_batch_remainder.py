"""SL001 batch-remainder: a stateful model is fed a sample count its batch size does not divide."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

from shapelint.facts import Anchor, Data, Facts, Model, Num, TrainCall
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, SetConstant, SetKeyword, TrimArrays
from shapelint.model_shapes import output_shape
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.rules.stateful import (
    array_calls,
    batch_origin,
    batch_phrase,
    data_phrase,
    divisors_near,
    fixed_batch,
    layer_phrase,
    samples_origin,
)
from shapelint.subjects import BatchRemainder, Role


def check(facts: Facts) -> Iterator[Diagnostic]:
    for call, model, b in array_calls(facts):
        parts = list(_parts(call, b))
        sizes = [int(s.value) for _, _, _, s in parts if s.int_value and s.int_value > 0]
        for role, label, data, samples in parts:
            n = samples.int_value
            if n is None or n <= 0 or n % b == 0:
                continue
            others = [m for m in sizes if m != n]
            yield Diagnostic(
                call.anchor,
                _message(call, model, role, label, data, samples, b),
                _with_loop_note(_fix(call, role, data, samples, b, others), facts, call, b),
                (("samples", samples_origin(data, samples)), ("batch_size", batch_origin(model))),
                subject=BatchRemainder(call, role, data, n, b),
                plans=_plans(facts, call, data, b),
            )


RULE = Rule(
    code="SL001",
    name="batch-remainder",
    severity="error",
    summary="A stateful model is fed a number of samples its fixed batch size does not divide.",
    what=(
        "Finds fit, evaluate and predict calls on a model with a stateful recurrent layer "
        "(LSTM, GRU, SimpleRNN, ConvLSTM, RNN or a Bidirectional wrapper around one) where the "
        "number of samples N is known and N % batch_size != 0. It checks the training data, the "
        "validation data and both parts of validation_split. The message gives N, the batch "
        "size, the size of the partial last batch and where each number came from."
    ),
    why=(
        "A stateful layer keeps one state row per sample of its fixed batch, so every batch must "
        "be exactly that size. Keras cuts the data into batches and the last one is partial: "
        "with 1735 samples in batches of 30 it holds 25 samples, and TensorFlow stops with "
        "`InvalidArgumentError: Incompatible shapes: [25,30,1] vs. [30,30,1]` after the 57 full "
        "batches (in eager mode: `If an RNN is stateful, the batch size of the input sequences "
        "must be the same as the batch size of the initial state`). A remainder of exactly 1 "
        "does not fail at all: TensorFlow 2.21 broadcasts the state over the single sample, and "
        "predict on 1001 samples in batches of 8 returns 1008 rows. A model that is not "
        "stateful trains fine on a partial batch, so it is not reported."
    ),
    example="""
import keras
import numpy as np

x = np.random.rand(1735, 30, 7)
y = np.random.rand(1735, 30, 1)
inputs = keras.Input(batch_shape=(30, 30, 7))
hidden = keras.layers.LSTM(64, return_sequences=True, stateful=True)(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
model.compile(loss="mse", optimizer="adam")
model.fit(x, y, batch_size=30, shuffle=False)  # 1735 % 30 = 25
""",
    fix=(
        "Trim the data to a multiple of the batch size, or choose a batch size that divides "
        "the number of samples and use it both in the model's input and in the call."
    ),
    fix_example="""
import keras
import numpy as np

x = np.random.rand(1735, 30, 7)[:1710]  # 57 * 30
y = np.random.rand(1735, 30, 1)[:1710]
inputs = keras.Input(batch_shape=(30, 30, 7))
hidden = keras.layers.LSTM(64, return_sequences=True, stateful=True)(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
model.compile(loss="mse", optimizer="adam")
model.fit(x, y, batch_size=30, shuffle=False)
""",
    check=check,
    autofix_kind="unsafe",
    autofix=(
        "`--fix --unsafe-fixes` trims every array the call is fed to whole batches, right "
        "after its last assignment: `x = x[: len(x) // b * b]` (targets and validation data "
        "too). With `--fix-strategy divisor` it instead sets the one batch-size constant that"
        " both the model and the calls use to the divisor of the sample count nearest to it. "
        "A tf.data pipeline gets `drop_remainder=True` on its `.batch(...)`. Unsafe: the data"
        " or the batch size changes."
    ),
    invalid=(
        Invalid(
            """
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import GRU, Dense
import numpy as np
x = np.zeros((100, 10, 3))
model = Sequential([GRU(8, batch_input_shape=(16, 10, 3), stateful=True), Dense(1)])
model.predict(x, batch_size=16)
""",
            fixed="""
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import GRU, Dense
import numpy as np
x = np.zeros((100, 10, 3))
x = x[: len(x) // 16 * 16]
model = Sequential([GRU(8, batch_input_shape=(16, 10, 3), stateful=True), Dense(1)])
model.predict(x, batch_size=16)
""",
        ),
        """
import tensorflow as tf
import numpy as np
x = np.ones((64, 5, 2))
xv = np.ones((10, 5, 2))
inp = tf.keras.Input(shape=(5, 2), batch_size=8)
out = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(4, stateful=True))(inp)
model = tf.keras.Model(inp, out)
model.fit(x, x[:, 0, :], batch_size=8, validation_data=(xv, xv[:, 0, :]))
""",
    ),
    valid=(
        """
import keras
import numpy as np
x = np.zeros((1735, 30, 7))
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(8)(inputs))
model.fit(x, x[:, 0, :1], batch_size=30)
""",
        """
import keras
import numpy as np
x = np.zeros((1710, 30, 7))
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(8, stateful=True)(inputs))
model.fit(x, x[:, 0, :1], batch_size=30)
""",
        """
import keras
def load():
    ...
x = load()
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(8, stateful=True)(inputs))
model.fit(x, x, batch_size=30)
""",
    ),
)


def _batched_like(data: Data | None, b: int) -> bool:
    """Data that Keras cuts into batches of b: arrays, or a dataset batched by b itself."""
    if data is None or data.samples is None or data.samples.int_value is None:
        return False
    if data.kind == "array":
        return True
    return data.kind == "dataset" and data.batch_size is not None and data.batch_size.value == b


def _parts(call: TrainCall, b: int) -> Iterator[tuple[Role, str, Data, Num]]:
    """(role, label, data, samples) for each part of a call that Keras cuts into batches."""
    x = call.x
    if call.limited_steps is False and x is not None and _batched_like(x, b):
        assert x.samples is not None
        n = x.samples.int_value
        split = call.validation_split
        label = f"dataset {x.label}" if x.kind == "dataset" else x.label
        if call.method != "fit" or split is None or (isinstance(split, Num) and split.value == 0):
            role: Role = "training" if call.method == "fit" else call.method
            yield role, label, x, x.samples
        elif isinstance(split, Num) and 0 < split.value < 1 and n and x.kind == "array":
            # Keras (3 and tf_keras) trains on the first floor(n * (1 - split)) samples.
            train = int(math.floor(n * (1.0 - split.value)))
            note = f"validation_split={split.value}"
            how = f"floor({n} * (1 - {split.value})), {note}"
            yield "training", f"the training part of {x.label}", x, Num(train, how)
            how = f"{n} - {train}, {note}"
            yield "validation", f"the validation part of {x.label}", x, Num(n - train, how)
    v = call.validation
    if call.method == "fit" and v is not None and _batched_like(v, b):
        assert v.samples is not None
        kind = "validation dataset" if v.kind == "dataset" else "validation data"
        yield "validation", f"{kind} {v.label}", v, v.samples


def _shapes_text(call: TrainCall, model: Model, rest: int, batch: int) -> str:
    """The shape pair Keras prints, as far as it can be known."""
    dims: tuple[int | None, ...] | None
    if call.method == "fit":
        dims = output_shape(model)
    else:
        dims = (model.stateful_layers[0].units,)
    if dims is not None and all(d is not None for d in dims):
        tail = "".join(f",{d}" for d in dims)
        return f"Incompatible shapes: [{rest}{tail}] vs. [{batch}{tail}]"
    return f"Incompatible shapes: [{rest},...] vs. [{batch},...]"


def _message(
    call: TrainCall, model: Model, role: str, label: str, data: Data, samples: Num, b: int
) -> str:
    n = int(samples.value)
    r = n % b
    layer = layer_phrase(model.stateful_layers[0])
    head = (
        f"{call.method}: {data_phrase(label, data, samples)}, not a multiple of the model's "
        f"{batch_phrase(model)}"
    )
    last = "last validation batch" if role == "validation" else "last batch"
    if n < b:
        last = "only validation batch" if role == "validation" else "only batch"
    if r == 1:
        if call.method == "predict":
            effect = (
                f"predict returns {math.ceil(n / b) * b} rows for {n} samples, padding the "
                "output to whole batches"
            )
        else:
            effect = "the results are computed with the wrong state"
        return (
            f"{head}: the {last} has 1 sample. Keras does not fail here: it broadcasts the state "
            f"of {layer} over that one sample, so {effect}. The failure is silent."
        )
    phase = {"validation": "during validation", "fit": "at the end of the first epoch"}.get(
        role if role == "validation" else call.method, f"in {call.method}"
    )
    call_batch = call.batch_size.int_value if call.batch_size is not None else None
    if role != "validation" and data.kind == "array" and call_batch not in (None, b):
        return (
            f"{head}: even with batch_size={b} the {last} would have {r} samples, and "
            f'{layer} would fail {phase} with "{_shapes_text(call, model, r, b)}".'
        )
    return (
        f"{head}: the {last} has {r} samples and {layer} fails {phase} with "
        f'"{_shapes_text(call, model, r, b)}".'
    )


def _fix(call: TrainCall, role: str, data: Data, samples: Num, b: int, others: list[int]) -> Fix:
    n = int(samples.value)
    r = n % b
    common = math.gcd(n, *others)
    divisors = divisors_near(common, b)
    options = []
    params: list[tuple[str, object]] = [("samples", n), ("batch_size", b), ("remainder", r)]
    if data.kind == "dataset":
        params.append(("drop_remainder", True))
        return Fix(
            f"Batch {data.label} with .batch({b}, drop_remainder=True), which drops the last "
            f"{r} samples, or trim the data to {n - r} samples before batching.",
            tuple(params),
        )
    noun = "train on" if role == "training" else f"use for {role}"
    if role == "validation":
        noun = "validate on"
    elif call.method in ("evaluate", "predict"):
        noun = f"{call.method} on"
    if n > r:
        options.append(f"{noun} {n - r} samples (drop the last {r})")
        params.append(("trim_to", n - r))
    if divisors:
        listed = " or ".join(str(d) for d in divisors)
        sizes = " and ".join(str(v) for v in sorted({n, *others}, reverse=True))
        both = "both " if len({n, *others}) == 2 else "all of " if len({n, *others}) > 2 else ""
        options.append(
            f"build the model for a batch size that divides {both}{sizes} ({listed}) and pass "
            f"the same batch_size to {call.method}"
        )
        params.append(("batch_sizes", tuple(divisors)))
    description = "; or ".join(options) if options else f"use {b} * k samples"
    return Fix(description[0].upper() + description[1:] + ".", tuple(params))


def _with_loop_note(fix: Fix, facts: Facts, call: TrainCall, b: int) -> Fix:
    """Say so when --fix trims to a multiple of several batch sizes, not just this one."""
    m = _whole_for_every_pass(facts, call, b)
    if m == b:
        return fix
    return replace(
        fix,
        description=f"{fix.description} (--fix trims to a multiple of {m}, which suits every "
        "batch size this call runs with.)",
    )


def _plans(facts: Facts, call: TrainCall, data: Data, b: int) -> tuple[FixPlan, ...]:
    if data.kind == "dataset":
        if data.batch_anchor is None or data.drop_remainder:
            return ()
        return (
            SetKeyword(
                applicability="unsafe",
                call=data.batch_anchor,
                name="drop_remainder",
                value="True",
            ),
        )
    plans: list[FixPlan] = []
    trim = _trim(call, _whole_for_every_pass(facts, call, b))
    if trim is not None:
        plans.append(trim)
    divisor = _divisor(facts, call, b)
    if divisor is not None:
        plans.append(divisor)
    return tuple(plans)


def _whole_for_every_pass(facts: Facts, call: TrainCall, b: int) -> int:
    """The multiple to trim to. A call in a loop over batch sizes (``for batch_size in
    [20, 25, 30]``) is judged once per value; trimming to a multiple of only one of them
    would break the others, so trim to their least common multiple."""
    here = call.anchor.span
    sizes = {b}
    for other in facts.calls:
        if other is not call and other.anchor.span == here:
            size = fixed_batch(other.model)
            if size is not None:
                sizes.add(size)
    return math.lcm(*sizes)


def _needs_trim(data: Data | None, b: int) -> bool:
    if data is None:
        return False
    n = data.samples.int_value if data.samples is not None else None
    if n is not None:
        return n % b != 0
    return data.multiple_of is None or data.multiple_of % b != 0


def _trim(call: TrainCall, b: int) -> FixPlan | None:
    """Cut every array the call is fed to whole batches, targets with their inputs."""
    if call.validation_split is not None and not (
        isinstance(call.validation_split, Num) and call.validation_split.value == 0
    ):
        return None  # trimming x does not make both parts of the split whole
    arrays: list[tuple[str, Anchor]] = []
    for inputs, targets in ((call.x, call.y), (call.validation, call.validation_y)):
        if not _needs_trim(inputs, b):
            continue
        for data in (inputs, targets):
            if data is None:
                continue
            if data.kind != "array" or data.anchor is None or not data.label.isidentifier():
                return None
            arrays.append((data.label, data.anchor))
    if not arrays:
        return None
    if any(d.samples is not None and (d.samples.int_value or 0) < b for d in _fed(call)):
        return None  # fewer samples than one whole batch of every size: nothing to keep
    size = call.model.batch.size
    return TrimArrays(
        applicability="unsafe",
        strategy="trim",
        call=call.anchor,
        arrays=tuple(arrays),
        batch=b,
        batch_name=call.batch_name if b == fixed_batch(call.model) else "",
        batch_binding=size.anchor if size is not None else None,
    )


def _fed(call: TrainCall) -> list[Data]:
    parts = (call.x, call.y, call.validation, call.validation_y)
    return [d for d in parts if d is not None]


def _divisor(facts: Facts, call: TrainCall, b: int) -> FixPlan | None:
    """Change the one constant that sets both the model's and the calls' batch size."""
    size = call.model.batch.size
    if size is None or not call.batch_name or call.batch_size is None:
        return None
    if call.batch_size.anchor is not size.anchor or size.anchor is None:
        return None
    counts: list[int] = []
    for other in facts.calls:
        other_size = other.model.batch.size
        uses_model = other_size is not None and other_size.anchor is size.anchor
        uses_call = other.batch_size is not None and other.batch_size.anchor is size.anchor
        if not (uses_model or uses_call):
            continue
        if not (uses_model and uses_call):
            return None  # the model and this call would no longer agree
        parts = list(_parts(other, b))
        if not parts or any(s.int_value is None for _, _, _, s in parts):
            return None
        if any(d.kind != "array" for _, _, d, _ in parts):
            return None
        counts.extend(int(s.value) for _, _, _, s in parts)
    common = math.gcd(*counts) if counts else 0
    choices = [d for d in divisors_near(common, b) if d > 1] if common else []
    if not choices:
        return None
    new = min(choices, key=lambda d: (abs(d - b), d))
    return SetConstant(
        applicability="unsafe",
        strategy="divisor",
        binding=size.anchor,
        name=call.batch_name,
        old=b,
        new=new,
    )
