"""Models held where code keeps them: after an escape (fixtures/models/ has the realistic
scripts; these pin the rules they follow)."""

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
