"""SL012's judgement, row by row, as measured on TensorFlow 2.21 (Keras 3.15 and tf_keras
2.21; ../shared/notes/keras-runtime.md and tests/test_targets_on_keras.py): which targets,
output and loss Keras rejects, which it trains on silently, and which are fine."""

from __future__ import annotations

import pytest

from shapelint.api import check_source
from shapelint.findings import Finding

# (targets as the script makes them, the last layer, the loss, the Keras major version,
#  what SL012 says: the start of the quoted error, "silent", or None for nothing)
ROWS = [
    ("to_categorical(labels, num_classes=10)", "Dense(1)", "categorical_crossentropy", 3,
     "Arguments `target` and `output` must have the same shape. Received: "
     "target.shape=(32, 10), output.shape=(32, 1)"),
    ("to_categorical(labels, num_classes=10)", "Dense(1)", "categorical_crossentropy", 2,
     "Shapes (32, 10) and (32, 1) are incompatible"),
    ("labels", "Dense(10)", "categorical_crossentropy", 3,
     "Arguments `target` and `output` must have the same rank (ndim). Received: "
     "target.shape=(32,), output.shape=(32, 10)"),
    ("labels", "Dense(10)", "categorical_crossentropy", 2,
     "Shapes (32, 1) and (32, 10) are incompatible"),
    ("labels.reshape(-1, 1)", "Dense(10)", "categorical_crossentropy", 3,
     "Arguments `target` and `output` must have the same shape. Received: "
     "target.shape=(32, 1), output.shape=(32, 10)"),
    ("np.eye(10)[labels]", "Dense(10)", "sparse_categorical_crossentropy", 3,
     "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
     "target.shape=(32, 10), output.shape=(32, 10)"),
    ("np.eye(10)[labels]", "Dense(10)", "sparse_categorical_crossentropy", 2,
     "`labels.shape` must equal `logits.shape` except for the last dimension."),
    ("labels", "Dense(5)", "sparse_categorical_crossentropy", 3,
     "Received a label value of ... which is outside the valid range of [0, 5)"),
    ("labels[:, None]", "Dense(5)", "sparse_categorical_crossentropy", 2,
     "Received a label value of ... which is outside the valid range of [0, 5)"),
    ("tf.one_hot(pairs, 2)", 'Dense(1, activation="sigmoid")', "binary_crossentropy", 3,
     "Arguments `target` and `output` must have the same shape. Received: "
     "target.shape=(32, 2), output.shape=(32, 1)"),
    ("tf.one_hot(pairs, 2)", 'Dense(1, activation="sigmoid")', "binary_crossentropy", 2,
     "`logits` and `labels` must have the same shape, received ((32, 1) vs (32, 2))"),
    ("tf.one_hot(pairs, 2)", "Dense(1)", "binary_crossentropy", 2, "silent"),
    ("tf.one_hot(pairs, 2)", 'Dense(1, activation="relu")', "binary_crossentropy", 2, None),
    ("pairs", 'Dense(2, activation="sigmoid")', "binary_crossentropy", 3,
     "Arguments `target` and `output` must have the same rank (ndim)."),
    ("np.random.rand(640, 3)", "Dense(1)", "mse", 3, "silent"),
    ("np.random.rand(640, 3)", "Dense(5)", "mse", 3, "Dimensions must be equal, but are 3 and 5"),
    ("np.random.rand(640, 3)", "Dense(5)", "mse", 2, "Dimensions must be equal, but are 5 and 3"),
    ("np.random.rand(640)", "Dense(3)", "mae", 3, "Dimensions must be equal, but are 32 and 3"),
    ("np.random.rand(640)", "Dense(3)", "mae", 2, "silent"),
    # Fine: what Keras trains correctly.
    ("labels", "Dense(10)", "sparse_categorical_crossentropy", 3, None),
    ("labels.reshape(-1, 1)", "Dense(10)", "sparse_categorical_crossentropy", 3, None),
    ("to_categorical(labels, num_classes=10)", "Dense(10)", "categorical_crossentropy", 3, None),
    ("to_categorical(labels, num_classes=10)", "Dense(10)", "CategoricalCrossentropy()", 3, None),
    ("pairs", 'Dense(1, activation="sigmoid")', "binary_crossentropy", 3, None),
    ("np.random.rand(640)", "Dense(1)", "mse", 3, None),
    ("np.random.rand(640, 1)", "Dense(1)", "mse", 3, None),
    # Unknown: a loss or targets shapelint does not know stay silent.
    ("to_categorical(labels)", "Dense(1)", "categorical_crossentropy", 3, None),
    ("np.load('y.npy')", "Dense(1)", "categorical_crossentropy", 3, None),
    ("to_categorical(labels, num_classes=10)", "Dense(1)", "my_loss", 3, None),
    ("labels", "Dense(10)", "categorical_crossentropy", 3,
     "Arguments `target` and `output` must have the same rank (ndim)."),
]  # fmt: skip


def _script(targets: str, last: str, loss: str, version: int) -> str:
    keras = "keras" if version == 3 else "tf_keras"
    spelled = loss if loss.endswith(")") else repr(loss)
    if loss.endswith(")"):
        spelled = f"{keras}.losses.{loss}"
    return (
        f"import numpy as np\nimport tensorflow as tf\nimport {keras}\n"
        f"from {keras}.utils import to_categorical\n"
        "x = np.random.rand(640, 8)\n"
        "labels = np.random.randint(0, 10, size=(640,))\n"
        "pairs = np.random.randint(0, 2, size=640)\n"
        f"y = {targets}\n"
        f"model = {keras}.Sequential([{keras}.Input(shape=(8,)), {keras}.layers.{last}])\n"
        f"model.compile(loss={spelled}, optimizer='adam')\n"
        "model.fit(x, y, batch_size=32)\n"
    )


@pytest.mark.parametrize(("targets", "last", "loss", "version", "says"), ROWS)
def test_each_row_as_measured(
    targets: str, last: str, loss: str, version: int, says: str | None
) -> None:
    findings = [f for f in check_source(_script(targets, last, loss, version)) if f.code == "SL012"]
    if says is None:
        assert findings == []
        return
    (finding,) = findings
    assert finding.line == 11
    if says == "silent":
        assert finding.severity == "warning"
        assert "Keras trains without an error" in finding.message
    else:
        assert finding.severity == "error"
        assert f'Keras raises "{says}' in finding.message


def test_one_cause_one_finding_sl006_leaves_the_targets_to_sl012() -> None:
    source = _script("labels", "Dense(10)", "categorical_crossentropy", 3)
    assert [f.code for f in check_source(source)] == ["SL012"]
    # Without a loss shapelint knows, SL006 still warns about the rank.
    unknown = source.replace("'categorical_crossentropy'", "my_loss")
    assert [f.code for f in check_source(unknown)] == ["SL006"]


def test_a_fix_is_offered_only_where_one_change_settles_it() -> None:
    def fix_of(targets: str, last: str, loss: str) -> tuple[object, ...]:
        (finding,) = [f for f in check_source(_script(targets, last, loss, 3)) if f.code == "SL012"]
        assert finding.fix is not None
        return (finding.fix.params, finding.autofix)

    swap = fix_of("np.eye(10)[labels]", "Dense(10)", "sparse_categorical_crossentropy")
    assert swap == ((("loss", "categorical_crossentropy"),), "unsafe")
    # One-hot rows of 10 against 5 units: neither loss fits; only advice.
    assert fix_of("np.eye(10)[labels]", "Dense(5)", "sparse_categorical_crossentropy") == ((), None)
    assert fix_of("labels", "Dense(5)", "sparse_categorical_crossentropy") == (
        (("units", 10),),
        "unsafe",
    )
    # binary_crossentropy on one-hot rows: two changes (units and loss), so advice only.
    assert fix_of("tf.one_hot(pairs, 2)", "Dense(1)", "binary_crossentropy") == ((), None)


def test_a_model_with_two_outputs_is_left_alone_and_a_graph_with_one_is_judged() -> None:
    head = (
        "import numpy as np\nimport keras\nx = np.zeros((64, 8))\n"
        "y = keras.utils.to_categorical(np.random.randint(0, 3, size=64), num_classes=3)\n"
        "inp = keras.Input(shape=(8,))\nh = keras.layers.Dense(4)(inp)\n"
    )
    two = head + (
        "m = keras.Model(inp, [keras.layers.Dense(3)(h), keras.layers.Dense(1)(h)])\n"
        "m.compile(loss='categorical_crossentropy', optimizer='adam')\nm.fit(x, y)\n"
    )
    assert check_source(two) == []
    joined = head + (
        "c = keras.layers.concatenate([h, keras.layers.Dense(2)(inp)])\n"
        "m = keras.Model(inp, keras.layers.Dense(1)(c))\n"
        "m.compile(loss='categorical_crossentropy', optimizer='adam')\nm.fit(x, y)\n"
    )
    assert [(f.code, f.line) for f in check_source(joined)] == [("SL012", 10)]


def _finding(source: str) -> Finding:
    (finding,) = [f for f in check_source(source) if f.code == "SL012"]
    return finding


def test_tf_keras_reads_the_activation_after_the_last_dense() -> None:
    base = _script("tf.one_hot(pairs, 2)", "Dense(1)", "binary_crossentropy", 2)
    for after in ("tf_keras.layers.Activation('sigmoid')", "tf_keras.layers.Softmax()"):
        source = base.replace("layers.Dense(1)])", f"layers.Dense(1), {after}])")
        finding = _finding(source)
        assert finding.severity == "error"
        assert "`logits` and `labels` must have the same shape" in finding.message
    relu = base.replace(
        "layers.Dense(1)])", "layers.Dense(1), tf_keras.layers.Activation('relu')])"
    )
    assert [f.code for f in check_source(relu)] == []


def test_the_first_batch_is_the_data_when_it_is_smaller() -> None:
    source = _script(
        "to_categorical(labels, num_classes=10)", "Dense(1)", "categorical_crossentropy", 3
    )
    source = source.replace("640", "20")
    assert "target.shape=(20, 10), output.shape=(20, 1)" in _finding(source).message


def test_a_loss_instance_or_a_wrapped_output_gets_advice_but_no_edit() -> None:
    instance = _script("labels", "Dense(10)", "CategoricalCrossentropy()", 3)
    finding = _finding(instance)
    assert finding.fix is not None and finding.autofix is None
    assert finding.fix.params == (("loss", "sparse_categorical_crossentropy"),)
    wrapped = (
        "import numpy as np\nimport keras\nx = np.zeros((64, 5, 4))\n"
        "y = keras.utils.to_categorical(np.random.randint(0, 3, size=(64, 5)), num_classes=3)\n"
        "model = keras.Sequential([keras.Input(shape=(5, 4)), "
        "keras.layers.TimeDistributed(keras.layers.Dense(1))])\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\nmodel.fit(x, y)\n"
    )
    finding = _finding(wrapped)
    assert "ends in Dense(1) (line 5)" in finding.message
    assert "target.shape=(32, 5, 3), output.shape=(32, 5, 1)" in finding.message
    assert finding.fix is not None and finding.autofix is None


def test_an_output_not_made_by_a_dense_layer_is_named_by_its_shape() -> None:
    source = (
        "import numpy as np\nimport keras\nx = np.zeros((64, 30, 4))\ny = np.zeros((64, 3))\n"
        "model = keras.Sequential([keras.Input(shape=(30, 4)), keras.layers.Conv1D(8, 3), "
        "keras.layers.GlobalMaxPooling1D()])\n"
        "model.compile(loss='mse', optimizer='adam')\nmodel.fit(x, y)\n"
    )
    finding = _finding(source)
    assert "but model 'model' ends in an output of (8,) and the loss is mse (line 6)" in (
        finding.message
    )
    assert 'Keras raises "Dimensions must be equal, but are 3 and 8"' in finding.message
    # A layer after the last Dense that changes the shape: not the Dense's units.
    reshaped = source.replace(
        "keras.layers.GlobalMaxPooling1D()",
        "keras.layers.Flatten(), keras.layers.Dense(6), "
        "keras.layers.Reshape((2, 3)), keras.layers.Flatten()",
    )
    assert "ends in an output of (6,)" in _finding(reshaped).message


def test_a_silent_finding_quotes_no_error() -> None:
    from shapelint.lint import analyse
    from shapelint.rules.sl012_target_shape_mismatch import mismatch

    source = _script("tf.one_hot(pairs, 2)", "Dense(1)", "binary_crossentropy", 2)
    facts, _ = analyse(source, "<string>")
    found = mismatch(facts.calls[0], 2)
    assert found is not None and (found.error, found.silent) == ("", True)
