"""The one place where source positions become 1-based spans.

libcst reports 1-based lines and 0-based columns (``CodeRange``); so does a
``ParserSyntaxError``. Everything shapelint shows or writes uses 1-based
columns. Positions are computed lazily: only a file that has a finding pays
for libcst's PositionProvider, and it pays once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from shapelint.findings import Span

if TYPE_CHECKING:
    import libcst as cst


def span_from_libcst(start_line: int, start_col0: int, end_line: int, end_col0: int) -> Span:
    """Convert libcst's (1-based line, 0-based column, exclusive end) into a Span."""
    return Span(start_line, start_col0 + 1, end_line, end_col0 + 1)


class PositionIndex:
    """Resolves libcst nodes to spans, computing whole-module positions at most once."""

    def __init__(self, module: cst.Module, label: Callable[[int], str] | None = None) -> None:
        self._module = module
        self._positions: Any = None
        # How messages name a line; notebooks name the cell too.
        self.label: Callable[[int], str] = label or (lambda line: f"line {line}")

    def span(self, node: cst.CSTNode) -> Span:
        if self._positions is None:
            import libcst as cst
            from libcst.metadata import PositionProvider

            wrapper = cst.MetadataWrapper(self._module, unsafe_skip_copy=True)
            self._positions = wrapper.resolve(PositionProvider)
        code_range = self._positions[node]
        return span_from_libcst(
            code_range.start.line,
            code_range.start.column,
            code_range.end.line,
            code_range.end.column,
        )
