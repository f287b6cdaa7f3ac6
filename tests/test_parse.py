"""shapelint.parse: libcst's own trees, built without node validation, and validation
back on for every node built outside the parse."""

from __future__ import annotations

import ast
import sysconfig
import threading
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from libcst._nodes.base import CSTNode

from shapelint import parse
from shapelint.notebook import program
from tests.conftest import FIXTURES, ROOT

CORPUS = ROOT.parent / "shared" / "corpus"


def _programs(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".py":
            found.append((str(path), path.read_text(encoding="utf-8", errors="replace")))
        elif path.suffix == ".ipynb":
            try:
                found.append((str(path), program(path.read_text(encoding="utf-8")).text))
            except Exception:  # noqa: BLE001 - a notebook that is not JSON has no program
                continue
    return found


def _same_outcome(text: str) -> bool:
    """Whether shapelint's parse and libcst's give equal trees, or fail alike."""
    try:
        expected: cst.Module | str = cst.parse_module(text)
    except Exception as error:  # noqa: BLE001 - compare the failure too
        expected = type(error).__name__
    try:
        got: cst.Module | str = parse.parse_module(text)
    except Exception as error:  # noqa: BLE001
        got = type(error).__name__
    if isinstance(expected, str) or isinstance(got, str):
        return expected == got
    return got.deep_equals(expected) and got.code == expected.code


def test_the_same_trees_on_the_fixtures_and_the_corpus() -> None:
    programs = _programs(FIXTURES) + _programs(CORPUS)
    assert len(programs) > 500
    assert [path for path, text in programs if not _same_outcome(text)] == []


@pytest.mark.slow
def test_the_same_trees_on_the_standard_library() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts)[::6]
    texts = []
    for path in files:
        try:
            texts.append((str(path), path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, OSError):
            continue
    assert len(texts) > 200
    assert [path for path, text in texts if not _same_outcome(text)] == []


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_the_same_trees_on_generated_programs(source: str) -> None:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    assert _same_outcome(source)


def test_nodes_built_after_a_parse_are_validated() -> None:
    parse.parse_module("import keras\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def test_validation_is_back_after_a_syntax_error() -> None:
    with pytest.raises(cst.ParserSyntaxError):
        parse.parse_module("x = (\n")
    assert CSTNode.__dict__["__post_init__"] is parse._VALIDATING
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def test_a_libcst_whose_post_init_does_more_parses_as_usual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created = []

    def counting(self: CSTNode) -> None:
        created.append(type(self).__name__)
        self._validate()

    monkeypatch.setattr(parse, "_VALIDATING", counting)
    monkeypatch.setattr(CSTNode, "__post_init__", counting)
    module = parse.parse_module("x = 1\n")
    assert module.code == "x = 1\n"
    assert "Name" in created and "Module" in created


def test_parses_on_several_threads_leave_validation_on() -> None:
    texts = [(FIXTURES / "seed" / "stateful_lstm_stock.py").read_text()] * 8
    threads = [threading.Thread(target=parse.parse_module, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert CSTNode.__dict__["__post_init__"] is parse._VALIDATING
