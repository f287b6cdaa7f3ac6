"""Turn fix plans into text edits, using the file's libcst tree.

Edits are small and local: a keyword removed, a value replaced, a statement
inserted. Everything outside them, comments and formatting included, is left
as it was. Where the code does not have the shape a plan expects (the array is
not a plain name, the constant is not a literal, the call is spread over a
construct we do not model), the editor declines and the finding keeps its
advice without an automatic fix.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import libcst as cst

from shapelint.extract.scan import children
from shapelint.facts import Anchor
from shapelint.findings import Edit, Span
from shapelint.fixes.plans import (
    FixPlan,
    LegacyRecurrentArgs,
    MoveToInput,
    RemoveKeywords,
    RenameCallee,
    RenameKeyword,
    ResetEachLayer,
    RewriteImport,
    SetConstant,
    SetKeyword,
    TrimArrays,
)
from shapelint.positions import PositionIndex


def line_starts(text: str) -> list[int]:
    """The offset at which each line of ``text`` starts."""
    return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


class _Decline(Exception):
    """The code does not have the shape the plan expects; no edit is offered."""


class Editor:
    def __init__(self, module: cst.Module, positions: PositionIndex, text: str) -> None:
        self.module = module
        self.positions = positions
        self.text = text
        self._starts: list[int] | None = None
        # Parents of the nodes located so far (by id): the tree has no parent links.
        self._parents: dict[int, cst.CSTNode] = {}
        self._names: set[str] | None = None

    def names(self) -> set[str]:
        """Every name the script uses: one walk over the tree, shared by all its fixes.

        It reads the nodes' fields directly (``scan.children``); libcst's ``children``
        property runs a visitor per node and costs many times more."""
        if self._names is None:
            used: set[str] = set()
            stack: list[cst.CSTNode] = [self.module]
            while stack:
                node = stack.pop()
                if node.__class__ is cst.Name:
                    used.add(node.value)
                stack.extend(children(node))
            self._names = used
        return self._names

    # -- positions ---------------------------------------------------------------------

    @property
    def starts(self) -> list[int]:
        """Where each line starts; computed on first use (most files never need it)."""
        if self._starts is None:
            self._starts = line_starts(self.text)
        return self._starts

    def offset(self, line: int, column: int) -> int:
        """The text offset of a 1-based line and column."""
        return self.starts[line - 1] + column - 1

    def span(self, start: int, end: int) -> Span:
        """The Span of text offsets [start, end)."""
        line = bisect_right(self.starts, start)
        end_line = bisect_right(self.starts, end)
        return Span(
            line, start - self.starts[line - 1] + 1, end_line, end - self.starts[end_line - 1] + 1
        )

    def bounds(self, node: cst.CSTNode) -> tuple[int, int]:
        s = self.positions.span(node)
        return self.offset(s.line, s.column), self.offset(s.end_line, s.end_column)

    def node(self, anchor: Anchor, kind: type[cst.CSTNode]) -> Any:
        return self.locate(anchor.span, kind)

    def locate(self, span: Span, kind: Any) -> Any:
        """The outermost node of ``kind`` whose region is exactly ``span``.

        It walks down from the module through the nodes whose regions contain ``span``,
        so it touches one path of the tree, and it remembers each node's parent on it."""
        node: cst.CSTNode = self.module
        top = self.positions.top_at(span)
        if top is not None:
            # Start at the statement that holds the span: only its code is generated.
            self._parents[id(top)] = node
            node = top
            self.positions.span(top, top)
        while True:
            if node is not self.module and isinstance(node, kind):
                if self.positions.span(node) == span:
                    return node
            below = None
            for child in _children(node):
                if type(child) is cst.SimpleWhitespace:
                    # Holds no node, and its offsets are not kept (shapelint.offsets).
                    continue
                try:
                    region = self.positions.span(child)
                except KeyError:
                    continue
                if _contains(region, span):
                    below = child
                    break
            if below is None:
                raise _Decline(f"no {getattr(kind, '__name__', kind)} at {span}")
            self._parents[id(below)] = node
            node = below

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        if node is self.module:
            return None
        if id(node) not in self._parents:
            self.locate(self.positions.span(node), type(node))
        return self._parents.get(id(node))

    def statement_line(self, node: cst.CSTNode) -> cst.SimpleStatementLine:
        current: cst.CSTNode | None = node
        while current is not None and not isinstance(current, cst.SimpleStatementLine):
            current = self.parent(current)
        if current is None:
            raise _Decline("not inside a simple statement")
        return current

    def indent_of(self, line: int) -> str:
        start = self.starts[line - 1]
        match = re.match(r"[ \t]*", self.text[start:])
        return match.group(0) if match else ""

    def line_end(self, line: int) -> int:
        """The offset just before the line break that ends ``line``."""
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        while end > self.starts[line - 1] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def newline(self) -> str:
        match = re.search(r"\r\n|\r|\n", self.text)
        return match.group(0) if match else "\n"

    def insert(self, offset: int, content: str) -> Edit:
        return Edit(self.span(offset, offset), content)

    def replace(self, start: int, end: int, content: str) -> Edit:
        return Edit(self.span(start, end), content)

    # -- entry -------------------------------------------------------------------------

    def edits(self, plan: FixPlan) -> tuple[Edit, ...]:
        """The edits that carry out ``plan``; empty when it cannot be done safely here."""
        handler = _HANDLERS.get(type(plan))
        if handler is None:
            return ()
        try:
            return tuple(handler(self, plan))
        except (_Decline, KeyError, IndexError, ValueError):
            return ()


# -- helpers -----------------------------------------------------------------------------


def _children(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    if isinstance(node, (cst.Module, cst.IndentedBlock)):
        return node.body
    return node.children


def _contains(outer: Span, inner: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (
        inner.end_line,
        inner.end_column,
    ) <= (outer.end_line, outer.end_column)


def callee_name(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def _layer_call(ed: Editor, anchor: Anchor, layer: str | None) -> cst.Call:
    """The call at ``anchor``, or the call of class ``layer`` inside it (a wrapper's layer)."""
    call: cst.Call = ed.node(anchor, cst.Call)
    if layer is None or callee_name(call) == layer:
        return call
    for arg in call.args:
        if isinstance(arg.value, cst.Call) and callee_name(arg.value) == layer:
            return arg.value
    raise _Decline(f"no {layer} call")


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def _remove_args(ed: Editor, call: cst.Call, doomed: list[cst.Arg]) -> Iterator[Edit]:
    args = list(call.args)
    gone = [any(arg is d for d in doomed) for arg in args]
    if not any(gone):
        return
    if all(gone):
        start, _ = ed.bounds(args[0])
        _, end = ed.bounds(args[-1])
        match = re.match(r"\s*,", ed.text[end:])
        yield ed.replace(start, end + (match.end() if match else 0), "")
        return
    tail = len(args)
    while gone[tail - 1]:
        tail -= 1
    for i in range(tail):
        if gone[i]:
            start, _ = ed.bounds(args[i])
            next_start, _ = ed.bounds(args[i + 1])
            yield ed.replace(start, next_start, "")
    if tail < len(args):
        _, start = ed.bounds(args[tail - 1])
        _, end = ed.bounds(args[-1])
        yield ed.replace(start, end, "")


def _add_keyword(ed: Editor, call: cst.Call, name: str, value: str) -> Edit:
    if call.args:
        _, end = ed.bounds(call.args[-1])
        return ed.insert(end, f", {name}={value}")
    start, end = ed.bounds(call)
    close = ed.text.rindex(")", start, end)
    return ed.insert(close, f"{name}={value}")


def _plain(expression: cst.BaseExpression) -> str:
    return cst.Module(body=[]).code_for_node(expression)


# -- one handler per plan ----------------------------------------------------------------


def _remove_keywords(ed: Editor, plan: RemoveKeywords) -> Iterator[Edit]:
    outer: cst.Call = ed.node(plan.call, cst.Call)
    calls = [outer] + [a.value for a in outer.args if isinstance(a.value, cst.Call)]
    found = False
    for call in calls:
        doomed = [a for a in call.args if a.keyword is not None and a.keyword.value in plan.names]
        if doomed:
            found = True
            yield from _remove_args(ed, call, doomed)
    if not found:
        raise _Decline("keywords not found")


def _set_keyword(ed: Editor, plan: SetKeyword) -> Iterator[Edit]:
    call = _layer_call(ed, plan.call, plan.layer)
    existing = _keyword(call, plan.name)
    if any(a.star for a in call.args):
        raise _Decline("*args or **kwargs: the argument may be among them")
    positional = [a for a in call.args if a.keyword is None]
    if existing is None and plan.position is not None and len(positional) > plan.position:
        existing = positional[plan.position]
    if existing is None:
        yield _add_keyword(ed, call, plan.name, plan.value)
        return
    start, end = ed.bounds(existing.value)
    yield ed.replace(start, end, plan.value)


def _passed_names(call: cst.Call) -> set[str]:
    """The plain names a fit/evaluate/predict call passes, tuples of validation data included."""
    names: set[str] = set()
    for arg in call.args:
        value = arg.value
        if isinstance(value, cst.Name):
            names.add(value.value)
        elif isinstance(value, (cst.Tuple, cst.List)):
            names.update(e.value.value for e in value.elements if isinstance(e.value, cst.Name))
    return names


def _binds(statement: cst.SimpleStatementLine, name: str) -> bool:
    for small in statement.body:
        if not isinstance(small, cst.Assign):
            continue
        for target in small.targets:
            node = target.target
            if isinstance(node, cst.Name) and node.value == name:
                return True
            if isinstance(node, (cst.Tuple, cst.List)):
                if any(
                    isinstance(e.value, cst.Name) and e.value.value == name for e in node.elements
                ):
                    return True
    return False


def _encloses(ed: Editor, block: cst.CSTNode, node: cst.CSTNode) -> bool:
    """Whether ``node`` lies inside ``block`` (so a statement of the block runs before it)."""
    current: cst.CSTNode | None = node
    while current is not None:
        if current is block:
            return True
        current = ed.parent(current)
    return False


def _trim_arrays(ed: Editor, plan: TrimArrays) -> Iterator[Edit]:
    call: cst.Call = ed.node(plan.call, cst.Call)
    passed = _passed_names(call)
    after: dict[int, tuple[cst.SimpleStatementLine, list[str]]] = {}
    for name, anchor in plan.arrays:
        if name not in passed:
            raise _Decline(f"{name} is not passed by name")
        statement = ed.statement_line(ed.locate(anchor.span, cst.CSTNode))
        if not _binds(statement, name):
            raise _Decline(f"{name} is not bound by a plain assignment")
        block = ed.parent(statement)
        if not isinstance(block, (cst.Module, cst.IndentedBlock)):
            raise _Decline("the assignment shares a line with a compound statement")
        if not _encloses(ed, block, call):
            raise _Decline(f"{name} is assigned in a branch or body the call is not in")
        _, names = after.setdefault(ed.positions.span(statement).end_line, (statement, []))
        if name not in names:
            names.append(name)
    newline = ed.newline()
    bound_at = _module_binding_line(ed, plan.batch_name, plan.batch_binding)
    for line, (statement, names) in sorted(after.items(), key=lambda item: item[0]):
        b = plan.batch_name if bound_at is not None and bound_at < line else str(plan.batch)
        indent = ed.indent_of(ed.positions.span(statement).line)
        lines = "".join(f"{newline}{indent}{n} = {n}[: len({n}) // {b} * {b}]" for n in names)
        yield ed.insert(ed.line_end(line), lines)


def _module_binding_line(ed: Editor, name: str, binding: Anchor | None) -> int | None:
    """The last line of the module-level statement that binds ``name`` at ``binding``."""
    if not name or binding is None:
        return None
    try:
        statement = ed.statement_line(ed.locate(binding.span, cst.CSTNode))
    except _Decline:
        return None
    if not isinstance(ed.parent(statement), cst.Module) or not _binds(statement, name):
        return None
    return int(ed.positions.span(statement).end_line)


def _set_constant(ed: Editor, plan: SetConstant) -> Iterator[Edit]:
    statement = ed.statement_line(ed.locate(plan.binding.span, cst.CSTNode))
    if len(statement.body) != 1:
        raise _Decline("not a single assignment")
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        raise _Decline("not a single assignment")
    target, value = assign.targets[0].target, assign.value
    if not (isinstance(target, cst.Name) and target.value == plan.name):
        raise _Decline("another name")
    if not isinstance(value, cst.Integer) or value.evaluated_value != plan.old:
        raise _Decline("not the literal expected")
    start, end = ed.bounds(value)
    yield ed.replace(start, end, str(plan.new))


def _batch_shape(call: cst.Call) -> str:
    """``(b, t, f)`` from batch_input_shape=, or from batch_size= with input_shape=."""
    full = _keyword(call, "batch_input_shape")
    if full is not None:
        return _plain(full.value)
    size, shape = _keyword(call, "batch_size"), _keyword(call, "input_shape")
    if size is None or shape is None:
        raise _Decline("no batch shape to move")
    b = _plain(size.value)
    if isinstance(shape.value, cst.Tuple):
        items = [_plain(e.value) for e in shape.value.elements]
        return f"({', '.join([b, *items])})"
    return f"({b}, *{_plain(shape.value)})"


def _input_callee(ed: Editor, call: cst.Call) -> tuple[str, list[Edit]]:
    """How this script spells keras.Input, and an import edit when it needs one."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return f"{_plain(func.value)}.Input", []
    if not isinstance(func, cst.Name):
        raise _Decline("an unusual callee")
    layer_name = func.value
    source: cst.ImportFrom | None = None
    for statement in ed.module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.ImportFrom) or small.module is None:
                continue
            module = _plain(small.module)
            if "keras" not in module or small.relative:
                continue
            if isinstance(small.names, cst.ImportStar):
                return "Input", []
            for alias in small.names:
                bound = alias.evaluated_alias or alias.evaluated_name
                if bound == "Input":
                    return "Input", []
                if bound == layer_name:
                    source = small
    if source is None or isinstance(source.names, cst.ImportStar):
        raise _Decline("cannot tell where the layer was imported from")
    last = source.names[-1]
    _, end = ed.bounds(last)
    return "Input", [ed.insert(end, ", Input")]


def _move_to_input(ed: Editor, plan: MoveToInput) -> Iterator[Edit]:
    outer: cst.Call = ed.node(plan.layer, cst.Call)
    calls = [outer] + [a.value for a in outer.args if isinstance(a.value, cst.Call)]
    holders = [c for c in calls if _keyword(c, "batch_input_shape") or _keyword(c, "batch_size")]
    if len(holders) != 1:
        raise _Decline("no single layer call holds the batch shape")
    call = holders[0]
    shape = _batch_shape(call)
    callee, imports = _input_callee(ed, call)
    doomed = [
        a
        for a in call.args
        if a.keyword is not None and a.keyword.value in ("batch_input_shape", "batch_size")
    ]
    if _keyword(call, "batch_input_shape") is None:
        doomed += [
            a for a in call.args if a.keyword is not None and a.keyword.value == "input_shape"
        ]
    made = f"{callee}(batch_shape={shape})"
    parent = ed.parent(outer)
    grand = ed.parent(parent) if parent is not None else None
    if isinstance(parent, cst.Element) and isinstance(grand, (cst.List, cst.Tuple)):
        start, _ = ed.bounds(parent)
        first_start, _ = ed.bounds(grand.elements[0])
        if grand.elements[0] is not parent:
            raise _Decline("not the first element")
        line_start = ed.starts[ed.positions.span(parent).line - 1]
        if ed.text[line_start:first_start].strip() == "":
            separator = ed.newline() + ed.indent_of(ed.positions.span(parent).line)
        else:
            separator = " "
        yield ed.insert(start, f"{made},{separator}")
    elif isinstance(parent, cst.Arg) and isinstance(grand, cst.Call):
        adder = grand.func
        if not (isinstance(adder, cst.Attribute) and adder.attr.value == "add"):
            raise _Decline("not model.add(...)")
        statement = ed.statement_line(grand)
        if len(statement.body) != 1:
            raise _Decline("a line of several statements")
        span = ed.positions.span(statement)
        indent = ed.indent_of(span.line)
        target = _plain(adder.value)
        line_start = ed.starts[span.line - 1]
        yield ed.insert(line_start, f"{indent}{target}.add({made}){ed.newline()}")
    else:
        raise _Decline("the layer is not in a Sequential list or model.add")
    yield from _remove_args(ed, call, doomed)
    yield from imports


def _free_name(ed: Editor, wanted: str) -> str:
    """``wanted``, or ``wanted_`` and so on when the script already uses that name."""
    used = ed.names()
    name = wanted
    while name in used:
        name += "_"
    return name


def _reset_each_layer(ed: Editor, plan: ResetEachLayer) -> Iterator[Edit]:
    call: cst.Call = ed.node(plan.call, cst.Call)
    model = _plain(call.func.value) if isinstance(call.func, cst.Attribute) else None
    if model is None or call.args:
        raise _Decline("not model.reset_states()")
    layer = _free_name(ed, "layer")
    expression = ed.parent(call)
    statement = ed.parent(expression) if expression is not None else None
    if (
        isinstance(expression, cst.Expr)
        and isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(ed.parent(statement), (cst.Module, cst.IndentedBlock))
    ):
        span = ed.positions.span(statement)
        indent = ed.indent_of(span.line)
        step = "    " if "\t" not in indent else "\t"
        newline = ed.newline()
        loop = (
            f"for {layer} in {model}.layers:{newline}"
            f'{indent}{step}if getattr({layer}, "stateful", False):{newline}'
            f"{indent}{step * 2}{layer}.reset_states()"
        )
        start, end = ed.bounds(call)
        yield ed.replace(start, end, loop)
        return
    start, end = ed.bounds(call)
    condition = f'getattr({layer}, "stateful", False)'
    comprehension = f"[{layer}.reset_states() for {layer} in {model}.layers if {condition}]"
    yield ed.replace(start, end, comprehension)


def _rename_callee(ed: Editor, plan: RenameCallee) -> Iterator[Edit]:
    call: cst.Call = ed.node(plan.call, cst.Call)
    func = call.func
    node: cst.CSTNode
    if isinstance(func, cst.Attribute) and func.attr.value == plan.old:
        node = func.attr
    elif isinstance(func, cst.Name) and func.value == plan.old:
        node = func
    else:
        raise _Decline("another callee")
    start, end = ed.bounds(node)
    yield ed.replace(start, end, plan.new)


def _rename_keyword(ed: Editor, plan: RenameKeyword) -> Iterator[Edit]:
    call = _layer_call(ed, plan.call, plan.layer)
    arg = _keyword(call, plan.old)
    if arg is None or arg.keyword is None or _keyword(call, plan.new) is not None:
        raise _Decline("keyword not there, or its new name already given")
    start, end = ed.bounds(arg.keyword)
    yield ed.replace(start, end, plan.new)


def _rewrite_import(ed: Editor, plan: RewriteImport) -> Iterator[Edit]:
    statement: cst.ImportFrom = ed.node(plan.statement, cst.ImportFrom)
    module = statement.module
    if module is None or statement.relative or _dotted_name(module) != plan.old:
        raise _Decline("another module")
    start, end = ed.bounds(module)
    yield ed.replace(start, end, plan.new)


def _dotted_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted_name(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def _legacy_recurrent_args(ed: Editor, plan: LegacyRecurrentArgs) -> Iterator[Edit]:
    call = _layer_call(ed, plan.call, plan.layer)
    outer: cst.Call = ed.node(plan.call, cst.Call)
    holders = [call, outer] if outer is not call else [call]
    for holder in holders:
        length = _keyword(holder, "input_length")
        dim = _keyword(holder, "input_dim")
        major = _keyword(holder, "time_major")
        doomed = [a for a in (major,) if a is not None]
        if major is not None and not (
            isinstance(major.value, cst.Name) and major.value.value == "False"
        ):
            raise _Decline("time_major is not False")
        if length is not None and dim is not None:
            start, end = ed.bounds(length)
            shape = f"input_shape=({_plain(length.value)}, {_plain(dim.value)})"
            yield ed.replace(start, end, shape)
            doomed.append(dim)
        elif length is not None:
            doomed.append(length)
        yield from _remove_args(ed, holder, doomed)


_HANDLERS: dict[type, Callable[[Editor, Any], Iterator[Edit]]] = {
    LegacyRecurrentArgs: _legacy_recurrent_args,
    RemoveKeywords: _remove_keywords,
    SetKeyword: _set_keyword,
    TrimArrays: _trim_arrays,
    SetConstant: _set_constant,
    MoveToInput: _move_to_input,
    ResetEachLayer: _reset_each_layer,
    RenameCallee: _rename_callee,
    RewriteImport: _rewrite_import,
    RenameKeyword: _rename_keyword,
}
