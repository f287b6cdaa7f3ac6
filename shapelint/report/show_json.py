"""``shapelint show --format json``: the tables as data (documented in the README)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shapelint.show import CallRow, FileShow, LayerRow, ModelRow, Place


def _place(place: Place) -> dict[str, int]:
    return {"line": place.line} if place.cell is None else {"cell": place.cell, "line": place.line}


def _layer(layer: LayerRow) -> dict[str, Any]:
    return {
        "type": layer.kind,
        "name": layer.name,
        **_place(layer.place),
        "output_shape": list(layer.output_shape) if layer.output_shape is not None else None,
        "params": layer.params,
        "flags": list(layer.flags),
        "why": layer.why or None,
    }


def _call(call: CallRow) -> dict[str, Any]:
    return {
        "method": call.method,
        **_place(call.place),
        "data": call.data,
        "samples": call.samples,
        "samples_from": call.samples_from,
        "sample_shape": list(call.sample_shape) if call.sample_shape is not None else None,
        "sample_shape_from": call.sample_shape_from,
        "batch_size": call.batch_size,
        "batch_size_from": call.batch_from,
        "full_batches": call.full_batches,
        "remainder": call.remainder,
        "targets": _targets(call),
        "loss": call.loss,
        "loss_from": call.loss_from or None,
        "shuffle": call.shuffle,
        "findings": list(call.findings),
    }


def _targets(call: CallRow) -> dict[str, Any] | None:
    if call.targets is None:
        return None
    classes = call.classes
    return {
        "data": call.targets,
        "sample_shape": list(call.targets_shape) if call.targets_shape is not None else None,
        "classes": (
            None
            if classes is None
            else {"kind": classes.kind, "count": classes.count, "how": classes.how}
        ),
    }


def model_data(model: ModelRow) -> dict[str, Any]:
    return {
        "name": model.name,
        "api": model.api,
        **_place(model.place),
        "built_by": model.built_by or None,
        "batch_size": model.batch_size,
        "batch_size_from": model.batch_from,
        "input_shape": list(model.input_shape) if model.input_shape is not None else None,
        "input_shapes": [
            list(shape) if shape is not None else None for shape in model.input_shapes
        ],
        "layers": [_layer(layer) for layer in model.layers],
        "total_params": model.total_params,
        "total_params_why": model.total_why or None,
        "calls": [_call(call) for call in model.calls],
    }


def file_data(shown: FileShow) -> dict[str, Any]:
    return {
        "path": shown.path,
        "problem": shown.problem or None,
        "models": [model_data(model) for model in shown.models],
    }


def render(files: Sequence[FileShow], color: bool = False) -> str:
    return json.dumps([file_data(f) for f in files], indent=2, ensure_ascii=False) + "\n"
