"""SL012 target-shape-mismatch: targets, the model's output and its loss that cannot agree."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint import losses
from shapelint.facts import Facts, Layer, Model, Shape, TrainCall
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, SetKeyword
from shapelint.model_shapes import final_rank, model_sizes, output_shape
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.rules.sl005_input_shape_mismatch import shape_text
from shapelint.subjects import TargetMismatch


def check(facts: Facts) -> Iterator[Diagnostic]:
    for call in facts.calls:
        found = mismatch(call, facts.keras_version)
        if found is not None:
            yield _diagnostic(found)


RULE = Rule(
    code="SL012",
    name="target-shape-mismatch",
    severity="error",
    summary="Targets that do not fit the model's output under its loss (one-hot against "
    "Dense(1), integer labels with categorical_crossentropy, ...).",
    what=(
        "On each fit and evaluate of a model with one output, compares the targets' shape "
        "per sample (and, where the script makes them, their classes: "
        "`to_categorical(y, num_classes=10)`, `np.eye(10)[y]`, `tf.one_hot(y, 10)`, "
        "`np.random.randint(0, 10, ...)`) with the model's output and what its loss needs: "
        "categorical_crossentropy one-hot rows of the output's shape, "
        "sparse_categorical_crossentropy integer labels one rank short and below the "
        "number of outputs, binary_crossentropy the output's shape, mse and the other "
        "elementwise losses a shape that broadcasts. It reports an error where Keras fails "
        "and a warning where Keras trains without a word on a broadcast. Integer labels with "
        "a sparse loss, and targets (N,) against an output of one unit, are fine."
    ),
    why=(
        "Keras checks the targets against the output when the loss is computed: "
        "`ValueError: Arguments `target` and `output` must have the same shape. Received: "
        "target.shape=(32, 10), output.shape=(32, 1)` for one-hot targets against Dense(1) "
        "with categorical_crossentropy; `Argument `output` must have rank (ndim) "
        "`target.ndim - 1`` for one-hot targets with the sparse loss; `Received a label "
        "value of 9 which is outside the valid range of [0, 5)` in the middle of training "
        "for labels beyond the output. mse does not check: targets (N, 3) against Dense(1) "
        "broadcast, and the model trains on the wrong objective."
    ),
    example="""
import numpy as np
import keras

x = np.random.rand(500, 8)
y = keras.utils.to_categorical(np.random.randint(0, 10, size=500), num_classes=10)
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(x, y)
""",
    fix="End the model in one unit per class, or choose the loss that fits the targets.",
    fix_example="""
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(10, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
""",
    check=check,
    autofix_kind="unsafe",
    autofix=(
        "`--fix --unsafe-fixes` makes the one-token change where one settles it: the units "
        "of the Dense layer that ends the model, or the loss string in compile "
        "(`categorical_crossentropy` and `sparse_categorical_crossentropy` for each other). "
        "Unsafe: the model or its objective changes."
    ),
    invalid=(
        Invalid(
            """
import numpy as np
import keras
x = np.zeros((64, 4))
y = np.random.randint(0, 10, size=(64,))
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(10)])
model.compile(loss="categorical_crossentropy", optimizer="sgd")
model.fit(x, y)
""",
            fixed="""
import numpy as np
import keras
x = np.zeros((64, 4))
y = np.random.randint(0, 10, size=(64,))
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(10)])
model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
model.fit(x, y)
""",
        ),
        Invalid(
            """
import numpy as np
import keras
x = np.zeros((64, 4))
y = np.zeros((64, 3))
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="sgd")
model.fit(x, y)
""",
            fixed="""
import numpy as np
import keras
x = np.zeros((64, 4))
y = np.zeros((64, 3))
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])
model.compile(loss="mse", optimizer="sgd")
model.fit(x, y)
""",
        ),
    ),
    valid=(
        """
import numpy as np
import keras
x = np.zeros((64, 4))
y = np.random.randint(0, 10, size=(64,))
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(10)])
model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
model.fit(x, y)
""",
        """
import numpy as np
import keras
x = np.zeros((64, 4))
y = np.zeros((64,))
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="sgd")
model.fit(x, y)
""",
    ),
)

# Layers after the last Dense that keep the output's shape.
_KEEP = frozenset({"Activation", "Dropout", "BatchNormalization", "LayerNormalization", "Softmax"})


def mismatch(call: TrainCall, version: int) -> TargetMismatch | None:
    """The finding's subject where the call's targets, its model's output and the loss
    cannot agree; None where they can, or where any of the three is not known."""
    y, model = call.y, call.model
    if call.method == "predict" or y is None or y.kind != "array" or y.sample_shape is None:
        return None
    kind = losses.kind(model.loss)
    out = _output(model)
    t = y.sample_shape
    if kind is None or out is None or not out or any(d is None for d in (*t, *out)):
        return None
    k = out[-1]
    if k is None:
        return None
    batch = _first_batch(call)
    same_rank = len(t) == len(out)
    short = len(t) == len(out) - 1
    labels = y.classes if y.classes is not None and y.classes.kind == "labels" else None

    def found(error: str, silent: bool = False) -> TargetMismatch:
        return TargetMismatch(call, model, t, out, kind, error, silent, version, batch)

    received = _received(batch, t, out)
    if kind == "categorical":
        if same_rank and t[-1] != k:
            if version == 2:
                return found(f"Shapes {_full(batch, t)} and {_full(batch, out)} are incompatible")
            return found(f"Arguments `target` and `output` must have the same shape.{received}")
        if short and k != 1:
            if version == 2:
                return found(
                    f"Shapes {_full(batch, (*t, 1))} and {_full(batch, out)} are incompatible"
                )
            return found(
                f"Arguments `target` and `output` must have the same rank (ndim).{received}"
            )
        return None
    if kind == "sparse":
        if same_rank and t[-1] != 1:
            if version == 2:
                return found(
                    "`labels.shape` must equal `logits.shape` except for the last dimension."
                )
            return found(f"Argument `output` must have rank (ndim) `target.ndim - 1`.{received}")
        if labels is not None and labels.count > k and (short or (same_rank and t[-1] == 1)):
            # The value Keras names is the first label of k or more in a batch.
            return found(
                f"Received a label value of ... which is outside the valid range of [0, {k})"
            )
        return None
    if kind == "binary":
        if not (same_rank and t[-1] != k) and not (short and k != 1):
            return None
        if version == 2:
            # tf_keras checks the shapes only where it takes the logits back out of a
            # sigmoid or softmax; after a linear output it broadcasts.
            activation = _final_activation(model)
            if activation in ("sigmoid", "softmax"):
                target = t if same_rank else (*t, 1)
                return found(
                    "`logits` and `labels` must have the same shape, received "
                    f"({_full(batch, out)} vs {_full(batch, target)})"
                )
            return found("", silent=True) if activation == "linear" else None
        if same_rank:
            return found(f"Arguments `target` and `output` must have the same shape.{received}")
        return found(f"Arguments `target` and `output` must have the same rank (ndim).{received}")
    # Elementwise losses broadcast the targets against the output.
    if same_rank and t[-1] != k:
        if 1 in (t[-1], k):
            return found("", silent=True)
        first, second = (t[-1], k) if version == 3 else (k, t[-1])
        return found(f"Dimensions must be equal, but are {first} and {second}")
    if short and k != 1:
        if version == 2 or batch is None:
            return found("", silent=True) if version == 2 else None
        if batch in (1, k):
            return None  # a batch of k rows broadcasts: wrong, but only by coincidence silent
        return found(f"Dimensions must be equal, but are {batch} and {k}")
    return None


def _output(model: Model) -> Shape | None:
    """The model's output per sample: from its layers (``model_sizes``, which
    tests/test_show_keras.py holds against Keras), or from the rank and the units of the
    Dense layer that ends it when the input's size along some axis is not known."""
    if any(layer.sources is not None for layer in model.layers):
        used = {i for layer in model.layers for i in layer.sources or () if i >= 0}
        if len(model.layers) - 1 in used or len(used) < len(model.layers) - 1:
            return None  # not one output: a layer other than the last is a sink
    sizes = model_sizes(model) if model.layers else []
    shape = sizes[-1].output if sizes else None
    if shape is None:
        shape = output_shape(model)
    if shape is not None:
        return shape
    rank, last = final_rank(model), last_dense(model)
    if rank is None or last is None or last.units is None:
        return None
    return (*([None] * (rank - 1)), last.units)


def _final_activation(model: Model) -> object:
    """The activation the model ends in ("linear" for none); None where it is not known."""
    last = last_dense(model)
    if last is None:
        return None
    after = model.layers[model.layers.index(last) + 1 :]
    for layer in reversed(after):
        if layer.kind == "Activation":
            return layer.arg("activation")
        if layer.kind == "Softmax":
            return "softmax"
    if not last.has_arg("activation"):
        return "linear"
    value = last.arg("activation")
    return "linear" if value is None else value


def last_dense(model: Model) -> Layer | None:
    """The Dense layer whose units are the model's output, past layers that keep them."""
    for layer in reversed(model.layers):
        if layer.kind == "Dense" and layer.wrapper in (None, "TimeDistributed"):
            return layer
        if layer.kind not in _KEEP or layer.wrapper is not None:
            return None
    return None


def _first_batch(call: TrainCall) -> int | None:
    """The size of the first batch, whose loss fails first."""
    size = call.batch_size.int_value if call.batch_size is not None else None
    samples = call.y.samples.int_value if call.y is not None and call.y.samples else None
    if size is None:
        return None
    return min(size, samples) if samples is not None else size


def _full(batch: int | None, shape: Shape) -> str:
    return shape_text((batch, *shape))


def _received(batch: int | None, target: Shape, output: Shape) -> str:
    if batch is None:
        return ""
    return f" Received: target.shape={_full(batch, target)}, output.shape={_full(batch, output)}"


def _diagnostic(found: TargetMismatch) -> Diagnostic:
    call, model = found.call, found.model
    y = call.y
    assert y is not None
    where = f" ({y.anchor.where})" if y.anchor is not None else ""
    classes = y.classes
    if classes is not None and classes.kind == "one_hot":
        targets = f"is one-hot with {classes.count} classes ({classes.how})"
    elif classes is not None:
        targets = f"holds integer labels 0 to {classes.count - 1} ({classes.how})"
    elif found.targets:
        targets = f"has shape {shape_text(found.targets)} per sample"
    else:
        targets = "holds one value per sample"
    last = last_dense(model)
    end = f"Dense({last.units})" if last is not None else f"an output of {shape_text(found.output)}"
    ending = f"{end} ({last.anchor.where})" if last is not None else end
    loss = model.loss
    compiled = f" ({model.compile_anchor.where})" if model.compile_anchor is not None else ""
    head = (
        f"{call.method}: {y.label}{where} {targets}, but model '{model.name}' ends in {ending} "
        f"and the loss is {loss}{compiled}"
    )
    if found.silent:
        message = (
            f"{head}: Keras trains without an error, broadcasting targets of "
            f"{shape_text(found.targets)} against outputs of {shape_text(found.output)}, and "
            "the loss compares the wrong values."
        )
    else:
        message = f'{head}: Keras raises "{found.error}".'
    fix, plans = _fix(found, last)
    return Diagnostic(
        call.anchor,
        message,
        fix,
        severity="warning" if found.silent else None,
        subject=found,
        plans=plans,
    )


def _fix(found: TargetMismatch, last: Layer | None) -> tuple[Fix, tuple[FixPlan, ...]]:
    model, t, out, kind = found.model, found.targets, found.output, found.loss_kind
    classes = found.call.y.classes if found.call.y is not None else None
    k = out[-1]
    same_rank = len(t) == len(out)
    if kind == "categorical" and same_rank:
        n = t[-1]
        return (
            Fix(
                f'End the model in Dense({n}, activation="softmax"), one unit per class; or '
                "give integer labels with sparse_categorical_crossentropy.",
                (("units", n),),
            ),
            _units(last, n),
        )
    if kind == "categorical":
        return (
            Fix(
                'For integer labels use loss="sparse_categorical_crossentropy"; or one-hot '
                f"them with keras.utils.to_categorical(y, num_classes={k}).",
                (("loss", "sparse_categorical_crossentropy"),),
            ),
            _loss(model, "sparse_categorical_crossentropy"),
        )
    if kind == "sparse" and same_rank and t[-1] != 1:
        text = (
            'For one-hot targets use loss="categorical_crossentropy"; or give the integer '
            "labels (y.argmax(axis=-1)) to the sparse loss."
        )
        if t[-1] != k:  # the one-hot loss would not fit either: no one-token fix
            return Fix(text), ()
        params = (("loss", "categorical_crossentropy"),)
        return Fix(text, params), _loss(model, "categorical_crossentropy")
    if kind == "sparse" and classes is not None:
        n = classes.count
        return (
            Fix(f"End the model in Dense({n}), one unit per class.", (("units", n),)),
            _units(last, n),
        )
    if kind == "binary":
        return (
            Fix(
                'For two classes give labels of shape (N,) with Dense(1, activation="sigmoid"); '
                'for one-hot targets end in Dense(n, activation="softmax") with '
                "categorical_crossentropy."
            ),
            (),
        )
    n = t[-1] if same_rank else 1
    return (
        Fix(
            f"End the model in Dense({n}), to output {shape_text((*out[:-1], n))} per sample "
            "like the targets; or give targets of the output's shape.",
            (("units", n),),
        ),
        _units(last, n),
    )


def _units(last: Layer | None, n: int | None) -> tuple[FixPlan, ...]:
    if last is None or n is None or last.wrapper is not None:
        return ()
    return (
        SetKeyword(
            applicability="unsafe", call=last.anchor, name="units", value=str(n), position=0
        ),
    )


def _loss(model: Model, loss: str) -> tuple[FixPlan, ...]:
    if not model.loss_is_string or model.compile_anchor is None:
        return ()
    return (
        SetKeyword(
            applicability="unsafe",
            call=model.compile_anchor,
            name="loss",
            value=f'"{loss}"',
            position=1,
        ),
    )
