"""The one place where source positions become 1-based spans.

libcst reports 1-based lines and 0-based columns (``CodeRange``); so does a
``ParserSyntaxError``. Everything shapelint shows or writes uses 1-based
columns. Positions are computed lazily: only a file that has a finding (or a fix)
pays for them, and it pays once.

libcst's own PositionProvider builds a ``CodeRange`` of two ``CodePosition`` objects
per node, splits every token with a regular expression and runs through the metadata
machinery: about eight times the cost of generating the code. ``_OffsetState`` runs the
same code generation but records only two text offsets per node; the few spans that are
asked for become lines and columns by bisecting the line starts. The rules for which
node owns which text are libcst's own (``before_codegen``, ``after_codegen`` and
``record_syntactic_position`` with its start and end nodes), so the spans are the same
as PositionProvider's; tests/test_positions.py checks that on every node of the
fixtures and of the real corpus.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from shapelint.findings import Span

if TYPE_CHECKING:
    import libcst as cst

# The line breaks libcst counts (its position provider's NEWLINE_RE).
_NEWLINE = re.compile(r"\r\n?|\n")


def span_from_libcst(start_line: int, start_col0: int, end_line: int, end_col0: int) -> Span:
    """Convert libcst's (1-based line, 0-based column, exclusive end) into a Span."""
    return Span(start_line, start_col0 + 1, end_line, end_col0 + 1)


def _offset_state(module: cst.Module) -> tuple[dict[int, tuple[int, int]], str]:
    """Each node's [start, end) text offsets (by id), and the text they count: the
    generated code, with the trailing newline libcst pops at the end put back."""
    from libcst._nodes.internal import CodegenState

    ranges: dict[int, tuple[int, int]] = {}
    tokens: list[str] = []
    stack: list[int] = []
    popped: list[str] = []
    # The running length of the text generated so far, in a one-item list for speed.
    at = [0]

    class _Syntactic:
        __slots__ = ("end_node", "node", "start", "start_node")

        def __init__(
            self, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None
        ) -> None:
            self.node, self.start_node, self.end_node = node, start_node, end_node
            self.start = 0

        def __enter__(self) -> None:
            self.start = at[0]

        def __exit__(
            self,
            kind: type[BaseException] | None,
            error: BaseException | None,
            trace: TracebackType | None,
        ) -> None:
            start = ranges[id(self.start_node)][0] if self.start_node is not None else self.start
            end = ranges[id(self.end_node)][1] if self.end_node is not None else at[0]
            ranges[id(self.node)] = (start, end)

    class _OffsetState(CodegenState):
        def add_indent_tokens(self) -> None:
            for token in self.indent_tokens:
                tokens.append(token)
                at[0] += len(token)

        def add_token(self, value: str) -> None:
            tokens.append(value)
            at[0] += len(value)

        def pop_trailing_newline(self) -> None:
            # Positions are taken before this pop, as in libcst's provider.
            if tokens:
                popped.append(tokens.pop())

        def before_codegen(self, node: cst.CSTNode) -> None:
            stack.append(at[0])

        def after_codegen(self, node: cst.CSTNode) -> None:
            start = stack.pop()
            if id(node) not in ranges:
                ranges[id(node)] = (start, at[0])

        def record_syntactic_position(  # type: ignore[override]
            self,
            node: cst.CSTNode,
            *,
            start_node: cst.CSTNode | None = None,
            end_node: cst.CSTNode | None = None,
        ) -> _Syntactic:
            return _Syntactic(node, start_node, end_node)

    # The state's own token list is ours: Module._codegen_impl looks at it.
    state = _OffsetState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        tokens=tokens,
    )
    module._codegen(state)
    return ranges, "".join(tokens) + "".join(popped)


class PositionIndex:
    """Resolves libcst nodes to spans, computing the offsets of all nodes at most once."""

    def __init__(self, module: cst.Module, label: Callable[[int], str] | None = None) -> None:
        self._module = module
        self._ranges: dict[int, tuple[int, int]] | None = None
        self._starts: list[int] = []
        # How messages name a line; notebooks name the cell too.
        self.label: Callable[[int], str] = label or (lambda line: f"line {line}")

    def _point(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1]

    def span(self, node: cst.CSTNode) -> Span:
        if self._ranges is None:
            self._ranges, text = _offset_state(self._module)
            self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        start, end = self._ranges[id(node)]
        line, column = self._point(start)
        end_line, end_column = self._point(end)
        return Span(line, column + 1, end_line, end_column + 1)
