"""SL008 and SL011 proved on real Keras: the call as written fails with the error the
finding quotes (or, for an ignored keyword, runs with the setting lost), and the call as
``--fix`` leaves it runs, with the setting in force.

Each case is a short script of our own; the test executes it (never a user's script) on
Keras 3 or tf_keras, CPU only.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest

from shapelint.api import check_source, fix_source

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

DATA = "import numpy as np\nx = np.zeros((8, 4), 'float32')\ny = np.zeros((8, 1), 'float32')\n"
KERAS3_MODEL = (
    "import keras\n" + DATA + "model = keras.Sequential([keras.Input(shape=(4,)), "
    "keras.layers.Dense(1)])\nmodel.compile(loss='mse', optimizer='sgd')\n"
)
TF_KERAS_MODEL = (
    "import tf_keras\n" + DATA + "model = tf_keras.Sequential([tf_keras.layers.Dense(1, "
    "input_shape=(4,))])\nmodel.compile(loss='mse', optimizer='sgd')\n"
)

# (what it shows, script, the rule, the keyword, its fixed spelling or None: no autofix)
REJECTED = [
    ("layer, Keras 1 init", "import keras\nl = keras.layers.Dense(3, init='uniform')\n",
     "SL008", "init", "kernel_initializer"),
    ("layer, Keras 1 output_dim", "import keras\nl = keras.layers.LSTM(output_dim=4)\n",
     "SL008", "output_dim", "units"),
    ("layer, Keras 1 dropout_W", "import keras\nl = keras.layers.GRU(4, dropout_W=0.1)\n",
     "SL008", "dropout_W", "dropout"),
    ("layer, Keras 1 border_mode",
     "import keras\nl = keras.layers.Conv1D(4, 3, border_mode='same')\n",
     "SL008", "border_mode", "padding"),
    ("layer alias, Keras 1 border_mode",
     "import keras\nl = keras.layers.Convolution1D(4, 3, border_mode='same')\n",
     "SL008", "border_mode", "padding"),
    ("layer, Keras 1 p", "import keras\nl = keras.layers.Dropout(p=0.5)\n", "SL008", "p", "rate"),
    ("optimizer lr", "import keras\no = keras.optimizers.SGD(lr=0.01, momentum=0.9)\n",
     "SL008", "lr", "learning_rate"),
    ("fit nb_epoch", KERAS3_MODEL + "model.fit(x, y, nb_epoch=1, verbose=0)\n",
     "SL008", "nb_epoch", "epochs"),
    ("to_categorical nb_classes",
     "import keras\nt = keras.utils.to_categorical([0, 1, 2], nb_classes=3)\n",
     "SL008", "nb_classes", "num_classes"),
    ("callback period", "import keras\nc = keras.callbacks.ModelCheckpoint('w.keras', period=2)\n",
     "SL008", "period", None),
    ("tf_keras fit nb_epoch", TF_KERAS_MODEL + "model.fit(x, y, nb_epoch=1, verbose=0)\n",
     "SL008", "nb_epoch", "epochs"),
    ("tf_keras layer init", "import tf_keras\nl = tf_keras.layers.Dense(3, init='uniform')\n",
     "SL008", "init", "kernel_initializer"),
    ("tf_keras optimizer decay",
     "import tf_keras\no = tf_keras.optimizers.Adam(learning_rate=0.01, decay=1e-6)\n",
     "SL008", "decay", None),
    ("layer typo", "import keras\nl = keras.layers.LSTM(4, return_sequence=True)\n",
     "SL011", "return_sequence", "return_sequences"),
    ("fit typo", KERAS3_MODEL + "model.fit(x, y, epoch=1, verbose=0)\n",
     "SL011", "epoch", "epochs"),
    ("evaluate typo", KERAS3_MODEL + "model.evaluate(x, y, verbos=0)\n",
     "SL011", "verbos", "verbose"),
    ("optimizer typo", "import keras\no = keras.optimizers.Adam(learnig_rate=0.01)\n",
     "SL011", "learnig_rate", "learning_rate"),
    ("callback typo", "import keras\nc = keras.callbacks.EarlyStopping(patiance=3)\n",
     "SL011", "patiance", "patience"),
    ("tf_keras layer typo", "import tf_keras\nl = tf_keras.layers.Dense(3, activaton='relu')\n",
     "SL011", "activaton", "activation"),
]  # fmt: skip

_QUOTED = re.compile(r'with "(?:(\w+Error): )?(.*)"\.')


def _run(script: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(script, "<case>", "exec"), namespace)  # our own case scripts only
    return namespace


def _finding(script: str, code: str, keyword: str) -> Any:
    word = re.compile(rf"\b{keyword}\b")
    found = [f for f in check_source(script) if f.code == code and word.search(f.message)]
    assert len(found) == 1, [f.message for f in check_source(script)]
    return found[0]


@pytest.mark.parametrize(
    ("script", "code", "keyword", "new"),
    [case[1:] for case in REJECTED],
    ids=[case[0] for case in REJECTED],
)
def test_rejected_keyword_fails_as_quoted_and_the_fix_runs(
    script: str, code: str, keyword: str, new: str | None
) -> None:
    finding = _finding(script, code, keyword)
    quoted = _QUOTED.search(finding.message)
    assert quoted is not None, finding.message
    kind, text = quoted.groups()
    with pytest.raises((TypeError, ValueError)) as raised:
        _run(script)
    assert text in str(raised.value), (text, str(raised.value))
    if kind is not None:
        assert type(raised.value).__name__ == kind
    result = fix_source(script)
    if new is None:
        assert not finding.autofix
        assert result.text == script
        return
    assert finding.autofix == "safe"
    assert f"{new}=" in result.text and f"{keyword}=" not in result.text
    assert not [f for f in result.remaining if f.code in ("SL008", "SL011")]
    _run(result.text)


def test_keras3_ignores_the_optimizers_decay() -> None:
    script = "import keras\no = keras.optimizers.SGD(learning_rate=0.1, decay=0.5)\n"
    finding = _finding(script, "SL008", "decay")
    assert finding.severity == "warning"
    assert "Argument `decay` is no longer supported and will be ignored." in finding.message
    with pytest.warns(UserWarning, match="Argument `decay` is no longer supported"):
        optimizer = _run(script)["o"]
    # No schedule: after many steps the rate is still the one given.
    optimizer.iterations.assign(1000)
    assert float(optimizer.learning_rate) == pytest.approx(0.1)
    assert fix_source(script).text == script


def test_keras3_ignores_reduce_lr_on_plateaus_epsilon_and_the_fix_keeps_it() -> None:
    script = "import keras\nc = keras.callbacks.ReduceLROnPlateau(epsilon=0.5)\n"
    finding = _finding(script, "SL008", "epsilon")
    assert finding.severity == "warning"
    assert _run(script)["c"].min_delta == 1e-4
    fixed = fix_source(script).text
    assert "min_delta=0.5" in fixed
    assert _run(fixed)["c"].min_delta == 0.5


def test_tf_keras_ignores_the_optimizers_lr_and_the_fix_keeps_it() -> None:
    script = "import tf_keras\no = tf_keras.optimizers.RMSprop(lr=0.01)\n"
    finding = _finding(script, "SL008", "lr")
    assert (finding.severity, finding.autofix) == ("warning", "safe")
    # tf_keras 2.21 trains at the default 0.001, not at the 0.01 the script asks for.
    assert float(_run(script)["o"].learning_rate) == pytest.approx(0.001)
    fixed = fix_source(script).text
    assert "learning_rate=0.01" in fixed
    assert float(_run(fixed)["o"].learning_rate) == pytest.approx(0.01)


def test_verify_calls_each_flagged_keyword_and_its_fix_on_keras() -> None:
    from tests.conftest import FIXTURES
    from tests.test_verify import run_cli

    script = FIXTURES / "rules" / "sl011" / "misspelled_training_keywords.py"
    result = run_cli("verify", "--format", "json", str(script))
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {r["finding"]["line"]: r for r in json.loads(result.stdout)}
    assert {line: (r["status"], r["outcome"]) for line, r in rows.items()} == {
        line: ("reproduced", "confirmed") for line in (9, 10, 11, 12)
    }
    assert rows[9]["reproduction"]["error"]["message"] == (
        "Argument(s) not recognized: {'learnig_rate': 0.0003}"
    )
    assert "got an unexpected keyword argument 'patiance'" in rows[10]["reproduction"]["verdict"]
    assert "got an unexpected keyword argument 'epoch'" in rows[11]["reproduction"]["verdict"]
    assert [f["description"] for f in rows[11]["fixes"]] == ["fit(..., epochs=...)"]


def test_verify_skips_what_keras_takes_without_error_and_what_it_cannot_know() -> None:
    from tests.conftest import FIXTURES
    from tests.test_verify import run_cli

    script = FIXTURES / "rules" / "sl008" / "keras2_training_keywords.py"
    result = run_cli("verify", "--format", "json", str(script))
    rows = [(r["finding"]["line"], r["status"], r["outcome"]) for r in json.loads(result.stdout)]
    assert sorted(rows) == [
        (13, "skipped", "skipped"),  # to_categorical(labels, ...): labels are not known
        (16, "reproduced", "confirmed"),
        (17, "reproduced", "confirmed"),  # lr
        (17, "skipped", "skipped"),  # decay: ignored, nothing fails
        (21, "reproduced", "reproduced, no fix to try"),  # period: no automatic fix
        (22, "skipped", "skipped"),  # epsilon: ignored
        (24, "reproduced", "confirmed"),
    ]
    assert result.returncode == 3, result.stdout + result.stderr
