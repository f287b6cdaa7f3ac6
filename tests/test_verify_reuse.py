"""A worker trains every run on one model on that model built once (worker.Kept): each
run must come out exactly as plain Keras trains a model built afresh.

The model has what a kept model must put back between runs: dropout (seeds), a stateful
LSTM (states Keras keeps outside the model's variables) and Adam (slots and a step
count). Plain Keras runs in a subprocess of its own, as a user's script would.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from typing import Any

from shapelint.verify.runner import Worker
from shapelint.verify.worker import share_key

MODEL: dict[str, Any] = {
    "layers": [
        {
            "kind": "LSTM",
            "kwargs": {"units": 6, "stateful": True, "dropout": 0.2, "return_sequences": True},
        },
        {"kind": "Dense", "kwargs": {"units": 1}},
    ],
    "input_shape": [5, 3],
    "batch": 4,
    "loss": "mse",
    "optimizer": "adam",
    "keras": 3,
}
OTHER = {**MODEL, "batch": 2}

# The same model in plain Keras, each run on a model built afresh, on the data the worker
# makes (seeded NumPy, inputs then targets).
PLAIN = """
import json, os, sys
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["CUDA_VISIBLE_DEVICES"] = ""
import numpy as np
import keras

answers = []
for action, n in json.loads(sys.argv[1]):
    keras.utils.set_random_seed(0)
    keras.backend.clear_session()
    inputs = keras.Input(batch_shape=(4, 5, 3))
    hidden = keras.layers.LSTM(6, stateful=True, dropout=0.2, return_sequences=True)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    model.compile(loss="mse", optimizer="adam", jit_compile=False)
    rng = np.random.default_rng(0)
    x = rng.random((n, 5, 3), dtype="float32")
    y = rng.random((n, 5, 1), dtype="float32")
    try:
        if action == "fit":
            history = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
            answers.append({"loss": history.history["loss"][-1]})
        else:
            answers.append({"loss": model.evaluate(x, y, batch_size=4, verbose=0)})
    except Exception as error:
        answers.append({"class": type(error).__name__, "text": str(error)})
print(json.dumps(answers))
"""


def _run(model: dict[str, Any], action: str, samples: int) -> dict[str, Any]:
    return {"model": model, "action": action, "samples": samples, "batch_size": 4}


def test_runs_on_a_kept_model_train_as_plain_keras_does_on_a_fresh_one() -> None:
    sequence = [
        _run(MODEL, "fit", 6),  # built: the partial batch of 2 fails on the state of 4
        _run(MODEL, "fit", 8),  # kept
        _run(MODEL, "evaluate", 8),  # kept
        _run(MODEL, "fit", 4),  # kept
        _run(OTHER, "fit", 4),  # another model: built, and kept in place of the first
        _run(MODEL, "fit", 8),  # built again
    ]
    worker = Worker()
    try:
        results = [worker.run(run, timeout=300) for run in sequence]
        process = worker._process
        assert process is not None
        closing = time.monotonic()
        worker.close()
        # It ends at once, without TensorFlow's teardown (which took 1.1 s here).
        assert time.monotonic() - closing < 0.5
        assert process.returncode == 0
    finally:
        worker.close()
    assert [r.get("internal") for r in results] == [None] * 6
    assert [r["reused"] for r in results] == [False, True, True, True, False, False]
    plain_runs = [("fit", 6), ("fit", 8), ("evaluate", 8), ("fit", 4)]
    answer = subprocess.run(
        [sys.executable, "-c", PLAIN, json.dumps(plain_runs)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    failed, fit8, evaluated, fit4 = json.loads(answer.stdout.strip().splitlines()[-1])
    error = results[0]["error"]
    assert error["class"] == failed["class"] == "InvalidArgumentError"
    # The batch of 2 against the state's 4: in the loss ([2,5,1]) or in the LSTM step
    # ([2,24]), whichever of the two ops TensorFlow happens to run first, in plain Keras
    # as in the worker.
    batch_of_two = re.compile(
        r"Incompatible shapes: (\[2,(5,1|24)\] vs\. \[4,\2\]|\[4,(5,1|24)\] vs\. \[2,\3\])"
    )
    assert batch_of_two.fullmatch(error["message"]), error["message"]
    assert batch_of_two.search(failed["text"]), failed["text"]
    # Exactly the losses of plain Keras, kept or built afresh.
    assert results[1]["loss"] == results[5]["loss"] == fit8["loss"]
    assert results[2]["loss"] == evaluated["loss"]
    assert results[3]["loss"] == fit4["loss"]
    assert results[1]["batches"] == 2 and results[3]["batches"] == 1
    assert len({fit8["loss"], evaluated["loss"], fit4["loss"]}) == 3


def test_only_runs_on_a_keras3_model_of_the_facts_share_it() -> None:
    fit = _run(MODEL, "fit", 8)
    assert share_key(fit) == share_key(_run(dict(MODEL), "predict", 4)) is not None
    assert share_key(fit) == share_key({**fit, "model": dict(reversed(list(MODEL.items())))})
    assert share_key(fit) != share_key(_run(OTHER, "fit", 8))
    assert share_key(_run({**MODEL, "keras": 2}, "fit", 8)) is None
    assert share_key({"model": {"keras": 3}, "action": "call", "call": {}}) is None
    assert share_key({"action": "fit"}) is None


def test_the_worker_imports_keras_without_pandas_and_scikit_learn() -> None:
    """Keras imports them, where installed, only to take a DataFrame as data and to wrap
    a model for scikit-learn; the worker does neither, and imports TensorFlow faster."""
    probe = (
        "import json, sys\n"
        "from shapelint.verify.worker import UNUSED, leave_out_unused\n"
        "leave_out_unused()\n"
        "import keras\n"
        "from keras.src.trainers.data_adapters import array_slicing\n"
        "failed = []\n"
        "for name in UNUSED:\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except ImportError:\n"
        "        failed.append(name)\n"
        "print(json.dumps({'failed': failed, 'pandas': array_slicing.pandas is None}))\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    assert json.loads(answer.stdout.strip().splitlines()[-1]) == {
        "failed": ["pandas", "sklearn"],
        "pandas": True,
    }
