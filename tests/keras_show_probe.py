"""Builds models in Keras 3 from the specs on stdin; prints each layer's output shape and
parameter count as Keras computes them (for tests/test_show_keras.py). Run in its own
process so that the tests' process never imports TensorFlow."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402

_RNN_OWN = {"return_sequences", "return_state", "stateful", "go_backwards", "unroll"}


def _layer(spec: dict[str, Any]) -> keras.layers.Layer:
    kind, args = spec["kind"], dict(spec["args"])
    if kind == "RNN":
        own = {k: v for k, v in args.items() if k in _RNN_OWN}
        cell_args = {k: v for k, v in args.items() if k not in _RNN_OWN}
        core = keras.layers.RNN(getattr(keras.layers, spec["cell"])(**cell_args), **own)
    else:
        core = getattr(keras.layers, kind)(**args)
    if spec["wrapper"]:
        return getattr(keras.layers, spec["wrapper"])(core, **spec["wrapper_args"])
    return core


def _graph(spec: dict[str, Any]) -> list[keras.layers.Layer]:
    """A functional model with branches: each layer called on what its sources give."""
    inputs = [keras.Input(batch_shape=(spec["batch"], *shape)) for shape in spec["inputs"]]
    outputs: list[Any] = []
    layers = []
    for layer_spec in spec["layers"]:
        layer = _layer(layer_spec)
        taken = [inputs[-1 - i] if i < 0 else outputs[i] for i in layer_spec["sources"]]
        outputs.append(layer(taken[0] if len(taken) == 1 else taken))
        layers.append(layer)
    keras.Model(inputs, outputs[-1])
    return layers


def build(spec: dict[str, Any]) -> dict[str, Any]:
    if "inputs" in spec:
        try:
            layers = _graph(spec)
        except Exception as error:  # noqa: BLE001 - a model Keras cannot build is reported
            return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
        return {
            "layers": [
                {"shape": list(layer.output.shape), "params": layer.count_params()}
                for layer in layers
            ]
        }
    try:
        inputs = keras.Input(batch_shape=(spec["batch"], *spec["input"]))
        tensor = inputs
        layers = []
        for layer_spec in spec["layers"]:
            layer = _layer(layer_spec)
            tensor = layer(tensor)
            layers.append(layer)
        keras.Model(inputs, tensor)
    except Exception as error:  # noqa: BLE001 - a model Keras cannot build is reported
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    return {
        "layers": [
            {"shape": list(layer.output.shape), "params": layer.count_params()} for layer in layers
        ]
    }


def main() -> None:
    specs = json.load(sys.stdin)
    json.dump([build(spec) for spec in specs], sys.stdout)


if __name__ == "__main__":
    main()
