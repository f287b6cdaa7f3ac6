"""Extraction: a libcst module in, facts out. One pass, no execution."""

from __future__ import annotations

import libcst as cst

from shapelint.config import Options
from shapelint.facts import Facts
from shapelint.positions import PositionIndex


def extract(
    module: cst.Module,
    path: str,
    positions: PositionIndex,
    options: Options | None = None,
    text: str | None = None,
) -> Facts:
    from shapelint.extract.freeze import built_before_escape, freeze_model
    from shapelint.extract.walker import Extractor

    extractor = Extractor(module, positions, path, options, text)
    extractor.run()
    models = tuple(freeze_model(extractor, model, as_built=True) for model in extractor.models)
    # A model handed to unknown code and given layers after that is inexact as a whole;
    # what was built before stays known, as a model of its own.
    models += tuple(
        freeze_model(extractor, before, as_built=True)
        for model in extractor.models
        if (before := built_before_escape(model)) is not None
    )
    return Facts(
        path=path,
        models=models,
        calls=tuple(extractor.calls),
        flavours=frozenset(extractor.flavours),
        data_files=tuple(sorted(extractor.data_files)),
        api_uses=tuple(extractor.api_uses),
        keras_imports=tuple(extractor.keras_imports),
        keras_calls=tuple(extractor.keras_calls),
    )
