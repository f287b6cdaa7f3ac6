"""Every Keras spelling, turned into one canonical name.

A qualified name such as ``tensorflow.keras.layers.LSTM``, ``tf_keras.layers.LSTM``
or ``keras.src.layers.rnn.lstm.LSTM`` becomes ``("LSTM", "tf.keras")``: the class
name and the Keras flavour the script imported.
"""

from __future__ import annotations

import functools

# Longest prefixes first; each maps to a flavour.
_ROOTS: tuple[tuple[str, str], ...] = (
    ("tensorflow.compat.v1.keras.", "tf.keras"),
    ("tensorflow.compat.v2.keras.", "tf.keras"),
    ("tensorflow.python.keras.", "tf.keras"),
    ("tensorflow.keras.", "tf.keras"),
    ("tf_keras.src.", "tf_keras"),
    ("tf_keras.", "tf_keras"),
    ("keras.src.", "keras"),
    ("keras.api.", "keras"),
    ("keras.", "keras"),
)

# Keras roots themselves (for ``import keras`` and friends).
KERAS_MODULES: dict[str, str] = {
    "keras": "keras",
    "tf_keras": "tf_keras",
    "tensorflow.keras": "tf.keras",
    "tensorflow.python.keras": "tf.keras",
    "tensorflow.compat.v1.keras": "tf.keras",
    "tensorflow.compat.v2.keras": "tf.keras",
}

RECURRENT = frozenset(
    {
        "LSTM",
        "GRU",
        "SimpleRNN",
        "RNN",
        "ConvLSTM1D",
        "ConvLSTM2D",
        "ConvLSTM3D",
        "CuDNNLSTM",
        "CuDNNGRU",
    }
)
WRAPPERS = frozenset({"Bidirectional", "TimeDistributed"})
MODELS = frozenset({"Sequential", "Model", "Functional"})
INPUTS = frozenset({"Input", "InputLayer"})

# Names a star import from a Keras module can bring into scope.
STAR_NAMES = (
    RECURRENT
    | WRAPPERS
    | MODELS
    | INPUTS
    | frozenset(
        {
            "Dense",
            "Dropout",
            "Activation",
            "Flatten",
            "RepeatVector",
            "Reshape",
            "BatchNormalization",
        }
    )
)


@functools.lru_cache(maxsize=4096)
def canonical(qualified: str) -> tuple[str, str] | None:
    """``tensorflow.keras.layers.LSTM`` -> ``("LSTM", "tf.keras")``; None if not Keras."""
    for prefix, flavour in _ROOTS:
        if qualified.startswith(prefix):
            rest = qualified[len(prefix) :]
            head = rest.split(".", 1)[0]
            if head in ("layers", "models", "engine", "Model", "Sequential", "Input"):
                return rest.rsplit(".", 1)[-1], flavour
            if "." not in rest:
                return rest, flavour
            return None
    return None


@functools.lru_cache(maxsize=4096)
def is_callback_base(qualified: str) -> bool:
    """``keras.callbacks.Callback`` in any spelling (``tf.keras``, ``tf_keras``, ``keras.src``)."""
    for prefix, _ in _ROOTS:
        if qualified.startswith(prefix):
            rest = qualified[len(prefix) :]
            return rest in ("callbacks.Callback", "callbacks.callback.Callback")
    return False


# Keras 2 names that Keras 3 no longer has: layer classes and model methods.
REMOVED_LAYERS = {"CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU"}
REMOVED_MODEL_METHODS = {
    "reset_states": "",
    "fit_generator": "fit",
    "evaluate_generator": "evaluate",
    "predict_generator": "predict",
    "predict_classes": "predict",
    "predict_proba": "predict",
}

DATA_HELPERS = frozenset({"timeseries_dataset_from_array", "TimeseriesGenerator"})


@functools.lru_cache(maxsize=4096)
def data_helper(qualified: str) -> tuple[str, str] | None:
    """``keras.utils.timeseries_dataset_from_array`` -> its name and flavour; None otherwise."""
    for prefix, flavour in _ROOTS:
        if qualified.startswith(prefix):
            rest = qualified[len(prefix) :]
            head, _, _ = rest.partition(".")
            name = rest.rsplit(".", 1)[-1]
            if head in ("utils", "preprocessing") and name in DATA_HELPERS:
                return name, flavour
            return None
    return None


@functools.lru_cache(maxsize=4096)
def flavour_of_module(qualified: str) -> str | None:
    """The Keras flavour a module path belongs to, if it is a Keras module at all."""
    if qualified in KERAS_MODULES:
        return KERAS_MODULES[qualified]
    for prefix, flavour in _ROOTS:
        if qualified.startswith(prefix):
            return flavour
    return None
