"""The Keras-API rules (SL010 on imports and predict methods, SL011) and SL004's ordinals:
what they hand on to verify and fixes, and the branches the fixtures do not reach."""

from __future__ import annotations

from shapelint import check_source
from shapelint.facts import Facts
from shapelint.fixes.plans import RenameKeyword
from shapelint.lint import facts_for
from shapelint.rules import sl004_ignored_input_shape, sl010_keras3_removed_api
from shapelint.rules import sl011_unknown_argument as sl011
from shapelint.rules.base import Diagnostic
from shapelint.subjects import RemovedApi, RemovedModule, UnknownArgument


def _diagnostics(source: str, check: object) -> list[Diagnostic]:
    facts: Facts = facts_for(source, "example.py")
    assert callable(check)
    return list(check(facts))


def test_ordinals() -> None:
    nth = sl004_ignored_input_shape._nth
    assert [nth(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 112, 121)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th",
        "21st", "22nd", "23rd", "101st", "112th", "121st",
    ]  # fmt: skip


def test_a_removed_module_names_its_keras3_home() -> None:
    source = "import keras\nfrom keras.layers.core import Dense, Dropout\n"
    (diagnostic,) = _diagnostics(source, sl010_keras3_removed_api.RULE.check)
    assert isinstance(diagnostic.subject, RemovedModule)
    assert diagnostic.subject.home == "keras.layers"
    assert diagnostic.subject.imported.module == "keras.layers.core"


def test_names_with_two_homes_get_one_import_each() -> None:
    source = "import keras\nfrom keras.engine.topology import Input, get_source_inputs\n"
    (finding,) = check_source(source, select={"SL010"})
    assert finding.fix is not None
    assert finding.fix.description == (
        "Import Input from keras.layers, get_source_inputs from keras.utils."
    )


def test_a_name_that_is_a_keras3_module_is_named_so() -> None:
    source = "import keras\nfrom keras.engine.topology import saving\n"
    (finding,) = check_source(source, select={"SL010"})
    assert "saving is the module keras.saving in Keras 3" in finding.message


def _predict_proba(call: str) -> list[str]:
    source = (
        "import numpy as np\nimport keras\nx = np.zeros((8, 3))\n"
        "model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])\n"
        f"{call}\n"
    )
    return [f.autofix or "" for f in check_source(source, select={"SL010"})]


def test_predict_proba_is_renamed_only_with_predicts_own_arguments() -> None:
    assert _predict_proba("p = model.predict_proba(x=x, batch_size=4, verbose=0)") == ["safe"]
    assert _predict_proba("p = model.predict_proba(x, 4, 0)") == ["safe"]
    assert _predict_proba("p = model.predict_proba(x, 4, 0, None)") == [""]
    assert _predict_proba("p = model.predict_proba(x, steps=2)") == [""]


def test_timeseries_generator_subject_is_the_use() -> None:
    source = (
        "import numpy as np\nimport keras\n"
        "g = keras.preprocessing.sequence.TimeseriesGenerator(np.zeros((9, 1)), "
        "np.zeros((9, 1)), length=2)\n"
    )
    (diagnostic,) = _diagnostics(source, sl010_keras3_removed_api.RULE.check)
    assert isinstance(diagnostic.subject, RemovedApi)
    assert diagnostic.subject.use.name == "TimeseriesGenerator"


def test_sl011_subject_and_the_rename_plan() -> None:
    source = (
        "import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), "
        "keras.layers.Dense(3, activaton='relu')])\n"
    )
    (diagnostic,) = _diagnostics(source, sl011.RULE.check)
    assert isinstance(diagnostic.subject, UnknownArgument)
    assert (diagnostic.subject.name, diagnostic.subject.suggestion) == ("activaton", "activation")
    assert (diagnostic.subject.call.qualname, diagnostic.subject.api) == ("layers.Dense", "keras")
    (plan,) = diagnostic.plans
    assert isinstance(plan, RenameKeyword)
    # On a layer that is not wrapped, the keyword is on the call itself.
    assert (plan.old, plan.new, plan.layer) == ("activaton", "activation", None)


def test_sl011_reports_each_layer_with_the_same_typo() -> None:
    source = (
        "import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), "
        "keras.layers.Dense(3, activaton='relu'), keras.layers.Dense(1, activaton='relu')])\n"
    )
    findings = check_source(source, select={"SL011"})
    assert [(f.code, f.line, f.column) for f in findings] == [
        ("SL011", 2, 52),  # 26 + 23 + 2 characters before the first Dense
        ("SL011", 2, 93),  # 39 more, and ", "
    ]


def test_python_lists_missing_arguments_as_its_typeerror_does() -> None:
    from shapelint.rules.keywords import python_list

    assert python_list(["units"]) == "'units'"
    assert python_list(["filters", "kernel_size"]) == "'filters' and 'kernel_size'"
    assert python_list(["a", "b", "c"]) == "'a', 'b', and 'c'"
    source = "import keras\nl = keras.layers.Conv2D(nb_filter=8, nb_row=3, nb_col=3)\n"
    messages = [f.message for f in check_source(source, select={"SL008"})]
    assert len(messages) == 3
    assert all(
        "TypeError: __init__() missing 2 required positional arguments: 'filters' and "
        "'kernel_size'" in m
        for m in messages
    )


def test_keras_names_an_alias_by_its_class() -> None:
    source = "import keras\nl = keras.layers.Convolution1D(4, 3, border_mode='same')\n"
    (finding,) = check_source(source, select={"SL008"})
    assert "Unrecognized keyword arguments passed to Conv1D: {'border_mode': 'same'}" in (
        finding.message
    )
    assert "on the Convolution1D" in finding.message


def test_a_keras_3_keyword_on_tf_keras_is_removed_without_history() -> None:
    source = "import tf_keras\nl = tf_keras.layers.Dense(8, lora_rank=4)\n"
    (finding,) = check_source(source, select={"SL008", "SL011"})
    assert finding.code == "SL008"
    assert finding.message.startswith("lora_rank=4 on the Dense is not a tf_keras (Keras 2) ")
    assert finding.fix is not None and finding.fix.description == "Remove lora_rank."
    keras3 = "import keras\nl = keras.layers.Dense(8, colour='red')\n"
    (typo,) = check_source(keras3, select={"SL011"})
    assert typo.fix is not None and typo.fix.description.startswith("Remove colour")


def test_time_major_true_is_reported_without_an_automatic_fix() -> None:
    source = (
        "import keras\nmodel = keras.Sequential([keras.Input(shape=(5, 2)), "
        "keras.layers.LSTM(8, time_major=True)])\n"
    )
    (finding,) = check_source(source, select={"SL008"})
    assert finding.fix is not None and finding.autofix is None
    assert finding.fix.description.startswith("Remove time_major=True and feed the data as")
