"""What each rule hands on with a finding besides its text: the subject, the facts the
finding is about, for `shapelint verify` and for tools. Pinned for the rules whose
subjects the fixtures' verify plans (tests/snapshots/verify_plans/) do not read."""

from __future__ import annotations

from shapelint.lint import facts_for
from shapelint.rules.base import Diagnostic
from shapelint.rules.sl004_ignored_input_shape import check as sl004
from shapelint.rules.sl005_input_shape_mismatch import check as sl005
from shapelint.rules.sl010_keras3_removed_api import check as sl010
from shapelint.subjects import DeclaredRankMismatch, IgnoredInputShape, RemovedApi


def diagnostics(source: str, check: object) -> list[Diagnostic]:
    assert callable(check)
    return list(check(facts_for(source, "t.py")))


def test_sl004_names_the_layer_its_place_and_the_ignored_arguments() -> None:
    source = (
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(4, input_shape=(8,)),"
        " keras.layers.Dense(2, input_shape=(4,), batch_size=3)])\n"
    )
    [found] = diagnostics(source, sl004)
    subject = found.subject
    assert isinstance(subject, IgnoredInputShape)
    assert (subject.position, subject.names) == (2, ("input_shape", "batch_size"))
    assert subject.layer is subject.model.layers[1]
    assert subject.model.name == "model"


def test_sl005_names_the_layer_with_the_declared_shape() -> None:
    source = (
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(3),"
        " keras.layers.LSTM(4, input_shape=(5,))])\n"
    )
    [found] = diagnostics(source, sl005)
    subject = found.subject
    assert isinstance(subject, DeclaredRankMismatch)
    assert (subject.declared, subject.needed_rank) == ((5,), 2)
    assert subject.layer is subject.model.layers[1]
    assert subject.layer.kind == "LSTM"


def test_sl010_hands_on_the_removed_use() -> None:
    source = (
        "import keras\nfrom keras.layers import CuDNNGRU\n"
        "model = keras.Sequential([keras.layers.CuDNNLSTM(4), CuDNNGRU(2)])\n"
        "model.fit_generator(gen, 100, 5)\nmodel.reset_states()\n"
    )
    found = diagnostics(source, sl010)
    uses = []
    for d in found:
        assert isinstance(d.subject, RemovedApi)
        uses.append((d.subject.use.kind, d.subject.use.name, d.subject.use.anchor.line))
    assert sorted(uses) == [
        ("layer", "CuDNNGRU", 3),
        ("layer", "CuDNNLSTM", 3),
        ("model_method", "fit_generator", 4),
        ("model_method", "reset_states", 5),
    ]
