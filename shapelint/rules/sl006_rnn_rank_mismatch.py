"""SL006 rnn-rank-mismatch: a recurrent layer fed 2-D input, or targets of another rank."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint import losses
from shapelint.facts import Facts, Layer, Model
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, SetKeyword
from shapelint.model_shapes import NEEDED_RANK, final_rank, input_ranks, output_shape
from shapelint.rules import sl012_target_shape_mismatch
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.rules.sl005_input_shape_mismatch import shape_text
from shapelint.subjects import RecurrentInputRank, TargetRank


def check(facts: Facts) -> Iterator[Diagnostic]:
    yield from _layer_findings(facts)
    yield from _target_findings(facts)


RULE = Rule(
    code="SL006",
    name="rnn-rank-mismatch",
    severity="error",
    summary="A recurrent layer gets 2-D input, or the targets' rank differs from the output's.",
    what=(
        "Follows the rank of the data through a model's layers (recurrent layers return a "
        "sequence or only the last step; Dense and TimeDistributed keep the rank) and finds a "
        "recurrent layer that receives input without a time axis, typically because the "
        "recurrent layer before it has `return_sequences=False`. As a warning, it also finds "
        "targets whose rank differs from the model's output, for example targets of shape "
        "(N, 30, 1) for a model whose last LSTM returns only its last step. Targets one rank "
        "short of an output ending in 1, and integer labels for sparse losses, are normal."
    ),
    why=(
        "Recurrent layers need (batch, timesteps, features). After an LSTM with "
        "`return_sequences=False` the data is (batch, units), and Keras stops with `Input 0 "
        'of layer "lstm_1" is incompatible with the layer: expected ndim=3, found ndim=2`. '
        "Mismatched targets are worse: Keras 3 broadcasts the loss, so training runs without "
        "an error and learns the wrong thing."
    ),
    example="""
from keras.layers import LSTM, Dense
from keras.models import Sequential

model = Sequential()
model.add(LSTM(64, input_shape=(30, 7)))
model.add(LSTM(32))
model.add(Dense(1))
""",
    fix="Let every recurrent layer but the last return sequences.",
    fix_example="""
from keras.layers import LSTM, Dense
from keras.models import Sequential

model = Sequential()
model.add(LSTM(64, input_shape=(30, 7), return_sequences=True))
model.add(LSTM(32))
model.add(Dense(1))
""",
    check=check,
    autofix_kind="unsafe",
    autofix=(
        "`--fix --unsafe-fixes` sets `return_sequences=True` on the recurrent layer that "
        "drops the time axis. Unsafe: the model's output changes."
    ),
    invalid=(
        Invalid(
            """
import numpy as np
import keras
x = np.zeros((256, 30, 4))
y = np.zeros((256, 30, 1))
inputs = keras.Input(shape=(30, 4))
h = keras.layers.GRU(16)(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(h))
model.compile(loss="mse", optimizer="adam")
model.fit(x, y)
""",
            fixed="""
import numpy as np
import keras
x = np.zeros((256, 30, 4))
y = np.zeros((256, 30, 1))
inputs = keras.Input(shape=(30, 4))
h = keras.layers.GRU(16, return_sequences=True)(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(h))
model.compile(loss="mse", optimizer="adam")
model.fit(x, y)
""",
        ),
    ),
    valid=(
        """
import numpy as np
import keras
x = np.zeros((256, 30, 4))
y = np.zeros((256,))
inputs = keras.Input(shape=(30, 4))
h = keras.layers.GRU(16, return_sequences=True)(inputs)
h = keras.layers.TimeDistributed(keras.layers.Dense(8))(h)
h = keras.layers.GRU(16)(h)
model = keras.Model(inputs, keras.layers.Dense(1)(h))
model.compile(loss="mse", optimizer="adam")
model.fit(x, y)
""",
    ),
)


def _last_recurrent(model: Model) -> Layer | None:
    for layer in reversed(model.layers):
        if layer.kind in NEEDED_RANK:
            return layer
    return None


def _layer_findings(facts: Facts) -> Iterator[Diagnostic]:
    for model in facts.models:
        chain = input_ranks(model)
        for index, (layer, rank, previous) in enumerate(chain):
            needed = NEEDED_RANK.get(layer.kind)
            if needed is None or rank is None or previous is None or rank == needed:
                continue
            if layer.wrapper == "TimeDistributed":
                continue
            # Walk back past layers that keep the rank (Dropout, Dense, ...) to the one that
            # dropped the time axis.
            back = index - 1
            while back > 0 and chain[back][1] == rank:
                back -= 1
            if chain[back][0].kind in NEEDED_RANK:
                previous = chain[back][0]
            before = "before it" if previous is chain[index - 1][0] else "earlier"
            cause = f"the {previous.label} {before} ({previous.anchor.where})"
            fix_text = "Give it input with a time axis"
            params: tuple[tuple[str, object], ...] = ()
            plans: tuple[FixPlan, ...] = ()
            if previous.kind in NEEDED_RANK and previous.return_sequences is False:
                plans = (_return_sequences(previous),)
                cause += " returns only its last step (return_sequences=False)"
                fix_text = (
                    f"Pass return_sequences=True to the {previous.label} on "
                    f"{previous.anchor.where}, so that it returns the whole sequence"
                )
                params = (("return_sequences", True), ("line", previous.anchor.line))
            else:
                cause += f" returns {rank + 1}-D output (with the batch axis)"
            message = (
                f"the {layer.label} ({layer.anchor.where}) receives {rank + 1}-D input "
                f'because {cause}: Keras stops with "... is incompatible with the layer: '
                f'expected ndim={needed + 1}, found ndim={rank + 1}".'
            )
            subject = RecurrentInputRank(model, layer, previous, rank, needed)
            yield Diagnostic(
                layer.anchor, message, Fix(fix_text + ".", params), subject=subject, plans=plans
            )


def _target_findings(facts: Facts) -> Iterator[Diagnostic]:
    for call in facts.calls:
        if sl012_target_shape_mismatch.mismatch(call, facts.keras_version) is not None:
            continue  # SL012 reports it, with the loss
        y, model = call.y, call.model
        if call.method == "predict" or y is None or y.kind != "array" or y.sample_shape is None:
            continue
        out_rank = final_rank(model)
        if out_rank is None:
            continue
        t = len(y.sample_shape)
        if t == out_rank:
            continue
        shape = output_shape(model)
        if t == out_rank - 1:
            if losses.kind(model.loss) == "sparse" or shape is None or shape[-1] == 1:
                continue  # integer labels, or Keras adds the trailing 1
        last = _last_recurrent(model)
        tail = ""
        if last is not None and last.return_sequences is False and t > out_rank:
            tail = f" ({last.label} on {last.anchor.where} returns only its last step)"
        output = shape_text(shape) if shape is not None else f"{out_rank} axes"
        where = f" ({y.anchor.where})" if y.anchor is not None else ""
        message = (
            f"{call.method}: targets {y.label}{where} have shape {shape_text(y.sample_shape)} "
            f"per sample, but model '{model.name}' outputs {output} per sample{tail}. Keras "
            "may not fail here: a loss such as mse broadcasts the two shapes and trains on the "
            "wrong objective."
        )
        if tail and last is not None:
            fix = Fix(
                f"Pass return_sequences=True to the {last.label} on {last.anchor.where} to "
                "predict every step, or give targets of the output's shape.",
                (("return_sequences", True), ("line", last.anchor.line)),
            )
        else:
            fix = Fix("Give targets of the same shape as the model's output.")
        subject = TargetRank(call, y.sample_shape, shape, out_rank, last)
        plans = (_return_sequences(last),) if tail and last is not None else ()
        yield Diagnostic(
            call.anchor, message, fix, severity="warning", subject=subject, plans=plans
        )


def _return_sequences(layer: Layer) -> FixPlan:
    """return_sequences=True on ``layer`` (on the layer inside a wrapper)."""
    return SetKeyword(
        applicability="unsafe",
        call=layer.anchor,
        name="return_sequences",
        value="True",
        layer=layer.kind if layer.wrapper else None,
    )
