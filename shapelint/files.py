"""Finding the files to check and reading them, with a clear error for each bad one."""

from __future__ import annotations

import io
import os
import tokenize
from collections.abc import Iterable
from pathlib import Path

from shapelint.findings import FileError

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".shapelint_cache",
        "node_modules",
        "build",
        "dist",
        "site-packages",
        ".ipynb_checkpoints",
    }
)


class SourceError(Exception):
    """A file that cannot be read or decoded; the message names the problem."""


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[FileError]]:
    """Expand directories into their Python files. Explicit files are taken as given."""
    files: list[str] = []
    errors: list[FileError] = []
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            files.extend(_walk(path))
        elif os.path.exists(path):
            files.append(path)
        elif os.path.islink(path):
            errors.append(FileError(path, "broken symbolic link"))
        else:
            errors.append(FileError(path, "no such file or directory"))
    seen: set[str] = set()
    unique = []
    for file in files:
        key = os.path.normpath(file)
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, errors


def _walk(root: str) -> list[str]:
    found: list[str] = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and not d.endswith(".egg-info")
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
        )
        for name in sorted(filenames):
            if name.endswith((".py", ".ipynb")):
                found.append(os.path.normpath(os.path.join(directory, name)))
    return found


def read_source(path: str) -> str:
    """The text of a Python file, decoded as Python would (PEP 263 cookie, BOM, UTF-8);
    a notebook's JSON as UTF-8."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    if path.endswith(".ipynb"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SourceError(f"cannot decode notebook as utf-8: {error}") from None
    return decode(data)


def decode(data: bytes) -> str:
    if b"\0" in data:
        raise SourceError("cannot decode file: it contains NUL bytes (a binary file?)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise SourceError(f"cannot decode file: {error}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise SourceError(f"cannot decode file as {encoding}: {error}") from None
    return text[1:] if text.startswith("\ufeff") else text
