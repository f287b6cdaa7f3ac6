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
as PositionProvider's; tests/test_speed.py checks that on every node of the
fixtures and of the real corpus.

Most spans are asked for with a hint: the top-level statement that holds the node
(extraction knows which statement it is walking). Then only that statement's code is
generated. The module's text is its statements' texts one after another, so where the
statement's text occurs exactly once in the source, that is where it is; where it
occurs twice (two identical statements), or for a node outside its hint, the whole
module is generated after all.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from shapelint.findings import Span

if TYPE_CHECKING:
    import libcst as cst

# The line breaks libcst counts (its position provider's NEWLINE_RE).
_NEWLINE = re.compile(r"\r\n?|\n")


def span_from_libcst(start_line: int, start_col0: int, end_line: int, end_col0: int) -> Span:
    """Convert libcst's (1-based line, 0-based column, exclusive end) into a Span."""
    return Span(start_line, start_col0 + 1, end_line, end_col0 + 1)


class _Syntactic:
    """libcst's ``record_syntactic_position``: a node's span without its leading lines,
    or from ``start_node`` to ``end_node``."""

    __slots__ = ("end_node", "node", "ranges", "start", "start_node", "state")

    def __init__(
        self,
        state: Any,
        node: cst.CSTNode,
        start_node: cst.CSTNode | None,
        end_node: cst.CSTNode | None,
    ) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node
        self.ranges: dict[int, tuple[int, int]] = state.ranges
        self.start = 0

    def __enter__(self) -> None:
        self.start = self.state.at

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        ranges = self.ranges
        start = ranges[id(self.start_node)][0] if self.start_node is not None else self.start
        end = ranges[id(self.end_node)][1] if self.end_node is not None else self.state.at
        ranges[id(self.node)] = (start, end)


@functools.cache
def _state_class() -> type:
    """A libcst code generation state that records two text offsets per node (built on
    first use: libcst is imported only by files that are parsed)."""
    from libcst._nodes.internal import CodegenState

    class OffsetState(CodegenState):
        def __init__(self, default_indent: str, default_newline: str) -> None:
            # The token list is the state's own: Module._codegen_impl looks at it.
            super().__init__(default_indent=default_indent, default_newline=default_newline)
            self.ranges: dict[int, tuple[int, int]] = {}
            self.stack: list[int] = []
            self.popped: list[str] = []
            # The offset of the text generated so far.
            self.at = 0

        def add_indent_tokens(self) -> None:
            for token in self.indent_tokens:
                self.tokens.append(token)
                self.at += len(token)

        def add_token(self, value: str) -> None:
            self.tokens.append(value)
            self.at += len(value)

        def pop_trailing_newline(self) -> None:
            # Positions are taken before this pop, as in libcst's provider.
            if self.tokens:
                self.popped.append(self.tokens.pop())

        def before_codegen(self, node: cst.CSTNode) -> None:
            self.stack.append(self.at)

        def after_codegen(self, node: cst.CSTNode) -> None:
            start = self.stack.pop()
            if id(node) not in self.ranges:
                self.ranges[id(node)] = (start, self.at)

        def record_syntactic_position(  # type: ignore[override]
            self,
            node: cst.CSTNode,
            *,
            start_node: cst.CSTNode | None = None,
            end_node: cst.CSTNode | None = None,
        ) -> _Syntactic:
            return _Syntactic(self, node, start_node, end_node)

    return OffsetState


def _offset_state(
    node: cst.Module | cst.BaseStatement, default_indent: str, default_newline: str
) -> tuple[dict[int, tuple[int, int]], str]:
    """Each node's [start, end) text offsets (by id) and the text generated for ``node``;
    for a module, with the trailing newline libcst pops at the end put back."""
    state = _state_class()(default_indent, default_newline)
    if type(node).__name__ != "Module" and _fast():
        from shapelint.offsets import generate

        generate(node, state)
    else:
        node._codegen(state)
    return state.ranges, "".join(state.tokens) + "".join(state.popped)


@functools.cache
def _fast() -> bool:
    """Whether statements are generated by ``shapelint.offsets`` (see there)."""
    try:
        from shapelint.offsets import trusted
    except ImportError:  # a libcst without the private classes offsets.py mirrors
        return False
    return trusted(_state_class())


class PositionIndex:
    """Resolves libcst nodes to spans.

    A span asked for with the top-level statement that holds the node (``top``) costs the
    code generation of that statement alone, placed where its text occurs in the source,
    if it occurs there once. Anything else (no ``top``, a node outside it, a statement
    whose text occurs twice) costs one code generation of the whole module, once."""

    def __init__(
        self,
        module: cst.Module,
        label: Callable[[int], str] | None = None,
        text: str | None = None,
    ) -> None:
        self._module = module
        self._text = text
        self._ranges: dict[int, tuple[int, int]] = {}
        self._starts: list[int] | None = None
        # The top-level statements generated so far: their [start, end) and themselves.
        self._placed: dict[int, tuple[int, int, cst.CSTNode]] = {}
        self._tried: set[int] = set()
        # Whether the whole module's code was generated (then every node has offsets).
        self.whole = False
        # How messages name a line; notebooks name the cell too.
        self.label: Callable[[int], str] = label or (lambda line: f"line {line}")

    def _point(self, offset: int) -> tuple[int, int]:
        starts = self._line_starts()
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1]

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            text = self._text if self._text is not None else self._module.code
            self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        return self._starts

    def _whole_module(self) -> None:
        module = self._module
        self._ranges, text = _offset_state(module, module.default_indent, module.default_newline)
        if text != self._text:
            self._text, self._starts = text, None
        self.whole = True

    def _statement(self, top: cst.CSTNode) -> None:
        """Generate the code of one top-level statement and place it where its text
        occurs in the source, if it occurs exactly once."""
        import libcst as cst

        self._tried.add(id(top))
        text = self._text
        if text is None or not isinstance(top, cst.BaseStatement):
            return
        module = self._module
        ranges, code = _offset_state(top, module.default_indent, module.default_newline)
        origin = text.find(code)
        if origin < 0 or text.find(code, origin + 1) >= 0:
            return
        self._placed[id(top)] = (origin, origin + len(code), top)
        if origin:
            ranges = {key: (start + origin, end + origin) for key, (start, end) in ranges.items()}
        self._ranges.update(ranges)

    def span(self, node: cst.CSTNode, top: cst.CSTNode | None = None) -> Span:
        found = self._ranges.get(id(node))
        if found is None and not self.whole:
            if top is not None and id(top) not in self._tried:
                self._statement(top)
                found = self._ranges.get(id(node))
            if found is None:
                self._whole_module()
                found = self._ranges[id(node)]
        elif found is None:
            raise KeyError(node)
        start, end = found
        line, column = self._point(start)
        end_line, end_column = self._point(end)
        return Span(line, column + 1, end_line, end_column + 1)

    def top_at(self, span: Span) -> cst.CSTNode | None:
        """The top-level statement already generated whose text holds ``span``; None
        when there is none (or the whole module was generated)."""
        if self.whole or not self._placed:
            return None
        starts = self._line_starts()
        if span.line > len(starts):
            return None
        offset = starts[span.line - 1] + span.column - 1
        for start, end, statement in self._placed.values():
            if start <= offset < end:
                return statement
        return None
