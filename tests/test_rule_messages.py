# ruff: noqa: E501  (the expected messages are whole sentences, kept on one line each)
"""SL001's wording in the cases the fixtures do not reach: a batch that is the only one, a
remainder of one, a call batch size that differs from the model's, validation datasets,
three sample counts, validation_split and a loop over batch sizes. Each expected
number is worked out in a comment."""

from __future__ import annotations

import pytest

from shapelint import check_source, fix_source

MODEL = """import numpy as np
import keras
inputs = keras.Input(batch_shape=(8, 5, 2))
model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(4, stateful=True)(inputs)))
"""


def sl001(source: str) -> list[tuple[int, str, str, dict[str, str]]]:
    """(line, message, fix description, provenance) of each SL001 finding."""
    found = check_source(MODEL + source, select={"SL001"})
    return [
        (f.line, f.message, f.fix.description if f.fix else "", dict(f.provenance))
        for f in sorted(found, key=lambda f: (f.line, f.message))
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # 5 samples < 8: the only batch
            "x = np.zeros((5, 5, 2))\nmodel.fit(x, x[:, 0, :1], batch_size=8, shuffle=False)\n",
            [
                (
                    6,
                    'fit: x (line 5) has 5 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the only batch has 5 samples and the stateful LSTM (line 4) fails at the end of the first epoch with "Incompatible shapes: [5,1] vs. [8,1]".',
                    "Build the model for a batch size that divides 5 (5) and pass the same batch_size to fit.",
                    {"samples": "5 (x, line 5)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="only_batch",
        ),
        pytest.param(
            # 5 validation samples < 8: the only validation batch; no divisor of 5 near 8 but 5
            "x = np.zeros((16, 5, 2))\nv = np.zeros((5, 5, 2))\nmodel.fit(x, x[:, 0, :1], batch_size=8, shuffle=False, validation_data=(v, v[:, 0, :1]))\n",
            [
                (
                    7,
                    'fit: validation data v (line 6) has 5 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the only validation batch has 5 samples and the stateful LSTM (line 4) fails during validation with "Incompatible shapes: [5,1] vs. [8,1]".',
                    "Use 8 * k samples.",
                    {"samples": "5 (v, line 6)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="only_val",
        ),
        pytest.param(
            # predict with batch_size=4 on a model built for 8: 13 % 8 = 5
            "x = np.zeros((13, 5, 2))\nmodel.predict(x, batch_size=4)\n",
            [
                (
                    6,
                    'predict: x (line 5) has 13 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): even with batch_size=8 the last batch would have 5 samples, and the stateful LSTM (line 4) would fail in predict with "Incompatible shapes: [5,4] vs. [8,4]".',
                    "Predict on 8 samples (drop the last 5); or build the model for a batch size that divides 13 (13) and pass the same batch_size to predict.",
                    {"samples": "13 (x, line 5)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="even_with",
        ),
        pytest.param(
            # 9 % 8 = 1: silent
            "x = np.zeros((9, 5, 2))\nmodel.fit(x, x[:, 0, :1], batch_size=8, shuffle=False)\n",
            [
                (
                    6,
                    "fit: x (line 5) has 9 samples, not a multiple of the model's batch size 8 (batch_shape on line 3): the last batch has 1 sample. Keras does not fail here: it broadcasts the state of the stateful LSTM (line 4) over that one sample, so the results are computed with the wrong state. The failure is silent.",
                    "Train on 8 samples (drop the last 1); or build the model for a batch size that divides 9 (3) and pass the same batch_size to fit.",
                    {"samples": "9 (x, line 5)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="one_sample_fit",
        ),
        pytest.param(
            # 17 % 8 = 1: predict returns ceil(17 / 8) * 8 = 24 rows
            "x = np.zeros((17, 5, 2))\nmodel.predict(x, batch_size=8)\n",
            [
                (
                    6,
                    "predict: x (line 5) has 17 samples, not a multiple of the model's batch size 8 (batch_shape on line 3): the last batch has 1 sample. Keras does not fail here: it broadcasts the state of the stateful LSTM (line 4) over that one sample, so predict returns 24 rows for 17 samples, padding the output to whole batches. The failure is silent.",
                    "Predict on 16 samples (drop the last 1); or build the model for a batch size that divides 17 (17) and pass the same batch_size to predict.",
                    {"samples": "17 (x, line 5)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="one_sample_predict",
        ),
        pytest.param(
            # 1 sample < 8
            "x = np.zeros((1, 5, 2))\nmodel.evaluate(x, x[:, 0, :1], batch_size=8)\n",
            [
                (
                    6,
                    "evaluate: x (line 5) has 1 sample, not a multiple of the model's batch size 8 (batch_shape on line 3): the only batch has 1 sample. Keras does not fail here: it broadcasts the state of the stateful LSTM (line 4) over that one sample, so the results are computed with the wrong state. The failure is silent.",
                    "Use 8 * k samples.",
                    {"samples": "1 (x, line 5)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="one_only",
        ),
        pytest.param(
            # 13 % 8 = 5 in a batched validation dataset
            "import tensorflow as tf\nx = np.zeros((16, 5, 2))\nv = tf.data.Dataset.from_tensor_slices((np.zeros((13, 5, 2)), np.zeros((13, 1)))).batch(8)\nmodel.fit(x, x[:, 0, :1], batch_size=8, shuffle=False, validation_data=v)\n",
            [
                (
                    8,
                    'fit: validation dataset v (line 7) has 13 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the last validation batch has 5 samples and the stateful LSTM (line 4) fails during validation with "Incompatible shapes: [5,1] vs. [8,1]".',
                    "Batch v with .batch(8, drop_remainder=True), which drops the last 5 samples, or trim the data to 8 samples before batching.",
                    {"samples": "13 (v, line 7)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="val_dataset",
        ),
        pytest.param(
            # 100 % 8 = 4, 60 % 8 = 4, 90 % 8 = 2; gcd(100, 60) = 20 -> 5 or 10; 90 -> 6 or 9
            "x = np.zeros((100, 5, 2))\nv = np.zeros((60, 5, 2))\nw = np.zeros((90, 5, 2))\nmodel.fit(x, x[:, 0, :1], batch_size=8, validation_data=(v, v[:, 0, :1]))\nmodel.evaluate(w, w[:, 0, :1], batch_size=8)\n",
            [
                (
                    8,
                    'fit: validation data v (line 6) has 60 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the last validation batch has 4 samples and the stateful LSTM (line 4) fails during validation with "Incompatible shapes: [4,1] vs. [8,1]".',
                    "Validate on 56 samples (drop the last 4); or build the model for a batch size that divides both 100 and 60 (5 or 10) and pass the same batch_size to fit.",
                    {"samples": "60 (v, line 6)", "batch_size": "8 = batch_shape on line 3"},
                ),
                (
                    8,
                    'fit: x (line 5) has 100 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the last batch has 4 samples and the stateful LSTM (line 4) fails at the end of the first epoch with "Incompatible shapes: [4,1] vs. [8,1]".',
                    "Train on 96 samples (drop the last 4); or build the model for a batch size that divides both 100 and 60 (5 or 10) and pass the same batch_size to fit.",
                    {"samples": "100 (x, line 5)", "batch_size": "8 = batch_shape on line 3"},
                ),
                (
                    9,
                    'evaluate: w (line 7) has 90 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the last batch has 2 samples and the stateful LSTM (line 4) fails in evaluate with "Incompatible shapes: [2,4] vs. [8,4]".',
                    "Evaluate on 88 samples (drop the last 2); or build the model for a batch size that divides 90 (6 or 9) and pass the same batch_size to evaluate.",
                    {"samples": "90 (w, line 7)", "batch_size": "8 = batch_shape on line 3"},
                ),
            ],
            id="three_sizes",
        ),
        pytest.param(
            # floor(100 * 0.75) = 75 (75 % 8 = 3) and 25 (25 % 8 = 1); gcd 25 -> 5
            "x = np.zeros((100, 5, 2))\nmodel.fit(x, x[:, 0, :1], batch_size=8, validation_split=0.25)\n",
            [
                (
                    6,
                    'fit: the training part of x (line 5) has 75 samples (floor(100 * (1 - 0.25)), validation_split=0.25), not a multiple of the model\'s batch size 8 (batch_shape on line 3): the last batch has 3 samples and the stateful LSTM (line 4) fails at the end of the first epoch with "Incompatible shapes: [3,1] vs. [8,1]".',
                    "Train on 72 samples (drop the last 3); or build the model for a batch size that divides both 75 and 25 (5) and pass the same batch_size to fit.",
                    {
                        "samples": "75 = floor(100 * (1 - 0.25)), validation_split=0.25 (x, line 5)",
                        "batch_size": "8 = batch_shape on line 3",
                    },
                ),
                (
                    6,
                    "fit: the validation part of x (line 5) has 25 samples (100 - 75, validation_split=0.25), not a multiple of the model's batch size 8 (batch_shape on line 3): the last validation batch has 1 sample. Keras does not fail here: it broadcasts the state of the stateful LSTM (line 4) over that one sample, so the results are computed with the wrong state. The failure is silent.",
                    "Validate on 24 samples (drop the last 1); or build the model for a batch size that divides both 75 and 25 (5) and pass the same batch_size to fit.",
                    {
                        "samples": "25 = 100 - 75, validation_split=0.25 (x, line 5)",
                        "batch_size": "8 = batch_shape on line 3",
                    },
                ),
            ],
            id="split",
        ),
        pytest.param(
            # batch sizes 8 and 10: 100 % 10 == 0, 100 % 8 = 4; --fix trims to lcm(8, 10) = 40
            "x = np.zeros((100, 5, 2))\nfor b in [8, 10]:\n    inputs = keras.Input(batch_shape=(b, 5, 2))\n    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(4, stateful=True)(inputs)))\n    model.fit(x, x[:, 0, :1], batch_size=b, shuffle=False)\n",
            [
                (
                    9,
                    'fit: x (line 5) has 100 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 7; b = 8 on line 6): the last batch has 4 samples and the stateful LSTM (line 8) fails at the end of the first epoch with "Incompatible shapes: [4,1] vs. [8,1]".',
                    "Train on 96 samples (drop the last 4); or build the model for a batch size that divides 100 (5 or 10) and pass the same batch_size to fit. (--fix trims to a multiple of 40, which suits every batch size this call runs with.)",
                    {
                        "samples": "100 (x, line 5)",
                        "batch_size": "8 = batch_shape on line 7; b = 8 on line 6",
                    },
                )
            ],
            id="loop",
        ),
        pytest.param(
            # evaluate: the shapes name the LSTM's 4 units
            "x = np.zeros((13, 5, 2))\nmodel.evaluate(x, x[:, 0, :1], batch_size=8)\n",
            [
                (
                    6,
                    'evaluate: x (line 5) has 13 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the last batch has 5 samples and the stateful LSTM (line 4) fails in evaluate with "Incompatible shapes: [5,4] vs. [8,4]".',
                    "Evaluate on 8 samples (drop the last 5); or build the model for a batch size that divides 13 (13) and pass the same batch_size to evaluate.",
                    {"samples": "13 (x, line 5)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="eval_dims",
        ),
        pytest.param(
            # a batched dataset of 13 samples: Keras's batch_size does not apply
            "import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices((np.zeros((13, 5, 2)), np.zeros((13, 1)))).batch(8)\nmodel.fit(ds, shuffle=False)\n",
            [
                (
                    7,
                    'fit: dataset ds (line 6) has 13 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the last batch has 5 samples and the stateful LSTM (line 4) fails at the end of the first epoch with "Incompatible shapes: [5,1] vs. [8,1]".',
                    "Batch ds with .batch(8, drop_remainder=True), which drops the last 5 samples, or trim the data to 8 samples before batching.",
                    {"samples": "13 (ds, line 6)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="dataset_fit",
        ),
        pytest.param(
            # predict on the same dataset: the shapes name the LSTM's 4 units
            "import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices((np.zeros((13, 5, 2)), np.zeros((13, 1)))).batch(8)\nmodel.predict(ds)\n",
            [
                (
                    7,
                    'predict: dataset ds (line 6) has 13 samples, not a multiple of the model\'s batch size 8 (batch_shape on line 3): the last batch has 5 samples and the stateful LSTM (line 4) fails in predict with "Incompatible shapes: [5,4] vs. [8,4]".',
                    "Batch ds with .batch(8, drop_remainder=True), which drops the last 5 samples, or trim the data to 8 samples before batching.",
                    {"samples": "13 (ds, line 6)", "batch_size": "8 = batch_shape on line 3"},
                )
            ],
            id="dataset_predict",
        ),
    ],
)
def test_sl001_wording(source: str, expected: list[tuple[int, str, str, dict[str, str]]]) -> None:
    assert sl001(source) == expected


UNKNOWN_SIZE = """import keras
import numpy as np
import tensorflow as tf
from data import load
x, y = load()
inputs = keras.Input(batch_shape=(8, 10, 2))
model = keras.Model(inputs, keras.layers.LSTM(4, stateful=True)(inputs))
"""


def sl009(source: str) -> list[tuple[int, str]]:
    found = check_source(UNKNOWN_SIZE + source, select={"SL009"})
    return [(f.line, f.message) for f in found]


def test_sl009_a_dataset_batched_without_drop_remainder_is_unguarded() -> None:
    source = "ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)\nmodel.fit(ds)\n"
    assert sl009(source) == [
        (
            9,
            'fit: the number of samples in ds (line 8) cannot be known before the script runs, and nothing makes it a multiple of the model\'s batch size 8 (batch_shape on line 6): unless it happens to be one, the last batch is partial and the stateful LSTM (line 7) fails with "Incompatible shapes: [r,...] vs. [8,...]".',
        )
    ]


def test_sl009_data_without_a_name_has_no_line() -> None:
    assert sl009("model.fit(load()[0], y, batch_size=8)\n") == [
        (
            8,
            'fit: the number of samples in load()[0] cannot be known before the script runs, and nothing makes it a multiple of the model\'s batch size 8 (batch_shape on line 6): unless it happens to be one, the last batch is partial and the stateful LSTM (line 7) fails with "Incompatible shapes: [r,...] vs. [8,...]".',
        )
    ]


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("x = x[: len(x) // 4 * 4]\nmodel.fit(x, y, batch_size=8)\n", [9]),  # 4 is not 8
        ("x = x[: len(x) // 16 * 16]\nmodel.fit(x, y, batch_size=8)\n", []),  # 16 is 2 * 8
        ("x = x[: len(x) // 8 * 8]\nmodel.fit(x, y, batch_size=8)\n", []),
        ("model.fit(x, y, batch_size=8, steps_per_epoch=10)\n", []),
        ("model.predict(x, batch_size=8)\n", []),
        ("model.evaluate(x, y, batch_size=8)\n", []),
        (
            "ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8, drop_remainder=True)\nmodel.fit(ds)\n",
            [],
        ),
        ("x = np.zeros((1735, 10, 2))\nmodel.fit(x, x[:, 0, :1], batch_size=8)\n", []),  # SL001's
    ],
)
def test_sl009_guards(source: str, lines: list[int]) -> None:
    assert [line for line, _ in sl009(source)] == lines


def sl008(source: str) -> list[tuple[int, str, str, str | None]]:
    found = check_source("import keras\n" + source, select={"SL008"})
    return [(f.line, f.message, f.fix.description if f.fix else "", f.autofix) for f in found]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # time_major=True: the data must change too, so no autofix
            "model = keras.Sequential([keras.layers.LSTM(4, time_major=True, input_shape=(10, 2))])\n",
            [
                (
                    2,
                    "time_major on the LSTM is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'time_major': True}\".",
                    "Remove time_major=True and feed the data as (batch, time, features).",
                    None,
                )
            ],
            id="time_major_true",
        ),
        pytest.param(
            # time_major=False: removing it changes nothing
            "model = keras.Sequential([keras.layers.LSTM(4, time_major=False, input_shape=(10, 2))])\n",
            [
                (
                    2,
                    "time_major on the LSTM is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'time_major': False}\".",
                    "Remove time_major (Keras 3 layers are always batch-major).",
                    "safe",
                )
            ],
            id="time_major_false",
        ),
        pytest.param(
            # an unknown time_major: no autofix
            "tm = cfg()\nmodel = keras.Sequential([keras.layers.LSTM(4, time_major=tm, input_shape=(10, 2))])\n",
            [
                (
                    3,
                    "time_major on the LSTM is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'time_major': ...}\".",
                    "Remove time_major (Keras 3 layers are always batch-major).",
                    None,
                )
            ],
            id="time_major_var",
        ),
        pytest.param(
            # input_length with input_dim: both become input_shape
            "model = keras.Sequential([keras.layers.GRU(4, input_length=10, input_dim=2)])\n",
            [
                (
                    2,
                    "input_length on the GRU is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to GRU: {'input_length': 10}\".",
                    "Replace input_length and input_dim with input_shape=(10, 2), or start the model with keras.Input(shape=(...)).",
                    "safe",
                )
            ],
            id="input_length_dim",
        ),
        pytest.param(
            # input_length alone
            "model = keras.Sequential([keras.Input(shape=(10, 2)), keras.layers.GRU(4, input_length=10)])\n",
            [
                (
                    2,
                    "input_length on the GRU is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to GRU: {'input_length': 10}\".",
                    "Remove input_length; the input's shape gives the time steps.",
                    "safe",
                )
            ],
            id="input_length",
        ),
        pytest.param(
            # two recurrent arguments, one of them time_major=True
            "model = keras.Sequential([keras.layers.LSTM(4, input_length=10, time_major=True, input_dim=2)])\n",
            [
                (
                    2,
                    "input_length and time_major on the LSTM are not Keras 3 arguments: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'input_length': 10, 'time_major': True}\".",
                    "Remove time_major=True and feed the data as (batch, time, features); replace input_length and input_dim with input_shape=(10, 2), or start the model with keras.Input(shape=(...)).",
                    None,
                )
            ],
            id="both_legacy",
        ),
        pytest.param(
            # batch_size with input_shape: the batch shape is both
            "model = keras.Sequential([keras.layers.LSTM(4, batch_size=8, input_shape=(10, 2), stateful=True)])\n",
            [
                (
                    2,
                    "batch_size on the LSTM is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'batch_size': 8}\".",
                    "Remove batch_size and start the model with keras.Input(batch_shape=(8, 10, 2)) (for a Sequential model: model.add(keras.Input(...)) first); or keep Keras 2 by importing tf_keras.",
                    "safe",
                )
            ],
            id="batch_size_shape",
        ),
        pytest.param(
            # batch_size without a shape: the shape is not known
            "model = keras.Sequential([keras.layers.LSTM(4, batch_size=8, stateful=True)])\n",
            [
                (
                    2,
                    "batch_size on the LSTM is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'batch_size': 8}\".",
                    "Remove batch_size and start the model with keras.Input(batch_shape=(batch, ...)) (for a Sequential model: model.add(keras.Input(...)) first); or keep Keras 2 by importing tf_keras.",
                    None,
                )
            ],
            id="batch_size_only",
        ),
        pytest.param(
            # both batch arguments on one layer
            "model = keras.Sequential([keras.layers.LSTM(4, batch_input_shape=(8, 10, 2), batch_size=8, stateful=True)])\n",
            [
                (
                    2,
                    "batch_input_shape and batch_size on the LSTM are not Keras 3 arguments: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': (8, 10, 2), 'batch_size': 8}\".",
                    "Remove batch_input_shape and batch_size and start the model with keras.Input(batch_shape=(8, 10, 2)) (for a Sequential model: model.add(keras.Input(...)) first); or keep Keras 2 by importing tf_keras.",
                    "safe",
                )
            ],
            id="two_batch",
        ),
        pytest.param(
            # on the wrapper: Keras names the wrapper
            "model = keras.Sequential([keras.layers.Bidirectional(keras.layers.LSTM(4, stateful=True), batch_input_shape=(8, 10, 2))])\n",
            [
                (
                    2,
                    "batch_input_shape on the Bidirectional(LSTM) is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to Bidirectional: {'batch_input_shape': (8, 10, 2)}\".",
                    "Remove batch_input_shape and start the model with keras.Input(batch_shape=(8, 10, 2)) (for a Sequential model: model.add(keras.Input(...)) first); or keep Keras 2 by importing tf_keras.",
                    "safe",
                )
            ],
            id="wrapper",
        ),
        pytest.param(
            # not the first layer: moving it to an Input is not automatic
            "model = keras.Sequential([keras.layers.Dense(2, input_shape=(10, 2)), keras.layers.LSTM(4, batch_input_shape=(8, 10, 2))])\n",
            [
                (
                    2,
                    "batch_input_shape on the LSTM is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': (8, 10, 2)}\".",
                    "Remove batch_input_shape and start the model with keras.Input(batch_shape=(8, 10, 2)) (for a Sequential model: model.add(keras.Input(...)) first); or keep Keras 2 by importing tf_keras.",
                    None,
                )
            ],
            id="second_layer",
        ),
        pytest.param(
            # a functional model: no automatic move
            "inp = keras.Input(shape=(10, 2))\nout = keras.layers.LSTM(4, batch_input_shape=(8, 10, 2))(inp)\nmodel = keras.Model(inp, out)\n",
            [
                (
                    3,
                    "batch_input_shape on the LSTM is not a Keras 3 argument: Keras 3 rejects the layer with \"Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': (8, 10, 2)}\".",
                    "Remove batch_input_shape and start the model with keras.Input(batch_shape=(8, 10, 2)) (for a Sequential model: model.add(keras.Input(...)) first); or keep Keras 2 by importing tf_keras.",
                    None,
                )
            ],
            id="functional",
        ),
    ],
)
def test_sl008_wording(source: str, expected: list[tuple[int, str, str, str | None]]) -> None:
    assert sl008(source) == expected


# (line, message, fix description, provenance, autofix) of a finding.
Found = tuple[int, str, str, dict[str, str], str | None]


def found(source: str, code: str) -> list[Found]:
    """Every finding of one rule, in position order."""
    findings = sorted(check_source(source, select={code}), key=lambda f: (f.line, f.message))
    return [
        (f.line, f.message, f.fix.description if f.fix else "", dict(f.provenance), f.autofix)
        for f in findings
    ]


SL002_MODEL = "import keras\nimport numpy as np\nimport tensorflow as tf\nx = np.zeros((90, 5, 2))\ninputs = keras.Input(batch_shape=(30, 5, 2))\nmodel = keras.Model(inputs, keras.layers.LSTM(4, stateful=True)(inputs))\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # batch_size=15 on 90 samples: the first batch has 15
            "model.fit(x, x[:, 0, :1], batch_size=15, shuffle=False)\n",
            [
                (
                    7,
                    'fit uses batch_size=15, but the stateful LSTM (line 6) is built for batch size 30 (batch_shape on line 5): Keras fails at the first batch with "Incompatible shapes: [15,...] vs. [30,...]" (in eager mode: "the batch size of the input sequences must be the same as the batch size of the initial state").',
                    "Pass batch_size=30 to fit, or build the model for batch size 15.",
                    {
                        "call_batch_size": "15 = batch_size=15",
                        "batch_size": "30 = batch_shape on line 5",
                    },
                    "safe",
                )
            ],
            id="explicit",
        ),
        pytest.param(
            # the call's batch size is a named constant
            "B = 45\nmodel.predict(x, batch_size=B)\n",
            [
                (
                    8,
                    'predict uses batch_size=45, but the stateful LSTM (line 6) is built for batch size 30 (batch_shape on line 5): Keras fails at the first batch with "Incompatible shapes: [45,...] vs. [30,...]" (in eager mode: "the batch size of the input sequences must be the same as the batch size of the initial state").',
                    "Pass batch_size=30 to predict, or build the model for batch size 45.",
                    {
                        "call_batch_size": "45 = batch_size=45 (B = 45 on line 7)",
                        "batch_size": "30 = batch_shape on line 5",
                    },
                    "safe",
                )
            ],
            id="named",
        ),
        pytest.param(
            # Keras's default 32 for 90 samples
            "model.evaluate(x, x[:, 0, :1])\n",
            [
                (
                    7,
                    'evaluate uses Keras\'s default batch size 32 (batch_size is not given), but the stateful LSTM (line 6) is built for batch size 30 (batch_shape on line 5): Keras fails at the first batch with "Incompatible shapes: [32,...] vs. [30,...]" (in eager mode: "the batch size of the input sequences must be the same as the batch size of the initial state").',
                    "Pass batch_size=30 to evaluate, or build the model for batch size 32.",
                    {
                        "call_batch_size": "32 = Keras's default",
                        "batch_size": "30 = batch_shape on line 5",
                    },
                    "safe",
                )
            ],
            id="default",
        ),
        pytest.param(
            # batch_size=1: silent
            "model.predict(x, batch_size=1)\n",
            [
                (
                    7,
                    "predict uses batch_size=1, but the stateful LSTM (line 6) is built for batch size 30 (batch_shape on line 5): Keras does not fail on a batch of 1: it broadcasts the state over it, so the results are silently wrong.",
                    "Pass batch_size=30 to predict, or build the model for batch size 1.",
                    {
                        "call_batch_size": "1 = batch_size=1",
                        "batch_size": "30 = batch_shape on line 5",
                    },
                    "safe",
                )
            ],
            id="one",
        ),
        pytest.param(
            # a dataset batched by 10
            "ds = tf.data.Dataset.from_tensor_slices((x, x[:, 0, :1])).batch(10)\nmodel.fit(ds)\n",
            [
                (
                    8,
                    'fit uses dataset ds, batched by 10, but the stateful LSTM (line 6) is built for batch size 30 (batch_shape on line 5): Keras fails at the first batch with "Incompatible shapes: [10,...] vs. [30,...]" (in eager mode: "the batch size of the input sequences must be the same as the batch size of the initial state").',
                    "Batch ds with .batch(30), or build the model for batch size 10.",
                    {
                        "call_batch_size": "10 = .batch(10) on ds",
                        "batch_size": "30 = batch_shape on line 5",
                    },
                    None,
                )
            ],
            id="dataset",
        ),
        pytest.param(
            # 30 samples with batch_size=64: the one batch has 30, which fits
            "model.predict(x[:30], batch_size=64)\n",
            [],
            id="fewer_than_c",
        ),
        pytest.param(
            # 20 samples with batch_size=64: the one batch has 20
            "model.predict(x[:20], batch_size=64)\n",
            [
                (
                    7,
                    'predict uses batch_size=64, but the stateful LSTM (line 6) is built for batch size 30 (batch_shape on line 5): Keras fails at the first batch with "Incompatible shapes: [20,...] vs. [30,...]" (in eager mode: "the batch size of the input sequences must be the same as the batch size of the initial state").',
                    "Pass batch_size=30 to predict, or build the model for batch size 64.",
                    {
                        "call_batch_size": "64 = batch_size=64",
                        "batch_size": "30 = batch_shape on line 5",
                    },
                    "safe",
                )
            ],
            id="fewer_not_b",
        ),
        pytest.param(
            # an unknown count with batch_size=10: the first batch is 10
            "import sys\nz = np.zeros((int(sys.argv[1]), 5, 2))\nmodel.predict(z, batch_size=10)\n",
            [
                (
                    9,
                    'predict uses batch_size=10, but the stateful LSTM (line 6) is built for batch size 30 (batch_shape on line 5): Keras fails at the first batch with "Incompatible shapes: [10,...] vs. [30,...]" (in eager mode: "the batch size of the input sequences must be the same as the batch size of the initial state").',
                    "Pass batch_size=30 to predict, or build the model for batch size 10.",
                    {
                        "call_batch_size": "10 = batch_size=10",
                        "batch_size": "30 = batch_shape on line 5",
                    },
                    "safe",
                )
            ],
            id="unknown_smaller",
        ),
        pytest.param(
            # an unknown count with batch_size=64: the first batch might be 30
            "import sys\nz = np.zeros((int(sys.argv[1]), 5, 2))\nmodel.predict(z, batch_size=64)\n",
            [],
            id="unknown_larger",
        ),
        pytest.param(
            # steps limit the batches
            "model.fit(x, x[:, 0, :1], batch_size=15, steps_per_epoch=2)\n",
            [],
            id="steps",
        ),
        pytest.param(
            # batch_size=0 is not a batch size
            "model.predict(x, batch_size=0)\n",
            [],
            id="zero",
        ),
        pytest.param(
            # the model's own batch size
            "model.predict(x, batch_size=30)\n",
            [],
            id="same",
        ),
    ],
)
def test_sl002_wording(source: str, expected: list[Found]) -> None:
    assert found(SL002_MODEL + source, "SL002") == expected


SL003_KERAS3 = "import keras\nimport numpy as np\nx = np.zeros((90, 5, 2))\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # one explicit call batch size: the fix uses it
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4, stateful=True)])\nmodel.fit(x, x[:, 0, :1], batch_size=15)\n",
            [
                (
                    4,
                    "the stateful LSTM needs a fixed batch size, but the input of model 'model' (line 4) leaves the batch size open: Keras fails when it builds the model with \"When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: sequence.shape=(None, 5, 2)\".",
                    "Give the input a fixed batch size: keras.Input(batch_shape=(15, 5, 2)) with Keras 3, or batch_input_shape=(15, 5, 2) on the first layer with tf_keras / Keras 2.",
                    {},
                    None,
                )
            ],
            id="keras3_call_batch",
        ),
        pytest.param(
            # two call batch sizes: B
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4, stateful=True)])\nmodel.fit(x, x[:, 0, :1], batch_size=15)\nmodel.predict(x, batch_size=10)\n",
            [
                (
                    4,
                    "the stateful LSTM needs a fixed batch size, but the input of model 'model' (line 4) leaves the batch size open: Keras fails when it builds the model with \"When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: sequence.shape=(None, 5, 2)\".",
                    "Give the input a fixed batch size: keras.Input(batch_shape=(B, 5, 2)) with Keras 3, or batch_input_shape=(B, 5, 2) on the first layer with tf_keras / Keras 2.",
                    {},
                    None,
                )
            ],
            id="keras3_two_sizes",
        ),
        pytest.param(
            # only the default batch size: B
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4, stateful=True)])\nmodel.fit(x, x[:, 0, :1])\n",
            [
                (
                    4,
                    "the stateful LSTM needs a fixed batch size, but the input of model 'model' (line 4) leaves the batch size open: Keras fails when it builds the model with \"When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: sequence.shape=(None, 5, 2)\".",
                    "Give the input a fixed batch size: keras.Input(batch_shape=(B, 5, 2)) with Keras 3, or batch_input_shape=(B, 5, 2) on the first layer with tf_keras / Keras 2.",
                    {},
                    None,
                )
            ],
            id="keras3_default",
        ),
        pytest.param(
            # no input shape known
            "model = keras.Sequential([keras.layers.GRU(4, stateful=True)])\n",
            [],
            id="no_shape",
        ),
        pytest.param(
            # an unknown time axis
            "inp = keras.Input(shape=(None, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4, stateful=True)(inp))\n",
            [
                (
                    5,
                    "the stateful LSTM needs a fixed batch size, but the input of model 'model' (line 4) leaves the batch size open: Keras fails when it builds the model with \"When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: sequence.shape=(None, None, 2)\".",
                    "Give the input a fixed batch size: keras.Input(batch_shape=(B, None, 2)) with Keras 3, or batch_input_shape=(B, None, 2) on the first layer with tf_keras / Keras 2.",
                    {},
                    None,
                )
            ],
            id="none_dim",
        ),
        pytest.param(
            # a call batch size that is not known
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4, stateful=True)])\nmodel.fit(x, x[:, 0, :1], batch_size=int(input()))\n",
            [
                (
                    4,
                    "the stateful LSTM needs a fixed batch size, but the input of model 'model' (line 4) leaves the batch size open: Keras fails when it builds the model with \"When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: sequence.shape=(None, 5, 2)\".",
                    "Give the input a fixed batch size: keras.Input(batch_shape=(B, 5, 2)) with Keras 3, or batch_input_shape=(B, 5, 2) on the first layer with tf_keras / Keras 2.",
                    {},
                    None,
                )
            ],
            id="unknown_call_batch",
        ),
    ],
)
def test_sl003_wording(source: str, expected: list[Found]) -> None:
    assert found(SL003_KERAS3 + source, "SL003") == expected


SL003_KERAS2 = "import tf_keras as keras\nimport numpy as np\nx = np.zeros((90, 5, 2))\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # Keras 2's error
            "model = keras.Sequential([keras.layers.LSTM(4, stateful=True, input_shape=(5, 2))])\nmodel.fit(x, x[:, 0, :1], batch_size=15)\n",
            [
                (
                    4,
                    "the stateful LSTM needs a fixed batch size, but the input of model 'model' (line 4) leaves the batch size open: Keras fails when it builds the model with \"If a RNN is stateful, it needs to know its batch size. Specify the batch size of your input tensors\".",
                    "Give the input a fixed batch size: keras.Input(batch_shape=(15, 5, 2)) with Keras 3, or batch_input_shape=(15, 5, 2) on the first layer with tf_keras / Keras 2.",
                    {},
                    None,
                )
            ],
            id="keras2",
        ),
    ],
)
def test_sl003_wording_keras2(source: str, expected: list[Found]) -> None:
    assert found(SL003_KERAS2 + source, "SL003") == expected


SL007_DATA = "import keras\nimport numpy as np\nx = np.zeros((90, 5, 2))\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # shuffle defaults to True
            "inp = keras.Input(batch_shape=(30, 5, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4, stateful=True)(inp))\nmodel.fit(x, x[:, 0, :1], batch_size=30)\n",
            [
                (
                    6,
                    "fit shuffles x (shuffle defaults to True for arrays), but the stateful LSTM (line 5) carries its state from each batch to the next: every batch then starts from the state of an unrelated one, which defeats the stateful layer.",
                    "Pass shuffle=False to fit.",
                    {},
                    "safe",
                )
            ],
            id="default",
        ),
        pytest.param(
            # shuffle=True
            "inp = keras.Input(batch_shape=(30, 5, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4, stateful=True)(inp))\nmodel.fit(x, x[:, 0, :1], batch_size=30, shuffle=True)\n",
            [
                (
                    6,
                    "fit shuffles x (shuffle=True), but the stateful LSTM (line 5) carries its state from each batch to the next: every batch then starts from the state of an unrelated one, which defeats the stateful layer.",
                    "Pass shuffle=False to fit.",
                    {},
                    "safe",
                )
            ],
            id="explicit",
        ),
        pytest.param(
            # shuffle=False
            "inp = keras.Input(batch_shape=(30, 5, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4, stateful=True)(inp))\nmodel.fit(x, x[:, 0, :1], batch_size=30, shuffle=False)\n",
            [],
            id="off",
        ),
        pytest.param(
            # predict never shuffles
            "inp = keras.Input(batch_shape=(30, 5, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4, stateful=True)(inp))\nmodel.predict(x, batch_size=30)\n",
            [],
            id="predict",
        ),
        pytest.param(
            # not stateful
            "inp = keras.Input(batch_shape=(30, 5, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4)(inp))\nmodel.fit(x, x[:, 0, :1], batch_size=30)\n",
            [],
            id="not_stateful",
        ),
        pytest.param(
            # shuffle not known
            "inp = keras.Input(batch_shape=(30, 5, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4, stateful=True)(inp))\nmodel.fit(x, x[:, 0, :1], batch_size=30, shuffle=flag)\n",
            [],
            id="unknown",
        ),
    ],
)
def test_sl007_wording(source: str, expected: list[Found]) -> None:
    assert found(SL007_DATA + source, "SL007") == expected


SL004_HEADER = "import keras\nimport numpy as np\nimport tensorflow as tf\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # the third and fourth layers
            "model = keras.Sequential([keras.layers.Dense(4, input_shape=(8,)), keras.layers.Dense(4), keras.layers.Dense(4, input_dim=4), keras.layers.Dense(2, batch_size=3)])\n",
            [
                (
                    4,
                    "batch_size=3 on the Dense (the fourth layer of Sequential model 'model') is ignored: only the model's input defines its shape, here input_shape=(8,) on the first layer (line 4). Keras 3 warns \"Do not pass an `input_shape`/`input_dim` argument to a layer\"; Keras 2 drops it silently.",
                    "Remove batch_size from the Dense; the shapes between layers follow from the model's input.",
                    {},
                    "safe",
                ),
                (
                    4,
                    "input_dim=4 on the Dense (the third layer of Sequential model 'model') is ignored: only the model's input defines its shape, here input_shape=(8,) on the first layer (line 4). Keras 3 warns \"Do not pass an `input_shape`/`input_dim` argument to a layer\"; Keras 2 drops it silently.",
                    "Remove input_dim from the Dense; the shapes between layers follow from the model's input.",
                    {},
                    "safe",
                ),
            ],
            id="third_and_fourth",
        ),
        pytest.param(
            # the fifth layer
            "model = keras.Sequential([keras.layers.Dense(4, batch_input_shape=(2, 8)), keras.layers.Dense(4), keras.layers.Dense(4), keras.layers.Dense(4), keras.layers.Dense(2, input_shape=(4,))])\n",
            [
                (
                    4,
                    "input_shape=(4,) on the Dense (the 5th layer of Sequential model 'model') is ignored: only the model's input defines its shape, here batch_input_shape=(2, 8) on the first layer (line 4). Keras 3 warns \"Do not pass an `input_shape`/`input_dim` argument to a layer\"; Keras 2 drops it silently.",
                    "Remove input_shape from the Dense; the shapes between layers follow from the model's input.",
                    {},
                    "safe",
                )
            ],
            id="fifth",
        ),
        pytest.param(
            # after an Input
            "model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4, input_shape=(8,), batch_size=2)])\n",
            [
                (
                    4,
                    "input_shape=(8,), batch_size=2 on the Dense (a layer after the Input of Sequential model 'model') is ignored: only the model's input defines its shape, here the model's Input. Keras 3 warns \"Do not pass an `input_shape`/`input_dim` argument to a layer\"; Keras 2 drops it silently.",
                    "Remove input_shape, batch_size from the Dense; the shapes between layers follow from the model's input.",
                    {},
                    "safe",
                )
            ],
            id="after_input",
        ),
        pytest.param(
            # the first layer has no input arguments
            "model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(4, input_shape=(8,))])\n",
            [
                (
                    4,
                    "input_shape=(8,) on the Dense (the second layer of Sequential model 'model') is ignored: only the model's input defines its shape, here the first layer (line 4). Keras 3 warns \"Do not pass an `input_shape`/`input_dim` argument to a layer\"; Keras 2 drops it silently.",
                    "Remove input_shape from the Dense; the shapes between layers follow from the model's input.",
                    {},
                    "safe",
                )
            ],
            id="first_without_shape",
        ),
        pytest.param(
            # an Embedding's input_dim is its vocabulary
            "model = keras.Sequential([keras.layers.Dense(4, input_shape=(8,)), keras.layers.Embedding(input_dim=64, output_dim=8)])\n",
            [],
            id="embedding",
        ),
        pytest.param(
            # a one-element shape
            "model = keras.Sequential([keras.layers.Dense(4, input_shape=(8,)), keras.layers.Dense(4, input_shape=(4,))])\n",
            [
                (
                    4,
                    "input_shape=(4,) on the Dense (the second layer of Sequential model 'model') is ignored: only the model's input defines its shape, here input_shape=(8,) on the first layer (line 4). Keras 3 warns \"Do not pass an `input_shape`/`input_dim` argument to a layer\"; Keras 2 drops it silently.",
                    "Remove input_shape from the Dense; the shapes between layers follow from the model's input.",
                    {},
                    "safe",
                )
            ],
            id="one_tuple",
        ),
    ],
)
def test_sl004_wording(source: str, expected: list[Found]) -> None:
    assert found(SL004_HEADER + source, "SL004") == expected


SL005_HEADER = "import keras\nimport numpy as np\nimport tensorflow as tf\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # a dataset of (7,) samples into a (5, 2) input
            "inp = keras.Input(shape=(5, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4)(inp))\nds = tf.data.Dataset.from_tensor_slices(np.zeros((90, 7))).batch(9)\nmodel.fit(ds)\n",
            [
                (
                    7,
                    "fit: dataset ds (line 6) holds samples of shape (7,), but model 'model' takes (5, 2) (its input, line 4): Keras stops with \"... is incompatible with the layer: expected shape=(None, 5, 2), found shape=(None, 7)\".",
                    "Reshape the data to (5, 2) per sample, or declare the model's input as (7,).",
                    {},
                    None,
                )
            ],
            id="dataset",
        ),
        pytest.param(
            # data without a name
            "inp = keras.Input(shape=(5, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4)(inp))\nmodel.predict(np.zeros((90, 5, 3)))\n",
            [
                (
                    6,
                    "predict: x holds samples of shape (5, 3), but model 'model' takes (5, 2) (its input, line 4): Keras stops with \"... is incompatible with the layer: expected shape=(None, 5, 2), found shape=(None, 5, 3)\".",
                    "Reshape the data to (5, 2) per sample, or declare the model's input as (5, 3).",
                    {},
                    None,
                )
            ],
            id="unnamed",
        ),
        pytest.param(
            # data one rank short of a trailing 1 is fine
            "inp = keras.Input(shape=(5, 1))\nmodel = keras.Model(inp, keras.layers.LSTM(4)(inp))\nmodel.predict(np.zeros((90, 5)))\n",
            [],
            id="trailing_one",
        ),
        pytest.param(
            # an unknown model dim matches anything
            "inp = keras.Input(shape=(None, 2))\nmodel = keras.Model(inp, keras.layers.LSTM(4)(inp))\nmodel.predict(np.zeros((90, 5, 2)))\n",
            [],
            id="unknown_dim",
        ),
        pytest.param(
            # a one-axis input_shape on an LSTM
            "model = keras.Sequential([keras.layers.LSTM(4, input_shape=(5,))])\n",
            [
                (
                    4,
                    'input_shape=(5,) on the LSTM gives 1 axis per sample, but a LSTM takes (timesteps, features): Keras stops with "expected ndim=3, found ndim=2".',
                    "Give the input shape as (timesteps, features), without the batch axis",
                    {},
                    None,
                )
            ],
            id="rank_one_layer",
        ),
        pytest.param(
            # three axes on an LSTM
            "model = keras.Sequential([keras.layers.LSTM(4, input_shape=(5, 2, 1))])\n",
            [
                (
                    4,
                    'input_shape=(5, 2, 1) on the LSTM gives 3 axes per sample, but a LSTM takes (timesteps, features): Keras stops with "expected ndim=3, found ndim=4".',
                    "Give the input shape as (timesteps, features), without the batch axis",
                    {},
                    None,
                )
            ],
            id="rank_three_layer",
        ),
        pytest.param(
            # batch_input_shape drops the batch axis
            "model = keras.Sequential([keras.layers.GRU(4, batch_input_shape=(8, 5))])\n",
            [
                (
                    4,
                    'batch_input_shape=(8, 5) on the GRU gives 1 axis per sample, but a GRU takes (timesteps, features): Keras stops with "expected ndim=3, found ndim=2".',
                    "Give the input shape as (timesteps, features), without the batch axis",
                    {},
                    None,
                )
            ],
            id="batch_input_rank",
        ),
        pytest.param(
            # ConvLSTM2D takes 4 axes
            "model = keras.Sequential([keras.layers.ConvLSTM2D(4, 3, input_shape=(5, 8, 8))])\n",
            [
                (
                    4,
                    'input_shape=(5, 8, 8) on the ConvLSTM2D gives 3 axes per sample, but a ConvLSTM2D takes 4 axes per sample: Keras stops with "expected ndim=5, found ndim=4".',
                    "Give the input shape with 4 axes per sample",
                    {},
                    None,
                )
            ],
            id="conv_lstm",
        ),
        pytest.param(
            # TimeDistributed is not judged
            "model = keras.Sequential([keras.layers.TimeDistributed(keras.layers.LSTM(4), input_shape=(5, 2))])\n",
            [],
            id="time_distributed",
        ),
    ],
)
def test_sl005_wording(source: str, expected: list[Found]) -> None:
    assert found(SL005_HEADER + source, "SL005") == expected


SL006_HEADER = "import keras\nimport numpy as np\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # an LSTM's last step through Dense into another LSTM
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4), keras.layers.Dropout(0.1), keras.layers.Dense(3), keras.layers.LSTM(2)])\n",
            [
                (
                    3,
                    'the LSTM (line 3) receives 2-D input because the LSTM earlier (line 3) returns only its last step (return_sequences=False): Keras stops with "... is incompatible with the layer: expected ndim=3, found ndim=2".',
                    "Pass return_sequences=True to the LSTM on line 3, so that it returns the whole sequence.",
                    {},
                    "unsafe",
                )
            ],
            id="dense_between",
        ),
        pytest.param(
            # an LSTM right before another
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4), keras.layers.GRU(2)])\n",
            [
                (
                    3,
                    'the GRU (line 3) receives 2-D input because the LSTM before it (line 3) returns only its last step (return_sequences=False): Keras stops with "... is incompatible with the layer: expected ndim=3, found ndim=2".',
                    "Pass return_sequences=True to the LSTM on line 3, so that it returns the whole sequence.",
                    {},
                    "unsafe",
                )
            ],
            id="right_before",
        ),
        pytest.param(
            # a Flatten drops the time axis
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.Flatten(), keras.layers.LSTM(2)])\n",
            [
                (
                    3,
                    'the LSTM (line 3) receives 2-D input because the Flatten before it (line 3) returns 2-D output (with the batch axis): Keras stops with "... is incompatible with the layer: expected ndim=3, found ndim=2".',
                    "Give it input with a time axis.",
                    {},
                    None,
                )
            ],
            id="flatten",
        ),
        pytest.param(
            # a Bidirectional's last step
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.Bidirectional(keras.layers.LSTM(4)), keras.layers.LSTM(2)])\n",
            [
                (
                    3,
                    'the LSTM (line 3) receives 2-D input because the Bidirectional(LSTM) before it (line 3) returns only its last step (return_sequences=False): Keras stops with "... is incompatible with the layer: expected ndim=3, found ndim=2".',
                    "Pass return_sequences=True to the Bidirectional(LSTM) on line 3, so that it returns the whole sequence.",
                    {},
                    "unsafe",
                )
            ],
            id="bidirectional",
        ),
        pytest.param(
            # targets with a time axis for a model that returns the last step
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4), keras.layers.Dense(1)])\ny = np.zeros((90, 5, 1))\nmodel.fit(np.zeros((90, 5, 2)), y)\n",
            [
                (
                    5,
                    "fit: targets y (line 4) have shape (5, 1) per sample, but model 'model' outputs (1,) per sample (LSTM on line 3 returns only its last step). Keras may not fail here: a loss such as mse broadcasts the two shapes and trains on the wrong objective.",
                    "Pass return_sequences=True to the LSTM on line 3 to predict every step, or give targets of the output's shape.",
                    {},
                    "unsafe",
                )
            ],
            id="targets_sequence",
        ),
        pytest.param(
            # targets one rank short of a trailing 1: Keras adds it
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4), keras.layers.Dense(1)])\nt = np.zeros((90,))\nmodel.fit(np.zeros((90, 5, 2)), t)\n",
            [],
            id="targets_flat_ok",
        ),
        pytest.param(
            # targets one rank short of a 3-wide output
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4), keras.layers.Dense(3)])\nt = np.zeros((90,))\nmodel.fit(np.zeros((90, 5, 2)), t)\n",
            [
                (
                    5,
                    "fit: targets t (line 4) have shape () per sample, but model 'model' outputs (3,) per sample. Keras may not fail here: a loss such as mse broadcasts the two shapes and trains on the wrong objective.",
                    "Give targets of the same shape as the model's output.",
                    {},
                    None,
                )
            ],
            id="targets_flat_wide",
        ),
        pytest.param(
            # sparse labels are one rank short
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4), keras.layers.Dense(3)])\nmodel.compile(loss='sparse_categorical_crossentropy')\nt = np.zeros((90,))\nmodel.fit(np.zeros((90, 5, 2)), t)\n",
            [],
            id="sparse",
        ),
        pytest.param(
            # evaluate with targets two ranks short
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(3)])\nt = np.zeros((90,))\nmodel.evaluate(np.zeros((90, 5, 2)), t)\n",
            [
                (
                    5,
                    "evaluate: targets t (line 4) have shape () per sample, but model 'model' outputs (5, 3) per sample. Keras may not fail here: a loss such as mse broadcasts the two shapes and trains on the wrong objective.",
                    "Give targets of the same shape as the model's output.",
                    {},
                    None,
                )
            ],
            id="evaluate_rank_two_short",
        ),
        pytest.param(
            # predict has no targets
            "model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(4), keras.layers.Dense(1)])\nmodel.predict(np.zeros((90, 5, 2)))\n",
            [],
            id="predict",
        ),
    ],
)
def test_sl006_wording(source: str, expected: list[Found]) -> None:
    assert found(SL006_HEADER + source, "SL006") == expected


SL010_HEADER = "import keras\nimport numpy as np\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # fit_generator with one positional argument
            "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.fit_generator(gen, steps_per_epoch=10)\n",
            [
                (
                    4,
                    "model.fit_generator(): Keras 3 removed fit_generator, so this line stops the script with \"AttributeError: 'Sequential' object has no attribute 'fit_generator'\". fit takes generators and datasets directly.",
                    "Call model.fit(...) with the same arguments.",
                    {},
                    "safe",
                )
            ],
            id="fit_generator",
        ),
        pytest.param(
            # positional steps and epochs
            "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.fit_generator(gen, 100, 5)\n",
            [
                (
                    4,
                    "model.fit_generator(): Keras 3 removed fit_generator, so this line stops the script with \"AttributeError: 'Sequential' object has no attribute 'fit_generator'\". fit takes generators and datasets directly.",
                    "Call model.fit(...) instead, passing everything after the generator by keyword: fit's positional arguments differ from fit_generator's.",
                    {},
                    None,
                )
            ],
            id="fit_generator_positional",
        ),
        pytest.param(
            # queue arguments
            "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.predict_generator(gen, workers=4, use_multiprocessing=True)\n",
            [
                (
                    4,
                    "model.predict_generator(): Keras 3 removed predict_generator, so this line stops the script with \"AttributeError: 'Sequential' object has no attribute 'predict_generator'\". predict takes generators and datasets directly.",
                    "Call model.predict(...) instead, without workers, use_multiprocessing, which Keras 3's predict does not accept.",
                    {},
                    None,
                )
            ],
            id="queue",
        ),
        pytest.param(
            # evaluate_generator
            "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.evaluate_generator(gen, max_queue_size=3)\n",
            [
                (
                    4,
                    "model.evaluate_generator(): Keras 3 removed evaluate_generator, so this line stops the script with \"AttributeError: 'Sequential' object has no attribute 'evaluate_generator'\". evaluate takes generators and datasets directly.",
                    "Call model.evaluate(...) instead, without max_queue_size, which Keras 3's evaluate does not accept.",
                    {},
                    None,
                )
            ],
            id="evaluate_generator",
        ),
        pytest.param(
            # a model's reset_states
            "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.reset_states()\n",
            [
                (
                    4,
                    "model.reset_states(): Keras 3 models have no reset_states, so this line stops the script with \"AttributeError: 'Sequential' object has no attribute 'reset_states'\". Only the stateful layers hold state, and each can be reset.",
                    'Reset each stateful layer: for layer in model.layers: if getattr(layer, "stateful", False): layer.reset_states().',
                    {},
                    "safe",
                )
            ],
            id="reset_states",
        ),
        pytest.param(
            # CuDNNLSTM through keras.layers
            "model = keras.Sequential([keras.layers.CuDNNLSTM(4)])\n",
            [
                (
                    3,
                    "CuDNNLSTM is not in Keras 3: the script stops with an ImportError (or \"module 'keras.layers' has no attribute 'CuDNNLSTM'\"). Keras 3's LSTM uses the cuDNN kernel by itself when the layer's arguments allow it.",
                    "Use LSTM with the same arguments.",
                    {},
                    "safe",
                )
            ],
            id="cudnn_attribute",
        ),
        pytest.param(
            # CuDNNGRU imported
            "from keras.layers import CuDNNGRU\nmodel = keras.Sequential([CuDNNGRU(4)])\n",
            [
                (
                    4,
                    "CuDNNGRU is not in Keras 3: the script stops with an ImportError (or \"module 'keras.layers' has no attribute 'CuDNNGRU'\"). Keras 3's GRU uses the cuDNN kernel by itself when the layer's arguments allow it.",
                    "Import and use GRU instead, with the same arguments.",
                    {},
                    None,
                )
            ],
            id="cudnn_import",
        ),
        pytest.param(
            # TimeseriesGenerator
            "g = keras.preprocessing.sequence.TimeseriesGenerator(np.zeros((9, 1)), np.zeros((9, 1)), length=2)\n",
            [
                (
                    3,
                    "TimeseriesGenerator is not in Keras 3 (keras.preprocessing.sequence is gone): the script stops with an ImportError or AttributeError before training. (tensorflow.keras.preprocessing.sequence still has it.)",
                    "Build the windows with keras.utils.timeseries_dataset_from_array(data, targets, sequence_length, batch_size=...), or import TimeseriesGenerator from tensorflow.keras.preprocessing.sequence (or tf_keras). With timeseries_dataset_from_array the targets line up differently: check them.",
                    {},
                    None,
                )
            ],
            id="generator",
        ),
    ],
)
def test_sl010_wording(source: str, expected: list[Found]) -> None:
    assert found(SL010_HEADER + source, "SL010") == expected


SL000_HEADER = "import keras\nimport numpy as np\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # a line that does not parse
            "x = (1,\n",
            [(3, "the file does not parse: '(' was never closed", "", {}, None)],
            id="syntax",
        ),
        pytest.param(
            # a file that parses
            "x = 1\n",
            [],
            id="fine",
        ),
    ],
)
def test_sl000_wording(source: str, expected: list[Found]) -> None:
    assert found(SL000_HEADER + source, "SL000") == expected


def test_sl001_unknown_units_leave_the_shapes_open() -> None:
    source = """import numpy as np
import keras
import sys
units = int(sys.argv[1])
inputs = keras.Input(batch_shape=(8, 5, 2))
model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(units, stateful=True)(inputs)))
x = np.zeros((13, 5, 2))
model.predict(x, batch_size=8)
"""
    [finding] = check_source(source, select={"SL001"})
    assert finding.message.endswith(
        'fails in predict with "Incompatible shapes: [5,...] vs. [8,...]".'
    )


def test_sl001_an_empty_validation_set_is_not_a_size_to_divide() -> None:
    source = (
        "x = np.zeros((13, 5, 2))\nv = np.zeros((0, 5, 2))\n"
        "model.fit(x, x[:, 0, :1], batch_size=8, shuffle=False, validation_data=(v, v[:, 0, :1]))\n"
    )
    [(_, _, fix, _)] = sl001(source)
    assert fix == (
        "Train on 8 samples (drop the last 5); or build the model for a batch size that "
        "divides 13 (13) and pass the same batch_size to fit."
    )


def test_a_batch_size_of_zero_is_no_fixed_batch_size() -> None:
    source = (
        "import keras\nimport numpy as np\nx = np.zeros((13, 5, 2))\n"
        "inputs = keras.Input(batch_shape=(0, 5, 2))\n"
        "model = keras.Model(inputs, keras.layers.LSTM(4, stateful=True)(inputs))\n"
        "model.fit(x, x[:, 0, :1], batch_size=0, shuffle=False)\n"
    )
    assert check_source(source) == []


def test_sl004_checks_every_sequential_model() -> None:
    source = (
        "import keras\ninp = keras.Input(shape=(8,))\n"
        "m1 = keras.Model(inp, keras.layers.Dense(2)(inp))\n"
        "m2 = keras.Sequential([keras.layers.Dense(4, input_shape=(8,)),"
        " keras.layers.Dense(2, input_shape=(4,))])\n"
    )
    assert [(f.code, f.line) for f in check_source(source, select={"SL004"})] == [("SL004", 4)]


def test_sl002_fix_replaces_a_positional_batch_size() -> None:
    source = (
        "import keras\nimport numpy as np\nx = np.zeros((90, 5, 2))\n"
        "inputs = keras.Input(batch_shape=(30, 5, 2))\n"
        "model = keras.Model(inputs, keras.layers.LSTM(4, stateful=True)(inputs))\n"
        "model.predict(x, 15)\nmodel.evaluate(x, x[:, 0, :1], 45)\n"
    )
    fixed = fix_source(source, select={"SL002"}).text
    assert fixed.endswith("model.predict(x, 30)\nmodel.evaluate(x, x[:, 0, :1], 30)\n")


SHARED_B = (
    "import numpy as np\nimport keras\nB = 30\nx = np.zeros((1735, 30, 7))\n"
    "model = keras.Sequential([keras.Input(batch_shape=(B, 30, 7)), "
    "keras.layers.LSTM(8, stateful=True)])\n"
    "model.predict(x, batch_size=B)\n"
)


@pytest.mark.parametrize(
    "other_call",
    [
        # the model uses B, this call a literal: changing B would part them
        "model.predict(np.zeros((1740, 30, 7)), batch_size=30)\n",
        # a call with B on data of unknown size: no divisor is known to suit it
        "import sys\nmodel.predict(np.load(sys.argv[1]), batch_size=B)\n",
    ],
)
def test_sl001_divisor_fix_needs_every_call_of_the_constant_known(other_call: str) -> None:
    assert "B = 5\n" in fix_source(SHARED_B, "t.py", unsafe=True, strategy="divisor").text
    result = fix_source(SHARED_B + other_call, "t.py", unsafe=True, strategy="divisor")
    assert not result.changed
    assert [f.code for f in result.remaining] == ["SL001"]


def test_sl001_trim_cuts_validation_data_of_unknown_size_too() -> None:
    source = (
        "import numpy as np\nimport keras\nimport sys\n"
        "x = np.zeros((13, 5, 2))\ny = np.zeros((13, 1))\n"
        "n = int(sys.argv[1])\nv = np.zeros((n, 5, 2))\nw = np.zeros((n, 1))\n"
        "model = keras.Sequential([keras.Input(batch_shape=(8, 5, 2)), "
        "keras.layers.LSTM(4, stateful=True)])\n"
        "model.fit(x, y, batch_size=8, shuffle=False, validation_data=(v, w))\n"
    )
    fixed = fix_source(source, "t.py", unsafe=True).text
    for name in "xyvw":
        assert f"{name} = {name}[: len({name}) // 8 * 8]\n" in fixed


def test_sl005_time_distributed_layers_take_one_more_axis() -> None:
    source = (
        "import keras\nmodel = keras.Sequential([keras.layers.TimeDistributed("
        "keras.layers.LSTM(4), input_shape=(5, 10, 2))])\n"
    )
    assert found(source, "SL005") == []


def test_sl004_stands_when_the_model_escapes_after_it_was_built() -> None:
    """How the model was built stays true after it is handed to unknown code (issue 13);
    a layer added after that is of unknown position, so SL004 says nothing about it."""
    source = (
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(4, input_shape=(8,)),"
        " keras.layers.Dense(2, input_shape=(4,))])\n"
    )
    assert [f.line for f in check_source(source, select={"SL004"})] == [2]
    assert [f.line for f in check_source(source + "extend(model)\n", select={"SL004"})] == [2]
    later = source + "extend(model)\nmodel.add(keras.layers.Dense(1, input_shape=(2,)))\n"
    assert [f.line for f in check_source(later, select={"SL004"})] == [2]


def test_sl004_goes_on_past_a_model_with_a_layer_added_in_a_branch() -> None:
    source = (
        "import keras\na = keras.Sequential([keras.layers.Dense(4, input_shape=(8,))])\n"
        "if c:\n    a.add(keras.layers.Dense(2, input_shape=(4,)))\n"
        "b = keras.Sequential([keras.layers.Dense(4, input_shape=(8,)),"
        " keras.layers.Dense(2, input_shape=(4,))])\n"
    )
    assert [f.line for f in check_source(source, select={"SL004"})] == [5]


def test_sl008_names_the_class_that_got_the_keyword() -> None:
    """Keras's error names the constructor that received the keyword: the wrapped layer for
    its own keywords, the wrapper for the wrapper's."""
    source = (
        "import keras\n"
        "model = keras.Sequential([keras.Input(shape=(10, 2)), "
        "keras.layers.Bidirectional(keras.layers.LSTM(4, input_length=10))])\n"
    )
    (finding,) = check_source(source, "wrapped.py", select={"SL008"})
    assert "Unrecognized keyword arguments passed to LSTM: {'input_length': 10}" in (
        finding.message
    )


def test_unnamed_targets_are_called_y() -> None:
    source = (
        "import numpy as np\n"
        "import keras\n"
        "x = np.zeros((64, 30, 4))\n"
        "model = keras.Sequential([keras.Input(shape=(30, 4)), keras.layers.LSTM(8), "
        "keras.layers.Dense(1)])\n"
        "model.compile(loss='mse', optimizer='adam')\n"
        "model.fit(x, np.zeros((64, 30, 1)))\n"
    )
    (finding,) = check_source(source, "inline.py", select={"SL006"})
    assert finding.message.startswith("fit: targets y have shape (30, 1) per sample")


def test_sl009_advice_fits_the_data() -> None:
    """A dataset is told to drop its remainder; data that is not a plain name is not sliced
    by assigning to it."""
    head = (
        "import sys\nimport numpy as np\nimport tensorflow as tf\n"
        "inputs = tf.keras.Input(batch_shape=(8, 5, 1))\n"
        "model = tf.keras.Model(inputs, tf.keras.layers.LSTM(2, stateful=True)(inputs))\n"
    )
    dataset = head + (
        "ds = tf.data.Dataset.from_tensor_slices(np.load(sys.argv[1])).batch(8)\n"
        "model.fit(ds, epochs=2)\n"
    )
    (finding,) = check_source(dataset, "ds.py", select={"SL009"})
    assert finding.fix is not None
    assert finding.fix.description == (
        "Batch ds with .batch(8, drop_remainder=True), or declare the size with "
        "`# shapelint: samples=N` so shapelint can check it."
    )
    indexed = (
        head + "parts = [np.load(sys.argv[1])]\nmodel.fit(parts[0], epochs=2, shuffle=False)\n"
    )
    (finding,) = check_source(indexed, "indexed.py", select={"SL009"})
    assert finding.fix is not None
    assert finding.fix.description.startswith(
        "Keep whole batches: slice the data to len(data) // 8 * 8 samples"
    )
