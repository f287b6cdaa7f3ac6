"""SL007 stateful-shuffle: a stateful model trained on shuffled arrays."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import Facts
from shapelint.findings import Fix
from shapelint.fixes.plans import SetKeyword
from shapelint.rules.base import Diagnostic, Invalid, Rule
from shapelint.rules.stateful import layer_phrase
from shapelint.subjects import ShuffledStateful


def check(facts: Facts) -> Iterator[Diagnostic]:
    for call in facts.calls:
        model, x = call.model, call.x
        if call.method != "fit" or not model.stateful_layers or x is None or x.kind != "array":
            continue
        if call.shuffle is not True:
            continue
        why = "shuffle=True" if call.shuffle_explicit else "shuffle defaults to True for arrays"
        message = (
            f"fit shuffles {x.label} ({why}), but {layer_phrase(model.stateful_layers[0])} "
            "carries its state from each batch to the next: every batch then starts from the "
            "state of an unrelated one, which defeats the stateful layer."
        )
        fix = Fix("Pass shuffle=False to fit.", (("shuffle", False),))
        plan = SetKeyword(applicability="safe", call=call.anchor, name="shuffle", value="False")
        yield Diagnostic(call.anchor, message, fix, subject=ShuffledStateful(call), plans=(plan,))


RULE = Rule(
    code="SL007",
    name="stateful-shuffle",
    severity="warning",
    summary="A stateful model is trained on arrays with shuffle=True (Keras's default).",
    what=(
        "Finds fit calls on a model with a stateful recurrent layer that pass array data and "
        "do not set `shuffle=False`. Datasets are left alone: Keras ignores `shuffle` for "
        "them."
    ),
    why=(
        "A stateful layer keeps the state of sample i of one batch as the start of sample i "
        "of the next batch, which only means something when consecutive batches continue "
        "each other. fit shuffles arrays by default, so the state is carried between "
        "unrelated windows. Nothing fails: the model trains on scrambled state."
    ),
    example="""
import keras
import numpy as np

x = np.random.rand(1710, 30, 7)
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(32, stateful=True)(inputs))
model.compile(loss="mse", optimizer="adam")
model.fit(x, x[:, -1, :32], batch_size=30)
""",
    fix="Pass shuffle=False to fit for stateful models.",
    fix_example="""
import keras
import numpy as np

x = np.random.rand(1710, 30, 7)
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(32, stateful=True)(inputs))
model.compile(loss="mse", optimizer="adam")
model.fit(x, x[:, -1, :32], batch_size=30, shuffle=False)
""",
    check=check,
    autofix_kind="safe",
    autofix=("`--fix` passes `shuffle=False` to fit."),
    invalid=(
        Invalid(
            """
from tf_keras.models import Sequential
from tf_keras.layers import GRU
import numpy as np
x = np.zeros((80, 5, 1))
model = Sequential([GRU(2, batch_input_shape=(8, 5, 1), stateful=True)])
model.fit(x, x[:, 0], batch_size=8, shuffle=True)
""",
            fixed="""
from tf_keras.models import Sequential
from tf_keras.layers import GRU
import numpy as np
x = np.zeros((80, 5, 1))
model = Sequential([GRU(2, batch_input_shape=(8, 5, 1), stateful=True)])
model.fit(x, x[:, 0], batch_size=8, shuffle=False)
""",
        ),
    ),
    valid=(
        """
import tensorflow as tf
import numpy as np
x = np.zeros((80, 5, 1))
ds = tf.data.Dataset.from_tensor_slices((x, x[:, 0])).batch(8)
inputs = tf.keras.Input(batch_shape=(8, 5, 1))
model = tf.keras.Model(inputs, tf.keras.layers.GRU(2, stateful=True)(inputs))
model.fit(ds, shuffle=True)
""",
        """
import keras
import numpy as np
x = np.zeros((80, 5, 1))
inputs = keras.Input(batch_shape=(8, 5, 1))
model = keras.Model(inputs, keras.layers.GRU(2)(inputs))
model.fit(x, x[:, 0], batch_size=8)
""",
    ),
)
