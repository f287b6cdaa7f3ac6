"""Jupyter notebooks: their code cells as one program, and positions back in the cells.

The code cells are joined in order into one program, one line of the program per line
of a cell, so that a finding's line maps back to a cell and a line within it. IPython
syntax is made into Python line by line (``shapelint.ipython``): magics, shell escapes
and help become ``pass`` or assignments of an unknown value, so every other line and
column stays exact. A cell may add one line of its own after its lines (a ``%%timeit``
cell: the names its body binds are unknown after it), and one before them: IPython
removes the indentation of a cell's first line from all its lines, so a cell whose code
starts indented is read as the body of an ``if True:`` line (a branch, for the
analysis: what it binds is not taken as certain after it). No cell line maps there.

Cells that do not parse. When the joined program does not parse, each code cell is
parsed on its own. A cell that does not parse gets an SL000 naming the cell, with
Python's message and the position within the cell, and the program is analysed without
it: its lines become blank, except its top-level ``import`` statements that parse on
their own (they are kept as written, since an import binds exactly the names it says),
and a line after the cell binds every name the cell appears to bind or change (a tolerant
scan of its tokens, ``shapelint.ipython.bound_names``: assignment, ``for``, ``with``,
``import``, ``def``, ``class``, ``del``, ``:=`` targets, and the object of a changing
call such as ``model.add(...)``) to a value shapelint knows nothing about. What was
known about those names before the broken cell is therefore never used after it, and
the findings of every other cell are still reported. If the program still does not
parse (a cell that only fails joined to the others), the whole notebook gets one SL000,
as a script does.

Fixes. Edits are computed on the joined program and moved to their cell and line. An
edit that would cross from one cell into another, or touch a line that IPython syntax
changed, a broken cell or a cell that is not Python (``%%bash``), is refused: that
finding keeps its advice without an automatic fix. ``shapelint.fixes.notebook`` writes
the edits into the cells' sources.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from shapelint.config import Options
from shapelint.findings import Edit, Finding, Fix, Span

if TYPE_CHECKING:
    from shapelint.facts import Facts
    from shapelint.fixes.edits import Editor

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class NotebookError(Exception):
    """The file is not a notebook shapelint can read; the message says why."""


@dataclass(frozen=True)
class Cell:
    """One code cell: where its line 1 is in the joined program, its source, and its
    lines as Python."""

    number: int
    first: int
    source: str
    code: tuple[str, ...]
    # A statement on a line of its own after the cell ("" for none).
    trailer: str = ""
    # A line of its own before the cell ("" for none): ``if True:`` for a cell whose code
    # starts indented, which IPython runs with that indentation removed.
    header: str = ""
    # Whether --fix may edit the cell: it is Python (not %%bash) and it parses.
    editable: bool = True
    # Lines of the cell (from 1) whose Python differs from the source.
    changed: frozenset[int] = frozenset()

    @property
    def lines(self) -> int:
        return len(self.code)

    @property
    def text(self) -> str:
        """The cell alone, as Python, after its header line if it has one."""
        return "\n".join([self.header, *self.code] if self.header else self.code) + "\n"


@dataclass(frozen=True)
class Program:
    text: str
    cells: tuple[Cell, ...]

    @property
    def sources(self) -> dict[int, str]:
        """The source of each code cell, by cell number."""
        return {cell.number: cell.source for cell in self.cells}

    @cached_property
    def _firsts(self) -> list[int]:
        return [cell.first for cell in self.cells]

    def cell_at(self, line: int) -> Cell | None:
        """The cell whose line 1 is at or before ``line`` of the program (a line between
        cells counts as the cell's before it; it is outside that cell's lines)."""
        index = bisect_right(self._firsts, line) - 1
        return self.cells[index] if index >= 0 else None


def split_lines(source: str) -> list[str]:
    """A cell's lines, split where Python (and ``--fix``) split them."""
    lines = _LINE_BREAK.split(source)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def code_cells(text: str) -> list[tuple[int, str]]:
    """The number and source of each code cell of a notebook's JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not a valid notebook: invalid JSON: {error}") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("not a valid notebook: it has no list of cells")
    found: list[tuple[int, str]] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(part) for part in source)
        if not isinstance(source, str):
            raise NotebookError(f"not a valid notebook: cell {number} has no source text")
        found.append((number, source))
    return found


def program(text: str) -> Program:
    """The code cells of a notebook's JSON as one program."""
    from shapelint import ipython  # here: code_cells alone (for a report) does not need it

    cells: list[Cell] = []
    for number, source in code_cells(text):
        lines = split_lines(source)
        code, trailer = ipython.cell_code(lines)
        changed = frozenset(
            i for i, (a, b) in enumerate(zip(code, lines, strict=True), start=1) if a != b
        )
        python = ipython.is_python(lines)
        header = "if True:" if _starts_indented(code) else ""
        cells.append(
            Cell(
                number,
                0,
                source,
                tuple(code),
                trailer=trailer,
                header=header,
                editable=python,
                changed=changed,
            )
        )
    return _joined(cells)


def _starts_indented(code: list[str]) -> bool:
    """Whether the cell's first statement is indented (IPython removes the indentation of
    the first line from every line of a cell, so such a cell runs)."""
    for line in code:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return line[:1] in (" ", "\t")
    return False


def _joined(cells: list[Cell]) -> Program:
    lines: list[str] = []
    placed: list[Cell] = []
    for cell in cells:
        if cell.header:
            lines.append(cell.header)
        placed.append(replace(cell, first=len(lines) + 1))
        lines.extend(cell.code)
        if cell.trailer:
            lines.append(cell.trailer)
    return Program("\n".join(lines) + "\n", tuple(placed))


# -- positions --------------------------------------------------------------------------


def cell_of(program: Program, line: int) -> tuple[int, int]:
    """The cell a line of the joined program is in, and the line within that cell."""
    cell = program.cell_at(line)
    if cell is None:
        return 1, line
    return cell.number, line - cell.first + 1


def label(program: Program) -> Callable[[int], str]:
    def name(line: int) -> str:
        cell, within = cell_of(program, line)
        return f"cell {cell}, line {within}"

    return name


def locate(program: Program, finding: Finding) -> Finding:
    """A finding on the joined program, moved to its cell and the line within it, with
    the edits of its fix moved too (or dropped, where they cannot be made in the cells)."""
    cell = program.cell_at(finding.span.line)
    start = cell.first if cell is not None else 1
    span = finding.span
    moved = Span(span.line - start + 1, span.column, span.end_line - start + 1, span.end_column)
    number = cell.number if cell is not None else 1
    return replace(finding, span=moved, cell=number, fix=_cell_fix(program, finding.fix))


def _cell_fix(program: Program, fix: Fix | None) -> Fix | None:
    if fix is None or not fix.edits:
        return fix
    moved: list[Edit] = []
    for edit in fix.edits:
        cell = program.cell_at(edit.span.line)
        if cell is None or not cell.editable:
            return replace(fix, edits=(), applicability=None)
        start = edit.span.line - cell.first + 1
        end = edit.span.end_line - cell.first + 1
        if not 1 <= start <= end <= cell.lines or cell.changed & set(range(start, end + 1)):
            return replace(fix, edits=(), applicability=None)
        span = Span(start, edit.span.column, end, edit.span.end_column)
        moved.append(Edit(span, edit.content, cell.number))
    return replace(fix, edits=tuple(moved))


# -- checking ---------------------------------------------------------------------------


def lint_notebook(
    text: str,
    path: str,
    select: Collection[str] | None = None,
    options: Options | None = None,
    gate: bool = True,
) -> tuple[list[Finding], tuple[str, ...]]:
    """Findings for a notebook's JSON, each in its cell, and the data files read.
    ``gate=False`` parses and analyses even a notebook in which no rule can fire."""
    from shapelint import lint, suppress
    from shapelint.rules.sl000_syntax_error import RULE as SYNTAX

    whole = program(text)
    if not lint.mentions_keras(whole.text) or suppress.ignores_file(whole.text):
        return [], ()
    if select is None:
        select = (options or Options()).rules_for(path)
    whole, facts, editor, broken = analyse(whole, path, options, select if gate else None)
    findings = lint.findings_of(facts, editor, whole.text, path, select, options)
    located = [locate(whole, f) for f in findings]
    if broken and SYNTAX.code in select:
        sources = whole.sources
        for finding in broken:
            located.extend(suppress.apply([finding], sources[finding.cell or 0]))
        # The joined program's own SL000 is replaced by one per broken cell.
    return sorted(located, key=Finding.sort_key), facts.data_files


def analyse(
    whole: Program, path: str, options: Options | None, gate: Collection[str] | None = None
) -> tuple[Program, Facts, Editor | None, list[Finding]]:
    """The facts of a notebook's program (see ``lint.analyse``). When it does not parse,
    the program without its broken cells, its facts, and an SL000 for each broken cell."""
    from shapelint import lint

    facts, editor = lint.analyse(whole.text, path, options, label(whole), gate)
    broken: list[Finding] = []
    if facts.syntax_error is not None:
        broken = _broken_cells(whole, path)
        if broken:
            numbers = {f.cell for f in broken}
            rest = _joined([_salvage(c) if c.number in numbers else c for c in whole.cells])
            salvaged, salvaged_editor = lint.analyse(rest.text, path, options, label(rest))
            if salvaged.syntax_error is None:
                return rest, salvaged, salvaged_editor, broken
    return whole, facts, editor, []


def _broken_cells(whole: Program, path: str) -> list[Finding]:
    """An SL000 for each Python cell that does not parse on its own."""
    import libcst as cst

    from shapelint import lint
    from shapelint.parse import parse_module
    from shapelint.rules.sl000_syntax_error import RULE as SYNTAX

    found: list[Finding] = []
    for cell in whole.cells:
        try:
            parse_module(cell.text)
        except cst.ParserSyntaxError as error:
            why = lint.syntax_error(cell.text, path, error)
            line, column = max(why.span.line - bool(cell.header), 1), why.span.column
            message = (
                f"cell {cell.number} does not parse: {why.message} (line {line}, column "
                f"{column}); the other cells are checked without it"
            )
            found.append(
                Finding(
                    path=path,
                    span=Span(line, column, line, column + 1),
                    code=SYNTAX.code,
                    name=SYNTAX.name,
                    severity=SYNTAX.severity,
                    message=message,
                    cell=cell.number,
                )
            )
        except RecursionError:
            continue
    return found


def _salvage(cell: Cell) -> Cell:
    """A broken cell as the program sees it: blank but for its top-level imports that parse
    alone, then a line that binds what the cell appears to bind to unknown values."""
    from shapelint import ipython

    kept, names = ipython.salvage(list(cell.code))
    trailer = "; ".join(f"{name} = {ipython.UNKNOWN}" for name in names)
    return replace(cell, code=tuple(kept), trailer=trailer, header="", editable=False)
