"""From a finding and its facts to runs: the reproduction, and one run per proposed fix.

Pure data, no TensorFlow: each run is a JSON-ready dict the worker executes. The model
is rebuilt from the facts (layer kinds, units, flags, batch size, loss, optimizer),
never from the script.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shapelint import losses
from shapelint.facts import Facts, Layer, Model, Plain
from shapelint.findings import Finding
from shapelint.model_shapes import NEEDED_RANK
from shapelint.rules.sl012_target_shape_mismatch import last_dense
from shapelint.subjects import (
    BatchConflict,
    BatchRemainder,
    DataShapeMismatch,
    DeclaredRankMismatch,
    OldKeyword,
    RecurrentInputRank,
    RemovedArgument,
    StatefulWithoutBatch,
    Subject,
    TargetMismatch,
    TargetRank,
    UnknownArgument,
)

# Layer kinds verify rebuilds, with the arguments it keeps and those each one needs.
_KEPT = frozenset(
    {
        "units",
        "return_sequences",
        "stateful",
        "dropout",
        "recurrent_dropout",
        "activation",
        "recurrent_activation",
        "go_backwards",
        "use_bias",
        "filters",
        "kernel_size",
        "padding",
        "strides",
        "pool_size",
        "dilation_rate",
        "merge_mode",
        "rate",
        "n",
        "target_shape",
        "input_dim",
        "output_dim",
        "axis",
    }
)
_NEEDS: dict[str, tuple[str, ...]] = {
    "LSTM": ("units",),
    "GRU": ("units",),
    "SimpleRNN": ("units",),
    "RNN": ("units",),
    "Dense": ("units",),
    "ConvLSTM1D": ("filters", "kernel_size"),
    "ConvLSTM2D": ("filters", "kernel_size"),
    "ConvLSTM3D": ("filters", "kernel_size"),
    "Conv1D": ("filters", "kernel_size"),
    "Conv2D": ("filters", "kernel_size"),
    "Conv3D": ("filters", "kernel_size"),
    "Dropout": ("rate",),
    "RepeatVector": ("n",),
    "Reshape": ("target_shape",),
    "Embedding": ("input_dim", "output_dim"),
    "Activation": ("activation",),
}
_SIMPLE = frozenset(
    {
        "BatchNormalization",
        "LayerNormalization",
        "Flatten",
        "Masking",
        "GaussianNoise",
        "GlobalAveragePooling1D",
        "GlobalMaxPooling1D",
        "MaxPooling1D",
        "AveragePooling1D",
        "MaxPooling2D",
        "AveragePooling2D",
        "MaxPooling3D",
        "AveragePooling3D",
        "GlobalAveragePooling2D",
        "GlobalMaxPooling2D",
        "GlobalAveragePooling3D",
        "GlobalMaxPooling3D",
    }
)
_RENAMED = {"CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU"}
_CELLS = frozenset({"LSTMCell", "GRUCell", "SimpleRNNCell"})
_DEFAULT_BATCH = 32


class CannotBuild(Exception):
    """The facts do not say enough to rebuild the model; the message says what is missing."""


@dataclass
class Run:
    """One training (or build, evaluate, predict) of a rebuilt model on synthetic data."""

    description: str
    spec: dict[str, Any]
    # "error": the run must fail as described; "success": it must train cleanly;
    # "silent-rows", "silent-batches", "silent": it must not fail, and what comes out must
    # show the defect (rows vs samples; batches run; the output's shape vs the targets').
    expect: str
    match: dict[str, Any] = field(default_factory=dict)


@dataclass
class Case:
    finding: Finding
    reproduce: Run | None = None
    fixes: list[Run] = field(default_factory=list)
    skipped: str = ""


def _layer_spec(layer: Layer, shrink: bool, overrides: dict[str, Any]) -> dict[str, Any]:
    kind = _RENAMED.get(layer.kind, layer.kind)
    if kind not in _NEEDS and kind not in _SIMPLE:
        raise CannotBuild(f"verify cannot rebuild a {layer.label} layer (line {layer.anchor.line})")
    if layer.wrapper not in (None, "Bidirectional", "TimeDistributed"):
        raise CannotBuild(f"verify cannot rebuild {layer.label} (line {layer.anchor.line})")
    if kind == "RNN" and layer.cell not in _CELLS:
        raise CannotBuild(f"verify cannot rebuild RNN({layer.cell}) (line {layer.anchor.line})")
    kwargs: dict[str, Any] = {}
    for name, value in layer.args:
        if name not in _KEPT or name == "merge_mode":
            continue
        if name == "units" and "filters" in _NEEDS.get(kind, ()):
            continue  # the facts give a convolution's filters as its units
        if isinstance(value, tuple):
            if all(isinstance(v, int) for v in value):
                kwargs[name] = list(value)
        elif value is None or isinstance(value, (bool, int, float, str)):
            kwargs[name] = value
    kwargs.update(overrides)
    missing = [name for name in _NEEDS.get(kind, ()) if name not in kwargs]
    if missing:
        raise CannotBuild(
            f"{', '.join(missing)} of the {layer.label} (line {layer.anchor.line}) is not known"
        )
    if shrink:
        for name, small in (("units", 8), ("filters", 4)):
            if isinstance(kwargs.get(name), int):
                kwargs[name] = min(kwargs[name], small)
    spec: dict[str, Any] = {"kind": kind, "kwargs": kwargs, "line": layer.anchor.line}
    if layer.wrapper:
        spec["wrapper"] = layer.wrapper
        merge = layer.arg("merge_mode", "concat")
        if isinstance(merge, str) or merge is None:
            spec["wrapper_kwargs"] = (
                {"merge_mode": merge} if layer.wrapper == "Bidirectional" else {}
            )
    if kind == "RNN":
        spec["cell"] = layer.cell
    return spec


def model_spec(
    model: Model,
    facts: Facts,
    *,
    shrink: bool,
    batch: int | None,
    input_shape: tuple[int | None, ...] | None = None,
    layer_overrides: dict[int, dict[str, Any]] | None = None,
    keras_version: int | None = None,
) -> dict[str, Any]:
    """A rebuildable description of ``model``; CannotBuild if the facts fall short."""
    if not model.exact or not all(layer.certain for layer in model.layers):
        raise CannotBuild(f"model '{model.name}' is not a single chain of known layers")
    shape = input_shape if input_shape is not None else model.input_shape
    if shape is None or any(d is None for d in shape):
        raise CannotBuild(f"the input shape of model '{model.name}' is not fully known")
    overrides = layer_overrides or {}
    layers = [
        _layer_spec(layer, shrink, overrides.get(i, {})) for i, layer in enumerate(model.layers)
    ]
    return {
        "layers": layers,
        "input_shape": list(shape),
        "batch": batch,
        "loss": _loss(model.loss),
        "optimizer": model.optimizer or "adam",
        "keras": keras_version or facts.keras_version,
    }


def _loss(loss: str | None) -> str:
    """The loss as a string Keras takes: a class's function (``CategoricalCrossentropy`` is
    ``categorical_crossentropy``); mse where the script's loss is not known."""
    if loss is None:
        return "mse"
    return loss if loss[:1].islower() else (losses.function(loss) or "mse")


def _run(spec: dict[str, Any], action: str, samples: int, **extra: Any) -> dict[str, Any]:
    run = {"model": spec, "action": action, "samples": samples}
    run.update(extra)
    return run


def _batch_of(model: Model) -> int | None:
    if model.batch.status == "fixed" and model.batch.size is not None:
        return model.batch.size.int_value
    return None


def plan(finding: Finding, subject: Subject, facts: Facts, *, full: bool, shrink: bool) -> Case:
    case = Case(finding)
    try:
        builder = _PLANNERS.get(type(subject))
        if builder is None:
            case.skipped = "not verifiable: a static rule"
        else:
            builder(case, subject, facts, full, shrink)
    except CannotBuild as reason:
        case.skipped = str(reason)
    return case


def _sl001(case: Case, subject: BatchRemainder, facts: Facts, full: bool, shrink: bool) -> None:
    call, role, n, b = subject.call, subject.role, subject.samples, subject.batch
    dataset = subject.data.kind == "dataset"
    r = n % b
    used = n if full or n < b else b + r
    spec = model_spec(call.model, facts, shrink=shrink, batch=b)
    fix_params = dict(case.finding.fix.params) if case.finding.fix else {}
    if role == "validation":
        action, extra = "fit", {"samples": b, "validation_samples": used}
        target = "validation_samples"
    else:
        action, extra = ("fit" if role == "training" else role), {"samples": used}
        target = "samples"
    common = {"batch_size": b, "dataset": dataset}
    reproduce = _run(spec, action, **extra, **common)
    what = f"{action} on {used} samples in batches of {b}"
    if role == "validation":
        what = f"fit, validating on {used} samples in batches of {b}"
    if r == 1:
        expect = "silent-rows" if action == "predict" else "silent-batches"
        case.reproduce = Run(what, reproduce, expect, {"samples": used, "batch": b})
    else:
        case.reproduce = Run(what, reproduce, "error", {"dims": [r if used > r else used, b]})
    trimmed = dict(reproduce)
    trimmed[target] = used - r
    if used - r > 0:
        case.fixes.append(Run(f"trim to {used - r} samples", trimmed, "success"))
    if dataset:
        dropped = dict(reproduce, drop_remainder=True)
        case.fixes.append(Run(".batch(..., drop_remainder=True)", dropped, "success"))
    divisors = [d for d in fix_params.get("batch_sizes", ()) if d != b]
    if divisors and not dataset:
        d = divisors[0]
        new_spec = model_spec(call.model, facts, shrink=shrink, batch=d)
        count = n if full else 2 * d
        run = _run(new_spec, action, count, batch_size=d)
        if role == "validation":
            run = _run(new_spec, "fit", 2 * d, batch_size=d, validation_samples=count)
        case.fixes.append(Run(f"batch size {d} on {count} samples", run, "success"))


def _sl002(case: Case, subject: BatchConflict, facts: Facts, full: bool, shrink: bool) -> None:
    call, c, b, n = subject.call, subject.call_batch, subject.batch, subject.samples
    dataset = subject.data.kind == "dataset"
    spec = model_spec(call.model, facts, shrink=shrink, batch=b)
    used = min(n, c) if n is not None else c
    if full and n is not None:
        used = n
    reproduce = _run(spec, call.method, used, batch_size=c, dataset=dataset)
    what = f"{call.method} on {used} samples in batches of {c}"
    first = min(used, c)
    if first == 1:
        case.reproduce = Run(what, reproduce, "silent-batches", {"samples": used, "batch": b})
    else:
        case.reproduce = Run(what, reproduce, "error", {"dims": [first, b]})
    count = (n - n % b) if full and n else b
    fixed = _run(spec, call.method, count, batch_size=b, dataset=dataset)
    case.fixes.append(Run(f"batch_size={b} on {count} samples", fixed, "success"))


def _sl003(
    case: Case, subject: StatefulWithoutBatch, facts: Facts, full: bool, shrink: bool
) -> None:
    model = subject.model
    spec = model_spec(model, facts, shrink=shrink, batch=None)
    case.reproduce = Run(
        "build with no fixed batch size",
        _run(spec, "build", 0),
        "error",
        {"any": ["stateful", "batch size"]},
    )
    b = subject.batch or _DEFAULT_BATCH
    fixed = model_spec(model, facts, shrink=shrink, batch=b)
    case.fixes.append(
        Run(
            f"Input(batch_shape=({b}, ...)), fit on {2 * b} samples",
            _run(fixed, "fit", 2 * b, batch_size=b),
            "success",
        )
    )


def _sl005_layer(
    case: Case, subject: DeclaredRankMismatch, facts: Facts, full: bool, shrink: bool
) -> None:
    model, needed = subject.model, subject.needed_rank
    if any(d is None for d in subject.declared):
        raise CannotBuild("the declared input shape is not fully known")
    shape = tuple(d for d in subject.declared if d is not None)
    spec = model_spec(model, facts, shrink=shrink, batch=_batch_of(model), input_shape=shape)
    case.reproduce = Run(
        f"build on input {shape}",
        _run(spec, "build", 0),
        "error",
        {"any": ["ndim", "incompatible"]},
    )
    good = shape[-needed:] if len(shape) > needed else shape + (1,) * (needed - len(shape))
    fixed = model_spec(model, facts, shrink=shrink, batch=_batch_of(model), input_shape=good)
    size = _batch_of(model) or _DEFAULT_BATCH
    case.fixes.append(
        Run(f"input shape {good}", _run(fixed, "fit", size, batch_size=size), "success")
    )


def _sl005_data(
    case: Case, subject: DataShapeMismatch, facts: Facts, full: bool, shrink: bool
) -> None:
    call, expected, found = subject.call, subject.expected, subject.found
    if any(d is None for d in found):
        raise CannotBuild("the data's shape is not fully known")
    b = _batch_of(call.model)
    batch = b or _DEFAULT_BATCH
    spec = model_spec(call.model, facts, shrink=shrink, batch=b)
    reproduce = _run(spec, call.method, batch, batch_size=batch, x_shape=list(found))
    case.reproduce = Run(
        f"{call.method} on data of shape {tuple(found)}",
        reproduce,
        "error",
        {"any": ["incompatible", "expected", "Dimensions must be equal"]},
    )
    fixed = _run(spec, call.method, batch, batch_size=batch)
    case.fixes.append(Run(f"data of shape {tuple(expected)}", fixed, "success"))


def _sl006_layer(
    case: Case, subject: RecurrentInputRank, facts: Facts, full: bool, shrink: bool
) -> None:
    model, previous = subject.model, subject.previous
    b = _batch_of(model)
    spec = model_spec(model, facts, shrink=shrink, batch=b)
    case.reproduce = Run("build", _run(spec, "build", 0), "error", {"any": ["ndim"]})
    if previous.kind not in NEEDED_RANK:
        return
    index = model.layers.index(previous)
    fixed = model_spec(
        model,
        facts,
        shrink=shrink,
        batch=b,
        layer_overrides={index: {"return_sequences": True}},
    )
    batch = b or _DEFAULT_BATCH
    case.fixes.append(
        Run(
            f"return_sequences=True on {previous.anchor.where}",
            _run(fixed, "fit", batch, batch_size=batch),
            "success",
        )
    )


def _sl006_targets(case: Case, subject: TargetRank, facts: Facts, full: bool, shrink: bool) -> None:
    call, targets, last = subject.call, subject.targets, subject.last
    if any(d is None for d in targets):
        raise CannotBuild("the targets' shape is not fully known")
    b = _batch_of(call.model)
    batch = b or _DEFAULT_BATCH
    spec = model_spec(call.model, facts, shrink=shrink, batch=b)
    reproduce = _run(spec, call.method, 2 * batch, batch_size=batch, y_shape=list(targets))
    case.reproduce = Run(
        f"{call.method} with targets of shape {tuple(targets)}",
        reproduce,
        "silent",
        {"targets": list(targets), "output_rank": subject.output_rank},
    )
    if last is not None and last.return_sequences is False:
        index = call.model.layers.index(last)
        fixed_spec = model_spec(
            call.model,
            facts,
            shrink=shrink,
            batch=b,
            layer_overrides={index: {"return_sequences": True}},
        )
        fixed = _run(
            fixed_spec,
            call.method,
            2 * batch,
            batch_size=batch,
            y_shape=list(targets),
            expect_output=list(targets),
        )
        case.fixes.append(Run(f"return_sequences=True on {last.anchor.where}", fixed, "success"))


def _sl008(case: Case, subject: RemovedArgument, facts: Facts, full: bool, shrink: bool) -> None:
    model, layer = subject.model, subject.layer
    index = model.layers.index(layer)
    legacy = ("batch_input_shape", "batch_size", "input_length", "time_major")
    removed = {name: layer.arg(name) for name in legacy if layer.has_arg(name)}
    plain = {k: list(v) if isinstance(v, tuple) else v for k, v in removed.items()}
    b = _batch_of(model)
    spec = model_spec(model, facts, shrink=shrink, batch=b, keras_version=3)
    spec["layers"][index]["legacy_kwargs"] = plain
    case.reproduce = Run(
        "build on Keras 3",
        _run(spec, "build", 0),
        "error",
        {"any": ["Unrecognized keyword arguments"]},
    )
    batch = b or _DEFAULT_BATCH
    fixed = model_spec(model, facts, shrink=shrink, batch=b, keras_version=3)
    case.fixes.append(
        Run(
            f"keras.Input(batch_shape=({batch}, ...))",
            _run(fixed, "fit", 2 * batch, batch_size=batch),
            "success",
        )
    )


# Model methods verify calls on a small model of its own, with data of its own: the
# script's arguments by position (its data) are not needed to show what a keyword does.
_DATA_ARGS = {
    "fit": 2,
    "evaluate": 2,
    "train_on_batch": 2,
    "test_on_batch": 2,
    "predict": 1,
    "predict_on_batch": 1,
}
_QUOTED = re.compile(r'with "(?:\w+Error: )?(.*?)"(?:\.|$)')


def _keyword(
    case: Case, subject: OldKeyword | UnknownArgument, facts: Facts, full: bool, shrink: bool
) -> None:
    call, name = subject.call, subject.name
    if isinstance(subject, OldKeyword) and subject.ignored:
        raise CannotBuild("Keras takes the keyword without an error: nothing fails to reproduce")
    if call.splat:
        raise CannotBuild("the call also passes *args or **kwargs")
    owner, _, method = call.qualname.rpartition(".")
    on_model = owner in ("Model", "Sequential")
    if on_model and method not in _DATA_ARGS and method != "compile":
        raise CannotBuild(f"verify does not call {method}()")
    positional: list[Any] = []
    if not on_model:
        if not all(_plain(value) for value in call.positional):
            raise CannotBuild(f"an argument of {call.name}() by position is not known")
        positional = [_json(value) for value in call.positional]
    kwargs = {key: _json(value) for key, value in call.args if _plain(value)}
    if name not in kwargs:
        raise CannotBuild(f"the value of {name} is not known")
    new = subject.new if isinstance(subject, OldKeyword) else subject.suggestion
    quoted = _QUOTED.search(case.finding.message)
    words = [quoted.group(1)] if quoted else [name]
    version = 2 if subject.api == "tf_keras" else 3
    spelled = {"qualname": call.qualname, "positional": positional, "kwargs": kwargs}
    model = {"keras": version, "legacy_only": True}
    case.reproduce = Run(
        f"{call.name}(..., {name}=...) on Keras {version}",
        {"model": model, "action": "call", "call": spelled},
        "error",
        {"any": words},
    )
    if new is not None:
        renamed = {new if key == name else key: value for key, value in kwargs.items()}
        fixed = {**spelled, "kwargs": renamed}
        case.fixes.append(
            Run(
                f"{call.name}(..., {new}=...)",
                {"model": dict(model), "action": "call", "call": fixed},
                "success",
            )
        )


def _plain(value: Plain) -> bool:
    """Whether a value is known in full, to pass it on."""
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def _json(value: Plain) -> Any:
    return [_json(v) for v in value] if isinstance(value, tuple) else value


def _sl012(case: Case, subject: TargetMismatch, facts: Facts, full: bool, shrink: bool) -> None:
    call, model = subject.call, subject.model
    classes = call.y.classes if call.y is not None else None
    labels = classes.count if classes is not None and classes.kind == "labels" else None
    targets: dict[str, Any] = {"shape": list(subject.targets), "labels": labels}
    b = _batch_of(model)
    batch = subject.batch or b or _DEFAULT_BATCH
    samples = 2 * batch
    # Never shrunk: the output's units are what the finding is about.
    spec = model_spec(model, facts, shrink=False, batch=b, keras_version=subject.keras_version)
    run = _run(spec, call.method, samples, batch_size=batch, targets=targets)
    what = f"{call.method} with targets of shape {tuple(subject.targets)}"
    if subject.silent:
        match = {"targets": list(subject.targets), "output": list(subject.output)}
        case.reproduce = Run(what, run, "silent-broadcast", match)
    else:
        words = subject.error.split(" Received:")[0].split(", but are")[0].split(" Received a")[0]
        if subject.error.startswith("Received a label value"):
            words = subject.error.partition("... ")[2]
        case.reproduce = Run(what, run, "error", {"any": [words]})
    fix = case.finding.fix
    for key, value in fix.params if fix is not None else ():
        if key == "loss" and isinstance(value, str):
            fixed = dict(spec, loss=value)
            case.fixes.append(
                Run(
                    f"loss={value}",
                    _run(fixed, call.method, samples, batch_size=batch, targets=targets),
                    "success",
                )
            )
        elif key == "units" and isinstance(value, int):
            last = last_dense(model)
            if last is None:
                continue
            overrides = {model.layers.index(last): {"units": value}}
            fixed = model_spec(
                model,
                facts,
                shrink=False,
                batch=b,
                keras_version=subject.keras_version,
                layer_overrides=overrides,
            )
            case.fixes.append(
                Run(
                    f"Dense({value}) at the end",
                    _run(fixed, call.method, samples, batch_size=batch, targets=targets),
                    "success",
                )
            )


# Each kind of subject verify can rebuild, and how. A planner takes its own subject type.
_PLANNERS: dict[type[Subject], Callable[[Case, Any, Facts, bool, bool], None]] = {
    BatchRemainder: _sl001,
    BatchConflict: _sl002,
    StatefulWithoutBatch: _sl003,
    DeclaredRankMismatch: _sl005_layer,
    DataShapeMismatch: _sl005_data,
    RecurrentInputRank: _sl006_layer,
    TargetRank: _sl006_targets,
    RemovedArgument: _sl008,
    OldKeyword: _keyword,
    UnknownArgument: _keyword,
    TargetMismatch: _sl012,
}
# The rules with at least one kind of finding verify can rebuild.
VERIFIABLE = frozenset(kind.code for kind in _PLANNERS)

__all__ = ["VERIFIABLE", "Case", "Run", "plan", "math"]
