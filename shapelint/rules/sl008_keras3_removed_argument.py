"""SL008 keras3-removed-argument: a keyword that older Keras took and the targeted one
rejects (``batch_input_shape=`` on a layer, ``lr=`` on an optimizer, ``nb_epoch=`` on fit),
or accepts and ignores (``decay=`` on a Keras 3 optimizer)."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint import keras_api, keras_names
from shapelint.facts import Facts, Layer, Model
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, LegacyRecurrentArgs, MoveToInput, RenameKeyword
from shapelint.rules import keywords
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.rules.sl004_ignored_input_shape import show
from shapelint.subjects import OldKeyword, RemovedArgument

_REMOVED = ("batch_input_shape", "batch_size")
# Keras 2 recurrent-layer arguments that Keras 3's LSTM, GRU and SimpleRNN reject.
_RECURRENT = ("input_length", "time_major")


def check(facts: Facts) -> Iterator[Diagnostic]:
    yield from _batch_arguments(facts)
    for site in keywords.sites(facts):
        special = _special(site.qualname) if facts.keras_version == 3 else ()
        for name in site.keywords:
            if name in special:
                continue
            found = keywords.verdict(site, name)
            if found == "removed":
                yield _removed(site, name)
            elif found == "ignored":
                yield _ignored(site, name)


def _special(qualname: str) -> tuple[str, ...]:
    """The batch and recurrent keywords that ``_batch_arguments`` reports on a layer."""
    namespace, _, kind = qualname.rpartition(".")
    if namespace != "layers":
        return ()
    return (*_REMOVED, *(_RECURRENT if kind in keras_names.RECURRENT else ()))


def _batch_arguments(facts: Facts) -> Iterator[Diagnostic]:
    if facts.keras_version != 3:
        return
    seen: set[int] = set()
    for model in facts.models:
        for layer in model.layers:
            batch = [n for n in _REMOVED if layer.has_arg(n)]
            legacy = [n for n in _RECURRENT if layer.recurrent and layer.has_arg(n)]
            names = batch + legacy
            if not names or id(layer.anchor.resolve) in seen:
                continue
            seen.add(id(layer.anchor.resolve))
            # Keras names the class whose constructor got the keyword: the wrapped layer's
            # own keywords are in ``layer.keywords``, the wrapper's are not.
            on_wrapper = layer.wrapper is not None and names[0] not in layer.keywords
            kind = layer.wrapper if on_wrapper and layer.wrapper else layer.kind
            params = keras_api.parameters(3, f"layers.{kind}")
            kind = params.class_name if params is not None and params.class_name else kind
            rejected = ", ".join(f"'{n}': {show(layer.arg(n))}" for n in names)
            message = (
                f"{' and '.join(names)} on the {layer.label} "
                f"{'is not a Keras 3 argument' if len(names) == 1 else 'are not Keras 3 arguments'}"
                ": Keras 3 "
                f'rejects the layer with "Unrecognized keyword arguments passed to {kind}: '
                f'{{{rejected}}}".'
            )
            subject = RemovedArgument(model, layer, tuple(names))
            if batch:
                fix, plans = _batch_fix(model, layer, batch)
            else:
                fix, plans = _recurrent_fix(layer, legacy)
            yield Diagnostic(layer.anchor, message, fix, subject=subject, plans=plans)


RULE = Rule(
    code="SL008",
    name="keras3-removed-argument",
    severity="error",
    summary=(
        "A keyword that older Keras took and the targeted Keras rejects (batch_input_shape= "
        "on a layer, lr= on an optimizer, nb_epoch= on fit) or silently ignores (decay=)."
    ),
    what=(
        "Reads the keywords of every Keras call the script makes (layers, optimizers, "
        "callbacks, utilities such as `to_categorical`, and `compile`/`fit`/`evaluate`/"
        "`predict` on a model shapelint follows) against the table of what each Keras "
        "version accepts, generated from Keras itself. It reports, as an error, a keyword "
        "that the targeted Keras rejects but the other major version accepts, or whose "
        "renaming Keras's history records (Keras 1's `init`, `output_dim`, `nb_epoch`, "
        "`border_mode`, ...); and, as a warning, one the targeted Keras accepts and ignores "
        "although it once set something (`decay` on a Keras 3 optimizer, `lr` on a tf_keras "
        "one, `epsilon` on Keras 3's `ReduceLROnPlateau`). The target is Keras 3 unless "
        "`target-keras = 2` is configured or the script imports tf_keras; then only what "
        "tf_keras rejects or ignores is reported. On layers, `InputLayer` still accepts the "
        "batch arguments, and `Embedding`'s ignored `input_length` changes nothing."
    ),
    why=(
        "Keras 3 (TensorFlow 2.16 and later) dropped the Keras 2 spellings, and Keras 2 had "
        "already dropped Keras 1's. The call fails before any training: a layer with "
        "`ValueError: Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': "
        "(30, 30, 7)}`, an optimizer with `ValueError: Argument(s) not recognized: {'lr': "
        "0.01}`, `fit` with `TypeError: ... fit() got an unexpected keyword argument "
        "'nb_epoch'`; where a required argument's old name is used (`LSTM(output_dim=64)`), "
        "Python stops first with `missing 1 required positional argument: 'units'`. An "
        "ignored keyword is worse: the script trains, without the learning-rate decay or "
        "rate it asks for."
    ),
    example="""
from keras.layers import LSTM
from keras.models import Sequential

model = Sequential()
model.add(LSTM(32, batch_input_shape=(30, 30, 7), stateful=True))
""",
    fix=(
        "Use the targeted Keras's spelling (`learning_rate=`, `epochs=`, `units=`, "
        "`kernel_initializer=`). For a fixed batch size, fix it on the model's input instead."
    ),
    fix_example="""
import keras
from keras.layers import LSTM

model = keras.Sequential()
model.add(keras.Input(batch_shape=(30, 30, 7)))
model.add(LSTM(32, stateful=True))
""",
    check=check,
    autofix_kind="safe",
    autofix=(
        "`--fix` renames a keyword whose new spelling means the same (`lr` to "
        "`learning_rate`, `nb_epoch` to `epochs`, `init` to `kernel_initializer`), unless "
        "the call already gives the new one. It moves `batch_input_shape` (or `input_shape` "
        "with `batch_size`) off the first layer of a Sequential model into an "
        "`Input(batch_shape=...)` placed before it, spelled as the script spells its layers, "
        "and adds `Input` to the layers' import when needed. On a recurrent layer it turns "
        "`input_length=L, input_dim=D` into `input_shape=(L, D)` and removes "
        "`time_major=False`."
    ),
    invalid=(
        Invalid(
            """
import keras
optimizer = keras.optimizers.SGD(lr=0.01, momentum=0.9)
""",
            fixed="""
import keras
optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
""",
        ),
        """
from keras.optimizers import Adam
optimizer = Adam(learning_rate=0.001, decay=1e-6)
""",
        Invalid(
            """
import tensorflow as tf
model = tf.keras.Sequential(
    [tf.keras.layers.GRU(8, input_shape=(10, 2), batch_size=16, stateful=True)]
)
""",
            fixed="""
import tensorflow as tf
model = tf.keras.Sequential(
    [tf.keras.layers.Input(batch_shape=(16, 10, 2)), tf.keras.layers.GRU(8, stateful=True)]
)
""",
        ),
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
        """
import tf_keras
optimizer = tf_keras.optimizers.Adam(learning_rate=0.001, clipnorm=1.0)
""",
    ),
)


def _batch_shape(layer: Layer) -> str:
    value = layer.arg("batch_input_shape")
    if isinstance(value, tuple):
        return show(value)
    size, shape = layer.arg("batch_size"), layer.arg("input_shape")
    if isinstance(shape, tuple):
        return show((size, *shape))
    return "(batch, ...)"


def _batch_fix(model: Model, layer: Layer, names: list[str]) -> tuple[Fix, tuple[FixPlan, ...]]:
    batch_shape = _batch_shape(layer)
    fix = Fix(
        f"Remove {' and '.join(names)} and start the model with "
        f"keras.Input(batch_shape={batch_shape}) (for a Sequential model: "
        "model.add(keras.Input(...)) first); or keep Keras 2 by importing tf_keras.",
        (("batch_shape", batch_shape),),
    )
    movable = layer.has_arg("batch_input_shape") or layer.has_arg("input_shape")
    if model.api == "sequential" and layer is model.layers[0] and movable:
        if not model.input_entry:
            return fix, (MoveToInput(applicability="safe", layer=layer.anchor, kind=layer.kind),)
    return fix, ()


def _recurrent_fix(layer: Layer, names: list[str]) -> tuple[Fix, tuple[FixPlan, ...]]:
    steps = []
    major = layer.arg("time_major") if "time_major" in names else False
    if major is True:
        steps.append("remove time_major=True and feed the data as (batch, time, features)")
    elif "time_major" in names:
        steps.append("remove time_major (Keras 3 layers are always batch-major)")
    if "input_length" in names:
        if layer.has_arg("input_dim"):
            length, dim = show(layer.arg("input_length")), show(layer.arg("input_dim"))
            steps.append(
                f"replace input_length and input_dim with input_shape=({length}, {dim}), or "
                "start the model with keras.Input(shape=(...))"
            )
        else:
            steps.append("remove input_length; the input's shape gives the time steps")
    text = "; ".join(steps)
    fix = Fix(text[0].upper() + text[1:] + ".")
    if major is not False and "time_major" in names:
        return fix, ()
    plan = LegacyRecurrentArgs(
        applicability="safe", call=layer.anchor, layer=layer.kind if layer.wrapper else None
    )
    return fix, (plan,)


def _where(site: keywords.Site) -> str:
    if site.is_layer:
        return f"the {site.name}"
    return f"{site.name}()"


def _removed(site: keywords.Site, name: str) -> Diagnostic:
    version = keywords.version_name(site.api)
    what = "the layer" if site.is_layer else "the call"
    error = keywords.rejection(site, name)
    message = (
        f"{name}={show(site.arg(name))} on {_where(site)} is not a {version} argument: "
        f'{version} rejects {what} with "{error}".'
    )
    return _diagnostic(site, name, message, ignored=False)


def _ignored(site: keywords.Site, name: str) -> Diagnostic:
    version = keywords.version_name(site.api)
    said = keywords.warning(site, name)
    message = (
        f"{version} ignores {name}={show(site.arg(name))} on {_where(site)}"
        + (f', with only the warning "{said}"' if said else ", without a word")
        + ": the setting never takes effect."
    )
    return _diagnostic(site, name, message, ignored=True)


def _diagnostic(site: keywords.Site, name: str, message: str, *, ignored: bool) -> Diagnostic:
    history = keras_api.rename(name, site.qualname)
    plans: tuple[FixPlan, ...] = ()
    new = history.new if history is not None and history.same_meaning else None
    if new is not None and keywords.safe_rename(site, name) == new:
        fix = Fix(
            f"Rename {name} to {new}, its {keywords.version_name(site.api)} spelling.",
            (("keyword", new),),
        )
        plans = (
            RenameKeyword(
                applicability="safe",
                call=site.anchor,
                old=name,
                new=new,
            ),
        )
    elif new is not None:
        fix = Fix(f"Rename {name} to {new}, and keep only one {new}= on the call.")
    elif history is not None and history.new is not None:
        fix = Fix(f"Use {history.new} instead: {history.note}.")
    elif history is not None:
        fix = Fix(f"Remove {name}: {history.note}.")
    elif site.api == "tf_keras":
        fix = Fix(f"Remove {name}.")
    else:
        fix = Fix(f"Remove {name}, or keep Keras 2 by importing tf_keras.")
    subject = OldKeyword(site.call, site.api, name, new, ignored)
    return Diagnostic(
        site.anchor,
        message,
        fix,
        severity="warning" if ignored else None,
        subject=subject,
        plans=plans,
    )
