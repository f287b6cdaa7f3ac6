"""The Keras API table (``shapelint/data/keras_api.json``) and its loader.

The fast tests read the shipped table: the facts measured in the notes (Keras 3.15 and
tf_keras 2.21) must hold there. The slow one regenerates the table from the installed Keras,
demands the shipped file byte for byte, and makes the real calls, so that the table is proven
against Keras and not only against itself.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from shapelint import keras_api
from tests.conftest import ROOT

DATA = ROOT / "shapelint" / "data" / "keras_api.json"


@pytest.mark.parametrize(
    ("api", "qualname", "keyword", "state"),
    [
        (3, "layers.Dense", "units", "accepted"),
        (3, "layers.Dense", "init", "rejected"),
        (3, "layers.Dense", "activaton", "rejected"),
        (2, "layers.Dense", "activaton", "rejected"),
        (3, "layers.Dense", "weights", "rejected"),
        (2, "layers.Dense", "weights", "accepted"),
        (3, "layers.Dense", "input_shape", "warns"),
        (3, "layers.Dense", "batch_size", "rejected"),
        (2, "layers.Dense", "batch_size", "accepted"),
        (3, "layers.Dense", "name", "accepted"),
        (3, "layers.LSTM", "return_sequences", "accepted"),
        (3, "layers.LSTM", "return_sequence", "rejected"),
        (3, "layers.LSTM", "batch_input_shape", "rejected"),
        (2, "layers.LSTM", "batch_input_shape", "accepted"),
        (3, "layers.LSTM", "input_length", "rejected"),
        (3, "layers.LSTM", "dropout_W", "rejected"),
        (3, "layers.Embedding", "input_length", "ignored"),
        (2, "layers.Embedding", "input_length", "accepted"),
        (3, "layers.LeakyReLU", "alpha", "warns"),
        (3, "layers.BatchNormalization", "mode", "rejected"),
        (3, "optimizers.Adam", "lr", "rejected"),
        (2, "optimizers.Adam", "lr", "ignored"),
        (2, "optimizers.legacy.Adam", "lr", "warns"),
        (3, "optimizers.Adam", "decay", "ignored"),
        (2, "optimizers.Adam", "decay", "rejected"),
        (3, "Model.fit", "nb_epoch", "rejected"),
        (2, "Model.fit", "nb_epoch", "rejected"),
        (3, "Model.fit", "epochs", "accepted"),
        (3, "Model.compile", "sample_weight_mode", "rejected"),
        (2, "Model.compile", "sample_weight_mode", "accepted"),
        (3, "callbacks.ReduceLROnPlateau", "epsilon", "ignored"),
        (2, "callbacks.ReduceLROnPlateau", "epsilon", "warns"),
        ("tf.keras", "layers.Dense", "init", "rejected"),
        ("tf.keras", "preprocessing.text.Tokenizer", "nb_words", "warns"),
    ],
)
def test_keywords_as_measured(
    api: keras_api.ApiLike, qualname: str, keyword: str, state: str
) -> None:
    found = keras_api.keyword(api, qualname, keyword)
    assert found is not None and found.state == state, found


def test_messages_are_keras_own() -> None:
    decay = keras_api.keyword(3, "optimizers.Adam", "decay")
    assert decay == keras_api.Keyword(
        "ignored", "Argument `decay` is no longer supported and will be ignored."
    )
    init = keras_api.keyword(3, "layers.Dense", "init")
    assert init is not None and init.message.startswith("Unrecognized keyword arguments passed to")
    typo = keras_api.keyword(2, "layers.Dense", "activaton")
    assert typo is not None and typo.message.startswith("Keyword argument not understood:")


def test_unknown_is_none() -> None:
    assert keras_api.keyword(3, "layers.NoSuchLayer", "units") is None
    assert keras_api.accepts(3, "layers.NoSuchLayer", "units") is None
    assert keras_api.parameters(3, "layers.NoSuchLayer") is None
    # keras.Model(inputs, outputs, foo=1) drops foo; keras.Model(foo=1) raises: it depends
    assert keras_api.accepts(3, "Model", "not_a_keyword") is None
    assert keras_api.accepts(3, "Model", "outputs") is True
    with pytest.raises(ValueError):
        keras_api.parameters(4, "layers.Dense")  # type: ignore[arg-type]


def test_parameters() -> None:
    lstm = keras_api.parameters(3, "layers.LSTM")
    assert lstm is not None and lstm.is_class
    assert lstm.positional[:2] == ("units", "activation")
    assert lstm.required == ("units",)
    assert lstm.kwargs == "closed"
    assert lstm.bases[:2] == ("layers.RNN", "layers.Layer")
    assert "stateful" in lstm.keywords() and "trainable" in lstm.keywords()
    fit = keras_api.parameters(3, "Model.fit")
    assert fit is not None and fit.kwargs is None and "batch_size" in fit.positional
    legacy = keras_api.parameters(3, "optimizers.legacy.Adam")
    assert legacy is not None and legacy.raises is not None
    assert legacy.raises.startswith("ImportError: `keras.optimizers.legacy` is not supported")


def test_methods_per_version() -> None:
    assert keras_api.exists(2, "Model.reset_states")
    assert not keras_api.exists(3, "Model.reset_states")
    assert keras_api.exists(2, "Model.fit_generator")
    assert not keras_api.exists(3, "Model.fit_generator")
    assert not keras_api.exists(2, "Sequential.predict_classes")
    assert keras_api.exists(3, "layers.LSTM.reset_states")
    assert keras_api.exists(3, "layers.LSTM.reset_state")
    assert not keras_api.exists(2, "layers.LSTM.reset_state")
    for method in ("fit", "evaluate", "predict", "train_on_batch", "predict_on_batch", "summary"):
        assert keras_api.exists(3, f"Model.{method}") and keras_api.exists(2, f"Model.{method}")


def test_closest() -> None:
    assert keras_api.closest(3, "layers.Dense", "activaton") == "activation"
    assert keras_api.closest(3, "layers.LSTM", "return_sequence") == "return_sequences"
    assert keras_api.closest(3, "layers.Dense", "init") is None
    # deprecated keywords are never offered
    assert keras_api.closest(3, "layers.LeakyReLU", "alpah") is None


def test_modules() -> None:
    assert keras_api.module_exists("keras.layers.core") is False
    assert keras_api.module_exists("keras.layers") is True
    assert keras_api.module_exists("keras") is True
    assert keras_api.module_exists("keras.preprocessing.text") is False
    assert keras_api.module_exists("tensorflow.keras.preprocessing.text") is True
    assert keras_api.module_exists("tf_keras.preprocessing.text") is True
    assert keras_api.module_exists("keras.src.layers.core") is None
    assert keras_api.module_exists("numpy") is None


def test_homes() -> None:
    assert keras_api.keras3_home("keras.utils.np_utils", "to_categorical") == (
        "keras.utils.to_categorical"
    )
    assert keras_api.keras3_home("keras.layers.core", "Dense") == "keras.layers.Dense"
    assert keras_api.keras3_home("keras.layers.merge", "concatenate") == "keras.layers.concatenate"
    assert keras_api.keras3_home("keras.layers.merge", "Merge") is None
    assert keras_api.keras3_home("keras.preprocessing.text", "Tokenizer") is None
    assert keras_api.keras3_home("tensorflow.keras.preprocessing.text", "Tokenizer") == (
        "tensorflow.keras.preprocessing.text.Tokenizer"
    )
    merge = keras_api.replacement("Merge")
    assert merge is not None and merge.use == "layers.Concatenate" and not merge.same


def test_every_old_name_without_a_home_has_a_replacement() -> None:
    for module, names in keras_api.old_modules().items():
        for name in names:
            if keras_api.keras3_home(f"keras.{module}", name) is None:
                assert keras_api.replacement(name) is not None, f"keras.{module}.{name}"


def test_replacements_exist_in_keras_3() -> None:
    for name, entry in json.loads(DATA.read_text("utf-8"))["history"]["replacements"].items():
        if entry["use"] is not None:
            assert keras_api.exists(3, entry["use"]), (name, entry["use"])


def test_renames() -> None:
    epochs = keras_api.rename("nb_epoch", "Model.fit")
    assert epochs == keras_api.Rename("nb_epoch", "epochs", True, "Keras 1")
    steps = keras_api.rename("samples_per_epoch", "Model.fit_generator")
    assert steps is not None and steps.new == "steps_per_epoch" and not steps.same_meaning
    assert keras_api.rename("output_dim", "layers.Dense") is not None
    assert keras_api.rename("output_dim", "layers.Embedding") is None  # Embedding keeps it
    init = keras_api.rename("init", "layers.Embedding")
    assert init is not None and init.new == "embeddings_initializer"
    assert keras_api.rename("lr", "optimizers.Adam") is not None


def test_each_rename_target_is_accepted_somewhere() -> None:
    """The new keyword of every rename is accepted by a callable its patterns name."""
    apis: tuple[keras_api.Api, ...] = ("keras", "tf.keras", "tf_keras")
    everything = {api: sorted(keras_api.qualnames(api)) for api in apis}
    for entry in json.loads(DATA.read_text("utf-8"))["history"]["renames"]:
        if entry["new"] is None:
            continue
        hits = [
            (api, qualname)
            for api in apis
            for pattern in entry["where"]
            for qualname in fnmatch.filter(everything[api], pattern)
        ]
        assert hits, entry
        assert any(keras_api.accepts(api, q, entry["new"]) for api, q in hits), entry


def test_the_table_is_small_and_loads_without_keras() -> None:
    assert DATA.stat().st_size < 300_000
    probe = (
        "import sys\nfrom shapelint import keras_api\n"
        "assert keras_api.accepts(3, 'layers.Dense', 'units')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tensorflow', 'keras', 'tf_keras')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_table_ships_with_the_package() -> None:
    config = (ROOT / "pyproject.toml").read_text("utf-8")
    assert '"data/*.json"' in config


# --------------------------------------------------------------------------------------------
# Against the installed Keras
# --------------------------------------------------------------------------------------------


def _installed(*names: str) -> str | None:
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def _require_the_same_keras() -> None:
    if importlib.util.find_spec("keras") is None or importlib.util.find_spec("tf_keras") is None:
        # CI installs the verify extra: there, a missing Keras is a failure, not a skip.
        assert not os.environ.get("CI"), "keras and tf_keras must be installed in CI"
        pytest.skip("keras and tf_keras are not installed (pip install -e '.[verify]')")
    wanted = keras_api.versions()
    installed = {
        "keras": _installed("keras"),
        "tensorflow": _installed("tensorflow", "tensorflow-cpu"),
        "tf_keras": _installed("tf-keras", "tf_keras"),
    }
    # A Keras release changes the table: regenerate it rather than let it drift.
    assert installed == wanted, (
        f"the table is from {wanted}, this is {installed}: "
        "run python tools/keras_api.py to regenerate it"
    )


@cache
def _regenerated(directory: str) -> dict[str, Any]:
    output = Path(directory) / "keras_api.json"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "keras_api_probe.py"), str(output)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    probed["text"] = output.read_bytes()
    return probed


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    _require_the_same_keras()
    return _regenerated(str(tmp_path_factory.mktemp("keras_api")))


def test_regenerating_gives_the_shipped_file(regenerated: dict[str, Any]) -> None:
    assert regenerated["text"] == DATA.read_bytes(), "run python tools/keras_api.py"


def _prefix(message: str) -> str:
    """A message up to its first ``{...}`` field, for matching Keras's rendered text."""
    return message.split("{", 1)[0].strip()


def test_the_table_agrees_with_real_calls(regenerated: dict[str, Any]) -> None:
    for outcome in regenerated["probes"]:
        api, qualname, name = outcome["api"], outcome["qualname"], outcome["keyword"]
        expected = keras_api.keyword(api, qualname, name)
        where = f"{api} {qualname}({name}=...): {outcome}"
        if (api, qualname) == ("keras", "Model"):
            # unknown in the table, as it depends on the call: the functional one drops it
            assert expected is None and outcome["raised"] is None, where
            continue
        assert expected is not None, where
        if expected.state == "rejected":
            assert outcome["raised"] is not None, where
            if expected.message:
                assert _prefix(expected.message) in outcome["message"], where
            continue
        assert outcome["raised"] is None, where
        if expected.message:
            assert any(_prefix(expected.message) in w for w in outcome["warned"]), where
        if expected.state == "warns":
            assert outcome["warned"], where


def test_ignored_means_no_effect(regenerated: dict[str, Any]) -> None:
    """tf_keras's optimizer takes ``lr`` and drops it: the default learning rate stays."""
    rates = {
        (o["api"], o["qualname"]): o["learning_rate"]
        for o in regenerated["probes"]
        if o["keyword"] == "lr"
    }
    assert rates[("tf_keras", "optimizers.Adam")] == pytest.approx(0.001)
    assert rates[("tf_keras", "optimizers.legacy.Adam")] == pytest.approx(0.01)


def test_modules_agree_with_real_imports(regenerated: dict[str, Any]) -> None:
    for path, imports in regenerated["modules"].items():
        assert keras_api.module_exists(path) is imports, path


def test_homes_really_import(regenerated: dict[str, Any]) -> None:
    for key, found in regenerated["homes"].items():
        # True: the home imports; None: no Keras 3 namespace has the name either
        assert found is True or found is None, key
