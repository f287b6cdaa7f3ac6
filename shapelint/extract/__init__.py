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
    from shapelint.extract.freeze import freeze_model
    from shapelint.extract.walker import Extractor

    extractor = Extractor(module, positions, path, options, text)
    extractor.run()
    models = tuple(freeze_model(extractor, model) for model in extractor.models)
    return Facts(
        path=path,
        models=models,
        calls=tuple(extractor.calls),
        flavours=frozenset(extractor.flavours),
        data_files=tuple(sorted(extractor.data_files)),
        api_uses=tuple(extractor.api_uses),
    )
