"""What each method of a class may do to the attributes of ``self``: a syntactic scan.

The walker analyses ``__init__`` first (with the methods it calls), then every other
method from the state ``__init__`` leaves. Other methods may run in any order, so before
it lets one method see an attribute as ``__init__`` left it, the walker asks these
summaries whether some other method could rebind that attribute or change the object it
holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from shapelint.extract.scan import children

# Model methods that change what shapelint knows of a model: its layers or its loss.
MUTATING = frozenset({"add", "pop", "compile", "build"})


@dataclass
class Summary:
    """What one method does to ``self``, directly (``calls`` lists the methods it calls)."""

    # Attributes it rebinds: ``self.x = ...``, ``self.x += ...``, ``del self.x``.
    rebinds: set[str] = field(default_factory=set)
    # Attributes whose object it may change: ``self.x.add(...)``, ``self.x.y = ...``,
    # ``f(self.x)``, ``return self.x``, or the same through a local alias
    # (``m = self.x; m.add(...)``).
    changes: set[str] = field(default_factory=set)
    # Methods it calls on self: ``self.m(...)``.
    calls: set[str] = field(default_factory=set)
    # It hands self itself to other code (``f(self)``, ``setattr(self, ...)``), or calls a
    # method of a base class through ``super()``.
    escapes: bool = False
    uses_super: bool = False


def self_name(fn: cst.FunctionDef) -> str | None:
    """The name of a method's first parameter (``self``), if it has one."""
    params = [*fn.params.posonly_params, *fn.params.params]
    return params[0].name.value if params else None


def _self_attr(node: cst.BaseExpression, name: str | tuple[str, ...]) -> str | None:
    """``x`` for ``self.x`` (``self`` being ``name``, or one of the names)."""
    names = (name,) if isinstance(name, str) else name
    if (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value in names
    ):
        return node.attr.value
    return None


def _root_attr(node: cst.BaseExpression, name: str | tuple[str, ...]) -> str | None:
    """``x`` for ``self.x``, ``self.x.y``, ``self.x[0]``: the attribute of self underneath."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        found = _self_attr(node, name)
        if found is not None:
            return found
        node = node.value
    return None


def _target_attrs(target: cst.BaseExpression, name: str | tuple[str, ...], out: Summary) -> None:
    direct = _self_attr(target, name)
    if direct is not None:
        out.rebinds.add(direct)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            _target_attrs(element.value, name, out)
    elif isinstance(target, cst.StarredElement):
        _target_attrs(target.value, name, out)
    elif isinstance(target, (cst.Attribute, cst.Subscript)):
        root = _root_attr(target, name)
        if root is not None:
            out.changes.add(root)


def summarize(fn: cst.FunctionDef, class_name: str, *, static: bool = False) -> Summary:
    """What ``fn`` (a method) does to ``self``, read from its text, nested code included.

    Class attributes written through the class (``Forecaster.model = ...``) count as
    attributes of self: methods see them through self too. A static method has no self;
    it can still change the class's attributes.
    """
    out = Summary()
    first = class_name if static else self_name(fn)
    if first is None:
        return out
    name = (first, class_name)
    aliases: dict[str, str] = {}
    used: list[tuple[str, str]] = []  # (local name, how: "call" or "arg")
    stack: list[cst.CSTNode] = [fn.body]
    while stack:
        node = stack.pop()
        kind = node.__class__
        if kind is cst.AssignTarget:
            target = node.target  # type: ignore[attr-defined]
            _target_attrs(target, name, out)
        elif kind is cst.Assign:
            value = node.value  # type: ignore[attr-defined]
            attr = _self_attr(value, name)
            if attr is not None:
                for target in node.targets:  # type: ignore[attr-defined]
                    if isinstance(target.target, cst.Name):
                        aliases[target.target.value] = attr
        elif kind in (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor):
            _target_attrs(node.target, name, out)  # type: ignore[attr-defined]
        elif kind is cst.Del:
            _target_attrs(node.target, name, out)  # type: ignore[attr-defined]
        elif kind is cst.AsName:
            target = node.name  # type: ignore[attr-defined]
            if isinstance(target, cst.BaseExpression):
                _target_attrs(target, name, out)
        elif kind is cst.Call:
            _call(node, name, out, used)  # type: ignore[arg-type]
        elif kind is cst.Return and node.value is not None:  # type: ignore[attr-defined]
            # A getter hands the object out: whoever called it may change it.
            root = _root_attr(node.value, name)  # type: ignore[attr-defined]
            if root is not None:
                out.changes.add(root)
        elif kind is cst.Name and node.value == "super":  # type: ignore[attr-defined]
            out.uses_super = True
        stack.extend(children(node))
    for local, _ in used:
        if local in aliases:
            out.changes.add(aliases[local])
    return out


def _call(node: cst.Call, name: tuple[str, ...], out: Summary, used: list[tuple[str, str]]) -> None:
    func = node.func
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        receiver = func.value
        if isinstance(receiver, cst.Name) and receiver.value == name[0]:
            out.calls.add(method)
        elif method in MUTATING:
            root = _root_attr(receiver, name)
            if root is not None:
                out.changes.add(root)
            elif isinstance(receiver, cst.Name):
                used.append((receiver.value, "call"))
    elif isinstance(func, cst.Name) and func.value in ("setattr", "delattr", "vars"):
        if any(isinstance(a.value, cst.Name) and a.value.value == name[0] for a in node.args):
            out.escapes = True
            return
    for arg in node.args:
        value = arg.value
        if isinstance(value, cst.Name):
            if value.value == name[0]:
                out.escapes = True
            else:
                used.append((value.value, "arg"))
            continue
        root = _root_attr(value, name)
        if root is not None and isinstance(value, (cst.Attribute, cst.Subscript)):
            # ``f(self.model)`` may change the model; ``f(self.x.shape)`` reads it, but
            # telling the two apart is a guess, so both count.
            out.changes.add(root)


def closure(summaries: dict[str, Summary], start: str) -> Summary:
    """What ``start`` does to self with the methods it calls, transitively."""
    total = Summary()
    seen: set[str] = set()
    todo = [start]
    while todo:
        current = todo.pop()
        if current in seen or current not in summaries:
            continue
        seen.add(current)
        part = summaries[current]
        total.rebinds |= part.rebinds
        total.changes |= part.changes
        total.escapes |= part.escapes
        total.uses_super |= part.uses_super
        todo.extend(part.calls)
    total.calls = seen - {start}
    return total


def assigned_in(node: cst.CSTNode, name: str) -> tuple[set[str], set[str]]:
    """Attributes of ``name`` (an instance) that a block may rebind directly, and the
    methods it calls on it."""
    out = Summary()
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        kind = current.__class__
        if kind is cst.AssignTarget:
            _target_attrs(current.target, name, out)  # type: ignore[attr-defined]
        elif kind in (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.Del):
            _target_attrs(current.target, name, out)  # type: ignore[attr-defined]
        elif kind is cst.AsName:
            target = current.name  # type: ignore[attr-defined]
            if isinstance(target, cst.BaseExpression):
                _target_attrs(target, name, out)
        elif kind is cst.Call:
            func = current.func  # type: ignore[attr-defined]
            if (
                isinstance(func, cst.Attribute)
                and isinstance(func.value, cst.Name)
                and func.value.value == name
            ):
                out.calls.add(func.attr.value)
        stack.extend(children(current))
    return out.rebinds, out.calls
