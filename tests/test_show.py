"""`shapelint show`: the tables, their formats, the reasons for `?`, notebooks and the CLI.

Every value here is what shapelint works out statically; tests/test_show_keras.py proves
the output shapes and parameter counts against Keras 3.
"""

from __future__ import annotations

import json
from pathlib import Path

import libcst
import pytest

from shapelint import show_paths, show_source
from shapelint.cli import main
from shapelint.facts import UNKNOWN, Anchor, Layer
from shapelint.findings import Span
from shapelint.model_shapes import Size, layer_size
from tests.conftest import FIXTURES, ROOT, SEED

COMMON = FIXTURES / "show" / "common_layers.py"
NOTEBOOK = FIXTURES / "notebooks" / "stateful_forecast.ipynb"

SEED_TEXT = """\
fixtures/seed/stateful_lstm_stock.py

Model "model" (Sequential, line 33)
 Batch size: 30 (batch_input_shape on line 34; batch_size = 30 on line 13)
 Input shape: (30, 30, 7)
 Layer (type)  Output Shape     Param #  Flags                       Where
 ───────────────────────────────────────────────────────────────────────────
 LSTM          (30, 30, 512)  1,064,960  stateful, return_sequences  line 34
 LSTM          (30, 30, 512)  2,099,200  return_sequences            line 35
 LSTM          (30, 30, 512)  2,099,200  stateful, return_sequences  line 36
 Dense         (30, 30, 1)          513                              line 37
 ───────────────────────────────────────────────────────────────────────────
 Total params: 5,263,873

fit (line 40) on trainX
  samples      1735 = len(raw)=1765 - window_size=30 (trainX, line 27)
  sample shape (30, 7) (trainX, line 27)
  batch size   30 (batch_size = 30 on line 13)
  batches      57 full batches and a remainder of 25
  targets      trainY: (30, 1) per sample
  loss         mean_squared_error (compile, line 38)
  shuffle      False
  findings     SL001
"""


def show(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["show", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def test_the_seed_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = show(capsys, "fixtures/seed/stateful_lstm_stock.py")
    assert (code, out, err) == (0, SEED_TEXT, "")


def test_the_seed_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "--format", "json", "fixtures/seed/stateful_lstm_stock.py")
    assert code == 0
    [shown] = json.loads(out)
    [model] = shown["models"]
    assert [
        (x["type"], x["line"], x["output_shape"], x["params"], x["flags"]) for x in model["layers"]
    ] == [
        ("LSTM", 34, [30, 30, 512], 1064960, ["stateful", "return_sequences"]),
        ("LSTM", 35, [30, 30, 512], 2099200, ["return_sequences"]),
        ("LSTM", 36, [30, 30, 512], 2099200, ["stateful", "return_sequences"]),
        ("Dense", 37, [30, 30, 1], 513, []),
    ]
    assert model["total_params"] == 5263873
    assert (model["batch_size"], model["batch_size_from"]) == (
        30,
        "batch_input_shape on line 34; batch_size = 30 on line 13",
    )
    assert model["input_shape"] == [30, 30, 7]
    assert model["calls"] == [
        {
            "method": "fit",
            "line": 40,
            "data": "trainX",
            "samples": 1735,
            "samples_from": "len(raw)=1765 - window_size=30 (trainX, line 27)",
            "sample_shape": [30, 7],
            "sample_shape_from": "trainX, line 27",
            "batch_size": 30,
            "batch_size_from": "batch_size = 30 on line 13",
            "full_batches": 57,
            "remainder": 25,
            "targets": {"data": "trainY", "sample_shape": [30, 1], "classes": None},
            "loss": "mean_squared_error",
            "loss_from": "compile, line 38",
            "shuffle": False,
            "findings": ["SL001"],
        }
    ]


def test_the_targets_classes_and_the_loss_of_each_call(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "fixtures/rules/sl012/one_hot_against_one_unit.py")
    assert code == 0
    assert (
        "  targets      y_onehot: (10,) per sample, one-hot with 10 classes "
        "(to_categorical(..., num_classes=10))\n"
        "  loss         categorical_crossentropy (compile, line 17)\n"
    ) in out
    code, out, _ = show(
        capsys, "--format", "json", "fixtures/rules/sl012/labels_beyond_the_output.py"
    )
    [call] = json.loads(out)[0]["models"][0]["calls"]
    assert call["targets"] == {
        "data": "y",
        "sample_shape": [1],
        "classes": {"kind": "labels", "count": 10, "how": "rng.integers(0, 10)"},
    }
    assert (call["loss"], call["loss_from"]) == (
        "SparseCategoricalCrossentropy",
        "compile, line 11",
    )


def test_the_seed_as_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "--format", "markdown", "fixtures/seed/stateful_lstm_stock.py")
    assert code == 0
    assert out.splitlines()[:10] == [
        "## `fixtures/seed/stateful_lstm_stock.py`",
        "",
        '### Model "model" (Sequential, line 33)',
        "",
        "Batch size: 30 (batch_input_shape on line 34; batch_size = 30 on line 13). "
        "Input shape: `(30, 30, 7)`.",
        "",
        "| Layer (type) | Output shape | Param # | Flags | Where | Notes |",
        "|---|---|--:|---|---|---|",
        "| LSTM | `(30, 30, 512)` | 1,064,960 | stateful, return_sequences | line 34 |  |",
        "| LSTM | `(30, 30, 512)` | 2,099,200 | return_sequences | line 35 |  |",
    ]
    assert "| **Total** |  | **5,263,873** |  |  |  |" in out
    assert "| batches | 57 full batches and a remainder of 25 |" in out
    assert "| samples | 1735 = len(raw)=1765 - window_size=30 (trainX, line 27) |" in out


def test_notebooks_name_their_cells(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = show(capsys, "--format", "json", str(NOTEBOOK.relative_to(ROOT)))
    [model] = json.loads(out)[0]["models"]
    assert (model["cell"], model["line"], model["batch_size_from"]) == (
        6,
        3,
        "batch_shape on cell 6, line 1",
    )
    assert [(x["cell"], x["line"], x["output_shape"], x["params"]) for x in model["layers"]] == [
        (6, 2, [30, 64], 18432),
        (6, 3, [30, 1], 65),
    ]
    [call] = model["calls"]
    assert (call["cell"], call["line"], call["samples"], call["samples_from"]) == (
        6,
        6,
        1735,
        "len(readings)=1765 - window=30 (X, cell 3, line 3)",
    )
    _, text, _ = show(capsys, str(NOTEBOOK.relative_to(ROOT)))
    assert " LSTM          (30, 64)       18,432  stateful  cell 6, line 2" in text
    assert "fit (cell 6, line 6) on X" in text


def test_an_unknown_layer_is_a_question_mark_and_the_table_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = show(capsys, "--format", "json", str(COMMON.relative_to(ROOT)))
    models = {m["name"]: m for m in json.loads(out)[0]["models"]}
    rows = [
        (x["type"], x["output_shape"], x["params"], x["why"]) for x in models["seq2seq"]["layers"]
    ]
    assert rows == [
        ("SimpleRNN", [16, 32], 1280, None),
        ("RepeatVector", [16, 12, 32], 0, None),
        ("LSTM", [16, 12, 32], 8320, None),
        ("TimeDistributed(Dense)", [16, 12, 4], 132, None),
        ("Reshape", [16, 6, 8], 0, None),
        ("UpSampling1D", None, None, "UpSampling1D is not modelled"),
        ("Conv1D", None, None, "after the UpSampling1D on line 51"),
    ]
    assert models["seq2seq"]["total_params"] is None
    assert models["seq2seq"]["total_params_why"] == (
        "the parameter count of 2 layers is not known; the others have 9,732"
    )
    cnn = models["cnn"]
    assert cnn["batch_size"] is None
    assert cnn["layers"][0]["name"] == "conv_a"
    assert [x["output_shape"] for x in cnn["layers"]][:3] == [
        [None, 62, 62, 32],
        [None, 62, 62, 32],
        [None, 31, 31, 32],
    ]
    assert cnn["total_params"] == 321546
    assert models["text"]["total_params"] == 2700576
    [evaluate] = models["text"]["calls"]
    assert (evaluate["method"], evaluate["shuffle"], evaluate["full_batches"]) == (
        "evaluate",
        None,
        15,
    )
    assert evaluate["remainder"] == 80


def test_unknown_data_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = show(capsys, "--format", "json", "fixtures/sizes/unknowable_sources.py")
    [model] = json.loads(out)[0]["models"]
    calls = [
        (c["line"], c["samples"], c["samples_from"], c["batch_size"], c["batch_size_from"])
        for c in model["calls"]
    ]
    assert calls == [
        (19, None, "the length of X is not known", 30, "given on the call"),
        (20, None, "shapelint cannot follow missing", 30, "given on the call"),
        (21, None, "the length of x is not known", 30, "given on the call"),
        (
            22,
            None,
            "shapelint cannot follow gen_ds",
            None,
            "32 if gen_ds is an array; a dataset or generator batches itself",
        ),
        (
            23,
            None,
            "the size of filtered_ds is not known",
            30,
            "filtered_ds.batch(...) on line 15",
        ),
    ]
    assert all(c["full_batches"] is None and c["remainder"] is None for c in model["calls"])
    _, text, _ = show(capsys, "fixtures/sizes/unknowable_sources.py")
    assert "  samples      ? (the length of X is not known)\n" in text
    assert "  batches      ?\n" in text


def test_a_factory_built_model_names_the_call_that_built_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = show(capsys, "fixtures/models/factory_function.py")
    assert (
        'Model "model" (Sequential, line 20, built by create_model(stateful=True, '
        "batch_size=64, units=50) on line 28)"
    ) in out
    assert "  batches      78 full batches and a remainder of 8\n" in out


def test_colour_only_on_request_or_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, plain, _ = show(capsys, "fixtures/seed/stateful_lstm_stock.py")
    assert "\033[" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, painted, _ = show(capsys, "fixtures/seed/stateful_lstm_stock.py")
    assert "\033[1mfixtures/seed/stateful_lstm_stock.py\033[0m" in painted
    assert "\033[31mSL001\033[0m" in painted
    _, as_json, _ = show(capsys, "--format", "json", "fixtures/seed/stateful_lstm_stock.py")
    assert "\033[" not in as_json


def test_output_file_and_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "show.txt"
    code, out, _ = show(capsys, "-o", str(target), "fixtures/seed/stateful_lstm_stock.py")
    assert (code, out, target.read_text(encoding="utf-8")) == (0, "", SEED_TEXT)
    code, _, err = show(capsys, str(tmp_path / "missing.py"))
    assert code == 2 and "missing.py" in err
    broken = tmp_path / "broken.py"
    broken.write_text("import keras\nmodel = (\n", encoding="utf-8")
    code, out, _ = show(capsys, str(broken))
    assert code == 0
    assert out.startswith(f"{broken}\n  not shown: ") and "(line " in out


def test_a_directory_lists_the_files_with_models(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("print('no keras here')\n", encoding="utf-8")
    (tmp_path / "seed.py").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    report = show_paths([tmp_path])
    assert [Path(f.path).name for f in report.files] == ["seed.py"]
    named = show_paths([tmp_path / "plain.py"])
    assert [(Path(f.path).name, f.models) for f in named.files] == [("plain.py", ())]


def test_show_source_is_plain_data() -> None:
    shown = show_source(SEED.read_text(encoding="utf-8"), "seed.py")
    [model] = shown.models
    [call] = model.calls
    assert (call.samples, call.batch_size, call.full_batches, call.remainder) == (1735, 30, 57, 25)
    assert [layer.params for layer in model.layers] == [1064960, 2099200, 2099200, 513]


def test_show_parses_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """No slower than check: one libcst parse, the same facts and rules as check."""
    parses = []
    original = libcst.parse_module

    def counting(*args: object, **kwargs: object) -> libcst.Module:
        parses.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(libcst, "parse_module", counting)
    show_source(SEED.read_text(encoding="utf-8"), "seed.py")
    assert len(parses) == 1


def _layer(kind: str, wrapper: str | None = None, **args: object) -> Layer:
    span = Span(1, 1, 1, 2)
    return Layer(
        kind=kind,
        anchor=Anchor(lambda: span),
        recurrent=kind in ("LSTM", "GRU", "SimpleRNN"),
        stateful=False,
        wrapper=wrapper,
        units=args.get("units") if isinstance(args.get("units"), int) else None,  # type: ignore[arg-type]
        return_sequences=bool(args.get("return_sequences", False)),
        args=tuple(sorted(args.items())),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("layer", "shape", "size"),
    [
        (_layer("Dense", units=10), (30, 7), Size((30, 10), 80)),
        (_layer("Dense", units=10, use_bias=False), (7,), Size((10,), 70)),
        (
            _layer("Dense", units=10),
            (None,),
            Size((10,), None, "its input's last axis is not known"),
        ),
        (_layer("Dense", units=UNKNOWN), (7,), Size(None, None, "units is not known")),
        (
            _layer("Embedding", input_dim=1000, output_dim=8),
            None,
            Size(None, 8000, "its input shape is not known"),
        ),
        (_layer("LSTM", units=4), (5, 3), Size((4,), 128)),
        (_layer("LSTM", units=4), (3,), Size(None, None, "needs 2-D input per sample, gets 1-D")),
        (_layer("GRU", units=4, reset_after=False), (5, 3), Size((4,), 96)),
        (_layer("LSTM", "Bidirectional", units=4, merge_mode="ave"), (5, 3), Size((4,), 256)),
        (
            _layer("LSTM", "Bidirectional", units=4, merge_mode=None),
            (5, 3),
            Size(None, None, "merge_mode=None is not modelled"),
        ),
        (_layer("Conv1D", filters=2, kernel_size=3, strides=2), (9, 4), Size((4, 2), 26)),
        (
            _layer("Conv2D", filters=2, kernel_size=5),
            (3, 3, 1),
            Size(None, None, "its window is larger than its input"),
        ),
        (
            _layer("Conv2D", filters=2, kernel_size=3, data_format="channels_first"),
            (1, 8, 8),
            Size(None, None, "data_format is not channels_last"),
        ),
        (_layer("MaxPooling1D", pool_size=3), (10, 4), Size((3, 4), 0)),
        (_layer("Reshape", target_shape=(-1, 3)), (4, 3, 2), Size((8, 3), 0)),
        (_layer("Flatten"), (None, 3), Size(None, None, "an axis of its input is not known")),
        (_layer("BatchNormalization", axis=1), (6, 4), Size((6, 4), 24)),
        (_layer("Dense", "TimeDistributed", units=2), (5, 3), Size((5, 2), 8)),
        (
            _layer("LSTM", "Sometimes", units=2),
            (5, 3),
            Size(None, None, "the Sometimes wrapper is not modelled"),
        ),
    ],
)
def test_layer_sizes(layer: Layer, shape: tuple[int | None, ...] | None, size: Size) -> None:
    assert layer_size(layer, shape) == size


def test_the_readme_shows_the_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "$ shapelint show fixtures/seed/stateful_lstm_stock.py\n" + SEED_TEXT in readme


def test_functional_graphs_follow_their_edges(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "--format", "json", "fixtures/show/functional_graphs.py")
    assert code == 0
    reviews, residual = json.loads(out)[0]["models"]
    assert (reviews["input_shape"], reviews["input_shapes"]) == (None, [[None, 120], [None, 8]])
    assert [(x["type"], x["output_shape"], x["params"]) for x in reviews["layers"]] == [
        ("Embedding", [None, 120, 64], 1280000),
        ("Bidirectional(LSTM)", [None, 64], 24832),
        ("Dense", [None, 16], 144),
        ("Concatenate", [None, 80], 0),
        ("Dense", [None, 32], 2592),
        ("Dropout", [None, 32], 0),
        ("Dense", [None, 1], 33),
    ]
    assert reviews["total_params"] == 1307601
    assert [(x["type"], x["output_shape"]) for x in residual["layers"]][3:5] == [
        ("Add", [None, 256, 32]),
        ("Concatenate", [None, 512, 32]),
    ]
    code, out, _ = show(capsys, "fixtures/show/functional_graphs.py")
    assert " Input shapes: (None, 120), (None, 8)\n" in out


def test_a_shared_layer_leaves_the_graph_unknown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    script = tmp_path / "siamese.py"
    script.write_text(
        "import keras\n"
        "a = keras.Input(shape=(8,))\n"
        "b = keras.Input(shape=(8,))\n"
        "encode = keras.layers.Dense(4)\n"
        "joined = keras.layers.Concatenate()([encode(a), encode(b)])\n"
        "model = keras.Model([a, b], keras.layers.Dense(1)(joined))\n",
        encoding="utf-8",
    )
    code, out, _ = show(capsys, "--format", "json", str(script))
    [model] = json.loads(out)[0]["models"]
    assert [x["output_shape"] for x in model["layers"]] == [None, None, None]
