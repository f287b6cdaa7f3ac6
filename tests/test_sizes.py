"""Size inference: what extraction knows about data, and what it refuses to guess."""

from __future__ import annotations

import libcst as cst
import numpy as np
import pytest

from shapelint.extract import extract
from shapelint.facts import Data, Facts
from shapelint.positions import PositionIndex

HEADER = """
import numpy as np
import keras
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(8, stateful=True)(inputs))
"""


def facts(source: str) -> Facts:
    module = cst.parse_module(HEADER + source)
    return extract(module, "t.py", PositionIndex(module))


def data_of(source: str) -> Data:
    found = facts(source + "\nmodel.predict(x, batch_size=30)\n")
    assert len(found.calls) == 1
    data = found.calls[0].x
    assert data is not None
    return data


def samples(source: str) -> int | None:
    data = data_of(source)
    return data.samples.int_value if data.samples is not None else None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = np.zeros((1735, 30, 7))", 1735),
        ("x = np.ones(shape=(12, 30, 7))", 12),
        ("x = np.empty([40, 30, 7])", 40),
        ("x = np.full((41, 30, 7), 0.5)", 41),
        ("x = np.random.rand(1001, 30, 7)", 1001),
        ("x = np.random.randn(7, 30, 7)", 7),
        ("x = np.random.random((99, 30, 7))", 99),
        ("x = np.random.normal(0, 1, (98, 30, 7))", 98),
        ("x = np.random.uniform(-1, 1, size=(97, 30, 7))", 97),
        ("x = np.random.default_rng(0).normal(size=(96, 30, 7))", 96),
        ("x = np.arange(1735 * 30 * 7).reshape(1735, 30, 7)", 1735),
        ("x = np.arange(6300).reshape((-1, 30, 7))", 30),
        ("n = 1735\nx = np.zeros((n, 30, 7))", 1735),
        ("rows = 1800\nwin = 30\nx = np.zeros((rows - win, win, 7))", 1770),
        ("x = np.zeros((1735, 30, 7))[:1720]", 1720),
        ("a = 10\nb = 50\nx = np.zeros((1735, 30, 7))[a:b]", 40),
        ("x = np.zeros((1735, 30, 7))[-100:]", 100),
        ("x = np.zeros((1735, 30, 7))[:-35]", 1700),
        ("d = np.zeros((1735, 30, 7))\ncut = int(len(d) * 0.8)\nx = d[:cut]", 1388),
        ("d = np.zeros((1735, 30, 7))\nx = d[: len(d) // 30 * 30]", 1710),
        ("d = np.zeros((1735, 30, 7))\nx = d[d.shape[0] - 10 :]", 10),
        ("x = np.concatenate([np.zeros((5, 30, 7)), np.zeros((6, 30, 7))])", 11),
        ("d = np.zeros((1765, 7))\nx = np.expand_dims(d, 0)", 1),
        ("d = np.zeros((1765, 7))\nx = (d - d.mean(axis=0)) / d.std(axis=0)", 1765),
        ("d = np.zeros((1765, 7))\nx = d / d.max()", 1765),
        ("x = np.zeros((1735, 30, 7))\nx = x[:1700]", 1700),
        ("x = np.zeros((1735, 30, 7))\nfor _ in range(3):\n    x = x[1:]", 1732),
        ("x = np.zeros((1735, 30, 7))\nfor cut in [5, 10]:\n    x = x[cut:]", 1720),
    ],
)
def test_known_sample_counts(source: str, expected: int) -> None:
    assert samples(source) == expected


WINDOWS = """
raw = np.random.rand(1765, 7)
window = 30
X, Y = [], []
for i in range(len(raw) - window):
    X.append(raw[i:i + window])
    Y.append(raw[i + window, 0])
x = np.array(X)
"""


def test_sliding_window_loop_gives_rows_minus_window() -> None:
    data = data_of(WINDOWS)
    assert data.samples is not None
    assert data.samples.value == 1735
    assert data.samples.how == "len(raw)=1765 - window=30"
    assert data.sample_shape == (30, 7)
    assert data.label == "x"


def test_window_list_comprehension_and_stack() -> None:
    source = (
        "raw = np.zeros((500, 3))\nx = np.stack([raw[j:j + 20, :] for j in range(len(raw) - 20)])"
    )
    data = data_of(source)
    assert data.samples is not None and data.samples.value == 480
    assert data.sample_shape == (20, 3)


def test_range_with_start_and_step() -> None:
    source = (
        "raw = np.zeros((1000, 3))\nX = []\nfor i in range(10, len(raw) - 5, 5):\n"
        "    X.append(raw[i - 10:i])\nx = np.array(X)"
    )
    data = data_of(source)
    assert data.samples is not None and data.samples.value == len(range(10, 995, 5))
    assert data.sample_shape == (10, 3)


def test_reshape_keeps_sample_axis_through_shape_lookups() -> None:
    source = "d = np.zeros((1735, 30))\nx = d.reshape(d.shape[0], d.shape[1], 1)"
    data = data_of(source)
    assert data.samples is not None and data.samples.value == 1735
    assert data.sample_shape == (30, 1)


@pytest.mark.parametrize(
    "source",
    [
        "x = np.load('windows.npy')",  # a data file: issue 3, unknown here
        "x = make_windows()",
        "import sys\nx = np.zeros((int(sys.argv[1]), 30, 7))",
        "x = np.zeros((1735, 30, 7))\nif flag:\n    x = x[:1700]",
        "x = np.zeros((1735, 30, 7))\nfor _ in range(rounds):\n    x = x[1:]",
        "x = np.zeros((1735, 30, 7))\nfor _ in range(100):\n    x = x[1:]",
        "x = np.zeros((1735, 30, 7))\nwhile len(x) % 30:\n    x = x[:-1]",
        "X = []\nfor i in range(100):\n    if i % 2:\n        X.append(i)\nx = np.array(X)",
        "X = []\nfor i in range(100):\n    X.append(i)\n    if i > 50:\n        break\n"
        "x = np.array(X)",
        "X = [1, 2]\nextend_somewhere(X)\nx = np.array(X)",
        "x = np.zeros((1735, 30, 7))\ndel x\nx = other",
        "x = np.zeros((1735, 30, 7))\nx.resize((1700, 30, 7))",
        "x = np.zeros((1735, 30, 7))[idx]",
        "x = np.zeros((1735, 30, 7)).reshape(-1, 30, 8)",
        "def f():\n    global x\n    x = 1\nx = np.zeros((1735, 30, 7))",
    ],
)
def test_unknowable_sizes_stay_unknown(source: str) -> None:
    data = data_of(source)
    assert data.samples is None


def test_branches_that_agree_keep_the_value() -> None:
    source = "if flag:\n    n = 1735\nelse:\n    n = 1735\nx = np.zeros((n, 30, 7))"
    assert samples(source) == 1735


def test_model_batch_and_flags() -> None:
    found = facts("")
    (model,) = found.models
    assert model.batch.status == "fixed"
    assert model.batch.size is not None and model.batch.size.value == 30
    assert model.input_shape == (30, 7)
    (layer,) = model.layers
    assert (layer.kind, layer.stateful, layer.units) == ("LSTM", True, 8)


def test_unknown_stateful_flag_is_unknown() -> None:
    module = cst.parse_module(
        "import keras\nm = keras.Sequential([keras.layers.LSTM(4, stateful=cfg.stateful)])\n"
    )
    (model,) = extract(module, "t.py", PositionIndex(module)).models
    assert model.layers[0].stateful is not True and model.layers[0].stateful is not False
    assert model.stateful_layers == ()


def test_layers_added_in_a_branch_are_not_certain() -> None:
    module = cst.parse_module(
        "import keras\nm = keras.Sequential()\nif deep:\n"
        "    m.add(keras.layers.LSTM(4, batch_input_shape=(2, 3, 4), stateful=True))\n"
    )
    (model,) = extract(module, "t.py", PositionIndex(module)).models
    assert model.layers[0].certain is False
    assert model.stateful_layers == ()
    assert model.batch.status == "unknown"


def test_globals_rebound_after_a_function_are_not_trusted_inside_it() -> None:
    source = (
        "x = np.zeros((1710, 30, 7))\n"
        "def train():\n    model.predict(x, batch_size=30)\n"
        "callbacks.append(train)\n"
        "x = np.zeros((1735, 30, 7))\n"
    )
    found = facts(source)
    (call,) = found.calls
    assert call.x is not None and call.x.samples is None


def test_globals_settled_before_a_function_are_seen_inside_it() -> None:
    source = (
        "X = []\nfor i in range(1735):\n    X.append(i)\nx = np.array(X).reshape(-1, 1, 1)\n"
        "def train():\n    model.predict(x, batch_size=30)\n"
        "if __name__ == '__main__':\n    train()\n"
    )
    (call,) = facts(source).calls
    assert call.x is not None and call.x.samples is not None
    assert call.x.samples.value == 1735


def test_embedding_input_dim_is_not_an_input_shape() -> None:
    module = cst.parse_module(
        "import keras\nm = keras.Sequential([keras.layers.Embedding(input_dim=5000, "
        "output_dim=8), keras.layers.LSTM(4, stateful=True)])\n"
    )
    (model,) = extract(module, "t.py", PositionIndex(module)).models
    assert model.batch.status == "unknown"


@pytest.mark.parametrize(
    ("n", "test_size", "train_size"),
    [
        (1735, 0.2, None),
        (1735, None, 0.8),
        (1001, 0.33, None),
        (1001, None, None),
        (97, 10, None),
        (97, None, 50),
        (250, 0.25, 0.5),
        (250, 30, 0.6),
    ],
)
def test_train_test_split_matches_scikit_learn(
    n: int, test_size: float | int | None, train_size: float | int | None
) -> None:
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(
        np.zeros(n), test_size=test_size, train_size=train_size, shuffle=False
    )
    source = (
        "from sklearn.model_selection import train_test_split\n"
        f"d = np.zeros(({n}, 30, 7))\n"
        f"a, b = train_test_split(d, test_size={test_size!r}, train_size={train_size!r})\n"
    )
    assert samples(source + "x = a") == len(train)
    assert samples(source + "x = b") == len(test)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("t = np.arange(1735)\nx = np.sin(t * 0.1).reshape(-1, 1, 1)", 1735),
        ("d = np.zeros((1735, 30, 7))\nx = d[: int(np.floor(len(d) * 0.8))]", 1388),
        ("d = np.zeros((1735, 30, 7))\nx = d[: int(np.ceil(len(d) * 0.8))]", 1388),
    ],
)
def test_numpy_elementwise_and_rounding(source: str, expected: int) -> None:
    assert samples(source) == expected


def test_reading_model_layers_keeps_the_model_exact() -> None:
    module = cst.parse_module(
        "import keras\nm = keras.Sequential([keras.Input(shape=(3, 2)), keras.layers.LSTM(4)])\n"
        "for layer in m.layers:\n    layer.trainable = False\nm.layers[0].reset_states()\n"
    )
    (model,) = extract(module, "t.py", PositionIndex(module)).models
    assert model.exact
