"""Turning extraction's working values into frozen facts."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from shapelint import keras_names
from shapelint.extract.values import (
    ArrayV,
    Const,
    DatasetV,
    InputV,
    LayerV,
    ListV,
    ModelV,
    TupleV,
    Value,
)
from shapelint.facts import UNKNOWN, Data, FixedBatch, Layer, Model, Num, Plain, Shape, Unknown

if TYPE_CHECKING:
    from shapelint.extract.context import Context

_UNITS_FIRST = frozenset({"LSTM", "GRU", "SimpleRNN", "Dense", "CuDNNLSTM", "CuDNNGRU"})
_FILTERS_FIRST = frozenset({"ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"})
# Names of the leading positional parameters of the layers shapelint rebuilds.
_POSITIONAL: dict[str, tuple[str, ...]] = {
    **{kind: ("units",) for kind in _UNITS_FIRST},
    **{kind: ("filters", "kernel_size") for kind in _FILTERS_FIRST},
    "LSTMCell": ("units",),
    "GRUCell": ("units",),
    "SimpleRNNCell": ("units",),
    **{
        kind: ("rate",)
        for kind in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D")
    },
    "GaussianNoise": ("stddev",),
    "GaussianDropout": ("rate",),
    "AlphaDropout": ("rate",),
    **{f"UpSampling{n}D": ("size",) for n in (1, 2, 3)},
    "RepeatVector": ("n",),
    "Reshape": ("target_shape",),
    "Activation": ("activation",),
    **{f"Conv{n}D": ("filters", "kernel_size", "strides", "padding") for n in (1, 2, 3)},
    **{
        f"{op}Pooling{n}D": ("pool_size", "strides", "padding")
        for op in ("Max", "Average")
        for n in (1, 2, 3)
    },
    "Embedding": ("input_dim", "output_dim"),
    "Bidirectional": ("layer", "merge_mode"),
    "BatchNormalization": ("axis",),
    "LayerNormalization": ("axis",),
    "Concatenate": ("axis",),
}
_INPUT_ARGS = (
    "batch_input_shape",
    "batch_shape",
    "batch_size",
    "input_shape",
    "shape",
    "input_dim",
)


def plain(value: Value | None) -> Plain:
    if isinstance(value, Num):
        return value.value
    if isinstance(value, Const):
        return value.value
    if isinstance(value, TupleV):
        return tuple(plain(v) for v in value.items)
    if isinstance(value, ListV) and value.items is not None:
        return tuple(plain(v) for v in value.items)
    return UNKNOWN


def shape_of(value: Value | None) -> Shape | None:
    """A per-sample shape given as a tuple (entries may be None or unknown)."""
    if isinstance(value, (TupleV, ListV)):
        items = value.items if isinstance(value, TupleV) else value.items
        if items is None:
            return None
        return tuple(v.int_value if isinstance(v, Num) else None for v in items)
    if isinstance(value, Num) and value.int_value is not None:
        return (value.int_value,)
    return None


def _is_none(value: Value | None) -> bool:
    return isinstance(value, Const) and value.value is None


def fixed_batch_of_input(
    shape: Value | None,
    batch_size: Value | None,
    batch_shape: Value | None,
    *,
    opaque: bool,
    anchor_node: cst.CSTNode,
    ex: Context | None = None,
    batch_shape_name: str = "batch_shape",
) -> tuple[FixedBatch, Shape | None]:
    """The batch size and per-sample shape of an ``Input``/``InputLayer``/first layer."""
    anchor = ex.anchor(anchor_node) if ex is not None else None
    if batch_shape is not None and not _is_none(batch_shape):
        if isinstance(batch_shape, (TupleV, ListV)) and batch_shape.items:
            first = batch_shape.items[0]
            rest = tuple(v.int_value if isinstance(v, Num) else None for v in batch_shape.items[1:])
            if isinstance(first, Num) and first.int_value is not None:
                return FixedBatch("fixed", first, batch_shape_name, anchor), rest
            if _is_none(first):
                return FixedBatch("none", None, batch_shape_name, anchor), rest
            return FixedBatch("unknown"), rest
        return FixedBatch("unknown"), None
    per_sample = shape_of(shape) if shape is not None and not _is_none(shape) else None
    if isinstance(batch_size, Num) and batch_size.int_value is not None:
        return FixedBatch("fixed", batch_size, "batch_size", anchor), per_sample
    if batch_size is None or _is_none(batch_size):
        if opaque:
            return FixedBatch("unknown"), per_sample
        return FixedBatch("none", None, "", anchor), per_sample
    return FixedBatch("unknown"), per_sample


def input_spec(ex: Context, entry: LayerV | InputV) -> tuple[FixedBatch, Shape | None]:
    """The batch size and per-sample input shape a Sequential model gets from its first entry."""
    if isinstance(entry, InputV):
        return entry.batch, entry.shape
    layers = [entry, entry.inner] if entry.inner is not None else [entry]
    opaque = any(layer.opaque for layer in layers)
    for layer in layers:
        args = layer.args
        given = [name for name in _INPUT_ARGS if name in args]
        if layer.kind == "Embedding":
            # Embedding's input_dim is the vocabulary size, not an input shape.
            given = [name for name in given if name != "input_dim"]
        if not given:
            continue
        shape_value = args.get("input_shape", args.get("shape"))
        if entry.kind == "InputLayer" and shape_value is None and layer.positional:
            shape_value = layer.positional[0]
        batch_shape = args.get("batch_input_shape", args.get("batch_shape"))
        name = "batch_input_shape" if "batch_input_shape" in args else "batch_shape"
        if shape_value is None and "input_dim" in args:
            dim = args["input_dim"]
            length = args.get("input_length")
            shape_value = TupleV((length, dim)) if length is not None else dim
        return fixed_batch_of_input(
            shape_value,
            args.get("batch_size"),
            batch_shape,
            opaque=opaque,
            anchor_node=layer.node,
            ex=ex,
            batch_shape_name=name,
        )
    if entry.kind == "InputLayer" and entry.positional:
        return fixed_batch_of_input(
            entry.positional[0], None, None, opaque=opaque, anchor_node=entry.node, ex=ex
        )
    return FixedBatch("unknown"), None


def _flag(layer: LayerV, name: str, default: bool) -> bool | Unknown:
    if name not in layer.args:
        return UNKNOWN if layer.opaque else default
    value = layer.args[name]
    if isinstance(value, Const) and isinstance(value.value, bool):
        return value.value
    return UNKNOWN


def _named_args(layer: LayerV) -> dict[str, Plain]:
    """Keyword arguments, with the leading positional ones named."""
    args = {name: plain(value) for name, value in layer.args.items()}
    for name, value in zip(_POSITIONAL.get(layer.kind, ()), layer.positional, strict=False):
        if name != "layer":
            args.setdefault(name, plain(value))
    return args


def freeze_layer(ex: Context, layer: LayerV, certain: bool) -> Layer:
    core = layer.inner if layer.kind in keras_names.WRAPPERS and layer.inner else layer
    wrapper = layer.kind if core is not layer else None
    recurrent = core.kind in keras_names.RECURRENT
    units_value: Value | None = None
    if core.kind in _UNITS_FIRST:
        units_value = core.args.get("units", core.positional[0] if core.positional else None)
    elif core.kind in _FILTERS_FIRST:
        units_value = core.args.get("filters", core.positional[0] if core.positional else None)
    units = units_value.int_value if isinstance(units_value, Num) else None
    args = _named_args(layer)
    if wrapper:
        for name, value in _named_args(core).items():
            args.setdefault(name, value)
    if units is not None:
        args.setdefault("units", units)
    cell = None
    if core.kind == "RNN" and core.inner is not None:
        cell = core.inner.kind
        cell_args = _named_args(core.inner)
        if isinstance(cell_args.get("units"), int):
            units = int(cell_args["units"])  # type: ignore[arg-type]
        for name, value in cell_args.items():
            args.setdefault(name, value)
    return Layer(
        kind=core.kind,
        anchor=layer.anchor or ex.anchor(layer.node),
        recurrent=recurrent,
        stateful=_flag(core, "stateful", False) if recurrent else False,
        wrapper=wrapper,
        units=units,
        return_sequences=_flag(core, "return_sequences", False),
        args=tuple(sorted(args.items())),
        certain=certain,
        cell=cell,
        keywords=core.spelled if core.spelled is not None else tuple(core.args),
        splat=core.opaque,
    )


def _with_sources(model: ModelV, layers: list[Layer]) -> list[Layer]:
    """The layers of a functional model, each with the indices of what its call takes."""
    graph = model.graph or {}
    entries = [e for e, _ in model.entries if isinstance(e, LayerV) and e.kind != "InputLayer"]
    index = {id(entry): i for i, entry in enumerate(entries)}
    inputs = {id(i): -1 - n for n, i in enumerate(model.inputs)}
    out: list[Layer] = []
    for entry, layer in zip(entries, layers, strict=True):
        refs = graph.get(id(entry))
        if refs is None or not all(id(r) in index or id(r) in inputs for r in refs):
            return layers
        out.append(
            replace(layer, sources=tuple(index.get(id(r), inputs.get(id(r), 0)) for r in refs))
        )
    return out


def freeze_model(ex: Context, model: ModelV, *, as_built: bool = False) -> Model:
    """The facts of a model as it stands at a call, or ``as_built`` by the script.

    After the model was handed to code shapelint cannot see, a call sees an inexact model
    with an unknown loss (that code may have added layers or compiled it again); the model
    as built keeps what the script itself did.
    """
    layers: list[Layer] = []
    entries = model.entries
    if model.api == "functional":
        batches = [i.batch for i in model.inputs]
        statuses = {b.status for b in batches}
        if statuses == {"fixed"} and len({b.size.value for b in batches if b.size}) == 1:
            batch = batches[0]
        elif statuses == {"none"}:
            batch = batches[0]
        else:
            batch = FixedBatch("unknown")
        if batch.anchor is None and batch.status != "unknown" and model.inputs:
            batch = FixedBatch(
                batch.status, batch.size, batch.source, ex.anchor(model.inputs[0].node)
            )
        shape = model.inputs[0].shape if len(model.inputs) == 1 else None
    elif entries:
        first, first_certain = entries[0]
        batch, shape = input_spec(ex, first)
        if not first_certain:
            batch = FixedBatch("unknown")
        if isinstance(first, InputV) and batch.anchor is None and batch.status != "unknown":
            batch = FixedBatch(batch.status, batch.size, batch.source, ex.anchor(first.node))
    else:
        batch, shape = FixedBatch("unknown"), None
    for entry, certain in entries:
        if isinstance(entry, LayerV) and entry.kind != "InputLayer":
            layers.append(freeze_layer(ex, entry, certain))
    if model.api == "functional" and model.graph is not None:
        layers = _with_sources(model, layers)
    seen_whole = as_built or not model.escaped
    frozen = Model(
        key=model.serial,
        name=model.name or "model",
        api=model.api,  # type: ignore[arg-type]
        anchor=model.anchor or ex.anchor(model.node),
        layers=tuple(layers),
        batch=batch,
        input_shape=shape,
        exact=model.exact and seen_whole,
        loss=model.loss if seen_whole else None,
        optimizer=model.optimizer if seen_whole else None,
        compile_anchor=model.compile_anchor if seen_whole else None,
        loss_is_string=model.loss_is_string,
        input_shapes=tuple(i.shape for i in model.inputs) if model.api == "functional" else (),
        input_entry=bool(entries)
        and model.api == "sequential"
        and (isinstance(entries[0][0], InputV) or entries[0][0].kind == "InputLayer"),
    )
    ex.snapshots[id(model)] = frozen
    return frozen


def built_before_escape(model: ModelV) -> ModelV | None:
    """The model as it was when it escaped, if layers were added to it after that."""
    count = model.escaped_with
    if count is None or len(model.entries) <= count or count == 0:
        return None
    before = model.copy()
    before.entries = model.entries[:count]
    before.exact = model.escaped_exact
    return before


def data_fact(
    ex: Context, value: Value | None, node: cst.BaseExpression | None, fallback: str = "x"
) -> Data | None:
    """The data a call receives; unnamed data is called by its parameter (``x`` or ``y``)."""
    if value is None:
        return None
    label = ex.label_of(node) if node is not None else None
    if isinstance(value, ArrayV):
        return Data(
            label=label or value.label or fallback,
            kind="array",
            samples=value.samples,
            sample_shape=value.dims,
            anchor=value.anchor,
            multiple_of=value.multiple_of,
            classes=value.classes,
        )
    if isinstance(value, DatasetV):
        return Data(
            label=label or value.label or "the dataset",
            kind="dataset",
            samples=value.samples,
            sample_shape=value.dims,
            anchor=value.anchor,
            batch_size=value.batch,
            last_batch=value.last,
            drop_remainder=value.drop_remainder,
            batch_anchor=value.batch_anchor,
        )
    items: list[Value] | None = None
    if isinstance(value, TupleV):
        items = list(value.items)
    elif isinstance(value, ListV) and value.items:
        items = value.items
    if items:
        arrays = [v for v in items if isinstance(v, ArrayV)]
        if len(arrays) == len(items):
            counts = {a.samples.value if a.samples else None for a in arrays}
            samples = arrays[0].samples if len(counts) == 1 and None not in counts else None
            return Data(label or fallback, "array", samples, None, arrays[0].anchor)
    return Data(label or fallback, "unknown")
