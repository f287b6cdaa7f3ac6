"""Run by ``tests/test_keras_api.py`` in a subprocess (it imports Keras, ~5 s):

    python tests/keras_api_probe.py OUTPUT.json

regenerates the Keras API table into OUTPUT.json with ``tools/keras_api.py``, then makes real
calls on the installed Keras and prints, as one JSON line, what each call did, and which old
names really import from where, so that the test can hold the table against Keras itself.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

ROOT = Path(__file__).resolve().parent.parent

# (api, qualname, positional args, keywords): the first keyword is the one under test.
# ``Model.*`` calls the method on a small model.
PROBES: list[tuple[str, str, list[Any], dict[str, Any]]] = [
    ("keras", "layers.Dense", [3], {"init": "uniform"}),
    ("keras", "layers.Dense", [3], {"activaton": "relu"}),
    ("keras", "layers.Dense", [3], {"weights": []}),
    ("keras", "layers.Dense", [3], {"input_shape": (4,)}),
    ("keras", "layers.Dense", [3], {"batch_size": 4}),
    ("keras", "layers.LSTM", [4], {"return_sequences": True}),
    ("keras", "layers.LSTM", [4], {"return_sequence": True}),
    ("keras", "layers.LSTM", [4], {"batch_input_shape": (2, 3, 4)}),
    ("keras", "layers.LSTM", [4], {"input_length": 3}),
    ("keras", "layers.LSTM", [4], {"dropout_W": 0.2}),
    ("keras", "layers.Embedding", [10, 4], {"input_length": 3}),
    ("keras", "layers.LeakyReLU", [], {"alpha": 0.2}),
    ("keras", "layers.BatchNormalization", [], {"mode": 0}),
    ("keras", "layers.InputLayer", [], {"not_a_keyword": 1, "shape": (3,)}),
    ("keras", "optimizers.Adam", [], {"lr": 0.01}),
    ("keras", "optimizers.Adam", [], {"decay": 1e-6, "learning_rate": 0.01}),
    ("keras", "callbacks.ReduceLROnPlateau", [], {"epsilon": 1e-4}),
    ("keras", "Model", [], {"not_a_keyword": 1}),
    ("keras", "Model.fit", [], {"nb_epoch": 1}),
    ("keras", "Model.compile", [], {"sample_weight_mode": "temporal"}),
    ("tf_keras", "layers.Dense", [3], {"activaton": "relu"}),
    ("tf_keras", "layers.Dense", [3], {"init": "uniform"}),
    ("tf_keras", "layers.Dense", [3], {"batch_size": 4}),
    ("tf_keras", "layers.LSTM", [4], {"batch_input_shape": (2, 3, 4)}),
    ("tf_keras", "layers.LSTM", [4], {"return_sequence": True}),
    ("tf_keras", "optimizers.Adam", [], {"lr": 0.01}),
    ("tf_keras", "optimizers.Adam", [], {"decay": 1e-6}),
    ("tf_keras", "optimizers.legacy.Adam", [], {"lr": 0.01}),
    ("tf_keras", "callbacks.ReduceLROnPlateau", [], {"epsilon": 1e-4}),
    ("tf_keras", "Model.fit", [], {"nb_epoch": 1}),
    ("tf_keras", "Model.compile", [], {"sample_weight_mode": "temporal"}),
]

# Keras-root module paths whose importability the test checks against the table.
MODULES = [
    "keras.layers.core",
    "keras.layers.recurrent",
    "keras.utils.np_utils",
    "keras.wrappers.scikit_learn",
    "keras.preprocessing.text",
    "keras.preprocessing.sequence",
    "keras.backend",
    "keras.engine",
    "tensorflow.keras.preprocessing.text",
    "tensorflow.keras.layers.core",
    "tf_keras.preprocessing.text",
    "tf_keras.layers.core",
    "tf_keras.utils.np_utils",
]


class Logged(logging.Handler):
    """Collects what TensorFlow's logger says (tf_keras warns that way, not with warnings)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def resolve(package: Any, qualname: str) -> Any:
    value = package
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def call(package: Any, qualname: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if qualname == "Model":
        inputs = package.Input(shape=(3,))
        return package.Model(inputs, package.layers.Dense(1)(inputs), **kwargs)
    if qualname.startswith("Model."):
        import numpy as np

        inputs = package.Input(shape=(3,))
        model = package.Model(inputs, package.layers.Dense(1)(inputs))
        if qualname == "Model.fit":
            model.compile(optimizer="sgd", loss="mse")
            return model.fit(np.zeros((4, 3)), np.zeros((4, 1)), verbose=0, **kwargs)
        return getattr(model, qualname.split(".", 1)[1])(
            *args, optimizer="sgd", loss="mse", **kwargs
        )
    return resolve(package, qualname)(*args, **kwargs)


def probe(package: Any, qualname: str, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    logged = Logged()
    loggers = [logging.getLogger(name) for name in ("absl", "tensorflow")]
    for logger in loggers:
        logger.addHandler(logged)
    outcome: dict[str, Any] = {"raised": None, "message": "", "learning_rate": None}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                made = call(package, qualname, args, kwargs)
            except Exception as error:  # noqa: BLE001 - any failure is an outcome here
                outcome["raised"] = type(error).__name__
                outcome["message"] = str(error)
            else:
                rate = getattr(made, "learning_rate", None)
                if rate is not None:
                    outcome["learning_rate"] = float(rate)
    finally:
        for logger in loggers:
            logger.removeHandler(logged)
    outcome["warned"] = [str(w.message) for w in caught] + logged.messages
    return outcome


def _module(path: str) -> Any:
    try:
        return importlib.import_module(path)
    except ImportError:
        return None


def homes() -> dict[str, Any]:
    """For every old name: whether the home the table gives really imports, and, where the
    table gives none under ``keras.``, whether any Keras 3 namespace has the name after all."""
    from shapelint import keras_api

    checked: dict[str, Any] = {}
    for module, names in keras_api.old_modules().items():
        for name in names:
            for root in ("keras", "tensorflow.keras", "tf_keras"):
                home = keras_api.keras3_home(f"{root}.{module}", name)
                key = f"{root}.{module}:{name}"
                if home is not None:
                    path, _, attribute = home.rpartition(".")
                    checked[key] = hasattr(importlib.import_module(path), attribute)
                elif root == "keras":
                    spaces = [f"keras.{n}" if n else "keras" for n in keras_api.HOME_ORDER]
                    found = [s for s in spaces if hasattr(_module(s), name)]
                    checked[key] = found or None
    return checked


def main() -> None:
    output = Path(sys.argv[1])
    sys.path[:0] = [str(ROOT), str(ROOT / "tools")]
    import keras_api as generator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        output.write_text(generator.generate(), encoding="utf-8")
    import keras
    import tf_keras

    packages = {"keras": keras, "tf_keras": tf_keras}
    probes = [
        {"api": api, "qualname": q, "keyword": next(iter(kw)), **probe(packages[api], q, args, kw)}
        for api, q, args, kw in PROBES
    ]
    modules: dict[str, bool] = {}
    for path in MODULES:
        try:
            importlib.import_module(path)
            modules[path] = True
        except ImportError:
            modules[path] = False
    print(json.dumps({"probes": probes, "modules": modules, "homes": homes()}, default=str))


if __name__ == "__main__":
    main()
