"""SL009 unguarded-remainder: a stateful model trained on data of unknown size, unguarded."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import Data, Facts
from shapelint.findings import Fix
from shapelint.rules.base import Diagnostic, Rule
from shapelint.rules.stateful import array_calls, batch_origin, batch_phrase, layer_phrase
from shapelint.subjects import UnguardedRemainder


def check(facts: Facts) -> Iterator[Diagnostic]:
    for call, model, b in array_calls(facts):
        x = call.x
        if call.method != "fit" or x is None or b == 1 or call.limited_steps is not False:
            continue
        if _guarded(x, b):
            continue
        where = f" ({x.anchor.where})" if x.anchor is not None else ""
        layer = layer_phrase(model.stateful_layers[0])
        message = (
            f"fit: the number of samples in {x.label}{where} cannot be known before the script "
            f"runs, and nothing makes it a multiple of the model's {batch_phrase(model)}: unless "
            f"it happens to be one, the last batch is partial and {layer} fails with "
            f'"Incompatible shapes: [r,...] vs. [{b},...]".'
        )
        fix = Fix(_advice(x, b), (("batch_size", b),))
        provenance = (("batch_size", batch_origin(model)),)
        yield Diagnostic(call.anchor, message, fix, provenance, subject=UnguardedRemainder(call, b))


RULE = Rule(
    code="SL009",
    name="unguarded-remainder",
    severity="warning",
    summary="A stateful model trains on data of unknown size with no guard for whole batches.",
    what=(
        "Off by default; enable it with `--select SL009`. Finds fit calls on a model with a "
        "stateful recurrent layer and a fixed batch size where the number of training samples "
        "cannot be known statically (loaded at run time, computed by code shapelint cannot "
        "follow) and no guard makes the batches whole. A guard is slicing to "
        "`len(x) // b * b`, a tf.data `.batch(b, drop_remainder=True)`, a batch size of 1, or "
        "`steps_per_epoch`. When the size is known, SL001 judges it instead."
    ),
    why=(
        "Whether training crashes then depends on the data: with N % b != 0 the last batch is "
        "partial and TensorFlow stops with `Incompatible shapes: [r,...] vs. [b,...]` after the "
        "first epoch, or, with a remainder of 1, silently trains with a broadcast state. A "
        "new data file with one more row is enough to break a script that used to work."
    ),
    example="""
import keras
import numpy as np
import sys

x = np.load(sys.argv[1])
inputs = keras.Input(batch_shape=(32, 50, 4))
model = keras.Model(inputs, keras.layers.GRU(16, stateful=True)(inputs))
model.compile(loss="mse", optimizer="adam")
model.fit(x, x[:, -1, :1], batch_size=32, shuffle=False)
""",
    fix="Trim the data to whole batches before training, or drop the remainder in tf.data.",
    fix_example="""
import keras
import numpy as np
import sys

x = np.load(sys.argv[1])
x = x[: len(x) // 32 * 32]
inputs = keras.Input(batch_shape=(32, 50, 4))
model = keras.Model(inputs, keras.layers.GRU(16, stateful=True)(inputs))
model.compile(loss="mse", optimizer="adam")
model.fit(x, x[:, -1, :1], batch_size=32, shuffle=False)
""",
    check=check,
    invalid=(
        """
import keras
from data import load
x, y = load()
inputs = keras.Input(batch_shape=(8, 10, 2))
model = keras.Model(inputs, keras.layers.LSTM(4, stateful=True)(inputs))
model.fit(x, y, batch_size=8)
""",
    ),
    valid=(
        """
import keras
import tensorflow as tf
from data import load
x, y = load()
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8, drop_remainder=True)
inputs = keras.Input(batch_shape=(8, 10, 2))
model = keras.Model(inputs, keras.layers.LSTM(4, stateful=True)(inputs))
model.fit(ds)
""",
        """
import keras
from data import load
x, y = load()
inputs = keras.Input(batch_shape=(1, 10, 2))
model = keras.Model(inputs, keras.layers.LSTM(4, stateful=True)(inputs))
model.fit(x, y, batch_size=1)
""",
    ),
    default=False,
)


def _guarded(data: Data, b: int) -> bool:
    """Whole batches are certain, or the size is known (SL001 judges known sizes)."""
    if data.samples is not None and data.samples.int_value is not None:
        return True
    if data.multiple_of is not None and data.multiple_of % b == 0:
        return True
    return data.kind == "dataset" and data.drop_remainder


def _advice(data: Data, b: int) -> str:
    """How to keep whole batches, for the kind of data the call gets."""
    declare = "or declare the size with `# shapelint: samples=N` so shapelint can check it."
    if data.kind == "dataset":
        return f"Batch {data.label} with .batch({b}, drop_remainder=True), {declare}"
    if data.label.isidentifier():
        name = data.label
        return (
            f"Keep whole batches: {name} = {name}[: len({name}) // {b} * {b}] (and the same "
            f"for the targets), batch a tf.data pipeline with .batch({b}, "
            f"drop_remainder=True), {declare}"
        )
    return (
        f"Keep whole batches: slice the data to len(data) // {b} * {b} samples (and the "
        f"targets alike), batch a tf.data pipeline with .batch({b}, drop_remainder=True), "
        + declare
    )
