"""What the speed work must not change: spans (shapelint's own positions against
libcst's PositionProvider) and findings (with and without the gate before libcst),
on the fixtures and on the real corpus (../shared/corpus: public Keras code)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from libcst.metadata import PositionProvider

from shapelint.api import check_source
from shapelint.config import options_for
from shapelint.extract import literals
from shapelint.extract.scan import children
from shapelint.findings import Finding, Span
from shapelint.gate import COVERED, could_fire
from shapelint.lint import facts_for, lint
from shapelint.notebook import lint_notebook
from shapelint.positions import PositionIndex, span_from_libcst
from shapelint.rules import RULES
from tests.conftest import FIXTURES, ROOT

CORPUS = ROOT.parent / "shared" / "corpus"


def _files(*suffixes: str) -> list[Path]:
    found: list[Path] = []
    for folder in (FIXTURES, CORPUS):
        assert folder.is_dir(), f"{folder} is missing: these tests need the corpus"
        for suffix in suffixes:
            found.extend(sorted(folder.rglob(f"*{suffix}")))
    return found


def test_positions_equal_libcsts_on_every_node() -> None:
    files = nodes = 0
    for path in _files(".py"):
        try:
            module = cst.parse_module(path.read_bytes().decode("utf-8"))
        except (cst.ParserSyntaxError, UnicodeDecodeError, RecursionError):
            continue
        wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
        theirs = wrapper.resolve(PositionProvider)
        ours = PositionIndex(module)
        for node, where in theirs.items():
            expected = span_from_libcst(
                where.start.line, where.start.column, where.end.line, where.end.column
            )
            assert ours.span(node) == expected, (path, type(node).__name__)
            nodes += 1
        files += 1
    assert files > 300 and nodes > 500_000


def _below(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def test_positions_one_statement_at_a_time_equal_libcsts() -> None:
    """A span asked for with its top-level statement generates that statement alone,
    placed where its text occurs in the source; it must equal PositionProvider's on every
    node."""
    files = nodes = whole = 0
    for path in _files(".py"):
        try:
            text = path.read_bytes().decode("utf-8")
            module = cst.parse_module(text)
        except (cst.ParserSyntaxError, UnicodeDecodeError, RecursionError):
            continue
        theirs = cst.MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        ours = PositionIndex(module, text=text)
        # Last statement first: each is generated on its own, in any order.
        for statement in reversed(module.body):
            for node in _below(statement):
                if node not in theirs:
                    continue
                where = theirs[node]
                expected = span_from_libcst(
                    where.start.line, where.start.column, where.end.line, where.end.column
                )
                assert ours.span(node, statement) == expected, (path, type(node).__name__)
                nodes += 1
        files += 1
        whole += ours.whole
    # Every node but whitespace and punctuation (which scan.children does not visit).
    assert files > 450 and nodes > 250_000, (files, nodes)
    # The whole module only for files with two identical top-level statements (or none
    # ending in a line break).
    assert whole <= files // 5, (whole, files)


def test_a_wrong_statement_costs_time_not_correctness() -> None:
    text = "import keras\n\n# the model\nmodel = keras.Sequential()\nmodel.fit(x, y)\n"
    module = cst.parse_module(text)
    first, second, third = module.body
    index = PositionIndex(module, text=text)
    call = third.body[0].value  # type: ignore[attr-defined]
    # The statement's text starts at its comment; its span at "model".
    assert index.span(second, second) == Span(4, 1, 4, 27)
    assert not index.whole
    assert index.top_at(Span(4, 3, 4, 4)) is second
    assert index.top_at(Span(3, 1, 3, 2)) is second
    assert index.top_at(Span(5, 1, 5, 2)) is None  # not generated yet
    # Asked with the wrong statement: found all the same, from the whole module.
    assert index.span(call, first) == Span(5, 1, 5, 16)
    assert index.whole


@pytest.mark.parametrize(
    "text",
    [
        # The same statement twice: which of the two is which needs the whole module.
        "import keras\nmodel.fit(x, y)\nmodel.fit(x, y)\n",
        # No final line break: the last statement's generated text ends in one.
        "import keras\nmodel.fit(x, y)",
    ],
)
def test_statements_that_cannot_be_placed_alone_fall_back_to_the_module(text: str) -> None:
    module = cst.parse_module(text)
    index = PositionIndex(module, text=text)
    last = module.body[-1]
    line = len(module.body)
    assert index.span(last, last) == Span(line, 1, line, 16)
    assert index.whole


def _findings(path: Path, gate: bool) -> list[Finding]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    options = options_for(str(path))
    select = [rule.code for rule in RULES]
    if path.suffix == ".ipynb":
        return lint_notebook(text, str(path), select, options, gate=gate)[0]
    return lint(text, str(path), select, options, gate=gate)[0]


def test_the_gate_hides_no_finding() -> None:
    skipped = mention_keras = 0
    for path in _files(".py", ".ipynb"):
        with_gate, without = _findings(path, True), _findings(path, False)
        assert with_gate == without, path
        text = path.read_text(errors="replace")
        if path.suffix == ".py" and "keras" in text and CORPUS in path.parents:
            mention_keras += 1
            skipped += not could_fire(text, COVERED)
    # The gate is worth having: of the real corpus's scripts that mention Keras (whose
    # text the "keras" prefilter lets through), it skips more than a third.
    assert (skipped, mention_keras) == (77, 214)


def test_what_the_gate_skips_has_no_facts_at_all() -> None:
    """Stronger than equal findings: a file the gate skips gives extraction nothing that
    any rule reads, not just nothing that today's rules report."""
    for path in _files(".py"):
        text = path.read_text(errors="replace")
        if "keras" not in text or could_fire(text, COVERED):
            continue
        facts = facts_for(text, str(path), options_for(str(path)))
        assert facts.syntax_error is None, path
        assert not (facts.models or facts.calls or facts.api_uses or facts.keras_imports), path
        assert not facts.keras_calls, path


def test_the_gate_covers_every_rule_or_stands_aside() -> None:
    assert {rule.code for rule in RULES} == COVERED, "a new rule: extend shapelint.gate"
    assert could_fire("import keras\n", ["SL999"])
    assert not could_fire("import keras\nx = 1\n", ["SL001"])
    assert could_fire("import keras\nmodel = keras.Sequential()\n", ["SL001"])
    assert could_fire("import keras\nx = (\n", ["SL000"])
    assert not could_fire("import keras\nx = (\n", ["SL001"])


@pytest.mark.parametrize(
    "source",
    [
        "import keras\nmodel = keras.Sequential()\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential()\n",
        "import tensorflow as tf\nmodel = tf . keras.Sequential()\n",
        "import tensorflow.compat.v1 as tf\nmodel = tf.keras.Sequential()\n",
        "from tensorflow import keras\nmodel = keras.Sequential()\n",
        "from tensorflow import keras as K\nmodel = K.Sequential()\n",
        "from tensorflow.keras.models import (\n    Sequential,\n)\nmodel = Sequential()\n",
        "from tensorflow.keras.layers import *\nmodel = Sequential()\n",
        "import os, \\\n    keras\nmodel = keras.Sequential()\n",
        "from \\\n  keras import Sequential\nmodel = Sequential()\n",
        "try: import tf_keras as keras\nexcept ImportError: pass\nm = keras.Sequential()\n",
        "def build():\n    import keras\n    return keras.Sequential()\n",
        "x = 1; import keras; model = keras.Sequential()\n",
    ],
)
def test_the_gate_lets_through_every_way_to_import_keras(source: str) -> None:
    assert could_fire(source, COVERED)


@pytest.mark.parametrize(
    "source",
    [
        # keras_core, keras_tuner: other packages, whatever the local name.
        "import keras_core as keras\nmodel = keras.Sequential()\n",
        "from keras_tuner.backend import keras\nmodel = keras.Sequential()\n",
        # TensorFlow without ``.keras``: tf.Module, tf.data, tf.function.
        "import tensorflow as tf\nfrom keras_core import layers\nd = layers.Dense(1)\n",
        # A relative import is not followed.
        "from .keras import Sequential\nmodel = Sequential()\n",
        # "keras" in a docstring, with no import at all.
        '"""Wraps a keras Model."""\nmodel = Model()\n',
    ],
)
def test_the_gate_skips_what_imports_no_keras(source: str) -> None:
    assert not could_fire(source, COVERED)
    assert lint(source, "m.py", sorted(COVERED), gate=False)[0] == []


@pytest.mark.parametrize("name", ["reset_states", "fit_generator", "CuDNNLSTM", "Model"])
def test_the_gate_lets_through_each_name_the_rules_need(name: str) -> None:
    assert could_fire(f"import keras\nm.{name}()\n", ["SL010"])


@pytest.mark.parametrize(
    "line",
    [
        "from keras.layers.core import Dense",
        "from keras.layers .core import Dense",
        "import keras.utils.np_utils as np_utils",
    ],
)
def test_the_gate_lets_through_imports_of_removed_modules(line: str) -> None:
    assert could_fire(f"{line}\nx = Dense(1)\n", ["SL010"])
    assert not could_fire("from keras.layers import Dense\nx = Dense(1)\n", ["SL010"])


@pytest.mark.parametrize(
    "source",
    [
        "from keras.layers import Dense\nx = Dense(1, activaton='relu')\n",
        "from keras import optimizers as o\nopt = o.SGD(lr=0.1)\n",
        "import tensorflow as tf\ncb = tf.keras.callbacks.EarlyStopping(patiance=3)\n",
    ],
)
def test_the_gate_lets_through_keras_calls_for_the_keyword_rules(source: str) -> None:
    assert could_fire(source, ["SL008"]) and could_fire(source, ["SL011"])
    assert [f.code for f in check_source(source)] in (["SL008"], ["SL011"])


_LITERALS: dict[type, Callable[[Any], object]] = {
    cst.Integer: literals.integer,
    cst.Float: literals.float_,
    cst.SimpleString: literals.string,
}


def _literal_values(module: cst.Module) -> Iterator[tuple[cst.CSTNode, object]]:
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        read = _LITERALS.get(type(node))
        if read is not None:
            yield node, read(node)
        stack.extend(node.children)


def test_literal_values_equal_libcsts_on_every_literal() -> None:
    """extract.literals reads numbers and strings without compiling them: the same value,
    of the same type, as libcst's evaluated_value on every literal of the fixtures and
    the corpus."""
    count = 0
    for path in _files(".py"):
        try:
            module = cst.parse_module(path.read_bytes().decode("utf-8"))
        except (cst.ParserSyntaxError, UnicodeDecodeError, RecursionError):
            continue
        for node, value in _literal_values(module):
            expected = node.evaluated_value  # type: ignore[attr-defined]
            assert type(value) is type(expected) and value == expected, (path, node)
            count += 1
    assert count > 15_000  # 18,633 when written


@pytest.mark.parametrize(
    "source",
    [
        "0", "00", "7", "1_000", "0x1F", "0XfF", "0o17", "0O7", "0b101", "0B1_0",
        "1.5", "1.", ".5", "1e5", "1E-5", "1_0.2_5", "1e500", "0.0",
        "''", '""', "'a'", '"a b"', "'''x\ny'''", '"""x"y"""', '""""""', "r'\\d'", "R'x'",
        "u'x'", "U'x'", "b'x'", "B'x'", "rb'x'", "Br'\\n'", "'\\n'", "'\\x41'",
        "'caf\u00e9'", "'\\N{BULLET}'", "'\"'", '"\'"',
    ],
)  # fmt: skip
def test_literal_values_of_each_spelling(source: str) -> None:
    expression = cst.parse_expression(source)
    read = _LITERALS[type(expression)]
    expected = expression.evaluated_value  # type: ignore[attr-defined]
    value = read(expression)
    assert type(value) is type(expected) and value == expected


def test_a_string_with_a_carriage_return_is_left_to_libcst() -> None:
    module = cst.parse_module("x = '''a\r\nb'''\n")
    ((node, value),) = list(_literal_values(module))
    assert value == "a\nb" == node.evaluated_value  # type: ignore[attr-defined]
