"""Small syntactic scans over a block, used before a loop body or a function is walked.

They walk the dataclass fields of libcst nodes directly: libcst's visitor machinery
rebuilds every node it passes and costs several times more.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import libcst as cst

_JUMPS = (cst.Break, cst.Continue, cst.Return, cst.Raise)


@cache
def _child_fields(cls: type) -> tuple[str, ...]:
    return tuple(getattr(cls, "__dataclass_fields__", {}))


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


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
        if isinstance(current, _JUMPS):
            jumps = True
        if isinstance(current, cst.AssignTarget):
            _targets(current.target, assigned)
        elif isinstance(current, (cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)):
            _targets(current.target, assigned)
        elif isinstance(current, cst.AsName):
            _targets(current.name, assigned)
        elif isinstance(current, cst.ImportAlias) and current.asname is None:
            name: cst.BaseExpression = current.name
            while isinstance(name, cst.Attribute):
                name = name.value
            _targets(name, assigned)
        elif isinstance(current, (cst.FunctionDef, cst.ClassDef)):
            assigned.add(current.name.value)
            continue
        elif isinstance(current, (cst.Lambda, cst.CompFor)):
            continue
        stack.extend(children(current))
    return assigned, jumps


def is_generator(fn: cst.FunctionDef) -> bool:
    stack: list[cst.CSTNode] = [fn.body]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Yield):
            return True
        if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        stack.extend(children(current))
    return False


def global_names(module: cst.Module) -> set[str]:
    """Names some function rebinds with ``global``/``nonlocal``: their value is never known."""
    names: set[str] = set()
    stack: list[cst.CSTNode] = [module]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Global, cst.Nonlocal)):
            names.update(item.name.value for item in current.names)
        stack.extend(children(current))
    return names
