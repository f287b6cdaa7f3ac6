"""SL010 keras3-removed-api: a Keras 2 method, layer or utility that Keras 3 no longer has."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import ApiUse, Facts
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, RenameCallee, ResetEachLayer
from shapelint.keras_names import REMOVED_LAYERS, REMOVED_MODEL_METHODS
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.subjects import RemovedApi

# fit_generator's queue arguments, which Keras 3's fit does not accept.
_QUEUE_ARGS = ("workers", "use_multiprocessing", "max_queue_size")


def check(facts: Facts) -> Iterator[Diagnostic]:
    if facts.keras_version != 3:
        return
    for use in facts.api_uses:
        if use.kind == "model_method":
            yield _model_method(use)
        elif use.kind == "layer":
            yield _layer(use)
        else:
            yield _utility(use)


RULE = Rule(
    code="SL010",
    name="keras3-removed-api",
    severity="error",
    summary="A Keras 2 model method, layer or utility that Keras 3 removed.",
    what=(
        "On Keras 3 (the default target; tf_keras scripts are Keras 2), finds what recurrent "
        "training scripts written for Keras 2 use and Keras 3 no longer has: "
        "`model.reset_states()`, `model.fit_generator` / `evaluate_generator` / "
        "`predict_generator`, the `CuDNNLSTM` and `CuDNNGRU` layers, and "
        "`keras.preprocessing.sequence.TimeseriesGenerator`. Only calls on a Keras model that "
        "shapelint follows are reported: one the script builds (also when it keeps it on "
        "`self` or in a class attribute), or a Keras callback's `self.model`."
    ),
    why=(
        "Measured on TensorFlow 2.21 with Keras 3.15: `model.reset_states()` on a Sequential "
        "model raises `AttributeError: 'Sequential' object has no attribute 'reset_states'`, "
        "and so does `model.fit_generator`. `keras.layers` has no `CuDNNLSTM`, and "
        "`keras.preprocessing.sequence` no `TimeseriesGenerator` (`tensorflow.keras` still "
        "has one, in its legacy preprocessing module, so that spelling is not reported). "
        "Stateful tutorials call `model.reset_states()` after every epoch, so they fail at "
        "the end of the first."
    ),
    example="""
import keras

model = keras.Sequential([
    keras.Input(batch_shape=(30, 30, 7)),
    keras.layers.LSTM(64, stateful=True),
    keras.layers.Dense(1),
])
model.compile(loss="mse", optimizer="adam")
for epoch in range(10):
    model.fit(x, y, batch_size=30, epochs=1, shuffle=False)
    model.reset_states()
""",
    fix=(
        "Reset the stateful layers themselves, call fit/evaluate/predict instead of the "
        "*_generator methods, and use LSTM/GRU for CuDNNLSTM/CuDNNGRU. `--fix` does all three "
        "(safe fixes)."
    ),
    fix_example="""
for epoch in range(10):
    model.fit(x, y, batch_size=30, epochs=1, shuffle=False)
    for layer in model.layers:
        if getattr(layer, "stateful", False):
            layer.reset_states()
""",
    check=check,
    autofix_kind="safe",
    autofix=(
        "`--fix` replaces `model.reset_states()` with a loop that resets each stateful layer,"
        " renames `fit_generator`/`evaluate_generator`/`predict_generator` to "
        "`fit`/`evaluate`/`predict` (when no queue arguments are passed) and "
        "`layers.CuDNNLSTM`/`CuDNNGRU` to `LSTM`/`GRU`."
    ),
    invalid=(
        Invalid(
            """
import keras
model = keras.Sequential([keras.layers.LSTM(4, stateful=True)])
model.reset_states()
""",
            fixed="""
import keras
model = keras.Sequential([keras.layers.LSTM(4, stateful=True)])
for layer in model.layers:
    if getattr(layer, "stateful", False):
        layer.reset_states()
""",
        ),
        Invalid(
            """
from tensorflow import keras
model = keras.Sequential([keras.layers.CuDNNLSTM(4)])
model.fit_generator(batches, steps_per_epoch=10)
""",
            fixed="""
from tensorflow import keras
model = keras.Sequential([keras.layers.LSTM(4)])
model.fit(batches, steps_per_epoch=10)
""",
        ),
    ),
    valid=(
        """
import tf_keras
model = tf_keras.Sequential([tf_keras.layers.LSTM(4, stateful=True)])
model.reset_states()
""",
        """
import keras
model = keras.Sequential([keras.layers.LSTM(4, stateful=True)])
for layer in model.layers:
    layer.reset_states()
tracker.reset_states()
""",
    ),
)


def _model_method(use: ApiUse) -> Diagnostic:
    call = f"{use.target}.{use.name}()"
    # A callback's self.model may be a Sequential or a Functional model.
    owner = use.target_class or "Functional' or 'Sequential"
    error = f"AttributeError: '{owner}' object has no attribute '{use.name}'"
    if use.name == "reset_states":
        message = (
            f"{call}: Keras 3 models have no reset_states, so this line stops the script with "
            f'"{error}". Only the stateful layers hold state, and each can be reset.'
        )
        fix = Fix(
            f"Reset each stateful layer: for layer in {use.target}.layers: if "
            'getattr(layer, "stateful", False): layer.reset_states().'
        )
        plan = ResetEachLayer(applicability="safe", call=use.anchor, model=use.target)
        return Diagnostic(use.anchor, message, fix, subject=RemovedApi(use), plans=(plan,))
    new = REMOVED_MODEL_METHODS[use.name]
    queue = [k for k in use.keywords if k in _QUEUE_ARGS]
    message = (
        f'{call}: Keras 3 removed {use.name}, so this line stops the script with "{error}". '
        f"{new} takes generators and datasets directly."
    )
    plans: tuple[FixPlan, ...] = ()
    if use.positional != 1:
        # fit_generator(gen, 100, 5) means steps_per_epoch=100, epochs=5; fit(gen, 100, 5)
        # would read them as y and batch_size.
        fix = Fix(
            f"Call {use.target}.{new}(...) instead, passing everything after the generator by "
            f"keyword: {new}'s positional arguments differ from {use.name}'s."
        )
    elif queue:
        fix = Fix(
            f"Call {use.target}.{new}(...) instead, without {', '.join(queue)}, which Keras 3's "
            f"{new} does not accept."
        )
    else:
        fix = Fix(f"Call {use.target}.{new}(...) with the same arguments.")
        plans = (RenameCallee(applicability="safe", call=use.anchor, old=use.name, new=new),)
    return Diagnostic(use.anchor, message, fix, subject=RemovedApi(use), plans=plans)


def _layer(use: ApiUse) -> Diagnostic:
    new = REMOVED_LAYERS[use.name]
    message = (
        f'{use.name} is not in Keras 3: the script stops with an ImportError (or "module '
        f"'keras.layers' has no attribute '{use.name}'\"). Keras 3's {new} uses the cuDNN "
        "kernel by itself when the layer's arguments allow it."
    )
    if use.attribute:
        fix = Fix(f"Use {new} with the same arguments.")
        plan = RenameCallee(applicability="safe", call=use.anchor, old=use.name, new=new)
        return Diagnostic(use.anchor, message, fix, subject=RemovedApi(use), plans=(plan,))
    fix = Fix(f"Import and use {new} instead, with the same arguments.")
    return Diagnostic(use.anchor, message, fix, subject=RemovedApi(use))


def _utility(use: ApiUse) -> Diagnostic:
    message = (
        "TimeseriesGenerator is not in Keras 3 (keras.preprocessing.sequence is gone): the "
        "script stops with an ImportError or AttributeError before training. "
        "(tensorflow.keras.preprocessing.sequence still has it.)"
    )
    fix = Fix(
        "Build the windows with keras.utils.timeseries_dataset_from_array(data, targets, "
        "sequence_length, batch_size=...), or import TimeseriesGenerator from "
        "tensorflow.keras.preprocessing.sequence (or tf_keras). With "
        "timeseries_dataset_from_array the targets line up differently: check them."
    )
    return Diagnostic(use.anchor, message, fix, subject=RemovedApi(use))
