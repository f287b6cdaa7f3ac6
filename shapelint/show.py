"""``shapelint show``: what shapelint knows of each model and each fit/evaluate/predict call.

A reporter over facts: each model becomes a ``model.summary()``-style table (layer, output
shape with the batch axis, parameter count, the flags the rules care about, the line), with
its fixed batch size and where that came from; each call on it becomes the data's sample
count and per-sample shape with their provenance, the batch size, the full batches and the
remainder, shuffle, and the codes of the findings on it. Shapes and parameter counts come
from ``shapelint.model_shapes``. Where a value is not known it is None (``?`` when shown),
with a short phrase saying why. The formats are in ``shapelint/report/show_*.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Literal

from shapelint.config import Options
from shapelint.facts import (
    Anchor,
    Classes,
    Data,
    Facts,
    Layer,
    Model,
    Num,
    Shape,
    TrainCall,
    Unknown,
)
from shapelint.findings import FileError, Finding, Span
from shapelint.model_shapes import Size, model_sizes
from shapelint.rules.stateful import batch_phrase, samples_origin

# An axis as shown: a number, None (Keras's None: any size, the batch axis of a model
# without a fixed batch size) or "?" (a number shapelint does not know).
Dim = int | None | str
UNKNOWN_DIM = "?"


@dataclass(frozen=True)
class Place:
    """A line of a script, or a line within a notebook's cell."""

    line: int
    cell: int | None = None

    def __str__(self) -> str:
        if self.cell is None:
            return f"line {self.line}"
        return f"cell {self.cell}, line {self.line}"


@dataclass(frozen=True)
class LayerRow:
    kind: str
    name: str | None
    place: Place
    # The output shape with its batch axis first; None when not known.
    output_shape: tuple[Dim, ...] | None
    params: int | None
    flags: tuple[str, ...]
    # Why the output shape or the parameter count is not known ("" when both are).
    why: str = ""


@dataclass(frozen=True)
class CallRow:
    method: Literal["fit", "evaluate", "predict"]
    place: Place
    data: str
    samples: int | None
    # Where the sample count came from, or why it is not known.
    samples_from: str
    sample_shape: tuple[Dim, ...] | None
    sample_shape_from: str
    batch_size: int | None
    batch_from: str
    full_batches: int | None
    remainder: int | None
    # fit's shuffle: True, False or "?" (not known); None for evaluate and predict.
    shuffle: bool | str | None
    findings: tuple[str, ...]
    # The targets (``y``) of fit and evaluate: their name, shape per sample and classes
    # (one-hot rows or integer labels; None when not known). None for predict.
    targets: str | None = None
    targets_shape: tuple[Dim, ...] | None = None
    classes: Classes | None = None
    # The loss the model is compiled with, as the script gives it, and where (None: no
    # compile shapelint saw, or a loss it cannot name).
    loss: str | None = None
    loss_from: str = ""


@dataclass(frozen=True)
class ModelRow:
    name: str
    api: Literal["Sequential", "Functional"]
    place: Place
    # The calls of the script's functions that built it, e.g. "create_model(batch_size=64)
    # on line 27" ("" when the script builds it at the top level).
    built_by: str
    layers: tuple[LayerRow, ...]
    total_params: int | None
    total_why: str
    # The fixed batch size: a number, None (none: any size) or "?" (not known).
    batch_size: Dim
    batch_from: str
    input_shape: tuple[Dim, ...] | None
    calls: tuple[CallRow, ...]
    # A functional model with several inputs: each input's shape (batch axis first).
    input_shapes: tuple[tuple[Dim, ...] | None, ...] = ()


@dataclass(frozen=True)
class FileShow:
    path: str
    models: tuple[ModelRow, ...] = ()
    # Why the file could not be read as Python ("" when it could).
    problem: str = ""


@dataclass
class ShowReport:
    """What ``show_paths`` found: a FileShow per file, and the files it could not read."""

    files: list[FileShow] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


Placer = Callable[[int], Place]


def show_facts(facts: Facts, findings: Collection[Finding], place: Placer = Place) -> FileShow:
    """The tables of a file's facts; ``findings`` (positioned as the facts are) are named on
    the calls they are about; ``place`` turns a line of the facts into a Place."""
    if facts.syntax_error is not None:
        span = facts.syntax_error.span
        return FileShow(facts.path, problem=f"{facts.syntax_error.message} ({place(span.line)})")
    rows: list[ModelRow] = []
    shown: set[int] = set()
    for model in facts.models:
        calls = (
            ()
            if model.key in shown
            else tuple(
                _call_row(call, findings, place)
                for call in facts.calls
                if call.model.key == model.key
            )
        )
        shown.add(model.key)
        rows.append(_model_row(model, calls, place))
    return FileShow(facts.path, tuple(rows))


def _where(anchor: Anchor, place: Placer) -> Place:
    return place(anchor.line)


def _batch_dim(model: Model) -> Dim:
    batch = model.batch
    if batch.status == "fixed" and batch.size is not None and batch.size.int_value is not None:
        return batch.size.int_value
    return None if batch.status == "none" else UNKNOWN_DIM


def _dims(shape: Shape) -> tuple[Dim, ...]:
    return tuple(UNKNOWN_DIM if d is None else d for d in shape)


def _model_row(model: Model, calls: tuple[CallRow, ...], place: Placer) -> ModelRow:
    batch = _batch_dim(model)
    sizes = model_sizes(model)
    layers = tuple(
        _layer_row(layer, size, batch, place)
        for layer, size in zip(model.layers, sizes, strict=True)
    )
    unknown = [row for row in layers if row.params is None]
    total = None if unknown else sum(row.params or 0 for row in layers)
    total_why = ""
    if unknown:
        known = sum(row.params or 0 for row in layers)
        count = len(unknown)
        total_why = (
            f"the parameter count of {count} layer{'s' if count != 1 else ''} is not known"
            + (f"; the others have {known:,}" if count < len(layers) else "")
        )
    if model.batch.status == "fixed" and model.batch.size is not None:
        batch_from = batch_phrase(model).partition(" (")[2].removesuffix(")")
    elif model.batch.status == "none":
        batch_from = "the model's input has no fixed batch size"
    else:
        batch_from = "the model's input is not known"
    return ModelRow(
        name=model.name,
        api="Sequential" if model.api == "sequential" else "Functional",
        place=_where(model.anchor, place),
        built_by="; ".join(
            f"{site.function}({', '.join(f'{k}={v}' for k, v in site.args)}) on "
            f"{place(site.anchor.line)}"
            for site in model.anchor.sites
        ),
        layers=layers,
        total_params=total,
        total_why=total_why,
        batch_size=batch,
        batch_from=batch_from,
        input_shape=(batch, *_dims(model.input_shape)) if model.input_shape is not None else None,
        calls=calls,
        input_shapes=tuple(
            (batch, *_dims(shape)) if shape is not None else None for shape in model.input_shapes
        )
        if len(model.input_shapes) > 1
        else (),
    )


def _flag(name: str, value: bool | Unknown) -> tuple[str, ...]:
    if value is True:
        return (name,)
    if isinstance(value, Unknown):
        return (f"{name}=?",)
    return ()


def _layer_row(layer: Layer, size: Size, batch: Dim, place: Placer) -> LayerRow:
    flags: tuple[str, ...] = ()
    if layer.recurrent:
        flags = _flag("stateful", layer.stateful) + _flag(
            "return_sequences", layer.return_sequences
        )
    if not layer.certain:
        flags += ("maybe",)
    name = layer.arg("name")
    return LayerRow(
        kind=layer.label,
        name=name if isinstance(name, str) else None,
        place=_where(layer.anchor, place),
        output_shape=(batch, *_dims(size.output)) if size.output is not None else None,
        params=size.params,
        flags=flags,
        why=size.why,
    )


def _findings_on(call: TrainCall, findings: Collection[Finding]) -> tuple[str, ...]:
    if not findings:
        return ()
    span = call.anchor.span
    return tuple(sorted({f.code for f in findings if _within(f.span, span)}))


def _within(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (
        inner.end_line,
        inner.end_column,
    ) <= (outer.end_line, outer.end_column)


def _call_row(call: TrainCall, findings: Collection[Finding], place: Placer) -> CallRow:
    data = call.x
    label = data.label if data is not None else "x"
    samples: int | None = None
    if data is None:
        samples_from = "the call passes no data shapelint can see"
    elif data.samples is not None and data.samples.int_value is not None:
        samples = data.samples.int_value
        samples_from = _provenance(data, data.samples, place)
    else:
        samples_from = _unknown_samples(data)
    shape: tuple[Dim, ...] | None = None
    if data is not None and data.sample_shape is not None:
        shape = _dims(data.sample_shape)
        shape_from = f"{data.label}, {place(data.anchor.line)}" if data.anchor else data.label
    elif data is not None and data.kind != "unknown":
        shape_from = f"the shape of {data.label} is not known"
    else:
        shape_from = samples_from if data is None else f"shapelint cannot follow {label}"
    batch, batch_from = _call_batch(call, place)
    full = remainder = None
    if samples is not None and batch:
        full, remainder = divmod(samples, batch)
        if data is not None and data.kind == "dataset" and data.drop_remainder:
            remainder = 0
    shuffle: bool | str | None = None
    if call.method == "fit":
        shuffle = call.shuffle if isinstance(call.shuffle, bool) else UNKNOWN_DIM
    y = call.y if call.method != "predict" else None
    model = call.model
    return CallRow(
        targets=(y.label if y is not None else None),
        targets_shape=_dims(y.sample_shape)
        if y is not None and y.sample_shape is not None
        else None,
        classes=y.classes if y is not None else None,
        loss=model.loss,
        loss_from=(f"compile, {place(model.compile_anchor.line)}" if model.compile_anchor else ""),
        method=call.method,
        place=_where(call.anchor, place),
        data=label,
        samples=samples,
        samples_from=samples_from,
        sample_shape=shape,
        sample_shape_from=shape_from,
        batch_size=batch,
        batch_from=batch_from,
        full_batches=full,
        remainder=remainder,
        shuffle=shuffle,
        findings=_findings_on(call, findings),
    )


def _provenance(data: Data, samples: Num, place: Placer) -> str:
    """``1735 = len(raw)=1765 - window_size=30 (trainX, line 27)`` without the leading number."""
    if data.anchor is None:
        return samples_origin(data, samples).partition(" ")[2].removeprefix("= ")
    where = f"{data.label}, {place(data.anchor.line)}"
    return f"{samples.how} ({where})" if samples.how else f"({where})"


def _unknown_samples(data: Data) -> str:
    if data.kind == "unknown":
        return f"shapelint cannot follow {data.label}"
    if data.multiple_of:
        return f"the length of {data.label} is not known (a multiple of {data.multiple_of})"
    if data.kind == "dataset":
        return f"the size of {data.label} is not known"
    return f"the length of {data.label} is not known"


def _call_batch(call: TrainCall, place: Placer) -> tuple[int | None, str]:
    data = call.x
    if data is not None and data.kind == "dataset":
        num = data.batch_size
        if num is None or num.int_value is None:
            return None, f"the batch size of {data.label} is not known"
        where = f" on {place(data.batch_anchor.line)}" if data.batch_anchor else ""
        how = _origin(num, place)
        return num.int_value, f"{data.label}.batch(...){where}" + (f"; {how}" if how else "")
    num = call.batch_size
    if num is None or num.int_value is None:
        return None, "the call's batch_size is not known"
    if data is not None and data.kind == "unknown" and not call.batch_size_explicit:
        return (
            None,
            f"{num.value} if {data.label} is an array; a dataset or generator batches itself",
        )
    if not call.batch_size_explicit:
        return num.int_value, num.how
    return num.int_value, _origin(num, place) or "given on the call"


def _origin(num: Num, place: Placer) -> str:
    """Where a number came from: ``batch_size = 30 on line 13``."""
    if num.anchor is None:
        return num.how
    value = f"{num.how} = {num.value}" if num.how else str(num.value)
    return f"{num.name or 'it'} = {value} on {place(num.anchor.line)}"


# -- reading files ----------------------------------------------------------------------


def show_text(text: str, path: str, options: Options | None = None) -> FileShow:
    """The tables of one script's text, or of a notebook's JSON when ``path`` ends in .ipynb."""
    from shapelint import lint, suppress

    if path.endswith(".ipynb"):
        return _show_notebook(text, path, options)
    if not lint.mentions_keras(text) or suppress.ignores_file(text):
        return FileShow(path)
    facts, editor = lint.analyse(text, path, options)
    findings = lint.findings_of(facts, editor, text, path, None, options)
    return show_facts(facts, findings)


def _show_notebook(text: str, path: str, options: Options | None) -> FileShow:
    from shapelint import lint, notebook, suppress

    whole = notebook.program(text)
    if not lint.mentions_keras(whole.text) or suppress.ignores_file(whole.text):
        return FileShow(path)
    whole, facts, editor, _ = notebook.analyse(whole, path, options)
    findings = lint.findings_of(facts, editor, whole.text, path, None, options)

    def place(line: int) -> Place:
        cell, within = notebook.cell_of(whole, line)
        return Place(within, cell)

    return show_facts(facts, findings, place)
