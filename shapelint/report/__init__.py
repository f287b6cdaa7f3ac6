"""Reporters: one pure renderer per output format, from findings to text."""

from __future__ import annotations

from collections.abc import Callable

from shapelint.findings import Report
from shapelint.report import concise, github, json_format, sarif, text

Renderer = Callable[[Report, bool], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "concise": concise.render,
    "github": github.render,
    "sarif": sarif.render,
}
