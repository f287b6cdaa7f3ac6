"""What Keras constructors, layer calls and model methods mean, in terms of values and facts."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from shapelint import keras_api, keras_names
from shapelint.extract.args import Args
from shapelint.extract.freeze import data_fact, fixed_batch_of_input, freeze_model, plain
from shapelint.extract.values import (
    ArrayV,
    Const,
    DatasetV,
    InputV,
    LayerV,
    ListV,
    LossV,
    ModelV,
    ModuleRef,
    SomeModelV,
    TensorV,
    TupleV,
    Value,
)
from shapelint.facts import UNKNOWN, ApiUse, KerasCall, Num, TrainCall, Unknown

if TYPE_CHECKING:
    from shapelint.extract.context import Context

_MERGE_FUNCTIONS = frozenset(
    {"concatenate", "add", "multiply", "average", "maximum", "minimum", "subtract", "dot"}
)
_MERGE_LAYERS = {name: "Dot" if name == "dot" else name.capitalize() for name in _MERGE_FUNCTIONS}
_KERAS_DEFAULT_BATCH = Num(32, "Keras's default batch size")

# Positions of the parameters shapelint reads, per method.
_FIT = {"x": 0, "y": 1, "batch_size": 2, "validation_split": 6, "validation_data": 7}
_EVALUATE = {"x": 0, "y": 1, "batch_size": 2, "steps": 5}
_PREDICT = {"x": 0, "batch_size": 1, "steps": 3}


def construct(ex: Context, name: str, args: Args, node: cst.Call) -> Value:
    if name == "Sequential":
        return sequential(ex, args, node)
    if name in ("Model", "Functional"):
        return functional(ex, args, node)
    if name == "Input":
        return TensorV((input_tensor(args, node),), ())
    if name in _MERGE_FUNCTIONS:
        # ``concatenate([a, b])`` makes and calls the layer (``Concatenate()([a, b])``).
        keywords = {k: v for k, v in args.keywords.items() if k != "inputs"}
        layer = LayerV(_MERGE_LAYERS[name], node, keywords, (), anchor=ex.anchor(node))
        return called(layer, args.get("inputs", 0))
    if not name[:1].isupper():
        return UNKNOWN
    inner: LayerV | None = None
    if name in keras_names.WRAPPERS or name == "RNN":
        candidate = args.get("layer", 0) if name != "RNN" else args.get("cell", 0)
        if isinstance(candidate, LayerV):
            inner = candidate
    return LayerV(
        name,
        node,
        _meant(name, args.keywords),
        tuple(args.positional),
        inner,
        args.opaque,
        anchor=ex.anchor(node),
        spelled=tuple(args.keywords),
    )


def _meant(kind: str, keywords: dict[str, Value]) -> dict[str, Value]:
    """The layer's keywords, each misspelt or Keras 1 one also under the name the script
    certainly meant, so that the other rules reason about the model the user meant (SL008
    and SL011 report the spelling)."""
    meant = dict(keywords)
    for name, value in keywords.items():
        new = keras_api.meant(f"layers.{kind}", name)
        if new is not None and new not in keywords:
            meant[new] = value
    return meant


def sequential(ex: Context, args: Args, node: cst.Call) -> Value:
    model = ModelV(
        "",
        "sequential",
        node,
        ex.frame.level,
        len(ex.models),
        loop_depth=len(ex.frame.loops),
        anchor=ex.anchor(node),
    )
    layers = args.get("layers", 0)
    if isinstance(layers, ListV) and layers.items is not None:
        for item in layers.items:
            if not add_entry(model, item, True):
                model.exact = False
    elif layers is not None and not (isinstance(layers, Const) and layers.value is None):
        model.exact = False
    ex.models.append(model)
    return model


def add_entry(model: ModelV, value: Value, certain: bool) -> bool:
    if isinstance(value, LayerV):
        model.entries.append((value, certain))
        return True
    if isinstance(value, TensorV) and not value.layers and len(value.inputs) == 1:
        model.entries.append((value.inputs[0], certain))
        return True
    return False


def functional(ex: Context, args: Args, node: cst.Call) -> Value:
    inputs = _tensors(args.get("inputs", 0))
    outputs = _tensors(args.get("outputs", 1))
    if not inputs or not outputs:
        return UNKNOWN
    model = ModelV(
        "",
        "functional",
        node,
        ex.frame.level,
        len(ex.models),
        loop_depth=len(ex.frame.loops),
        anchor=ex.anchor(node),
    )
    seen: set[int] = set()
    for tensor in outputs:
        for layer in tensor.layers:
            if id(layer) not in seen:
                seen.add(id(layer))
                model.entries.append((layer, True))
    model.inputs = tuple(i for tensor in inputs for i in tensor.inputs)
    # Only a single chain from one input to one output has a computable output shape
    # along the layers' order; a graph has one along its edges.
    model.exact = len(inputs) == 1 and len(outputs) == 1 and outputs[0].linear
    model.graph = _graph(outputs)
    ex.models.append(model)
    return model


def _tensors(value: Value | None) -> list[TensorV] | None:
    if isinstance(value, TensorV):
        return [value]
    items: list[Value] | None = None
    if isinstance(value, TupleV):
        items = list(value.items)
    elif isinstance(value, ListV) and value.items is not None:
        items = list(value.items)
    if items and all(isinstance(v, TensorV) for v in items):
        return [v for v in items if isinstance(v, TensorV)]
    return None


def merge(value: Value | None) -> Value:
    tensors = _tensors(value)
    if not tensors:
        return UNKNOWN
    inputs: list[InputV] = []
    layers: list[LayerV] = []
    for tensor in tensors:
        inputs.extend(i for i in tensor.inputs if i not in inputs)
        layers.extend(x for x in tensor.layers if x not in layers)
    return TensorV(tuple(inputs), tuple(layers), linear=False)


def input_tensor(args: Args, node: cst.Call) -> InputV:
    batch, shape = fixed_batch_of_input(
        args.get("shape", 0),
        args.get("batch_size", 1),
        args.get("batch_shape"),
        opaque=args.opaque or args.get("tensor") is not None,
        anchor_node=node,
    )
    return InputV(node, batch, shape)


def call_layer(layer: LayerV, args: Args) -> Value:
    return called(layer, args.get("inputs", 0))


def called(layer: LayerV, value: Value | None) -> Value:
    """The tensor a layer returns when called on ``value`` (a tensor or a list of them)."""
    if isinstance(value, TensorV):
        path = (*value.layers, layer)
        return TensorV(value.inputs, path, value.linear, producer=layer, sources=(value,))
    tensors = _tensors(value)
    merged = merge(value)
    if isinstance(merged, TensorV) and tensors:
        path = (*merged.layers, layer)
        return TensorV(merged.inputs, path, linear=False, producer=layer, sources=tuple(tensors))
    return UNKNOWN


def _graph(outputs: list[TensorV]) -> dict[int, tuple[LayerV | InputV, ...]] | None:
    """What each layer's call takes, walking back from the outputs; None where a layer is
    called twice (shared), or a tensor does not come from a layer call or an Input."""
    graph: dict[int, tuple[LayerV | InputV, ...]] = {}
    made: dict[int, int] = {}
    pending = list(outputs)
    while pending:
        tensor = pending.pop()
        layer = tensor.producer
        if layer is None:
            if len(tensor.inputs) != 1 or tensor.layers:
                return None
            continue
        sources: list[LayerV | InputV] = []
        for source in tensor.sources:
            if source.producer is not None:
                sources.append(source.producer)
            elif len(source.inputs) == 1 and not source.layers:
                sources.append(source.inputs[0])
            else:
                return None
        if made.setdefault(id(layer), id(tensor)) != id(tensor):
            return None  # one layer, two calls
        if id(layer) not in graph:
            graph[id(layer)] = tuple(sources)
            pending.extend(tensor.sources)
    return graph


def loss_name(value: Value | None) -> str | None:
    """A loss as compile receives it: a string, a ``keras.losses`` function, or an instance
    of a ``keras.losses`` class; None when it is anything else (a function of the script's
    own, a list or dict for several outputs)."""
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    if isinstance(value, LossV):
        return value.name
    if isinstance(value, ModuleRef):
        found = keras_api.split(value.path)
        if found is not None and found[1].startswith("losses."):
            return found[1].rpartition(".")[2]
    return None


def keras_call(ex: Context, qualname: str, api: str, args: Args, node: cst.Call) -> KerasCall:
    """The fact of a call of a Keras callable, by its ``keras_api`` qualname."""
    keywords = tuple((name, plain(value)) for name, value in args.keywords.items())
    positional = tuple(plain(value) for value in args.positional)
    return KerasCall(qualname, api, ex.anchor(node), keywords, args.opaque, positional)


def model_method(ex: Context, model: ModelV, method: str, args: Args, node: cst.Call) -> Value:
    if method not in keras_names.REMOVED_MODEL_METHODS:
        owner = "Sequential" if model.api == "sequential" else "Model"
        ex.keras_calls.append(keras_call(ex, f"{owner}.{method}", "keras", args, node))
        args = _unknown_where_misspelt(f"{owner}.{method}", args)
    if method == "add":
        value = args.get("layer", 0)
        certain = ex.frame.level == model.level and len(ex.frame.loops) == model.loop_depth
        if len(ex.frame.loops) > model.loop_depth:
            model.exact = False
            factor = ex.repeat_factor(model.loop_depth)
            certain = ex.frame.level == model.level and factor is not None and factor.value >= 1
        if model.escaped:
            # Code shapelint cannot see may have added layers before this one.
            model.exact = False
            certain = certain and bool(model.escaped_with)
        if not model.listed:
            model.listed = True
            ex.models.append(model)
        if value is None or not add_entry(model, value, certain):
            model.exact = False
        return Const(None)
    if method == "compile":
        optimizer = args.get("optimizer", 0)
        loss = args.get("loss", 1)
        if isinstance(optimizer, Const) and isinstance(optimizer.value, str):
            model.optimizer = optimizer.value
        model.loss, model.loss_is_string = loss_name(loss), False
        if isinstance(loss, Const) and isinstance(loss.value, str):
            model.loss_is_string = True
        model.compile_anchor = ex.anchor(node)
        return Const(None)
    if method in ("fit", "evaluate", "predict"):
        ex.record(train_call(ex, model, method, args, node))
        return UNKNOWN
    if method in keras_names.REMOVED_MODEL_METHODS:
        target = _receiver(ex, node) or model.name or "model"
        target_class = "Sequential" if model.api == "sequential" else "Functional"
        ex.api_uses.append(_removed_method(ex, method, target, target_class, args, node))
        return UNKNOWN
    if method in ("pop", "build"):
        model.exact = False
    return UNKNOWN


def _unknown_where_misspelt(qualname: str, args: Args) -> Args:
    """The arguments, with each one a misspelt or Keras 1 keyword certainly means
    (``batch_sise=30``: ``batch_size``) made unknown: SL011 or SL008 reports the keyword,
    and the rules that read the meant argument stay silent rather than reason about a
    call that fails before it runs, or about the value the script did not mean."""
    meant = {keras_api.meant(qualname, name) for name in args.keywords}
    missing = {name for name in meant if name is not None and name not in args.keywords}
    if not missing:
        return args
    keywords = dict(args.keywords)
    keywords.update(dict.fromkeys(missing, UNKNOWN))
    return replace(args, keywords=keywords)


def some_model_method(
    ex: Context, model: SomeModelV, method: str, args: Args, node: cst.Call
) -> Value:
    """A method called on a Keras model whose layers are unknown (a callback's self.model)."""
    if method not in keras_names.REMOVED_MODEL_METHODS:
        owner = "Sequential" if model.target_class == "Sequential" else "Model"
        ex.keras_calls.append(keras_call(ex, f"{owner}.{method}", "keras", args, node))
    if method in keras_names.REMOVED_MODEL_METHODS:
        target = _receiver(ex, node) or "model"
        ex.api_uses.append(_removed_method(ex, method, target, model.target_class, args, node))
    return UNKNOWN


def _removed_method(
    ex: Context, method: str, target: str, target_class: str, args: Args, node: cst.Call
) -> ApiUse:
    return ApiUse(
        "model_method",
        method,
        ex.anchor(node),
        target=target,
        target_class=target_class,
        keywords=tuple(args.keywords),
        positional=None if args.opaque else len(args.positional),
    )


def _receiver(ex: Context, node: cst.Call) -> str | None:
    """The model as the call spells it: ``model`` in ``model.fit``, ``self.model``."""
    func = node.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, (cst.Name, cst.Attribute)):
        return ex.label_of(func.value)
    return None


def train_call(ex: Context, model: ModelV, method: str, args: Args, node: cst.Call) -> TrainCall:
    positions = {"fit": _FIT, "evaluate": _EVALUATE, "predict": _PREDICT}[method]
    x_value = args.get("x", positions["x"])
    x_node = args.node("x", positions["x"])
    x = data_fact(ex, x_value, x_node)

    batch_value = args.get("batch_size", positions["batch_size"])
    explicit = batch_value is not None and not (
        isinstance(batch_value, Const) and batch_value.value is None
    )
    batch: Num | None
    if batch_value is None or (isinstance(batch_value, Const) and batch_value.value is None):
        batch = _KERAS_DEFAULT_BATCH if not args.opaque else None
    elif isinstance(batch_value, Num) and batch_value.int_value is not None:
        batch = batch_value
    else:
        batch = None

    validation = None
    validation_y = None
    validation_batch: Num | None = batch
    split: Num | None | Unknown = None
    steps: bool | Unknown = False
    if method == "fit":
        vd = args.get("validation_data", positions["validation_data"])
        if vd is not None and not (isinstance(vd, Const) and vd.value is None):
            first: Value = UNKNOWN
            first_node = None
            if isinstance(vd, DatasetV):
                first = vd
                first_node = args.node("validation_data", positions["validation_data"])
            elif isinstance(vd, TupleV) and vd.items:
                first = vd.items[0]
                vd_node = args.node("validation_data", positions["validation_data"])
                if isinstance(vd_node, cst.Tuple) and vd_node.elements:
                    first_node = vd_node.elements[0].value
            validation = data_fact(ex, first, first_node)
            if isinstance(vd, TupleV) and len(vd.items) >= 2:
                vd_node = args.node("validation_data", positions["validation_data"])
                second_node = None
                if isinstance(vd_node, cst.Tuple) and len(vd_node.elements) >= 2:
                    second_node = vd_node.elements[1].value
                validation_y = data_fact(ex, vd.items[1], second_node, "y")
        vbs = args.get("validation_batch_size")
        if isinstance(vbs, Num) and vbs.int_value is not None:
            validation_batch = vbs
        elif vbs is not None and not (isinstance(vbs, Const) and vbs.value is None):
            validation_batch = None
        split = _optional_num(args.get("validation_split", positions["validation_split"]))
        steps = _given(args.get("steps_per_epoch"))
    else:
        steps = _given(args.get("steps", positions.get("steps")))
    frozen = freeze_model(ex, model)
    return TrainCall(
        method=method,  # type: ignore[arg-type]
        anchor=ex.anchor(node),
        model=frozen,
        x=x,
        batch_size=batch,
        batch_size_explicit=explicit,
        validation=validation,
        validation_batch_size=validation_batch,
        validation_split=split,
        limited_steps=steps,
        in_loop=ex.in_loop,
        y=data_fact(ex, args.get("y", 1), args.node("y", 1), "y") if method != "predict" else None,
        shuffle=_flag(args.get("shuffle", 8), True) if method == "fit" else False,
        shuffle_explicit=args.get("shuffle", 8) is not None,
        validation_y=validation_y,
        batch_name=_visible_name(ex, frozen.batch.size if frozen.batch.status == "fixed" else None),
    )


def _visible_name(ex: Context, num: Num | None) -> str:
    """The name that holds ``num`` here, bound where ``num`` was, if there is one."""
    if num is None or not num.name:
        return ""
    current = ex.lookup(num.name)
    if isinstance(current, Num) and current.anchor is num.anchor and current.value == num.value:
        return num.name
    return ""


def _flag(value: Value | None, default: bool) -> bool | Unknown:
    if value is None:
        return default
    if isinstance(value, Const) and isinstance(value.value, bool):
        return value.value
    return UNKNOWN


def _optional_num(value: Value | None) -> Num | None | Unknown:
    if value is None or (isinstance(value, Const) and value.value is None):
        return None
    if isinstance(value, Num):
        return value
    return UNKNOWN


def _given(value: Value | None) -> bool | Unknown:
    if value is None or (isinstance(value, Const) and value.value is None):
        return False
    if isinstance(value, Unknown):
        return UNKNOWN
    return True


__all__ = ["ArrayV", "construct", "call_layer", "model_method"]
