"""``shapelint show --format markdown``: the tables for a pull-request comment."""

from __future__ import annotations

from collections.abc import Sequence

from shapelint.report.show_text import (
    batch_text,
    call_lines,
    count_text,
    layer_cells,
    model_title,
    shape_text,
)
from shapelint.show import FileShow, ModelRow


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render_model(model: ModelRow) -> list[str]:
    out = [f"### {_cell(model_title(model))}", ""]
    if model.input_shapes:
        shapes = ", ".join(f"`{shape_text(shape)}`" for shape in model.input_shapes)
        inputs = f"Input shapes: {shapes}."
    else:
        inputs = f"Input shape: `{shape_text(model.input_shape)}`."
    out.append(f"Batch size: {_cell(batch_text(model))}. {inputs}")
    out.append("")
    out.append(_row(("Layer (type)", "Output shape", "Param #", "Flags", "Where", "Notes")))
    out.append("|---|---|--:|---|---|---|")
    for kind, shape, params, flags, where, why in layer_cells(model):
        out.append(_row((kind, f"`{shape}`", params, flags, where, why)))
    total = count_text(model.total_params)
    out.append(_row(("**Total**", "", f"**{total}**", "", "", model.total_why)))
    for call in model.calls:
        out += ["", f"**{call.method}** ({call.place}) on `{_cell(call.data)}`", ""]
        out.append("| | |")
        out.append("|---|---|")
        out.extend(_row((label, value)) for label, value in call_lines(call))
    return out


def render_file(shown: FileShow) -> str:
    head = f"## `{shown.path}`\n\n"
    if shown.problem:
        return head + f"Not shown: {_cell(shown.problem)}\n"
    if not shown.models:
        return head + "No Keras model found.\n"
    return head + "\n\n".join("\n".join(render_model(m)) for m in shown.models) + "\n"


def render(files: Sequence[FileShow], color: bool = False) -> str:
    return "\n".join(render_file(shown) for shown in files)
