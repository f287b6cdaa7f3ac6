"""Per-sample output shapes of a model, layer by layer, as Keras computes them.

Pure functions over facts. Anything not modelled gives None: unknown.
"""

from __future__ import annotations

import math

from shapelint.facts import Layer, Model, Shape

_SAME_SHAPE = frozenset(
    {
        "Dropout",
        "SpatialDropout1D",
        "GaussianNoise",
        "GaussianDropout",
        "AlphaDropout",
        "BatchNormalization",
        "LayerNormalization",
        "Activation",
        "ActivityRegularization",
        "Masking",
        "LeakyReLU",
        "ReLU",
        "PReLU",
        "ELU",
    }
)
_RNN = frozenset({"LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU"})


def layer_output(layer: Layer, shape: Shape) -> Shape | None:
    kind = layer.kind
    if kind in _SAME_SHAPE and layer.wrapper is None:
        return shape
    if kind == "Dense":
        if layer.units is None or not shape:
            return None
        return (*shape[:-1], layer.units)
    if kind in _RNN:
        if layer.units is None or len(shape) != 2 or layer.has_arg("return_state"):
            return None
        units = layer.units
        if layer.wrapper == "Bidirectional":
            mode = layer.arg("merge_mode", "concat")
            if mode == "concat":
                units *= 2
            elif mode not in ("sum", "mul", "ave"):
                return None
        elif layer.wrapper is not None:
            return None
        if layer.return_sequences is True:
            return (shape[0], units)
        if layer.return_sequences is False:
            return (units,)
        return None
    if kind == "RepeatVector":
        n = layer.arg("n", None)
        if not isinstance(n, int) or isinstance(n, bool) or len(shape) != 1:
            return None
        return (n, *shape)
    if kind == "Flatten":
        if any(d is None for d in shape):
            return None
        return (math.prod(d for d in shape if d is not None),)
    return None


def output_shape(model: Model) -> Shape | None:
    """The per-sample output shape of a model that is one chain of layers, or None."""
    if not model.exact or model.input_shape is None:
        return None
    shape: Shape | None = model.input_shape
    for layer in model.layers:
        if not layer.certain or shape is None:
            return None
        shape = layer_output(layer, shape)
    return shape
