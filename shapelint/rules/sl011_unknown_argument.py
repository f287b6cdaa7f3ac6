"""SL011 unknown-argument: a keyword on a Keras layer that no Keras version accepts."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint import keras_api
from shapelint.facts import Facts, Layer
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, RenameKeyword
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.rules.sl004_ignored_input_shape import show
from shapelint.subjects import UnknownArgument


def check(facts: Facts) -> Iterator[Diagnostic]:
    api: keras_api.ApiLike = 3 if facts.keras_version == 3 else 2
    seen: set[tuple[int, str]] = set()
    for model in facts.models:
        for layer in model.layers:
            if layer.splat:
                continue
            for name in layer.keywords:
                key = (id(layer.anchor.resolve), name)
                if key in seen or not _unknown(layer.kind, name):
                    continue
                seen.add(key)
                yield _finding(api, layer, name)


RULE = Rule(
    code="SL011",
    name="unknown-argument",
    severity="error",
    summary="A keyword argument that no Keras version accepts on the layer (a typo).",
    what=(
        "Finds keyword arguments on Keras layers that neither Keras 3 nor Keras 2 (tf_keras) "
        "accepts, such as `Dense(8, activaton='relu')`, and names the accepted keyword closest "
        "in spelling. Only layers of a model shapelint follows, whose class it can name, are "
        "looked at; a call that also passes `**kwargs` is skipped, and so are keywords that "
        "older Keras versions did accept (`init`, `output_dim`, `batch_input_shape`: SL008's)."
    ),
    why=(
        "Keras checks a layer's keywords when the layer is built: Keras 3 raises `ValueError: "
        "Unrecognized keyword arguments passed to Dense: {'activaton': 'relu'}`, tf_keras "
        "`TypeError: ('Keyword argument not understood:', 'activaton')`. The script stops "
        "before training."
    ),
    example="""
import keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activaton="relu")])
""",
    fix="Spell the keyword as Keras does.",
    fix_example="""
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu")])
""",
    check=check,
    autofix_kind="safe",
    autofix=(
        "`--fix` renames the keyword when exactly one accepted keyword is close to it in "
        "spelling, in the Keras version the script targets."
    ),
    invalid=(
        Invalid(
            """
import keras
model = keras.Sequential([keras.layers.LSTM(4, return_sequence=True), keras.layers.Dense(1)])
""",
            fixed="""
import keras
model = keras.Sequential([keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(1)])
""",
        ),
        Invalid(
            """
import tf_keras
model = tf_keras.Sequential([tf_keras.layers.Dense(1, colour="red")])
"""
        ),
    ),
    valid=(
        """
import keras
options = {"activation": "relu"}
model = keras.Sequential([keras.layers.Dense(8, **options), keras.layers.Dense(1, name="out")])
""",
        """
import tf_keras
model = tf_keras.Sequential([tf_keras.layers.Dense(1, init="uniform")])
""",
    ),
)


def _qualname(layer: Layer) -> str:
    return f"layers.{layer.kind}"


def _unknown(kind: str, name: str) -> bool:
    """Rejected by Keras 3 and by tf_keras, and no known rename (those are SL008's)."""
    qualname = f"layers.{kind}"
    for api in (3, 2):
        found = keras_api.keyword(api, qualname, name)
        if found is None or found.state != "rejected":
            return False
    return keras_api.rename(name, qualname) is None


def _finding(api: keras_api.ApiLike, layer: Layer, name: str) -> Diagnostic:
    qualname = _qualname(layer)
    value = show(layer.arg(name))
    if api == 3:
        error = (
            f"ValueError: Unrecognized keyword arguments passed to {layer.kind}: "
            f"{{'{name}': {value}}}"
        )
    else:
        error = f"TypeError: ('Keyword argument not understood:', '{name}')"
    near = keras_api.candidates(api, qualname, name)
    suggestion = near[0] if len(near) == 1 else None
    message = f'{layer.kind} takes no keyword {name}: Keras rejects the layer with "{error}".' + (
        f" Did you mean {suggestion}?" if suggestion else ""
    )
    plans: tuple[FixPlan, ...] = ()
    if suggestion is not None:
        fix = Fix(f"Spell it {suggestion}.", (("keyword", suggestion),))
        plans = (
            RenameKeyword(
                applicability="safe",
                call=layer.anchor,
                old=name,
                new=suggestion,
                layer=layer.kind if layer.wrapper else None,
            ),
        )
    elif near:
        fix = Fix(f"Use one of {layer.kind}'s keywords ({', '.join(near)}?), or remove it.")
    else:
        fix = Fix(f"Remove {name}, or use one of {layer.kind}'s keywords.")
    return Diagnostic(
        layer.anchor, message, fix, subject=UnknownArgument(layer, name, suggestion), plans=plans
    )
