"""SL004 ignored-input-shape: input arguments on a layer that is not a Sequential model's first."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import Facts, Layer, Model, Plain
from shapelint.findings import Fix
from shapelint.fixes.plans import RemoveKeywords
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.subjects import IgnoredInputShape

INPUT_ARGS = ("input_shape", "batch_input_shape", "input_dim", "batch_size")


def check(facts: Facts) -> Iterator[Diagnostic]:
    for model in facts.models:
        if model.api != "sequential" or not model.exact or not model.layers:
            continue
        if not all(layer.certain for layer in model.layers):
            continue
        start = 0 if model.input_entry else 1
        for position, layer in enumerate(model.layers[start:], start=start + 1):
            names = _ignored(layer)
            if not names:
                continue
            given = ", ".join(f"{n}={show(layer.arg(n))}" for n in names)
            if model.input_entry:
                place = f"a layer after the Input of Sequential model '{model.name}'"
            else:
                ordinal = {2: "second", 3: "third", 4: "fourth"}.get(position, _nth(position))
                place = f"the {ordinal} layer of Sequential model '{model.name}'"
            message = (
                f"{given} on the {layer.label} ({place}) is ignored: only the model's input "
                "defines its shape, here "
                f'{_first_input(model)}. Keras 3 warns "Do not pass an `input_shape`/'
                '`input_dim` argument to a layer"; Keras 2 drops it silently.'
            )
            fix = Fix(
                f"Remove {', '.join(names)} from the {layer.label}; the shapes between layers "
                "follow from the model's input.",
                (("remove", tuple(names)),),
            )
            plan = RemoveKeywords(applicability="safe", call=layer.anchor, names=tuple(names))
            subject = IgnoredInputShape(model, layer, position, tuple(names))
            yield Diagnostic(layer.anchor, message, fix, subject=subject, plans=(plan,))


RULE = Rule(
    code="SL004",
    name="ignored-input-shape",
    severity="warning",
    summary="Input-shape arguments on a layer that is not the first of a Sequential model.",
    what=(
        "Finds `input_shape`, `batch_input_shape`, `input_dim` or `batch_size` on a layer of "
        "a Sequential model that is not its first layer (or on any layer after a "
        "`keras.Input`). Wrapped layers (Bidirectional, TimeDistributed) count as the "
        "wrapper's position. An Embedding's `input_dim` (also its first positional "
        "argument) is its vocabulary size, not an input shape, and is never reported."
    ),
    why=(
        "Keras builds a Sequential model's shapes from its input: the first layer's input "
        "arguments, or the `Input` before it. The same arguments on a later layer do nothing. "
        "Keras 2 ignores them silently; Keras 3 warns `Do not pass an `input_shape`/`input_dim` "
        "argument to a layer`. They mislead whoever reads the model: the second LSTM of the "
        "seed script claims `input_shape=(batch_size, input_data_column)`, which is neither "
        "what it receives nor a valid LSTM input shape."
    ),
    example="""
from keras.layers import LSTM, Dense
from keras.models import Sequential

model = Sequential()
model.add(LSTM(64, input_shape=(30, 7), return_sequences=True))
model.add(LSTM(64, input_shape=(30, 64)))
model.add(Dense(1))
""",
    fix="Give input arguments to the first layer only, or start the model with keras.Input.",
    fix_example="""
import keras
from keras.layers import LSTM, Dense

model = keras.Sequential()
model.add(keras.Input(shape=(30, 7)))
model.add(LSTM(64, return_sequences=True))
model.add(LSTM(64))
model.add(Dense(1))
""",
    check=check,
    autofix_kind="safe",
    autofix=("`--fix` removes the ignored keywords."),
    invalid=(
        Invalid(
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.Input(shape=(10, 3)),
    tf.keras.layers.Bidirectional(tf.keras.layers.GRU(8), input_shape=(10, 3)),
])
""",
            fixed="""
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.Input(shape=(10, 3)),
    tf.keras.layers.Bidirectional(tf.keras.layers.GRU(8)),
])
""",
        ),
    ),
    valid=(
        """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Bidirectional(tf.keras.layers.GRU(8), input_shape=(10, 3)),
    tf.keras.layers.Dense(1),
])
""",
        """
import keras
def block(units):
    return keras.layers.Dense(units, input_dim=4)
model = keras.Sequential()
for units in sizes:
    model.add(block(units))
""",
        """
import keras
model = keras.Sequential([
    keras.Input(shape=(80,)),
    keras.layers.Embedding(20000, 64),
    keras.layers.Embedding(input_dim=64, output_dim=8),
])
""",
    ),
)


def show(value: Plain) -> str:
    """A keyword value as written, or ``...`` where it is not known."""
    if isinstance(value, tuple):
        inner = ", ".join(show(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    return "..."


def _first_input(model: Model) -> str:
    if model.input_entry:
        return "the model's Input"
    first = model.layers[0]
    for name in _ignored(first):
        return f"{name}={show(first.arg(name))} on the first layer ({first.anchor.where})"
    return f"the first layer ({first.anchor.where})"


def _ignored(layer: Layer) -> list[str]:
    """The input-shape keywords on ``layer``. An Embedding's ``input_dim`` (its first
    positional argument too) is its vocabulary size, never an input shape."""
    return [
        name
        for name in INPUT_ARGS
        if layer.has_arg(name) and not (name == "input_dim" and layer.kind == "Embedding")
    ]


def _nth(n: int) -> str:
    """``5th``, ``21st``, ``112th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
