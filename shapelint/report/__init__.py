"""Reporters: one pure renderer per output format, from findings to text.

Each format's module is imported only when its renderer is looked up, so that a check
pays for the format it prints and nothing else (``shapelint show`` and its tables
included)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from shapelint.findings import Report

if TYPE_CHECKING:
    from shapelint.show import FileShow

Renderer = Callable[[Report, bool], str]
ShowRenderer = Callable[[Sequence["FileShow"], bool], str]

R = TypeVar("R")


class Renderers(Mapping[str, R], Generic[R]):
    """Format name -> the ``render`` function of its module in shapelint.report, which is
    imported when the name is looked up."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> R:
        module = importlib.import_module(f"{__name__}.{self._modules[name]}")
        return cast(R, module.render)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


FORMATS: Renderers[Renderer] = Renderers(
    {
        "text": "text",
        "json": "json_format",
        "concise": "concise",
        "github": "github",
        "sarif": "sarif",
    }
)

# ``shapelint show``: from the tables of each file to text.
SHOW_FORMATS: Renderers[ShowRenderer] = Renderers(
    {
        "text": "show_text",
        "json": "show_json",
        "markdown": "show_markdown",
    }
)
