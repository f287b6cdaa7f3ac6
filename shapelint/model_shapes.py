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


# Per-sample rank each recurrent layer needs, and what layers do to the rank.
NEEDED_RANK = {
    "LSTM": 2,
    "GRU": 2,
    "SimpleRNN": 2,
    "RNN": 2,
    "CuDNNLSTM": 2,
    "CuDNNGRU": 2,
    "ConvLSTM1D": 3,
    "ConvLSTM2D": 4,
    "ConvLSTM3D": 5,
}
_KEEP_RANK = _SAME_SHAPE | {
    "Dense",
    "Conv1D",
    "MaxPooling1D",
    "AveragePooling1D",
    "UpSampling1D",
    "ZeroPadding1D",
    "Cropping1D",
    "Permute",
    "Attention",
}
_TO_VECTOR = frozenset({"Flatten", "GlobalAveragePooling1D", "GlobalMaxPooling1D"})


def output_rank(layer: Layer, rank: int | None) -> int | None:
    """The per-sample rank a layer returns for input of per-sample ``rank`` (None: unknown)."""
    kind = layer.kind
    if kind in NEEDED_RANK:
        if layer.has_arg("return_state") or layer.wrapper == "TimeDistributed":
            return None
        if layer.return_sequences is True:
            return NEEDED_RANK[kind]
        if layer.return_sequences is False:
            return NEEDED_RANK[kind] - 1
        return None
    if layer.wrapper == "TimeDistributed":
        return rank if kind in _KEEP_RANK else None
    if kind in _KEEP_RANK:
        return rank
    if kind == "RepeatVector":
        return 2
    if kind in _TO_VECTOR:
        return 1
    if kind == "Embedding":
        return rank + 1 if rank is not None else None
    if kind == "Reshape":
        target = layer.arg("target_shape")
        return len(target) if isinstance(target, tuple) else None
    return None


def input_ranks(model: Model) -> list[tuple[Layer, int | None, Layer | None]]:
    """For each layer of a single-chain model: the rank it receives and the layer it comes
    from (None at the start). Stops at the first layer that is not certain."""
    if not model.exact:
        return []
    rank = len(model.input_shape) if model.input_shape is not None else None
    out: list[tuple[Layer, int | None, Layer | None]] = []
    previous: Layer | None = None
    for layer in model.layers:
        if not layer.certain:
            break
        out.append((layer, rank, previous))
        rank = output_rank(layer, rank)
        previous = layer
    return out


def final_rank(model: Model) -> int | None:
    ranks = input_ranks(model)
    if not ranks or len(ranks) != len(model.layers):
        return None
    layer, rank, _ = ranks[-1]
    return output_rank(layer, rank)
