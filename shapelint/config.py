"""Configuration: ``[tool.shapelint]`` in the nearest pyproject.toml, and run options.

Read keys:

- ``[tool.shapelint.samples]``: declared sample counts by variable name, for data
  shapelint cannot see (``X_train = 1735``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


class ConfigError(Exception):
    """A configuration file or value shapelint cannot use; the message says which."""


@dataclass(frozen=True)
class Options:
    """What one check runs with."""

    # Read the headers and row counts of data files next to the script.
    read_data: bool = True
    # Declared sample counts, by variable name.
    samples: dict[str, int] = field(default_factory=dict)
    # The pyproject.toml the options came from, if any.
    source: str | None = None

    def __hash__(self) -> int:
        return hash((self.read_data, tuple(sorted(self.samples.items())), self.source))


def find_pyproject(start: str) -> str | None:
    """The nearest pyproject.toml in ``start`` or a folder above it."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


@lru_cache(maxsize=64)
def load_pyproject(path: str) -> Options:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it: {error}") from None
    table: Any = data.get("tool", {}).get("shapelint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.shapelint] must be a table")
    samples = table.get("samples", {})
    if not isinstance(samples, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in samples.values()
    ):
        raise ConfigError(
            f"{path}: [tool.shapelint.samples] must map variable names to whole numbers, "
            "for example X_train = 1735"
        )
    return Options(samples=dict(samples), source=path)


def options_for(path: str, *, read_data: bool = True) -> Options:
    """The options for checking the file at ``path``: its nearest pyproject.toml."""
    folder = os.path.dirname(os.path.abspath(path)) if path not in ("", "-") else os.getcwd()
    pyproject = find_pyproject(folder)
    options = load_pyproject(pyproject) if pyproject else Options()
    if not read_data:
        options = Options(False, options.samples, options.source)
    return options
