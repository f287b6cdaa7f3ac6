"""SL003 stateful-needs-batch-size: a stateful layer in a model with no fixed batch size."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import Facts, Model
from shapelint.findings import Fix
from shapelint.rules.base import Diagnostic, Rule
from shapelint.rules.stateful import keras2
from shapelint.subjects import StatefulWithoutBatch


def check(facts: Facts) -> Iterator[Diagnostic]:
    for model in facts.models:
        stateful = model.stateful_layers
        if not stateful or model.batch.status != "none":
            continue
        layer = stateful[0]
        where = f" ({model.batch.anchor.where})" if model.batch.anchor is not None else ""
        if keras2(facts):
            error = (
                "If a RNN is stateful, it needs to know its batch size. Specify the batch size "
                "of your input tensors"
            )
        else:
            error = (
                "When using `stateful=True` in a RNN, the batch size must be static. Found "
                f"dynamic batch size: sequence.shape={_shape_text(model, 'None')}"
            )
        message = (
            f"the stateful {layer.label} needs a fixed batch size, but the input of model "
            f"'{model.name}'{where} leaves the batch size open: Keras fails when it builds the "
            f'model with "{error}".'
        )
        b = _call_batch(facts, model)
        fix = Fix(
            f"Give the input a fixed batch size: keras.Input(batch_shape={_shape_text(model, b)}) "
            f"with Keras 3, or batch_input_shape={_shape_text(model, b)} on the first layer with "
            "tf_keras / Keras 2.",
            (("batch_size", int(b)),) if b.isdigit() else (),
        )
        subject = StatefulWithoutBatch(model, layer, int(b) if b.isdigit() else None)
        yield Diagnostic(layer.anchor, message, fix, subject=subject)


RULE = Rule(
    code="SL003",
    name="stateful-needs-batch-size",
    severity="error",
    summary="A stateful recurrent layer sits in a model whose input has no fixed batch size.",
    what=(
        "Finds models with a stateful recurrent layer whose input certainly has no fixed batch "
        "size: `Input(shape=...)` without `batch_size`, or a first layer with `input_shape` but "
        "no `batch_input_shape`. A model whose input is not visible is left alone."
    ),
    why=(
        "A stateful layer allocates its state for a fixed number of samples, so Keras must know "
        "the batch size when it builds the model. Keras 3 stops with `ValueError: When using "
        "`stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: "
        "sequence.shape=(None, 30, 7)`; tf_keras with `If a RNN is stateful, it needs to know "
        "its batch size. Specify the batch size of your input tensors`."
    ),
    example="""
import keras

inputs = keras.Input(shape=(30, 7))
outputs = keras.layers.LSTM(32, stateful=True)(inputs)
model = keras.Model(inputs, outputs)
""",
    fix="Fix the batch size in the model's input, and use the same batch size in every call.",
    fix_example="""
import keras

inputs = keras.Input(batch_shape=(30, 30, 7))
outputs = keras.layers.LSTM(32, stateful=True)(inputs)
model = keras.Model(inputs, outputs)
""",
    check=check,
    invalid=(
        """
from tf_keras.models import Sequential
from tf_keras.layers import LSTM
model = Sequential()
model.add(LSTM(16, input_shape=(30, 7), stateful=True))
""",
    ),
    valid=(
        """
from tf_keras.models import Sequential
from tf_keras.layers import LSTM
model = Sequential()
model.add(LSTM(16, stateful=True))
""",
        """
from tf_keras.models import Sequential
from tf_keras.layers import LSTM
model = Sequential()
model.add(LSTM(16, input_shape=(30, 7)))
""",
    ),
)


def _shape_text(model: Model, batch: str) -> str:
    if model.input_shape is None:
        return f"({batch}, ...)"
    dims = ", ".join("None" if d is None else str(d) for d in model.input_shape)
    return f"({batch}, {dims})"


def _call_batch(facts: Facts, model: Model) -> str:
    sizes = {
        call.batch_size.int_value
        for call in facts.calls
        if call.model.key == model.key and call.batch_size_explicit and call.batch_size is not None
    }
    if len(sizes) == 1:
        size = sizes.pop()
        return str(size) if size is not None else "B"
    return "B"
