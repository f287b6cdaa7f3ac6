"""SL005 input-shape-mismatch: data whose per-sample shape the model's input cannot take."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import Data, Facts, Layer, Shape
from shapelint.findings import Fix
from shapelint.model_shapes import NEEDED_RANK
from shapelint.rules.base import Diagnostic, Rule
from shapelint.rules.sl004_ignored_input_shape import show
from shapelint.subjects import DataShapeMismatch, DeclaredRankMismatch


def check(facts: Facts) -> Iterator[Diagnostic]:
    yield from _data_findings(facts)
    yield from _layer_findings(facts)


RULE = Rule(
    code="SL005",
    name="input-shape-mismatch",
    severity="error",
    summary="The data's per-sample shape does not fit the model's input.",
    what=(
        "Compares the per-sample shape of the data reaching fit, evaluate or predict with the "
        "model's input (from `keras.Input`, `InputLayer` or the first layer's `input_shape` / "
        "`batch_input_shape`): the rank, the time steps and the features. Also finds a "
        "recurrent layer whose `input_shape` is not (timesteps, features). Data one rank "
        "short of an input whose last dimension is 1 is fine: Keras adds that axis."
    ),
    why=(
        "Keras checks every input against the layer's InputSpec and stops before the first "
        'step, for example with `Input 0 of layer "lstm" is incompatible with the layer: '
        "expected shape=(None, 5, 6), found shape=(None, 5, 7)` or `expected ndim=3, found "
        "ndim=2`."
    ),
    example="""
import keras
import numpy as np

x = np.random.rand(500, 5, 7)
inputs = keras.Input(shape=(5, 6))
model = keras.Model(inputs, keras.layers.LSTM(8)(inputs))
model.predict(x)
""",
    fix="Make the data and the model's input agree on every axis after the batch.",
    fix_example="""
import keras
import numpy as np

x = np.random.rand(500, 5, 7)
inputs = keras.Input(shape=(5, 7))
model = keras.Model(inputs, keras.layers.LSTM(8)(inputs))
model.predict(x)
""",
    check=check,
    invalid=(
        """
from tensorflow.keras.layers import GRU
from tensorflow.keras.models import Sequential
model = Sequential([GRU(4, input_shape=(30,))])
""",
        """
import numpy as np
from tf_keras.layers import LSTM
from tf_keras.models import Sequential
series = np.zeros((1000, 1))
model = Sequential([LSTM(4, input_shape=(10, 1))])
model.fit(series, series)
""",
    ),
    valid=(
        """
import numpy as np
import keras
x = np.zeros((64, 6))
inputs = keras.Input(shape=(6, 1))
model = keras.Model(inputs, keras.layers.LSTM(4)(inputs))
model.fit(x, x[:, :1])
""",
        """
import numpy as np
import keras
x = np.zeros((64, 10, 3))
inputs = keras.Input(shape=(None, 3))
model = keras.Model(inputs, keras.layers.LSTM(4)(inputs))
model.fit(x, x[:, 0, :1])
""",
    ),
)


def shape_text(shape: Shape) -> str:
    return show(tuple(shape))


def compatible(data: Shape, model: Shape) -> bool:
    """Keras's rule: equal rank and equal known dims, or data one rank short of a model
    input whose last dimension is 1 (Keras adds that axis)."""
    if len(data) == len(model) - 1 and model[-1] == 1:
        model = model[:-1]
    if len(data) != len(model):
        return False
    return all(a is None or b is None or a == b for a, b in zip(data, model, strict=True))


def _data_findings(facts: Facts) -> Iterator[Diagnostic]:
    for call in facts.calls:
        model, x = call.model, call.x
        expected = model.input_shape
        if expected is None or x is None or x.sample_shape is None:
            continue
        if x.kind not in ("array", "dataset") or compatible(x.sample_shape, expected):
            continue
        where = f" ({x.anchor.where})" if x.anchor is not None else ""
        source = f", {model.batch.anchor.where}" if model.batch.anchor is not None else ""
        expected_dims = ", ".join(show(d) for d in expected)
        found_dims = ", ".join(show(d) for d in x.sample_shape)
        message = (
            f"{call.method}: {_label(x)}{where} holds samples of shape "
            f"{shape_text(x.sample_shape)}, but model '{model.name}' takes "
            f'{shape_text(expected)} (its input{source}): Keras stops with "... is '
            f"incompatible with the layer: expected shape=(None, {expected_dims}), "
            f'found shape=(None, {found_dims})".'
        )
        fix = Fix(
            f"Reshape the data to {shape_text(expected)} per sample, or declare the model's "
            f"input as {shape_text(x.sample_shape)}.",
            (("expected", tuple(expected)), ("found", tuple(x.sample_shape))),
        )
        subject = DataShapeMismatch(call, expected, x.sample_shape)
        yield Diagnostic(call.anchor, message, fix, subject=subject)


def _label(data: Data) -> str:
    return f"dataset {data.label}" if data.kind == "dataset" else data.label


def _declared_shape(layer: Layer) -> tuple[str, Shape] | None:
    for name, drop in (("input_shape", 0), ("batch_input_shape", 1)):
        value = layer.arg(name)
        if isinstance(value, tuple):
            return name, tuple(v if isinstance(v, int) else None for v in value[drop:])
    return None


def _layer_findings(facts: Facts) -> Iterator[Diagnostic]:
    seen: set[int] = set()
    for model in facts.models:
        for layer in model.layers:
            needed = NEEDED_RANK.get(layer.kind)
            declared = _declared_shape(layer)
            if needed is None or declared is None or layer.wrapper == "TimeDistributed":
                continue
            if id(layer.anchor) in seen:
                continue
            seen.add(id(layer.anchor))
            name, shape = declared
            if len(shape) == needed:
                continue
            axes = "(timesteps, features)" if needed == 2 else f"{needed} axes per sample"
            message = (
                f"{name}={show(layer.arg(name))} on the {layer.label} gives {len(shape)} "
                f"ax{'is' if len(shape) == 1 else 'es'} per sample, but a {layer.kind} takes "
                f'{axes}: Keras stops with "expected ndim={needed + 1}, found ndim='
                f'{len(shape) + 1}".'
            )
            fix = Fix(
                "Give the input shape as (timesteps, features), without the batch axis"
                if needed == 2
                else f"Give the input shape with {needed} axes per sample",
                (("expected_rank", needed),),
            )
            subject = DeclaredRankMismatch(model, layer, shape, needed)
            yield Diagnostic(layer.anchor, message, fix, subject=subject)
