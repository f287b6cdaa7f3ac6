"""What a check produces: findings (diagnostics as plain data) and file errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Span:
    """A source region. Lines and columns are 1-based; the end column is exclusive,
    as in SARIF and ruff (the region ``abc`` at the start of a line is columns 1 to 4)."""

    line: int
    column: int
    end_line: int
    end_column: int


Applicability = Literal["safe", "unsafe"]

# A finding's numbers: counts and sizes, or per-sample shapes (None where a dim is unknown).
Number = int | tuple[int | None, ...]


@dataclass(frozen=True)
class Edit:
    """Replace the text of ``span`` with ``content``; an empty span inserts. In a notebook,
    ``cell`` is the cell (1-based, every cell counted) and the span is within it."""

    span: Span
    content: str
    cell: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "content": self.content,
        }
        if self.cell is not None:
            out["cell"] = self.cell
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edit:
        span = Span(data["line"], data["column"], data["end_line"], data["end_column"])
        return cls(span, data["content"], data.get("cell"))


_FIX_KEYS = ("description", "edits", "applicability")


@dataclass(frozen=True)
class Fix:
    """A suggested fix: a sentence for people, named parameters for tools (e.g. `verify`),
    and, where shapelint can make the change itself, the edits that ``--fix`` applies.

    ``applicability`` is ``safe`` (keeps what the script means) or ``unsafe`` (changes
    which data is used or what the model returns; applied only with --unsafe-fixes)."""

    description: str
    params: tuple[tuple[str, Any], ...] = ()
    edits: tuple[Edit, ...] = ()
    applicability: Applicability | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"description": self.description}
        for key, value in self.params:
            out[key] = list(value) if isinstance(value, tuple) else value
        if self.edits:
            out["applicability"] = self.applicability
            out["edits"] = [edit.to_dict() for edit in self.edits]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fix:
        params = tuple(
            (key, tuple(value) if isinstance(value, list) else value)
            for key, value in data.items()
            if key not in _FIX_KEYS
        )
        edits = tuple(Edit.from_dict(e) for e in data.get("edits", ()))
        return cls(data["description"], params, edits, data.get("applicability"))


@dataclass(frozen=True)
class Finding:
    path: str
    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None
    # Where each number in the message came from, e.g. ("samples", "1735 = ...").
    provenance: tuple[tuple[str, str], ...] = ()
    # In a notebook: the cell (1-based, every cell counted); lines are within that cell.
    cell: int | None = None
    # The numbers the finding was judged on, by name (``samples``, ``batch_size``, ...).
    numbers: tuple[tuple[str, Number], ...] = ()

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @property
    def autofix(self) -> Applicability | None:
        """``safe`` or ``unsafe`` when ``--fix`` can make this finding's fix, else None."""
        if self.fix is None or not self.fix.edits:
            return None
        return self.fix.applicability

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        """By path, cell, line, column and code; two findings of one rule at one place
        (the training and the validation part of one fit) by message, so that the order
        never depends on hashing."""
        return (
            self.path,
            self.cell or 0,
            self.span.line,
            self.span.column,
            self.code,
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix.to_dict() if self.fix else None,
            "provenance": dict(self.provenance),
            "numbers": {k: list(v) if isinstance(v, tuple) else v for k, v in self.numbers},
        }
        if self.cell is not None:
            out["cell"] = self.cell
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        fix = data.get("fix")
        return cls(
            path=data["path"],
            span=Span(data["line"], data["column"], data["end_line"], data["end_column"]),
            code=data["code"],
            name=data["name"],
            severity=data["severity"],
            message=data["message"],
            fix=Fix.from_dict(fix) if fix else None,
            provenance=tuple(data.get("provenance", {}).items()),
            cell=data.get("cell"),
            numbers=tuple(
                (k, tuple(v) if isinstance(v, list) else v)
                for k, v in data.get("numbers", {}).items()
            ),
        )


@dataclass(frozen=True)
class FileError:
    """A file that could not be checked (unreadable, undecodable, or an internal error)."""

    path: str
    message: str


@dataclass
class Report:
    """Everything a check of several paths produced."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files_checked: int = 0
    # The text of each file that has findings, for reporters that show source lines;
    # for a notebook, the text of each cell by number.
    sources: dict[str, str] = field(default_factory=dict)
    cell_sources: dict[str, dict[int, str]] = field(default_factory=dict)
    # Files whose findings came from the cache.
    files_cached: int = 0
