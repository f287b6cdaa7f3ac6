"""A statement's code and its nodes' text offsets, without libcst's code generation machinery.

libcst generates code by calling each node's ``_codegen`` with a state object, through
context managers for parentheses and syntactic positions: about half the time it takes
to parse the same text. shapelint generates the code of a statement only to learn where
its nodes are (``positions._offset_state``), so it walks the common node types itself:
the same tokens in the same order, and the same rule for which node owns which text
(a node's range runs from its first token to its last; where libcst records a narrower
"syntactic" range, inside an expression's parentheses or a statement's leading lines,
so does this). Every other node type is handed to libcst's own ``_codegen`` with the
same state, so any tree can be walked; only the common types are faster.

This mirrors libcst 1.x's ``_codegen_impl`` methods of the classes in ``handlers()``.
Before its first use in a process, ``trusted()`` generates a sample statement that holds
every one of those types both ways and compares the code and every node's offsets (but
those of the whitespace written here, which gets none: see ``_gen``); if they differ (a
libcst whose code generation changed), libcst's own generation is used.
tests/test_offsets.py compares both on every statement of the fixtures, the real corpus
and the standard library.
"""

from __future__ import annotations

import functools
import inspect
import sys
import threading
from collections.abc import Callable
from typing import Any

import libcst as cst
from libcst._nodes.base import BaseValueToken
from libcst._nodes.op import BaseUnaryOp, _BaseOneTokenOp

Handler = Callable[[Any, Any], None]

_DEFAULT = cst.MaybeSentinel.DEFAULT


def generate(node: cst.CSTNode, state: Any) -> None:
    """Generate ``node``'s code into ``state`` (a ``positions`` OffsetState), recording
    the [start, end) offsets of it and every node below it in ``state.ranges``."""
    _gen(node, state)


def _gen(node: Any, state: Any) -> None:
    handler = _HANDLERS.get(type(node))
    if handler is None:
        node._codegen(state)
        return
    if handler is _whitespace:
        # Written without a range: nothing asks where a stretch of whitespace is, and
        # a span asked for one anyway finds none and falls back to the whole module.
        value = node.value
        state.tokens.append(value)
        state.at += len(value)
        return
    start = state.at
    handler(node, state)
    ranges = state.ranges
    if id(node) not in ranges:
        ranges[id(node)] = (start, state.at)


def _token(state: Any, value: str) -> None:
    state.tokens.append(value)
    state.at += len(value)


def _record(node: Any, state: Any, start: int) -> None:
    state.ranges[id(node)] = (start, state.at)


# -- leaves and whitespace -------------------------------------------------------------


def _value(node: Any, state: Any) -> None:  # Comment
    _token(state, node.value)


def _whitespace(node: Any, state: Any) -> None:  # SimpleWhitespace: see _gen
    _token(state, node.value)


def _newline(node: Any, state: Any) -> None:
    value = node.value
    _token(state, state.default_newline if value is None else value)


def _trailing_whitespace(node: Any, state: Any) -> None:
    _gen(node.whitespace, state)
    if node.comment is not None:
        _gen(node.comment, state)
    _gen(node.newline, state)


def _empty_line(node: Any, state: Any) -> None:
    if node.indent:
        state.add_indent_tokens()
    _gen(node.whitespace, state)
    if node.comment is not None:
        _gen(node.comment, state)
    _gen(node.newline, state)


def _parenthesized_whitespace(node: Any, state: Any) -> None:
    _gen(node.first_line, state)
    for line in node.empty_lines:
        _gen(line, state)
    if node.indent:
        state.add_indent_tokens()
    _gen(node.last_line, state)


def _one_token_op(node: Any, state: Any) -> None:  # , . : = + == and ...
    _gen(node.whitespace_before, state)
    start = state.at
    _token(state, node._get_token())
    _record(node, state, start)
    _gen(node.whitespace_after, state)


def _unary_op(node: Any, state: Any) -> None:  # - + ~ not
    _token(state, node._get_token())
    _gen(node.whitespace_after, state)


def _left_paren(node: Any, state: Any) -> None:  # ( and [
    _token(state, "(" if type(node) is cst.LeftParen else "[")
    _gen(node.whitespace_after, state)


def _right_paren(node: Any, state: Any) -> None:  # ) and ]
    _gen(node.whitespace_before, state)
    _token(state, ")" if type(node) is cst.RightParen else "]")


def _comma(node: Any, state: Any, default: bool, text: str) -> None:
    comma = node.comma
    if comma is _DEFAULT:
        if default:
            _token(state, text)
    elif type(comma) is cst.Comma:
        _gen(comma, state)


# -- expressions -----------------------------------------------------------------------


def _parenthesized(inner: Handler) -> Handler:
    """libcst's ``_parenthesize``: the node's own range lies inside its parentheses."""

    def handler(node: Any, state: Any) -> None:
        for lpar in node.lpar:
            _gen(lpar, state)
        start = state.at
        inner(node, state)
        _record(node, state, start)
        for rpar in node.rpar:
            _gen(rpar, state)

    return handler


def _name(node: Any, state: Any) -> None:  # Name, Integer, Float, SimpleString
    _token(state, node.value)


def _leaf(node: Any, state: Any) -> None:
    """A Name, Integer, Float or SimpleString; most have no parentheses."""
    if node.lpar:
        _parenthesized_name(node, state)
        return
    value = node.value
    start = state.at
    state.tokens.append(value)
    state.at = end = start + len(value)
    state.ranges[id(node)] = (start, end)


def _attribute(node: Any, state: Any) -> None:
    _gen(node.value, state)
    _gen(node.dot, state)
    _gen(node.attr, state)


def _call(node: Any, state: Any) -> None:
    _gen(node.func, state)
    _gen(node.whitespace_after_func, state)
    _token(state, "(")
    _gen(node.whitespace_before_args, state)
    last = len(node.args) - 1
    for index, arg in enumerate(node.args):
        _with_default(arg, state, _arg, index != last)
    _token(state, ")")


def _with_default(node: Any, state: Any, handler: Callable[..., None], *defaults: bool) -> None:
    """A node whose code depends on its place (a default comma), through ``handler`` when
    it has the type the handler mirrors, else through libcst."""
    if _HANDLERS.get(type(node)) is None:
        _libcst_with_defaults(node, state, handler, defaults)
        return
    start = state.at
    handler(node, state, *defaults)
    ranges = state.ranges
    if id(node) not in ranges:
        ranges[id(node)] = (start, state.at)


def _libcst_with_defaults(
    node: Any, state: Any, handler: Callable[..., None], defaults: tuple[bool, ...]
) -> None:
    if handler is _element:
        node._codegen(state, default_comma=defaults[0], default_comma_whitespace=defaults[1])
    elif handler is _if:
        node._codegen(state, is_elif=defaults[0])
    elif handler is _small_statement:
        node._codegen(state, default_semicolon=defaults[0])
    else:
        node._codegen(state, default_comma=defaults[0])


def _arg(node: Any, state: Any, default_comma: bool = False) -> None:
    start = state.at
    _token(state, node.star)
    _gen(node.whitespace_after_star, state)
    keyword = node.keyword
    if keyword is not None:
        _gen(keyword, state)
    equal = node.equal
    if equal is _DEFAULT and keyword is not None:
        _token(state, " = ")
    elif type(equal) is cst.AssignEqual:
        _gen(equal, state)
    _gen(node.value, state)
    _record(node, state, start)
    _comma(node, state, default_comma, ", ")
    _gen(node.whitespace_after_arg, state)


def _element(
    node: Any, state: Any, default_comma: bool = False, default_comma_whitespace: bool = False
) -> None:
    start = state.at
    _gen(node.value, state)
    _record(node, state, start)
    _comma(node, state, default_comma, ", " if default_comma_whitespace else ",")


def _tuple(node: Any, state: Any) -> None:
    elements = node.elements
    if len(elements) == 1:
        _with_default(elements[0], state, _element, True, False)
        return
    last = len(elements) - 1
    for index, element in enumerate(elements):
        _with_default(element, state, _element, index < last, True)


def _list(node: Any, state: Any) -> None:
    _gen(node.lbracket, state)
    elements = node.elements
    last = len(elements) - 1
    for index, element in enumerate(elements):
        _with_default(element, state, _element, index < last, True)
    _gen(node.rbracket, state)


def _subscript(node: Any, state: Any) -> None:
    _gen(node.value, state)
    _gen(node.whitespace_after_value, state)
    _gen(node.lbracket, state)
    last = len(node.slice) - 1
    for index, element in enumerate(node.slice):
        _with_default(element, state, _subscript_element, index != last)
    _gen(node.rbracket, state)


def _subscript_element(node: Any, state: Any, default_comma: bool = False) -> None:
    start = state.at
    _gen(node.slice, state)
    _record(node, state, start)
    _comma(node, state, default_comma, ", ")


def _index(node: Any, state: Any) -> None:
    if node.star is not None:
        _token(state, node.star)
    if node.whitespace_after_star is not None:
        _gen(node.whitespace_after_star, state)
    _gen(node.value, state)


def _slice(node: Any, state: Any) -> None:
    if node.lower is not None:
        _gen(node.lower, state)
    _gen(node.first_colon, state)
    if node.upper is not None:
        _gen(node.upper, state)
    second_colon = node.second_colon
    if second_colon is _DEFAULT and node.step is not None:
        _token(state, ":")
    elif type(second_colon) is cst.Colon:
        _gen(second_colon, state)
    if node.step is not None:
        _gen(node.step, state)


def _binary_operation(node: Any, state: Any) -> None:
    _gen(node.left, state)
    _gen(node.operator, state)
    _gen(node.right, state)


def _unary_operation(node: Any, state: Any) -> None:
    _gen(node.operator, state)
    _gen(node.expression, state)


def _comparison(node: Any, state: Any) -> None:
    _gen(node.left, state)
    for target in node.comparisons:
        _gen(target, state)


def _comparison_target(node: Any, state: Any) -> None:
    _gen(node.operator, state)
    _gen(node.comparator, state)


_parenthesized_name = _parenthesized(_name)


# -- statements ------------------------------------------------------------------------


def _semicolon(node: Any, state: Any, default_semicolon: bool) -> None:
    semicolon = node.semicolon
    if semicolon is _DEFAULT:
        if default_semicolon:
            _token(state, "; ")
    elif type(semicolon) is cst.Semicolon:
        _gen(semicolon, state)


def _small_statement(node: Any, state: Any, default_semicolon: bool = False) -> None:
    """Expr, Assign and Return: the statement's range leaves out its semicolon."""
    start = state.at
    kind = type(node)
    if kind is cst.Expr:
        _gen(node.value, state)
    elif kind is cst.Assign:
        for target in node.targets:
            _gen(target, state)
        _gen(node.value, state)
    else:  # Return
        _token(state, "return")
        whitespace = node.whitespace_after_return
        value = node.value
        if whitespace is _DEFAULT:
            if value is not None:
                _token(state, " ")
        else:
            _gen(whitespace, state)
        if value is not None:
            _gen(value, state)
    _record(node, state, start)
    _semicolon(node, state, default_semicolon)


def _assign_target(node: Any, state: Any) -> None:
    start = state.at
    _gen(node.target, state)
    _record(node, state, start)
    _gen(node.whitespace_before_equal, state)
    _token(state, "=")
    _gen(node.whitespace_after_equal, state)


def _simple_statement_line(node: Any, state: Any) -> None:
    for line in node.leading_lines:
        _gen(line, state)
    state.add_indent_tokens()
    body = node.body
    if body:
        start = state.at
        last = len(body) - 1
        for index, statement in enumerate(body):
            _with_default(statement, state, _small_statement, index != last)
        state.ranges[id(node)] = (start, state.ranges[id(body[last])][1])
    else:
        start = state.at
        _token(state, "pass")
        _record(node, state, start)
    _gen(node.trailing_whitespace, state)


def _indented_block(node: Any, state: Any) -> None:
    _gen(node.header, state)
    indent = node.indent
    state.increase_indent(state.default_indent if indent is None else indent)
    body = node.body
    if body:
        for statement in body:
            _gen(statement, state)
        ranges = state.ranges
        ranges[id(node)] = (ranges[id(body[0])][0], ranges[id(body[-1])][1])
    else:
        state.add_indent_tokens()
        start = state.at
        _token(state, "pass")
        _record(node, state, start)
        _token(state, state.default_newline)
    for line in node.footer:
        _gen(line, state)
    state.decrease_indent()


def _opening(node: Any, state: Any) -> int:
    """A compound statement's leading lines and indentation; where its own range starts."""
    for line in node.leading_lines:
        _gen(line, state)
    state.add_indent_tokens()
    return int(state.at)


def _ends_at(node: Any, state: Any, start: int, end_node: Any) -> None:
    state.ranges[id(node)] = (start, state.ranges[id(end_node)][1])


def _function_def(node: Any, state: Any) -> None:
    for line in node.leading_lines:
        _gen(line, state)
    for decorator in node.decorators:
        _gen(decorator, state)
    for line in node.lines_after_decorators:
        _gen(line, state)
    state.add_indent_tokens()
    start = state.at
    if node.asynchronous is not None:
        _gen(node.asynchronous, state)
    _token(state, "def")
    _gen(node.whitespace_after_def, state)
    _gen(node.name, state)
    _gen(node.whitespace_after_name, state)
    if node.type_parameters is not None:
        _gen(node.type_parameters, state)
    _gen(node.whitespace_after_type_parameters, state)
    _token(state, "(")
    _gen(node.whitespace_before_params, state)
    _gen(node.params, state)
    _token(state, ")")
    if node.returns is not None:
        node.returns._codegen(state, default_indicator="->")
    _gen(node.whitespace_before_colon, state)
    _token(state, ":")
    _gen(node.body, state)
    _ends_at(node, state, start, node.body)


def _if(node: Any, state: Any, is_elif: bool = False) -> None:
    start = _opening(node, state)
    _token(state, "elif" if is_elif else "if")
    _gen(node.whitespace_before_test, state)
    _gen(node.test, state)
    _gen(node.whitespace_after_test, state)
    _token(state, ":")
    _gen(node.body, state)
    orelse = node.orelse
    if type(orelse) is cst.If:
        _with_default(orelse, state, _if, True)
    elif orelse is not None:
        _gen(orelse, state)
    _ends_at(node, state, start, node.body if orelse is None else orelse)


def _else(node: Any, state: Any) -> None:
    start = _opening(node, state)
    _token(state, "else")
    _gen(node.whitespace_before_colon, state)
    _token(state, ":")
    _gen(node.body, state)
    _ends_at(node, state, start, node.body)


def _for(node: Any, state: Any) -> None:
    start = _opening(node, state)
    if node.asynchronous is not None:
        _gen(node.asynchronous, state)
    _token(state, "for")
    _gen(node.whitespace_after_for, state)
    _gen(node.target, state)
    _gen(node.whitespace_before_in, state)
    _token(state, "in")
    _gen(node.whitespace_after_in, state)
    _gen(node.iter, state)
    _gen(node.whitespace_before_colon, state)
    _token(state, ":")
    _gen(node.body, state)
    orelse = node.orelse
    if orelse is not None:
        _gen(orelse, state)
    _ends_at(node, state, start, node.body if orelse is None else orelse)


# -- the table -------------------------------------------------------------------------


def _libcst_classes() -> list[type]:
    found: list[type] = []
    stack: list[type] = [cst.CSTNode]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    # add_slots replaces each class by a copy; only the copy the module names is used.
    return [
        cls
        for cls in found
        if getattr(sys.modules.get(cls.__module__), cls.__name__, None) is cls
        and not inspect.isabstract(cls)
    ]


def handlers() -> dict[type, Handler]:
    """The node types walked here, each with the handler that mirrors its
    ``_codegen_impl``. A class whose ``_codegen_impl`` is not the one mirrored (libcst
    overrode it in a subclass) is left to libcst."""
    table: dict[type, Handler] = {
        cst.SimpleWhitespace: _whitespace,
        cst.Comment: _value,
        cst.Newline: _newline,
        cst.TrailingWhitespace: _trailing_whitespace,
        cst.EmptyLine: _empty_line,
        cst.ParenthesizedWhitespace: _parenthesized_whitespace,
        cst.LeftParen: _left_paren,
        cst.LeftSquareBracket: _left_paren,
        cst.RightParen: _right_paren,
        cst.RightSquareBracket: _right_paren,
        cst.Name: _leaf,
        cst.Integer: _leaf,
        cst.Float: _leaf,
        cst.SimpleString: _leaf,
        cst.Attribute: _parenthesized(_attribute),
        cst.Call: _parenthesized(_call),
        cst.Arg: _arg,
        cst.Element: _element,
        cst.Tuple: _parenthesized(_tuple),
        cst.List: _parenthesized(_list),
        cst.Subscript: _parenthesized(_subscript),
        cst.SubscriptElement: _subscript_element,
        cst.Index: _index,
        cst.Slice: _slice,
        cst.BinaryOperation: _parenthesized(_binary_operation),
        cst.UnaryOperation: _parenthesized(_unary_operation),
        cst.Comparison: _parenthesized(_comparison),
        cst.ComparisonTarget: _comparison_target,
        cst.Expr: _small_statement,
        cst.Assign: _small_statement,
        cst.Return: _small_statement,
        cst.AssignTarget: _assign_target,
        cst.SimpleStatementLine: _simple_statement_line,
        cst.IndentedBlock: _indented_block,
        cst.FunctionDef: _function_def,
        cst.If: _if,
        cst.Else: _else,
        cst.For: _for,
    }
    # The class whose ``_codegen_impl`` each handler mirrors: the node's own class but
    # for the value tokens, which inherit theirs.
    mirrored: dict[type, type] = {cls: cls for cls in table}
    mirrored[cst.SimpleWhitespace] = mirrored[cst.Comment] = BaseValueToken
    for cls in _libcst_classes():
        impl = getattr(cls, "_codegen_impl", None)
        if impl is _BaseOneTokenOp._codegen_impl:
            table[cls], mirrored[cls] = _one_token_op, _BaseOneTokenOp
        elif impl is BaseUnaryOp._codegen_impl:
            table[cls], mirrored[cls] = _unary_op, BaseUnaryOp
    # Only classes whose code generation is libcst's method mirrored here, not one that
    # a libcst release moved or that someone replaced.
    return {cls: handler for cls, handler in table.items() if _mirrors(cls, mirrored[cls])}


def _mirrors(cls: type, owner: type) -> bool:
    impl = getattr(cls, "_codegen_impl", None)
    return (
        getattr(impl, "__qualname__", "") == f"{owner.__name__}._codegen_impl"
        and getattr(impl, "__module__", "").startswith("libcst.")
        and impl is owner.__dict__.get("_codegen_impl")
    )


_HANDLERS: dict[type, Handler] = {}

# A statement that holds every node type of ``handlers()``; ``trusted`` generates it both
# ways.
SAMPLE = """\
# a comment line

@decorator
def build(units, rate=0.5, *rest, **options):  # comment
    model = keras.Sequential([layers.Dense(units, activation="relu"), (1, ), [2,3]])
    model.add(layers.LSTM(units , batch_input_shape=( 30, 30, 7 ), stateful=True,))
    x = data[: -10, 1 :: 2, ::]  ;  y = -(data[0] + 2) * 3 ** 2
    if units > 10 and rate < 0.5 or not rest:
        return
    elif units == 2 != rate:

        pass
    else:
        print(*rest, **options)
        return model.fit(x, y,
                         batch_size=32 ,  # trailing
                         epochs = 1)
    for i, j in enumerate(x):
        a = b = c = 'text' ; pass
    return (model)
"""


@functools.cache
def trusted(state_class: type) -> bool:
    """Whether the walk here gives the code and offsets libcst's generation gives, on
    ``SAMPLE``, with states of ``state_class`` (``positions``' OffsetState); when it
    does, ``generate`` uses the handlers."""
    with _checking:
        table = handlers()
        statement = cst.parse_module(SAMPLE).body[0]
        theirs = state_class("    ", "\n")
        statement._codegen(theirs)
        _HANDLERS.update(table)
        ours = state_class("    ", "\n")
        try:
            generate(statement, ours)
            same = ours.tokens == theirs.tokens and agree(ours.ranges, theirs.ranges, statement)
        except Exception:  # noqa: BLE001 - any failure means: use libcst's own generation
            same = False
        if not same:
            _HANDLERS.clear()
        return same


# One check at a time: threads that reach their first statement together.
_checking = threading.Lock()


def agree(
    ours: dict[int, tuple[int, int]], theirs: dict[int, tuple[int, int]], node: cst.CSTNode
) -> bool:
    """Whether ``ours`` (offsets from ``generate``) has libcst's offsets (``theirs``) for
    every node below ``node`` but the whitespace it writes without one, and no other."""
    whitespace = {id(n) for n in _below(node) if type(n) is cst.SimpleWhitespace}
    return all(theirs.get(key) == value for key, value in ours.items()) and all(
        key in ours for key in theirs if key not in whitespace
    )


def _below(node: cst.CSTNode) -> list[cst.CSTNode]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found
