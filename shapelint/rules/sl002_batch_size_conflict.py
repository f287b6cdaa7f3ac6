"""SL002 batch-size-conflict: a call's batch size differs from the stateful model's fixed one."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import Facts
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, SetKeyword
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.rules.stateful import (
    array_calls,
    batch_origin,
    batch_phrase,
    layer_phrase,
    num_origin,
)
from shapelint.subjects import BatchConflict


def check(facts: Facts) -> Iterator[Diagnostic]:
    for call, model, b in array_calls(facts):
        x = call.x
        if x is None or call.limited_steps is not False:
            continue
        if x.kind == "array":
            batch = call.batch_size
        elif x.kind == "dataset":
            batch = x.batch_size  # a dataset batches itself; Keras ignores batch_size
        else:
            continue
        if batch is None:
            continue
        c = batch.int_value
        if c is None or c <= 0 or c == b:
            continue
        n: int | None = x.samples.int_value if x.samples is not None else None
        if n is not None:
            first = min(c, n)
            if first == b:
                continue  # one batch of exactly b samples: it works.
        elif c > b:
            continue  # with fewer than c samples the first batch could still be b.
        else:
            first = c
        if x.kind == "dataset":
            given = f"dataset {x.label}, batched by {c}"
        elif call.batch_size_explicit:
            given = f"batch_size={c}"
        else:
            given = f"Keras's default batch size {c} (batch_size is not given)"
        layer = layer_phrase(model.stateful_layers[0])
        if first == 1:
            effect = (
                "Keras does not fail on a batch of 1: it broadcasts the state over it, so the "
                "results are silently wrong"
            )
        else:
            effect = (
                f'Keras fails at the first batch with "Incompatible shapes: [{first},...] vs. '
                f'[{b},...]" (in eager mode: "the batch size of the input sequences must be the '
                f'same as the batch size of the initial state")'
            )
        message = (
            f"{call.method} uses {given}, but {layer} is built for {batch_phrase(model)}: {effect}."
        )
        if x.kind == "dataset":
            change = f"Batch {x.label} with .batch({b})"
        else:
            change = f"Pass batch_size={b} to {call.method}"
        fix = Fix(
            f"{change}, or build the model for batch size {c}.",
            (("batch_size", b), ("call_batch_size", c)),
        )
        if x.kind == "dataset":
            call_origin = f"{c} = .batch({c}) on {x.label}"
        elif call.batch_size_explicit:
            call_origin = f"{c} = batch_size={c}" + (
                f" ({num_origin(batch)})" if num_origin(batch) else ""
            )
        else:
            call_origin = f"{c} = Keras's default"
        provenance = (("call_batch_size", call_origin), ("batch_size", batch_origin(model)))
        subject = BatchConflict(call, x, c, b, n)
        plans: tuple[FixPlan, ...] = ()
        if x.kind == "array":
            plans = (
                SetKeyword(
                    applicability="safe",
                    call=call.anchor,
                    name="batch_size",
                    value=call.batch_name or str(b),
                    position=1 if call.method == "predict" else 2,
                ),
            )
        yield Diagnostic(call.anchor, message, fix, provenance, subject=subject, plans=plans)


RULE = Rule(
    code="SL002",
    name="batch-size-conflict",
    severity="error",
    summary="A fit/evaluate/predict call uses another batch size than the stateful model's.",
    what=(
        "Finds fit, evaluate and predict calls on array data whose batch size, given or Keras's "
        "default of 32, differs from the fixed batch size of a model with a stateful recurrent "
        "layer."
    ),
    why=(
        "A stateful layer's state has one row per sample of the fixed batch. A batch of any "
        "other size does not fit it: with a model built for 30 and fit() left at its default "
        "batch size, TensorFlow 2.21 stops at the first batch with `Incompatible shapes: "
        "[32,32] vs. [30,32]` (eagerly: `If an RNN is stateful, the batch size of the input "
        "sequences must be the same as the batch size of the initial state. Expected batch "
        "size: 30 - Received batch size: 32`). A batch of one sample does not fail: its state "
        "is broadcast, and the results are wrong."
    ),
    example="""
import keras
import numpy as np

x = np.random.rand(1710, 30, 7)
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(32, stateful=True)(inputs))
model.compile(loss="mse", optimizer="adam")
model.fit(x, x[:, -1, :1], shuffle=False)  # batch_size defaults to 32
""",
    fix="Pass the model's fixed batch size to every fit, evaluate and predict call.",
    fix_example="""
import keras
import numpy as np

x = np.random.rand(1710, 30, 7)
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(32, stateful=True)(inputs))
model.compile(loss="mse", optimizer="adam")
model.fit(x, x[:, -1, :1], batch_size=30, shuffle=False)
""",
    check=check,
    autofix_kind="safe",
    autofix=(
        "`--fix` passes the model's batch size to the call, naming the model's constant where"
        " the call can see it."
    ),
    invalid=(
        Invalid(
            """
from keras.models import Sequential
from keras.layers import SimpleRNN
import numpy as np
x = np.zeros((120, 4, 2))
model = Sequential()
model.add(SimpleRNN(3, batch_input_shape=(10, 4, 2), stateful=True))
model.evaluate(x, x[:, 0, :], batch_size=12)
""",
            fixed="""
from keras.models import Sequential
from keras.layers import SimpleRNN
import numpy as np
x = np.zeros((120, 4, 2))
model = Sequential()
model.add(SimpleRNN(3, batch_input_shape=(10, 4, 2), stateful=True))
model.evaluate(x, x[:, 0, :], batch_size=10)
""",
        ),
    ),
    valid=(
        """
import keras
import numpy as np
x = np.zeros((30, 4, 2))
inputs = keras.Input(batch_shape=(30, 4, 2))
model = keras.Model(inputs, keras.layers.LSTM(3, stateful=True)(inputs))
model.predict(x)
""",
        """
import keras
import numpy as np
x = np.zeros((64, 4, 2))
inputs = keras.Input(batch_shape=(30, 4, 2))
model = keras.Model(inputs, keras.layers.LSTM(3)(inputs))
model.predict(x)
""",
    ),
)
