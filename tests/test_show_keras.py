"""`shapelint show` proved against Keras 3 (real TensorFlow, CPU).

Every fixture model is rebuilt in Keras 3 from the facts' layer kinds and arguments, with
the input shape and batch size shapelint shows, and every output shape and parameter count
that `shapelint show --format json` gives must equal what Keras builds. A model Keras
cannot build (unknown arguments, Keras 2-only layers) is counted and named, not compared.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from shapelint import check_source, lint, notebook
from shapelint.facts import Facts, Layer, Model, Plain, Unknown
from shapelint.report.show_json import render
from shapelint.show import show_text
from tests.conftest import FIXTURES, ROOT, SEED

# Arguments that only say where the model's input is: the rebuilt model gets that from its
# Input (Keras 3 rejects batch_input_shape= on a layer; shapelint's SL008 fix moves it).
_INPUT_ARGS = {"batch_input_shape", "batch_size", "input_shape", "input_length", "batch_shape"}
_UNITS = {"Dense", "LSTM", "GRU", "SimpleRNN", "RNN"}


def _facts(path: Path) -> Facts:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        whole = notebook.program(text)
        return notebook.analyse(whole, str(path), None)[1]
    return lint.facts_for(text, str(path))


def _json_value(value: Plain) -> Any:
    if isinstance(value, Unknown):
        raise ValueError("not known")
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value


def _layer_spec(layer: Layer) -> dict[str, Any]:
    args = {}
    for name, value in layer.args:
        if name in _INPUT_ARGS or name in ("name", "layer", "merge_mode", "cell"):
            continue
        if name == "input_dim" and layer.kind != "Embedding":
            continue
        if name == "units" and layer.kind not in _UNITS:
            continue  # the facts give a ConvLSTM's filters as its units
        args[name] = _json_value(value)
    wrapper_args = {}
    if layer.wrapper == "Bidirectional" and layer.has_arg("merge_mode"):
        wrapper_args["merge_mode"] = _json_value(layer.arg("merge_mode"))
    return {
        "kind": layer.kind,
        "wrapper": layer.wrapper,
        "wrapper_args": wrapper_args,
        "cell": layer.cell,
        "args": args,
    }


def _graph_spec(model: Model) -> dict[str, Any] | str:
    """A functional model with branches, as Keras 3 code would build it along its graph."""
    shapes = model.input_shapes
    if not shapes or any(shape is None or None in shape for shape in shapes):
        return "an input shape not known"
    try:
        layers = [
            {**_layer_spec(layer), "sources": list(layer.sources or ())} for layer in model.layers
        ]
    except ValueError:
        return "an argument is not known"
    batch = model.batch.size.int_value if model.batch.size is not None else None
    return {"batch": batch, "inputs": [list(shape or ()) for shape in shapes], "layers": layers}


def _model_spec(model: Model, shown: dict[str, Any]) -> dict[str, Any] | str:
    """The model as Keras 3 code would build it, or why it cannot be rebuilt."""
    graph = model.layers and all(layer.sources is not None for layer in model.layers)
    if not model.exact and graph and all(layer.certain for layer in model.layers):
        return _graph_spec(model)
    if not model.exact or not all(layer.certain for layer in model.layers):
        return "not one chain of known layers"
    shape = shown["input_shape"]
    if shape is None or "?" in shape[1:]:
        return "input shape not known"
    try:
        layers = [_layer_spec(layer) for layer in model.layers]
    except ValueError:
        return "an argument is not known"
    batch = shape[0] if isinstance(shape[0], int) else None
    return {"batch": batch, "input": shape[1:], "layers": layers}


def _keras(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "keras_show_probe.py")],
        input=json.dumps(specs),
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    return json.loads(result.stdout)


def _same_shape(shown: list[Any], keras: list[Any]) -> bool:
    if len(shown) != len(keras):
        return False
    return all(s == "?" or s == k for s, k in zip(shown, keras, strict=True))


def test_every_shown_shape_and_parameter_count_equals_keras() -> None:
    fixtures = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".py", ".ipynb"))
    cases: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    skipped: dict[str, str] = {}
    for path in fixtures:
        facts = _facts(path)
        shown = json.loads(render([show_text(path.read_text(encoding="utf-8"), str(path))]))[0]
        assert len(shown["models"]) == len(facts.models)
        for index, (model, row) in enumerate(zip(facts.models, shown["models"], strict=True)):
            name = f"{path.relative_to(ROOT)}#{index}"
            spec = _model_spec(model, row)
            if isinstance(spec, str):
                skipped[name] = spec
                continue
            cases.append((name, spec, row))
    built = _keras([spec for _, spec, _ in cases])
    compared = shapes = params = 0
    mismatches = []
    refused = {}
    for (name, _, row), keras in zip(cases, built, strict=True):
        if "error" in keras:
            refused[name] = keras["error"]
            continue
        compared += 1
        for layer, actual in zip(row["layers"], keras["layers"], strict=True):
            where = f"{name} {layer['type']} line {layer['line']}"
            if layer["output_shape"] is not None:
                shapes += 1
                if not _same_shape(layer["output_shape"], actual["shape"]):
                    mismatches.append(f"{where}: {layer['output_shape']} != {actual['shape']}")
            if layer["params"] is not None:
                params += 1
                if layer["params"] != actual["params"]:
                    mismatches.append(f"{where}: {layer['params']} params != {actual['params']}")
    report = (
        f"{compared} models compared ({shapes} shapes, {params} parameter counts); "
        f"Keras refused {len(refused)}: {refused}; not rebuilt {len(skipped)}: {skipped}"
    )
    print(report)
    assert mismatches == [], "\n".join(mismatches) + "\n" + report
    seed = str(SEED.relative_to(ROOT)) + "#0"
    assert seed in {name for name, _, _ in cases} and seed not in refused, report
    assert compared == len(cases) - len(refused) > 0
    # Keras 3 refuses only models that shapelint reports an error in (a removed argument, a
    # stateful layer without a fixed batch size, a rank mismatch, a typo, a removed layer)
    # or that are written for Keras 2 (tf_keras).
    for name in refused:
        path = ROOT / name.partition("#")[0]
        findings = check_source(path.read_text(encoding="utf-8"), str(path))
        keras2 = _facts(path).keras_version == 2
        assert keras2 or any(f.severity == "error" for f in findings), f"{name}: {refused[name]}"
