"""Models held where code keeps them: on self, in a class, in a callback, after an
escape (fixtures/models/ has the realistic scripts; these pin the rules they follow)."""

from __future__ import annotations

from shapelint import check_source
from shapelint.lint import facts_for


def test_what_was_built_before_an_escape_stays_known() -> None:
    source = (
        "import keras\nfrom elsewhere import describe\n"
        "model = keras.Sequential()\n"
        "model.add(keras.Input(batch_shape=(30, 30, 7)))\n"
        "model.add(keras.layers.LSTM(8, stateful=True, return_sequences=True))\n"
        "model.fit(x, y, batch_size=30)\n"
        "describe(model)\n"
        "model.add(keras.layers.LSTM(4, stateful=True))\n"
        "model.fit(x, y, batch_size=30)\n"
    )
    facts = facts_for(source, "escape.py")
    whole, before = facts.models
    assert not whole.exact and [x.kind for x in whole.layers] == ["LSTM", "LSTM"]
    assert before.exact and [x.kind for x in before.layers] == ["LSTM"]
    assert whole.batch.size is not None and whole.batch.size.value == 30
    first, second = facts.calls
    assert first.model.exact and not second.model.exact


def test_a_layer_added_to_an_empty_model_after_an_escape_has_no_known_place() -> None:
    source = (
        "import keras\nfrom elsewhere import prepare\n"
        "model = keras.Sequential()\n"
        "prepare(model)\n"
        "model.add(keras.layers.LSTM(8, stateful=True, input_shape=(30, 7)))\n"
    )
    (model,) = facts_for(source, "escape.py").models
    assert model.batch.status == "unknown" and not model.layers[0].certain
    assert check_source(source) == []


def test_other_methods_see_a_model_another_method_changes_as_escaped() -> None:
    source = (
        "import keras\n"
        "class Forecaster:\n"
        "    def __init__(self):\n"
        "        self.model = keras.Sequential([keras.Input(batch_shape=(30, 30, 7)),\n"
        "                                       keras.layers.LSTM(8, stateful=True)])\n"
        "    def extend(self):\n"
        "        self.model.add(keras.layers.Dense(1))\n"
        "    def train(self, x, y):\n"
        "        self.model.fit(x, y, batch_size=30)\n"
    )
    (call,) = facts_for(source, "cls.py").calls
    assert not call.model.exact and call.model.batch.size is not None
    assert call.model.batch.size.value == 30


def test_an_unknown_base_class_hides_self_from_the_other_methods() -> None:
    source = (
        "import keras\nfrom elsewhere import Base\n"
        "class Agent(Base):\n"
        "    def __init__(self):\n"
        "        self.model = keras.Sequential([keras.layers.LSTM(8)])\n"
        "        self.model.reset_states()\n"
        "    def reset(self):\n"
        "        self.model.reset_states()\n"
    )
    assert [f.line for f in check_source(source)] == [6]


def test_a_callback_does_not_claim_the_class_of_its_model() -> None:
    source = (
        "import keras\n"
        "class Reset(keras.callbacks.Callback):\n"
        "    def on_epoch_end(self, epoch, logs=None):\n"
        "        self.model.reset_states()\n"
    )
    (finding,) = check_source(source)
    assert "'Functional' or 'Sequential' object" in finding.message
    assert check_source(source.replace("keras", "tf_keras")) == []
