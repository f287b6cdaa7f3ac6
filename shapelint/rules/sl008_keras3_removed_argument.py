"""SL008 keras3-removed-argument: batch_input_shape= or batch_size= on a layer, on Keras 3."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import Facts, Layer
from shapelint.findings import Fix
from shapelint.rules.base import Diagnostic, Rule
from shapelint.rules.sl004_ignored_input_shape import show

_REMOVED = ("batch_input_shape", "batch_size")


def _batch_shape(layer: Layer) -> str:
    value = layer.arg("batch_input_shape")
    if isinstance(value, tuple):
        return show(value)
    size, shape = layer.arg("batch_size"), layer.arg("input_shape")
    if isinstance(shape, tuple):
        return show((size, *shape))
    return "(batch, ...)"


def check(facts: Facts) -> Iterator[Diagnostic]:
    if facts.keras_version != 3:
        return
    seen: set[int] = set()
    for model in facts.models:
        for layer in model.layers:
            names = [n for n in _REMOVED if layer.has_arg(n)]
            if not names or id(layer.anchor.resolve) in seen:
                continue
            seen.add(id(layer.anchor.resolve))
            kind = layer.wrapper if layer.wrapper and layer.has_arg(names[0]) else layer.kind
            rejected = ", ".join(f"'{n}': {show(layer.arg(n))}" for n in names)
            batch_shape = _batch_shape(layer)
            message = (
                f"{' and '.join(names)} on the {layer.label} is not a Keras 3 argument: Keras 3 "
                f'rejects the layer with "Unrecognized keyword arguments passed to {kind}: '
                f'{{{rejected}}}".'
            )
            fix = Fix(
                f"Remove {' and '.join(names)} and start the model with "
                f"keras.Input(batch_shape={batch_shape}) (for a Sequential model: "
                "model.add(keras.Input(...)) first); or keep Keras 2 by importing tf_keras.",
                (("batch_shape", batch_shape),),
            )
            yield Diagnostic(layer.anchor, message, fix, subject={"model": model, "layer": layer})


RULE = Rule(
    code="SL008",
    name="keras3-removed-argument",
    severity="error",
    summary="batch_input_shape= or batch_size= on a layer, which Keras 3 rejects.",
    what=(
        "On Keras 3 (the default target; `target-keras = 2` or a script that imports tf_keras "
        "turns it off), finds layers constructed with `batch_input_shape=` or `batch_size=`. "
        "`InputLayer` still accepts them."
    ),
    why=(
        "Keras 3 (TensorFlow 2.16 and later) dropped these layer arguments. The layer "
        "constructor fails with `ValueError: Unrecognized keyword arguments passed to LSTM: "
        "{'batch_input_shape': (30, 30, 7)}`, before any training. Tutorials written for "
        "Keras 2 still use them for stateful models."
    ),
    example="""
from keras.layers import LSTM
from keras.models import Sequential

model = Sequential()
model.add(LSTM(32, batch_input_shape=(30, 30, 7), stateful=True))
""",
    fix="Fix the batch size on the model's input instead.",
    fix_example="""
import keras
from keras.layers import LSTM

model = keras.Sequential()
model.add(keras.Input(batch_shape=(30, 30, 7)))
model.add(LSTM(32, stateful=True))
""",
    check=check,
    invalid=(
        """
import tensorflow as tf
model = tf.keras.Sequential(
    [tf.keras.layers.GRU(8, input_shape=(10, 2), batch_size=16, stateful=True)]
)
""",
    ),
    valid=(
        """
import tf_keras
model = tf_keras.Sequential([tf_keras.layers.GRU(8, batch_input_shape=(16, 10, 2))])
""",
        """
import keras
model = keras.Sequential([keras.layers.InputLayer(batch_shape=(16, 10, 2)), keras.layers.GRU(8)])
""",
    ),
)
