"""Small syntactic scans over a block, used before a loop body or a function is walked.

They walk the dataclass fields of libcst nodes directly: libcst's visitor machinery
rebuilds every node it passes and costs several times more.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import libcst as cst

# libcst's node classes are ABCs, whose isinstance checks are slow; these scans run on
# every loop and function, so they compare exact classes instead.
_JUMPS = frozenset({cst.Break, cst.Continue, cst.Return, cst.Raise})
_SKIPPED = frozenset({cst.Lambda, cst.CompFor})
_TARGETED = frozenset({cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr})


@cache
def _is_node(cls: type) -> bool:
    return issubclass(cls, cst.CSTNode)


# Fields that hold only whitespace, comments and punctuation: no name, call, statement or
# any other node a scan looks for is ever below them, so ``children`` leaves them out.
_TRIVIA = frozenset(
    {
        "asynchronous",
        "colon",
        "comma",
        "comment",
        "dot",
        "empty_lines",
        "equal",
        "first_colon",
        "first_line",
        "footer",
        "header",
        "last_line",
        "lbrace",
        "lbracket",
        "leading_lines",
        "leading_whitespace",
        "lines_after_decorators",
        "lpar",
        "newline",
        "operator",
        "posonly_ind",
        "rbrace",
        "rbracket",
        "relative",
        "rpar",
        "second_colon",
        "semicolon",
        "separator",
        "trailing_comma",
        "trailing_whitespace",
    }
)


@cache
def _child_fields(cls: type) -> tuple[str, ...]:
    return tuple(
        name
        for name in getattr(cls, "__dataclass_fields__", {})
        if name not in _TRIVIA and not name.startswith("whitespace")
    )


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node's children in field order, less whitespace and punctuation (``_TRIVIA``).
    It reads the dataclass fields; libcst's own ``children`` runs a visitor per node."""
    for name in _child_fields(node.__class__):
        value = getattr(node, name)
        kind = value.__class__
        if kind is tuple or kind is list:
            for item in value:
                if _is_node(item.__class__):
                    yield item
        elif _is_node(kind):
            yield value


def _targets(node: cst.CSTNode, out: set[str]) -> None:
    if isinstance(node, cst.Name):
        out.add(node.value)
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            _targets(element.value, out)
    elif isinstance(node, cst.StarredElement):
        _targets(node.value, out)


def scan_block(node: cst.CSTNode) -> tuple[set[str], bool]:
    """Names a block may assign, and whether it may leave early (break/continue/return/raise)."""
    assigned: set[str] = set()
    jumps = False
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.__class__
        if kind in _JUMPS:
            jumps = True
        elif kind is cst.AssignTarget:
            _targets(current.target, assigned)  # type: ignore[attr-defined]
        elif kind in _TARGETED:
            _targets(current.target, assigned)  # type: ignore[attr-defined]
        elif kind is cst.AsName:
            _targets(current.name, assigned)  # type: ignore[attr-defined]
        elif kind is cst.ImportAlias and current.asname is None:  # type: ignore[attr-defined]
            name: cst.BaseExpression = current.name  # type: ignore[attr-defined]
            while isinstance(name, cst.Attribute):
                name = name.value
            _targets(name, assigned)
        elif kind is cst.FunctionDef or kind is cst.ClassDef:
            assigned.add(current.name.value)  # type: ignore[attr-defined]
            continue
        elif kind in _SKIPPED:
            continue
        stack.extend(children(current))
    return assigned, jumps


def is_generator(fn: cst.FunctionDef) -> bool:
    stack: list[cst.CSTNode] = [fn.body]
    while stack:
        current = stack.pop()
        kind = current.__class__
        if kind is cst.Yield:
            return True
        if kind is cst.FunctionDef or kind is cst.Lambda or kind is cst.ClassDef:
            continue
        stack.extend(children(current))
    return False


def global_names(module: cst.Module) -> set[str]:
    """Names some function rebinds with ``global``/``nonlocal``: their value is never known."""
    names: set[str] = set()
    stack: list[cst.CSTNode] = [module]
    while stack:
        current = stack.pop()
        if current.__class__ is cst.Global or current.__class__ is cst.Nonlocal:
            names.update(item.name.value for item in current.names)
        stack.extend(children(current))
    return names
