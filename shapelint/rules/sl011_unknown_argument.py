"""SL011 unknown-argument: a keyword on a Keras call that no Keras version accepts."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint import keras_api
from shapelint.facts import Facts
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, RenameKeyword
from shapelint.rules import keywords
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.subjects import UnknownArgument


def check(facts: Facts) -> Iterator[Diagnostic]:
    for site in keywords.sites(facts):
        if site.splat:
            continue
        for name in site.keywords:
            if keywords.verdict(site, name) == "unknown":
                yield _finding(site, name)


RULE = Rule(
    code="SL011",
    name="unknown-argument",
    severity="error",
    summary="A keyword argument that no Keras version accepts on the call (a typo).",
    what=(
        "Finds keyword arguments that neither Keras 3 nor Keras 2 (tf_keras) accepts, on "
        "layers, optimizers, callbacks, utilities and the `compile`/`fit`/`evaluate`/"
        "`predict` of a model shapelint follows, such as `Dense(8, activaton='relu')` or "
        "`model.fit(x, y, epoch=10)`, and names the accepted keyword closest in spelling. "
        "A call that also passes `**kwargs` is skipped, and so are keywords that older Keras "
        "versions did accept (`init`, `output_dim`, `nb_epoch`: SL008's). The other rules "
        "read the layer as the script meant it where that is certain (`return_sequence=True` "
        "as `return_sequences=True`), so one typo gives one finding."
    ),
    why=(
        "Keras checks the keywords when the call is made: a Keras 3 layer raises "
        "`ValueError: Unrecognized keyword arguments passed to Dense: {'activaton': 'relu'}`, "
        "a tf_keras one `TypeError: ('Keyword argument not understood:', 'activaton')`, "
        "an optimizer `ValueError: Argument(s) not recognized: {'learnig_rate': 0.001}`, "
        "and `fit` `TypeError: ... fit() got an unexpected keyword argument 'epoch'`. The "
        "script stops before training."
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
        "spelling, in the Keras version the script targets, and no other keyword of the call "
        "has or would get that name."
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
        Invalid(
            """
import keras
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.fit([[0.0] * 4], [0.0], epoch=2)
""",
            fixed="""
import keras
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.fit([[0.0] * 4], [0.0], epochs=2)
""",
        ),
    ),
    valid=(
        """
import keras
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=1e-3))
model.fit([[0.0] * 4], [0.0], epochs=2, verbose=0)
""",
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


def _finding(site: keywords.Site, name: str) -> Diagnostic:
    error = keywords.rejection(site, name)
    near = keras_api.candidates(site.api, site.qualname, name)
    suggestion = near[0] if len(near) == 1 else None
    where = site.name if site.is_layer else f"{site.name}()"
    what = "the layer" if site.is_layer else "the call"
    message = f'{where} takes no keyword {name}: Keras rejects {what} with "{error}".' + (
        f" Did you mean {suggestion}?" if suggestion else ""
    )
    plans: tuple[FixPlan, ...] = ()
    if suggestion is not None and keywords.safe_rename(site, name) is None:
        fix = Fix(f"Spell it {suggestion}, and keep only one {suggestion}= on the call.")
    elif suggestion is not None:
        fix = Fix(f"Spell it {suggestion}.", (("keyword", suggestion),))
        plans = (
            RenameKeyword(
                applicability="safe",
                call=site.anchor,
                old=name,
                new=suggestion,
            ),
        )
    elif near:
        fix = Fix(f"Use one of {site.name}'s keywords ({', '.join(near)}?), or remove it.")
    else:
        fix = Fix(f"Remove {name}, or use one of {site.name}'s keywords.")
    subject = UnknownArgument(site.call, site.api, name, suggestion)
    return Diagnostic(site.anchor, message, fix, subject=subject, plans=plans)
