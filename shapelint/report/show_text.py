"""``shapelint show``: the text tables (the default format), like Keras's model.summary()."""

from __future__ import annotations

from collections.abc import Sequence

from shapelint.show import UNKNOWN_DIM, CallRow, Dim, FileShow, ModelRow

_RESET = "\033[0m"
_BOLD = "\033[1m"
_RED = "\033[31m"
_YELLOW = "\033[33m"
_DIM = "\033[2m"
_HEADERS = ("Layer (type)", "Output Shape", "Param #", "Flags", "Where", "Notes")


def shape_text(shape: Sequence[Dim] | None) -> str:
    """``(30, 30, 512)``, ``(None, 10)``, ``(?, 7)``; ``?`` for a shape not known."""
    if shape is None:
        return UNKNOWN_DIM
    dims = [str(d) for d in shape]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


def count_text(count: int | None) -> str:
    return UNKNOWN_DIM if count is None else f"{count:,}"


def layer_cells(model: ModelRow) -> list[tuple[str, ...]]:
    """Each layer's row of the table, as text."""
    return [
        (
            f"{layer.name} ({layer.kind})" if layer.name else layer.kind,
            shape_text(layer.output_shape),
            count_text(layer.params),
            ", ".join(layer.flags),
            str(layer.place),
            layer.why,
        )
        for layer in model.layers
    ]


def batch_text(model: ModelRow) -> str:
    if model.batch_size is None:
        return f"none ({model.batch_from})"
    return f"{model.batch_size} ({model.batch_from})"


def batches_text(call: CallRow) -> str:
    if call.full_batches is None or call.remainder is None:
        return UNKNOWN_DIM
    full = f"{call.full_batches} full batch{'es' if call.full_batches != 1 else ''}"
    if call.remainder == 0:
        return f"{full}, no remainder"
    return f"{full} and a remainder of {call.remainder}"


def value_text(value: int | None, why: str) -> str:
    """``1735 = how (where)``, or ``? (why)``."""
    if value is None:
        return f"{UNKNOWN_DIM} ({why})" if why else UNKNOWN_DIM
    if not why:
        return str(value)
    return f"{value} {why}" if why.startswith("(") else f"{value} ({why})"


def targets_text(call: CallRow) -> str:
    """``y_onehot: (10,) per sample, one-hot with 10 classes (to_categorical(...))``."""
    shape = shape_text(call.targets_shape) if call.targets_shape is not None else UNKNOWN_DIM
    text = f"{call.targets}: {shape} per sample"
    classes = call.classes
    if classes is not None and classes.kind == "one_hot":
        text += f", one-hot with {classes.count} classes ({classes.how})"
    elif classes is not None:
        text += f", integer labels 0 to {classes.count - 1} ({classes.how})"
    return text


def call_lines(call: CallRow) -> list[tuple[str, str]]:
    """The call's facts as (label, value) pairs."""
    if call.sample_shape is not None:
        shape = f"{shape_text(call.sample_shape)} ({call.sample_shape_from})"
    else:
        shape = f"{UNKNOWN_DIM} ({call.sample_shape_from})"
    if call.samples is not None and not call.samples_from.startswith("("):
        samples = f"{call.samples} = {call.samples_from}"
    else:
        samples = value_text(call.samples, call.samples_from)
    lines = [
        ("samples", samples),
        ("sample shape", shape),
        ("batch size", value_text(call.batch_size, call.batch_from)),
        ("batches", batches_text(call)),
    ]
    if call.targets is not None:
        lines.append(("targets", targets_text(call)))
    if call.loss is not None:
        lines.append(("loss", f"{call.loss} ({call.loss_from})" if call.loss_from else call.loss))
    if call.shuffle is not None:
        lines.append(("shuffle", str(call.shuffle)))
    lines.append(("findings", ", ".join(call.findings) or "none"))
    return lines


def model_title(model: ModelRow) -> str:
    by = f", built by {model.built_by}" if model.built_by else ""
    return f'Model "{model.name}" ({model.api}, {model.place}{by})'


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and text else text


def _table(model: ModelRow, color: bool) -> list[str]:
    rows = layer_cells(model)
    keep = [i for i in range(len(_HEADERS)) if i < 3 or any(row[i] for row in rows)]
    widths = {i: max(len(_HEADERS[i]), *(len(row[i]) for row in rows)) for i in keep}
    right = {2}

    def line(cells: Sequence[str], header: bool = False) -> str:
        out = []
        for i in keep:
            text = cells[i]
            padded = text.rjust(widths[i]) if i in right else text.ljust(widths[i])
            if header:
                padded = _paint(padded, _BOLD, color)
            elif UNKNOWN_DIM in text and i in (1, 2):
                padded = _paint(padded, _YELLOW, color)
            out.append(padded)
        return " " + "  ".join(out).rstrip()

    rule = " " + "─" * (sum(widths.values()) + 2 * (len(keep) - 1))
    total = count_text(model.total_params)
    if model.total_params is None and model.total_why:
        total += f" ({model.total_why})"
    return [
        line(_HEADERS, header=True),
        rule,
        *(line(row) for row in rows),
        rule,
        f" Total params: {total}",
    ]


def render_model(model: ModelRow, color: bool = False) -> list[str]:
    out = [_paint(model_title(model), _BOLD, color)]
    out.append(f" Batch size: {batch_text(model)}")
    if model.input_shapes:
        shapes = ", ".join(shape_text(shape) for shape in model.input_shapes)
        out.append(f" Input shapes: {shapes}")
    else:
        out.append(f" Input shape: {shape_text(model.input_shape)}")
    if model.layers:
        out.extend(_table(model, color))
    else:
        out.append(" (no layers)")
    for call in model.calls:
        out.append("")
        out.append(_paint(f"{call.method} ({call.place}) on {call.data}", _BOLD, color))
        for label, value in call_lines(call):
            if label == "findings" and call.findings:
                value = _paint(value, _RED, color)
            out.append(f"  {label:<13}{value}")
    return out


def render_file(shown: FileShow, color: bool = False) -> str:
    head = _paint(shown.path, _BOLD, color)
    if shown.problem:
        return f"{head}\n  not shown: {shown.problem}\n"
    if not shown.models:
        return f"{head}\n  no Keras model found\n"
    blocks = ["\n".join(render_model(model, color)) for model in shown.models]
    return head + "\n\n" + "\n\n".join(blocks) + "\n"


def render(files: Sequence[FileShow], color: bool = False) -> str:
    return "\n".join(render_file(shown, color) for shown in files)
