"""Reporters: one pure renderer per output format, from findings to text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shapelint.findings import Report
from shapelint.report import (
    concise,
    github,
    json_format,
    sarif,
    show_json,
    show_markdown,
    show_text,
    text,
)
from shapelint.show import FileShow

Renderer = Callable[[Report, bool], str]
ShowRenderer = Callable[[Sequence[FileShow], bool], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "concise": concise.render,
    "github": github.render,
    "sarif": sarif.render,
}

# ``shapelint show``: from the tables of each file to text.
SHOW_FORMATS: dict[str, ShowRenderer] = {
    "text": show_text.render,
    "json": show_json.render,
    "markdown": show_markdown.render,
}
