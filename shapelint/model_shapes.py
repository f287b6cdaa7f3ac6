"""Per-sample output shapes of a model, layer by layer, as Keras computes them.

Pure functions over facts. Anything not modelled gives None: unknown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapelint.facts import UNKNOWN, Layer, Model, Shape

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


# -- sizes: output shapes and parameter counts, for `shapelint show` ---------------------
#
# ``layer_output`` above is what the rules rely on and stays as narrow as they need; the
# functions below model more layers, the way Keras 3 computes their output shapes and
# weights, and say why when they cannot.


@dataclass(frozen=True)
class Size:
    """What a layer makes of its input: the per-sample output shape (None: unknown; an
    axis may be None too) and the number of parameters (None: unknown), and ``why`` in a
    short phrase when either is unknown."""

    output: Shape | None
    params: int | None
    why: str = ""


_PARAM_FREE = frozenset(
    _SAME_SHAPE - {"PReLU", "BatchNormalization", "LayerNormalization"}
    | {"SpatialDropout2D", "SpatialDropout3D", "Softmax", "Identity"}
)
_GATES = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}
_CELLS = {"LSTMCell": "LSTM", "GRUCell": "GRU", "SimpleRNNCell": "SimpleRNN"}
_CONV = {"Conv1D": 1, "Conv2D": 2, "Conv3D": 3}
_POOL = {f"{op}Pooling{n}D": n for op in ("Max", "Average") for n in (1, 2, 3)}
_GLOBAL_POOL = {f"Global{op}Pooling{n}D": n for op in ("Max", "Average") for n in (1, 2, 3)}
_MISSING = object()


class _Unknown(Exception):
    """A layer argument or input axis the size depends on is not known; says which."""


def _arg(layer: Layer, name: str, default: object) -> object:
    value = layer.arg(name) if layer.has_arg(name) else default
    if value is UNKNOWN:
        raise _Unknown(f"{name} is not known")
    return value


def _int_arg(layer: Layer, name: str, default: int | None = None) -> int:
    value = _arg(layer, name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Unknown(f"{name} is not known" if value is None else f"{name}={value!r}")
    return value


def _flag_arg(layer: Layer, name: str, default: bool) -> bool:
    value = _arg(layer, name, default)
    if not isinstance(value, bool):
        raise _Unknown(f"{name} is not known")
    return value


def _ints_arg(layer: Layer, name: str, rank: int, default: object) -> tuple[int, ...]:
    value = _arg(layer, name, default)
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    if (
        isinstance(value, tuple)
        and len(value) == rank
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return tuple(int(v) for v in value)
    raise _Unknown(f"{name} is not known")


def _channels_last(layer: Layer) -> None:
    if _arg(layer, "data_format", None) not in (None, "channels_last"):
        raise _Unknown("data_format is not channels_last")


def _need(shape: Shape | None, rank: int | None = None) -> Shape:
    if shape is None:
        raise _Unknown("its input shape is not known")
    if rank is not None and len(shape) != rank:
        raise _Unknown(f"needs {rank}-D input per sample, gets {len(shape)}-D")
    return shape


def _last(shape: Shape | None) -> int:
    shape = _need(shape)
    dim = shape[-1] if shape else None
    if dim is None:
        raise _Unknown("its input's last axis is not known")
    return dim


def layer_size(layer: Layer, shape: Shape | None) -> Size:
    """The output shape and parameter count of ``layer`` on per-sample input ``shape``
    (None: unknown), as Keras 3 builds it."""
    try:
        if layer.wrapper == "TimeDistributed":
            return _time_distributed(layer, shape)
        if layer.wrapper not in (None, "Bidirectional"):
            return Size(None, None, f"the {layer.wrapper} wrapper is not modelled")
        if layer.wrapper == "Bidirectional" and not (layer.kind in _GATES or layer.kind == "RNN"):
            return Size(None, None, f"{layer.label} is not modelled")
        return _core(layer, shape)
    except _Unknown as why:
        return Size(None, None, str(why))


def _time_distributed(layer: Layer, shape: Shape | None) -> Size:
    shape = _need(shape)
    if len(shape) < 2:
        raise _Unknown(f"needs at least 2-D input per sample, gets {len(shape)}-D")
    try:
        inner = _core(layer, shape[1:])
    except _Unknown as why:
        return Size(None, None, str(why))
    output = (shape[0], *inner.output) if inner.output is not None else None
    return Size(output, inner.params, inner.why)


def _core(layer: Layer, shape: Shape | None) -> Size:
    kind = layer.kind
    if kind in _PARAM_FREE:
        return Size(_need(shape), 0)
    if kind == "Dense":
        units = _int_arg(layer, "units")
        bias = _flag_arg(layer, "use_bias", True)
        if not _need(shape):
            raise _Unknown("needs at least 1-D input per sample")
        output = (*_need(shape)[:-1], units)
        try:
            return Size(output, _last(shape) * units + units * bias)
        except _Unknown as why:
            return Size(output, None, str(why))
    if kind == "Embedding":
        params = _int_arg(layer, "input_dim") * _int_arg(layer, "output_dim")
        if shape is None:
            return Size(None, params, "its input shape is not known")
        return Size((*shape, _int_arg(layer, "output_dim")), params)
    if kind in _GATES or kind == "RNN":
        return _recurrent(layer, shape)
    if kind in _CONV:
        return _conv(layer, shape, _CONV[kind])
    if kind in _POOL:
        return _pool(layer, shape, _POOL[kind])
    if kind in _GLOBAL_POOL:
        _channels_last(layer)
        rank = _GLOBAL_POOL[kind]
        channels = _need(shape, rank + 1)[-1]
        keep = _flag_arg(layer, "keepdims", False)
        return Size((*(1,) * rank, channels) if keep else (channels,), 0)
    if kind == "Flatten":
        _channels_last(layer)
        shape = _need(shape)
        if any(d is None for d in shape):
            raise _Unknown("an axis of its input is not known")
        return Size((math.prod(d for d in shape if d is not None),), 0)
    if kind == "Reshape":
        return Size(_reshape(layer, _need(shape)), 0)
    if kind == "RepeatVector":
        return Size((_int_arg(layer, "n"), *_need(shape, 1)), 0)
    if kind in ("BatchNormalization", "LayerNormalization"):
        return _normalization(layer, shape)
    if kind == "PReLU":
        if _arg(layer, "shared_axes", None) is not None:
            raise _Unknown("shared_axes is not modelled")
        shape = _need(shape)
        if any(d is None for d in shape):
            return Size(shape, None, "an axis of its input is not known")
        return Size(shape, math.prod(d for d in shape if d is not None))
    if kind in ("CuDNNLSTM", "CuDNNGRU"):
        raise _Unknown(f"{kind} is not a Keras 3 layer")
    raise _Unknown(f"{kind} is not modelled")


def _recurrent(layer: Layer, shape: Shape | None) -> Size:
    kind = layer.kind
    if kind == "RNN":
        if layer.cell not in _CELLS:
            raise _Unknown(f"RNN({layer.cell or '?'}) is not modelled")
        kind = _CELLS[layer.cell]
    if layer.has_arg("return_state"):
        raise _Unknown("return_state is not modelled")
    units = _int_arg(layer, "units")
    sequences = layer.return_sequences
    if not isinstance(sequences, bool):
        raise _Unknown("return_sequences is not known")
    copies = 1
    width = units
    if layer.wrapper == "Bidirectional":
        copies = 2
        mode = _arg(layer, "merge_mode", "concat")
        if mode == "concat":
            width = 2 * units
        elif mode not in ("sum", "mul", "ave"):
            raise _Unknown(f"merge_mode={mode!r} is not modelled")
    steps = _need(shape, 2)[0]
    output: Shape = (steps, width) if sequences else (width,)
    gates = _GATES[kind]
    bias = int(_flag_arg(layer, "use_bias", True))
    if kind == "GRU" and _flag_arg(layer, "reset_after", True):
        bias *= 2
    try:
        features = _last(shape)
    except _Unknown as why:
        return Size(output, None, str(why))
    params = gates * units * (features + units) + gates * units * bias
    return Size(output, copies * params)


def _window(size: int | None, kernel: int, stride: int, padding: str) -> int | None:
    if size is None:
        return None
    if padding in ("same", "causal"):
        return (size - 1) // stride + 1
    out = (size - kernel) // stride + 1
    if out <= 0:
        raise _Unknown("its window is larger than its input")
    return out


def _conv(layer: Layer, shape: Shape | None, rank: int) -> Size:
    _channels_last(layer)
    filters = _int_arg(layer, "filters")
    kernel = _ints_arg(layer, "kernel_size", rank, _MISSING)
    strides = _ints_arg(layer, "strides", rank, 1)
    dilation = _ints_arg(layer, "dilation_rate", rank, 1)
    padding = _arg(layer, "padding", "valid")
    groups = _int_arg(layer, "groups", 1)
    bias = _flag_arg(layer, "use_bias", True)
    allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
    if padding not in allowed:
        raise _Unknown(f"padding={padding!r} is not modelled")
    shape = _need(shape, rank + 1)
    spatial = tuple(
        _window(size, d * (k - 1) + 1, s, str(padding))
        for size, k, s, d in zip(shape[:-1], kernel, strides, dilation, strict=True)
    )
    output = (*spatial, filters)
    channels = shape[-1]
    if channels is None:
        return Size(output, None, "its input's last axis is not known")
    return Size(output, math.prod(kernel) * (channels // groups) * filters + filters * bias)


def _pool(layer: Layer, shape: Shape | None, rank: int) -> Size:
    _channels_last(layer)
    pool = _ints_arg(layer, "pool_size", rank, 2)
    strides = _ints_arg(layer, "strides", rank, pool) if _arg(layer, "strides", None) else pool
    padding = _arg(layer, "padding", "valid")
    if padding not in ("valid", "same"):
        raise _Unknown(f"padding={padding!r} is not modelled")
    shape = _need(shape, rank + 1)
    spatial = tuple(
        _window(size, k, s, str(padding))
        for size, k, s in zip(shape[:-1], pool, strides, strict=True)
    )
    return Size((*spatial, shape[-1]), 0)


def _reshape(layer: Layer, shape: Shape) -> Shape:
    target = _arg(layer, "target_shape", _MISSING)
    if not isinstance(target, tuple) or not all(
        isinstance(d, int) and not isinstance(d, bool) for d in target
    ):
        raise _Unknown("target_shape is not known")
    dims = [int(d) for d in target]
    if dims.count(-1) > 1 or any(d < -1 or d == 0 for d in dims):
        raise _Unknown(f"target_shape={tuple(dims)} is not modelled")
    if -1 in dims:
        if any(d is None for d in shape):
            raise _Unknown("an axis of its input is not known")
        total = math.prod(d for d in shape if d is not None)
        known = math.prod(d for d in dims if d != -1)
        if total % known:
            raise _Unknown(f"cannot reshape {total} values to {tuple(dims)}")
        dims[dims.index(-1)] = total // known
    return tuple(dims)


def _normalization(layer: Layer, shape: Shape | None) -> Size:
    axis = _arg(layer, "axis", -1)
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise _Unknown("axis is not modelled" if axis is not None else "axis is not known")
    shape = _need(shape)
    full = (None, *shape)  # Keras counts the axis with the batch axis at 0
    if not -len(full) <= axis < len(full) or axis in (0, -len(full)):
        raise _Unknown(f"axis={axis} is not modelled")
    channels = full[axis]
    center = _flag_arg(layer, "center", True)
    scale = _flag_arg(layer, "scale", True)
    if layer.kind == "LayerNormalization" and _flag_arg(layer, "rms_scaling", False):
        raise _Unknown("rms_scaling is not modelled")
    if channels is None:
        return Size(shape, None, "its input's normalized axis is not known")
    moving = 2 if layer.kind == "BatchNormalization" else 0
    return Size(shape, channels * (center + scale + moving))


_MERGES = frozenset({"Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"})


def merge_size(layer: Layer, shapes: list[Shape | None]) -> Size:
    """The output of a layer that merges several tensors (``Concatenate``, ``Add``, ...)."""
    try:
        if layer.kind not in _MERGES:
            raise _Unknown(f"{layer.kind} on several inputs is not modelled")
        known = [_need(shape) for shape in shapes]
        if len(known) < 2 or len({len(shape) for shape in known}) != 1:
            raise _Unknown("its inputs do not have one rank")
        if layer.kind != "Concatenate":
            if len(set(known)) != 1:
                raise _Unknown("its inputs' shapes differ")
            return Size(known[0], 0)
        rank = len(known[0])
        axis = _int_arg(layer, "axis", -1)
        axis = axis - 1 if axis > 0 else axis + rank  # Keras's axis counts the batch axis
        if not 0 <= axis < rank:
            raise _Unknown(f"axis={_int_arg(layer, 'axis', -1)} is out of range")
        width = [shape[axis] for shape in known]
        others = {tuple(d for i, d in enumerate(shape) if i != axis) for shape in known}
        if len(others) != 1 or any(w is None for w in width):
            raise _Unknown("its inputs' shapes do not fit together")
        out = list(known[0])
        out[axis] = sum(w for w in width if w is not None)
        return Size(tuple(out), 0)
    except _Unknown as why:
        return Size(None, 0 if layer.kind in _MERGES else None, str(why))


def _graph_sizes(model: Model) -> list[Size] | None:
    """The sizes of a functional model's layers along its graph; None where the graph is
    not known. A layer comes after those it takes (extraction lists them so)."""
    if model.api != "functional" or not model.input_shapes or not model.layers:
        return None
    if any(layer.sources is None or not layer.certain for layer in model.layers):
        return None
    sizes: list[Size] = []
    for layer in model.layers:
        assert layer.sources is not None
        if any(i >= len(sizes) for i in layer.sources):
            return None
        shapes = [model.input_shapes[-1 - i] if i < 0 else sizes[i].output for i in layer.sources]
        if len(shapes) == 1:
            size = layer_size(layer, shapes[0])
        else:
            size = merge_size(layer, shapes)
        if size.output is None and any(shape is None for shape in shapes) and not size.why:
            size = Size(None, size.params, "its input shape is not known")
        sizes.append(size)
    return sizes


def model_sizes(model: Model) -> list[Size]:
    """The size of each layer of a model, in order. Only a model known to be one chain of
    certain layers from its input, or a functional model whose graph is known, has known
    shapes; in any other, a layer whose weights do not depend on its input (an Embedding)
    still has its parameter count."""
    graph = _graph_sizes(model) if not model.exact else None
    if graph is not None:
        return graph
    if not model.exact:
        why = "the model's layers are not all known"
    elif model.input_shape is None:
        why = "the model's input shape is not given"
    else:
        why = ""
    shape: Shape | None = None if why else model.input_shape
    sizes: list[Size] = []
    for layer in model.layers:
        if not layer.certain:
            why = why or "this layer may not be in the model"
            shape = None
        size = layer_size(layer, shape)
        if shape is None and why:
            size = Size(None, size.params, why)
        sizes.append(size)
        shape = size.output
        if shape is None and not why:
            why = f"after the {layer.label} on {layer.anchor.where}"
    return sizes
