"""SL010 keras3-removed-api: a Keras 2 method, layer, utility or module that Keras 3 no longer
has."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint import keras_api
from shapelint.facts import ApiUse, Facts, KerasImport
from shapelint.findings import Fix
from shapelint.fixes.plans import FixPlan, RenameCallee, ResetEachLayer, RewriteImport
from shapelint.keras_names import REMOVED_LAYERS, REMOVED_MODEL_METHODS
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.subjects import RemovedApi, RemovedModule

# fit_generator's queue arguments, which Keras 3's fit does not accept.
_QUEUE_ARGS = ("workers", "use_multiprocessing", "max_queue_size")


def check(facts: Facts) -> Iterator[Diagnostic]:
    if facts.keras_version != 3:
        return
    for imported in facts.keras_imports:
        if not imported.guarded and removed_module(imported.module):
            yield _module(imported)
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
    summary="A Keras 1/2 module, model method, layer or utility that Keras 3 removed.",
    what=(
        "On Keras 3 (the default target; tf_keras scripts are Keras 2), finds what recurrent "
        "training scripts written for Keras 2 use and Keras 3 no longer has: "
        "`model.reset_states()`, `model.fit_generator` / `evaluate_generator` / "
        "`predict_generator`, the `CuDNNLSTM` and `CuDNNGRU` layers, and "
        "`keras.preprocessing.sequence.TimeseriesGenerator`, `model.predict_classes` and "
        "`model.predict_proba`, and imports from Keras 1/2 modules that Keras 3 does not have "
        "(`keras.layers.core`, `keras.layers.recurrent`, `keras.utils.np_utils`, "
        "`keras.wrappers.scikit_learn`, ...; each checked for the exact spelling, so "
        "`tensorflow.keras.preprocessing.text`, which still imports, is not reported). Only "
        "method calls on a Keras model that shapelint follows are reported: one the script "
        "builds (also when it keeps it on `self` or in a class attribute), or a Keras "
        "callback's `self.model`. An import inside a `try` with an `except` clause is left "
        "alone: the script may fall back."
    ),
    why=(
        "Measured on TensorFlow 2.21 with Keras 3.15: `model.reset_states()` on a Sequential "
        "model raises `AttributeError: 'Sequential' object has no attribute 'reset_states'`, "
        "and so does `model.fit_generator`. `keras.layers` has no `CuDNNLSTM`, and "
        "`keras.preprocessing.sequence` no `TimeseriesGenerator` (`tensorflow.keras` still "
        "has one, in its legacy preprocessing module, so that spelling is not reported). "
        "`from keras.layers.core import Dense` stops the script with `ModuleNotFoundError: No "
        "module named 'keras.layers.core'`. Stateful tutorials call `model.reset_states()` "
        "after every epoch, so they fail at the end of the first."
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
        "*_generator methods, use LSTM/GRU for CuDNNLSTM/CuDNNGRU, and import from the Keras 3 "
        "modules (`from keras.layers import Dense`). `--fix` does all four (safe fixes)."
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
        "`layers.CuDNNLSTM`/`CuDNNGRU` to `LSTM`/`GRU`, `predict_proba` to `predict`, and "
        "rewrites an import from a removed module to the Keras 3 module that has every "
        "imported name (none when some name has no Keras 3 home, such as `Merge`). "
        "`predict_classes` has no automatic fix: the replacement depends on the model's output."
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
        Invalid(
            """
from keras.layers.core import Dense, Dropout as Drop
from keras.utils.np_utils import to_categorical
""",
            fixed="""
from keras.layers import Dense, Dropout as Drop
from keras.utils import to_categorical
""",
        ),
        Invalid(
            """
from keras.layers.merge import Merge
"""
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
        """
from tensorflow.keras.preprocessing.text import Tokenizer
from tf_keras.layers import Dense
try:
    from keras.layers.core import Dense
except ImportError:
    from keras.layers import Dense
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
    if use.name in ("predict_classes", "predict_proba"):
        return _predict_method(use, call, error)
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


def _predict_method(use: ApiUse, call: str, error: str) -> Diagnostic:
    message = (
        f"{call}: Keras 3 models have no {use.name} (tf.keras dropped it in TensorFlow 2.6), "
        f'so this line stops the script with "{error}".'
    )
    plans: tuple[FixPlan, ...] = ()
    if use.name == "predict_proba":
        fix = Fix(f"Call {use.target}.predict(...): it returns the same probabilities.")
        # predict_proba(x, batch_size, verbose) was predict's first three parameters.
        plain = set(use.keywords) <= {"x", "batch_size", "verbose"}
        if use.positional is not None and use.positional <= 3 and plain:
            plans = (
                RenameCallee(applicability="safe", call=use.anchor, old=use.name, new="predict"),
            )
    else:
        fix = Fix(
            f"Turn {use.target}.predict(...)'s output into classes: "
            f"np.argmax({use.target}.predict(x), axis=-1) for a softmax (multi-class) output, "
            f'({use.target}.predict(x) > 0.5).astype("int32") for a single sigmoid unit.'
        )
    return Diagnostic(use.anchor, message, fix, subject=RemovedApi(use), plans=plans)


def removed_module(module: str) -> bool:
    """Whether ``module`` is a Keras 1/2 module (``keras_api.old_modules``) that does not
    import under this exact spelling on Keras 3."""
    found = keras_api.split(module)
    if found is None or found[0] == "tf_keras":
        return False
    return found[1] in keras_api.old_modules() and keras_api.module_exists(module) is False


def _module(imported: KerasImport) -> Diagnostic:
    module = imported.module
    message = (
        f"{module} is not a Keras 3 module: the script stops at this import with "
        f"\"ModuleNotFoundError: No module named '{module}'\"."
    )
    homes = {name: keras_api.keras3_home(module, name) for name, _ in imported.names}
    parents = {home.rpartition(".")[0] for home in homes.values() if home is not None}
    missing = [name for name, home in homes.items() if home is None]
    home = parents.pop() if len(parents) == 1 and not missing and homes else None
    plans: tuple[FixPlan, ...] = ()
    if imported.star or not imported.names:
        fix = Fix(
            "Import what the script uses from the Keras 3 modules (keras.layers, keras.models, "
            "keras.utils, ...) instead."
        )
    elif home is not None:
        names = ", ".join(name for name, _ in imported.names)
        fix = Fix(f"Import {names} from {home}.", (("module", home),))
        plans = (
            RewriteImport(applicability="safe", statement=imported.anchor, old=module, new=home),
        )
    else:
        fix = _split_fix(homes)
        if missing:
            message += " " + "; ".join(_no_home(module, name) for name in missing) + "."
    return Diagnostic(
        imported.anchor, message, fix, subject=RemovedModule(imported, home), plans=plans
    )


def _no_home(module: str, name: str) -> str:
    found = keras_api.replacement(name)
    if found is not None:
        return f"{name}: {found.note}"
    root = module.split(".", 1)[0] if module.startswith("keras.") else "tensorflow.keras"
    if keras_api.module_exists(f"{root}.{name}"):
        return f"{name} is the module {root}.{name} in Keras 3"
    return f"{name} has no known Keras 3 equivalent"


def _split_fix(homes: dict[str, str | None]) -> Fix:
    """Advice for names that live in several Keras 3 modules, or in none."""
    where = ", ".join(
        f"{name} from {home.rpartition('.')[0]}" for name, home in homes.items() if home is not None
    )
    missing = [name for name, home in homes.items() if home is None]
    if not missing:
        return Fix(f"Import {where}.")
    replace = "eplace " + ", ".join(missing) + " (see above)."
    return Fix(f"Import {where}, and r{replace}" if where else f"R{replace}")
