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
