"""shapelint.offsets walks the common libcst node types itself to learn where a
statement's nodes are. Its code and offsets must be libcst's own, on every statement."""

from __future__ import annotations

import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import PositionProvider

from shapelint import offsets
from shapelint.positions import PositionIndex, _state_class, span_from_libcst
from tests.conftest import FIXTURES, ROOT

CORPUS = ROOT.parent / "shared" / "corpus"


def _sources() -> Iterator[tuple[Path, str]]:
    stdlib = sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py"))
    paths = [
        *sorted(FIXTURES.rglob("*.py")),
        *sorted(CORPUS.rglob("*.py")),
        # Every 25th file of the standard library, for the Python nobody writes in Keras
        # scripts (async, decorators, star expressions, semicolons, odd whitespace).
        *stdlib[::25],
    ]
    for path in paths:
        try:
            yield path, path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def _both_ways(statement: cst.CSTNode, indent: str, newline: str) -> tuple[object, object]:
    theirs = _state_class()(indent, newline)
    statement._codegen(theirs)
    ours = _state_class()(indent, newline)
    offsets.generate(statement, ours)
    return ours, theirs


def test_the_walk_is_trusted_here() -> None:
    assert offsets.trusted(_state_class())
    assert set(offsets.handlers()) == set(offsets._HANDLERS)


def test_the_walk_equals_libcsts_generation_on_every_statement() -> None:
    assert offsets.trusted(_state_class())
    files = statements = 0
    for path, text in _sources():
        try:
            module = cst.parse_module(text)
        except (cst.ParserSyntaxError, RecursionError):
            continue
        for statement in module.body:
            ours, theirs = _both_ways(statement, module.default_indent, module.default_newline)
            assert ours.tokens == theirs.tokens, path  # type: ignore[attr-defined]
            assert offsets.agree(ours.ranges, theirs.ranges, statement), path  # type: ignore[attr-defined]
            statements += 1
        files += 1
    assert files > 300 and statements > 10_000, (files, statements)


def test_the_sample_holds_every_node_type_walked_here() -> None:
    """``trusted`` checks each handler on SAMPLE; a handler it does not meet there would go
    unchecked. (The operators share two handlers; SAMPLE holds several of each.)"""
    statement = cst.parse_module(offsets.SAMPLE).body[0]
    present = {type(node) for node in offsets._below(statement)}
    shared = (offsets._one_token_op, offsets._unary_op)
    own = {cls for cls, handler in offsets.handlers().items() if handler not in shared}
    assert own - present == set()
    assert len(own) == 38
    assert {cst.Comma, cst.Dot, cst.Colon, cst.AssignEqual, cst.Semicolon} <= present
    assert {cst.Add, cst.Multiply, cst.Power, cst.GreaterThan, cst.Equal} <= present
    assert {cst.Minus, cst.Not} <= present


def test_a_class_whose_generation_libcst_changed_is_left_to_libcst(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def other(self: cst.Integer, state: object) -> None:
        raise AssertionError("not called by handlers()")

    monkeypatch.setattr(cst.Integer, "_codegen_impl", other)
    table = offsets.handlers()
    assert cst.Integer not in table
    assert cst.Name in table and cst.Comma in table


def test_a_wrong_walk_is_not_trusted_and_libcst_generates_instead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def doubled(node: cst.Name, state: object) -> None:
        offsets._token(state, node.value * 2)

    wrong = {**offsets.handlers(), cst.Name: doubled}
    monkeypatch.setattr(offsets, "handlers", lambda: wrong)
    monkeypatch.setattr(offsets, "_HANDLERS", {})
    assert offsets.trusted.__wrapped__(_state_class()) is False  # type: ignore[attr-defined]
    assert offsets._HANDLERS == {}
    statement = cst.parse_module("model.fit(x, y)\n").body[0]
    ours, theirs = _both_ways(statement, "    ", "\n")
    assert ours.tokens == theirs.tokens  # type: ignore[attr-defined]
    assert ours.ranges == theirs.ranges  # type: ignore[attr-defined]


def test_a_span_asked_for_whitespace_falls_back_to_the_whole_module() -> None:
    text = "import keras\n\nmodel.fit(x,  y, batch_size=32)\n"
    module = cst.parse_module(text)
    statement = module.body[1]
    call = statement.body[0].value  # type: ignore[attr-defined]
    space = call.args[0].comma.whitespace_after
    assert type(space) is cst.SimpleWhitespace and space.value == "  "
    theirs = cst.MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    index = PositionIndex(module, text=text)
    assert index.span(call, statement) == span_from_libcst(3, 0, 3, 31)
    assert not index.whole
    at = theirs[space]
    expected = span_from_libcst(at.start.line, at.start.column, at.end.line, at.end.column)
    assert index.span(space, statement) == expected == span_from_libcst(3, 12, 3, 14)
    assert index.whole


def test_a_libcst_without_the_mirrored_classes_keeps_its_own_generation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shapelint import positions

    # An import of shapelint.offsets that fails, as it would if libcst moved the private
    # classes it reads.
    monkeypatch.setitem(sys.modules, "shapelint.offsets", None)
    assert positions._fast.__wrapped__() is False  # type: ignore[attr-defined]
