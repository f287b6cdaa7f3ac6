"""The process that trains: it reads runs (JSON lines) on stdin and answers on stdout.

It imports TensorFlow once and never imports or executes the user's script: every
model is built from a run's description, and every input is seeded synthetic data.
``python -m shapelint.verify.worker`` starts it; ``shapelint verify`` does that.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sys
import time
import traceback
from typing import Any

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_INTERESTING = (
    "Incompatible shapes",
    "batch size",
    "incompatible",
    "ndim",
    "Unrecognized",
    "stateful",
    "Dimensions must be equal",
    "expected shape",
    "must have the same shape",
    "outside the valid range",
    "except for the last dimension",
)


def quiet_environment() -> None:
    """Fewer TensorFlow banners; the CPU only, for stable messages.

    oneDNN is left as TensorFlow sets it (on, on x86 Linux) or as the user's environment
    does (TF_ENABLE_ONEDNN_OPTS), as the script would train: on this machine its
    kernels take a third less time per step of the seed's LSTMs, and half as much for
    batches of 5. Its banner is written before TF_CPP_MIN_LOG_LEVEL applies, like CUDA's;
    the worker's stderr is shown only with SHAPELINT_VERIFY_DEBUG."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")


def _keras(version: int) -> Any:
    if version == 2:
        import tf_keras

        return tf_keras
    import keras

    return keras


def _layer(k: Any, spec: dict[str, Any], legacy: bool) -> Any:
    kwargs = dict(spec["kwargs"])
    if legacy:
        for name, value in spec.get("legacy_kwargs", {}).items():
            kwargs[name] = tuple(value) if isinstance(value, list) else value
    kind = spec["kind"]
    if kind == "RNN":
        units = kwargs.pop("units")
        cell = getattr(k.layers, spec["cell"])(units)
        layer = k.layers.RNN(cell, **kwargs)
    else:
        for name in ("kernel_size", "target_shape"):
            if isinstance(kwargs.get(name), list):
                kwargs[name] = tuple(kwargs[name])
        layer = getattr(k.layers, kind)(**kwargs)
    wrapper = spec.get("wrapper")
    if wrapper:
        layer = getattr(k.layers, wrapper)(layer, **spec.get("wrapper_kwargs", {}))
    return layer


def build(k: Any, model: dict[str, Any]) -> Any:
    shape = tuple(model["input_shape"])
    batch = model["batch"]
    if batch is None:
        inputs = k.Input(shape=shape)
    else:
        inputs = k.Input(batch_shape=(batch, *shape))
    x = inputs
    for spec in model["layers"]:
        x = _layer(k, spec, legacy=True)(x)
    built = k.Model(inputs, x)
    compile_args: dict[str, Any] = {"loss": model["loss"], "optimizer": model["optimizer"]}
    if model["keras"] == 3:
        compile_args["jit_compile"] = False
    built.compile(**compile_args)
    if model["keras"] == 3:
        # The optimizer's slots, made now as Keras makes them before training under a
        # distribution strategy (zeros, as they would be). Left to the first step, they
        # are made while the step is traced, and TensorFlow traces it a second time.
        built.optimizer.build(built.trainable_variables)
    return built


def share_key(run: dict[str, Any]) -> str | None:
    """Runs with the same key train the same model: one worker builds and traces it once
    and gives every such run the model as it was just built (``Kept``). Keras 3 only,
    whose every source of randomness is a variable that can be put back; None for a run
    that builds no model of the facts (``call``) or one on Keras 2."""
    model = run.get("model")
    if run.get("action") == "call" or not isinstance(model, dict) or model.get("keras") != 3:
        return None
    return json.dumps(model, sort_keys=True)


class Kept:
    """The model of the last run, with the value every variable it trains with had when it
    was built: its weights, its dropout seeds, the stateful layers' states, the optimizer's
    slots and step count, the loss tracker. A run on the same model (``share_key``) gets
    it back with all of them put back, so it trains exactly as a model built afresh would,
    without building and tracing it again."""

    def __init__(self) -> None:
        self.key: str | None = None
        self.model: Any = None
        self._variables: list[Any] = []
        self._values: list[Any] = []

    def take(self, key: str | None) -> Any:
        """The kept model, put back as it was built, if it is the model of ``key``; else
        None (and the kept model is let go)."""
        if key is None or key != self.key:
            self.drop()
            return None
        for variable, value in zip(self._variables, self._values, strict=True):
            variable.assign(value)
        return self.model

    def keep(self, key: str | None, model: Any) -> None:
        self.drop()
        if key is None:
            return
        self.key, self.model = key, model
        self._variables = _state(model)
        self._values = [variable.numpy() for variable in self._variables]

    def drop(self) -> None:
        self.key, self.model, self._variables, self._values = None, None, [], []


def _state(model: Any) -> list[Any]:
    """Every variable a Keras 3 model trains with: its own (with the dropout seeds), the
    optimizer's, the metrics', and the states of stateful recurrent layers, which Keras
    keeps out of the model's variables."""
    variables = [*model.variables, *model.optimizer.variables, *model.metrics_variables]
    for layer in model._flatten_layers(include_self=False):
        if getattr(layer, "stateful", False) and getattr(layer, "states", None) is not None:
            variables.extend(layer.states)
    return variables


class _Counter:
    """Counts the batches Keras runs, notes when validation starts, and when the first
    batch ended (its step traced, and run once)."""

    def __init__(self, k: Any) -> None:
        counter = self

        class Callback(k.callbacks.Callback):  # type: ignore[misc]
            def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
                counter.train += 1
                counter.ended()

            def on_test_begin(self, logs: Any = None) -> None:
                counter.validating = True

            def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
                counter.test += 1
                counter.ended()

            def on_predict_batch_end(self, batch: int, logs: Any = None) -> None:
                counter.predict += 1
                counter.ended()

        self.train = self.test = self.predict = 0
        self.validating = False
        self.first_end: float | None = None
        self.callback = Callback()

    def ended(self) -> None:
        if self.first_end is None:
            self.first_end = time.perf_counter()


def _data(np: Any, rng: Any, n: int, shape: list[int], sparse: int | None) -> Any:
    if sparse is not None:
        return rng.integers(0, sparse, size=(n, *shape)).astype("int32")
    return rng.random((n, *shape), dtype="float32")


def _output_shape(model: Any) -> list[Any]:
    """The model's output shape per sample (None for an unknown dimension)."""
    return [None if d is None else int(d) for d in model.output_shape[1:]]


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def call(k: Any, np: Any, spec: dict[str, Any]) -> Any:
    """Call a Keras callable as the script spells it: a class or function by its qualname
    (``optimizers.SGD``), or a method of a small model of verify's own (``Sequential.fit``),
    given data of its own."""
    kwargs = {name: _tuples(value) for name, value in spec["kwargs"].items()}
    args = [_tuples(value) for value in spec["positional"]]
    owner, _, member = spec["qualname"].rpartition(".")
    if owner in ("Model", "Sequential"):
        model = k.Sequential([k.Input(shape=(4,)), k.layers.Dense(1)])
        if member != "compile":
            model.compile(loss="mse", optimizer="sgd")
        x, y = np.zeros((8, 4), "float32"), np.zeros((8, 1), "float32")
        data = {"predict": (x,), "predict_on_batch": (x,), "compile": ()}.get(member, (x, y))
        if member in ("fit", "evaluate", "predict"):
            kwargs.setdefault("verbose", 0)
        return getattr(model, member)(*data, **kwargs)
    target = k
    for part in spec["qualname"].split("."):
        target = getattr(target, part)
    return target(*args, **kwargs)


KEPT = Kept()


def execute(run: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    spec = run["model"]
    k = _keras(spec["keras"])
    key = share_key(run)
    model = KEPT.take(key)
    if model is None:
        # Seeded afresh for a model built afresh. A kept model has its seeds put back
        # with its variables; seeding again would only make TensorFlow clear its caches
        # and prepare the traced step again (half a second a run, for this model size).
        k.utils.set_random_seed(0)
        if hasattr(k.backend, "clear_session"):
            k.backend.clear_session()
    result: dict[str, Any] = {"error": None, "loss": None, "rows": None, "batches": None}
    result["reused"] = model is not None
    phase = "build"
    counter = _Counter(k)
    training = time.perf_counter()
    try:
        if run["action"] == "call":
            phase = "call"
            call(k, np, run["call"])
            return result
        if model is None:
            building = time.perf_counter()
            model = build(k, spec)
            KEPT.keep(key, model)
            result["build_seconds"] = round(time.perf_counter() - building, 2)
        # What the rebuilt model outputs per sample: a silent target-rank defect is judged
        # by comparing it with the targets' shape.
        out_shape = _output_shape(model)
        result["output_shape"] = out_shape
        if run["action"] == "build":
            return result
        rng = np.random.default_rng(0)
        n = run["samples"]
        b = run.get("batch_size")
        x_shape = run.get("x_shape") or spec["input_shape"]
        y_shape = run.get("y_shape") or out_shape
        sparse = out_shape[-1] if str(spec["loss"]).startswith("sparse") else None
        if sparse is not None:
            y_shape = out_shape[:-1]
        if run.get("targets"):
            # The script's own targets: their shape, and integer labels below a count.
            y_shape, sparse = run["targets"]["shape"], run["targets"].get("labels")
        if run["action"] != "predict":
            result["target_shape"] = [int(d) for d in y_shape]
        x = _data(np, rng, n, x_shape, None)
        y = _data(np, rng, n, y_shape, sparse)
        phase = run["action"]
        training = time.perf_counter()
        callbacks = [counter.callback]
        if run.get("dataset"):
            import tensorflow as tf

            pieces = x if run["action"] == "predict" else (x, y)
            ds = tf.data.Dataset.from_tensor_slices(pieces).batch(
                b, drop_remainder=bool(run.get("drop_remainder"))
            )
            data_args: dict[str, Any] = {"x": ds}
        else:
            data_args = {"x": x, "batch_size": b}
            if run["action"] != "predict":
                data_args["y"] = y
        if run["action"] == "fit":
            if run.get("validation_samples"):
                m = run["validation_samples"]
                validation = (_data(np, rng, m, x_shape, None), _data(np, rng, m, y_shape, sparse))
                data_args["validation_data"] = validation
            history = model.fit(
                **data_args, epochs=1, shuffle=False, verbose=0, callbacks=callbacks
            )
            losses = history.history.get("loss") or [None]
            result["loss"] = losses[-1]
            result["batches"] = counter.train
            result["validation_batches"] = counter.test
        elif run["action"] == "evaluate":
            score = model.evaluate(**data_args, verbose=0, callbacks=callbacks)
            result["loss"] = score[0] if isinstance(score, list) else score
            result["batches"] = counter.test
        else:
            predictions = model.predict(**data_args, verbose=0, callbacks=callbacks)
            result["rows"] = int(predictions.shape[0])
            result["output_shape"] = list(predictions.shape[1:])
            result["batches"] = counter.predict
    except Exception as error:  # noqa: BLE001 - every failure is the result
        if phase == "fit" and counter.validating:
            phase = "validation"
        text = _ANSI.sub("", str(error))
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        useful = [line for line in lines if any(key in line for key in _INTERESTING)]
        result["error"] = {
            "class": type(error).__name__,
            "message": (useful or lines or [""])[0][:500],
            "text": text[-4000:],
            "phase": phase,
        }
    if isinstance(result["loss"], float) and not math.isfinite(result["loss"]):
        result["loss"] = None
    if counter.first_end is not None:
        # The first batch: tracing the step (unless the model is kept) and running it.
        result["first_batch_seconds"] = round(counter.first_end - training, 2)
    return result


# Libraries Keras imports only to accept their objects as data (a pandas DataFrame) or to
# wrap a model for them (scikit-learn), each where it is installed, and does without where
# it is not. The worker gives Keras NumPy arrays and tf.data datasets of its own making,
# so it goes without them: about a second less of importing TensorFlow and Keras.
UNUSED = ("pandas", "sklearn")


def leave_out_unused() -> None:
    """Make ``import`` of each of ``UNUSED`` fail, as if it were not installed."""
    for name in UNUSED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def main() -> int:
    quiet_environment()
    leave_out_unused()
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever TensorFlow prints must not reach the protocol
    with contextlib.suppress(Exception):
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
    for line in sys.stdin:
        if not line.strip():
            continue
        started = time.perf_counter()
        try:
            result = execute(json.loads(line))
        except Exception:  # noqa: BLE001 - an internal error is reported, not raised
            KEPT.drop()  # the next run builds its model afresh
            result = {"internal": traceback.format_exc()[-2000:]}
        result["seconds"] = round(time.perf_counter() - started, 2)
        out.write(json.dumps(result) + "\n")
        out.flush()
    return 0


def leave(code: int) -> None:
    """End the process at once, its answers written: the teardown of TensorFlow and of
    the kept model, which an ordinary exit waits for, took 1.2 s after the seed's runs,
    and verify waited for it."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    leave(main())
