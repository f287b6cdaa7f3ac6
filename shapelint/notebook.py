"""Jupyter notebooks: their code cells as one program, and positions back in the cells.

IPython syntax is not Python: line magics (``%time``), shell escapes (``!pip``),
help (``x?``) and cell magics (``%%bash``) become blank lines, so that every other
line keeps its number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from shapelint.findings import Finding, Span


class NotebookError(Exception):
    """The file is not a notebook shapelint can read; the message says why."""


@dataclass(frozen=True)
class Program:
    text: str
    # For each code cell: its 1-based number among all cells, and its first line in text.
    cells: tuple[tuple[int, int], ...]
    sources: dict[int, str]


def _ipython_only(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if stripped.startswith(("%", "!", "?")):
        return True
    if stripped.endswith("?") and "#" not in stripped:
        return True
    code = stripped.split("#", 1)[0]
    return "= !" in code or "=!" in code or "= %" in code


def program(text: str) -> Program:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not a valid notebook: invalid JSON: {error}") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("not a valid notebook: it has no list of cells")
    lines: list[str] = []
    starts: list[tuple[int, int]] = []
    sources: dict[int, str] = {}
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(part) for part in source)
        if not isinstance(source, str):
            raise NotebookError(f"not a valid notebook: cell {number} has no source text")
        cell_lines = source.splitlines() or [""]
        sources[number] = source
        starts.append((number, len(lines) + 1))
        if cell_lines[0].lstrip().startswith("%%"):
            lines.extend("" for _ in cell_lines)
        else:
            lines.extend("" if _ipython_only(line) else line for line in cell_lines)
    return Program("\n".join(lines) + "\n", tuple(starts), sources)


def cell_of(program: Program, line: int) -> tuple[int, int]:
    """The cell a line of the joined program is in, and the line within that cell."""
    cell, start = program.cells[0] if program.cells else (1, 1)
    for number, first in program.cells:
        if first <= line:
            cell, start = number, first
    return cell, line - start + 1


def label(program: Program) -> Callable[[int], str]:
    def name(line: int) -> str:
        cell, within = cell_of(program, line)
        return f"cell {cell}, line {within}"

    return name


def locate(program: Program, finding: Finding) -> Finding:
    """A finding on the joined program, moved to its cell and the line within it."""
    cell, start = program.cells[0] if program.cells else (1, 1)
    for number, first in program.cells:
        if first <= finding.span.line:
            cell, start = number, first
    span = finding.span
    moved = Span(span.line - start + 1, span.column, span.end_line - start + 1, span.end_column)
    return replace(finding, span=moved, cell=cell)
