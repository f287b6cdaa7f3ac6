"""--fix: every fixture with a fix has its expected output in fixtures/fixed/, compared exactly.

``fixtures/fixed/<path>`` is the output of ``--fix --unsafe-fixes`` on ``fixtures/<path>``;
``<name>.safe.py`` is the output of plain ``--fix`` and ``<name>.divisor.py`` that of
``--fix --unsafe-fixes --fix-strategy divisor``. Notebooks (``.ipynb``) likewise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shapelint import check_source, fix_source
from shapelint.config import options_for
from shapelint.findings import Edit, Span
from shapelint.fixes.apply import apply_edits
from shapelint.fixes.notebook import source_spans
from shapelint.notebook import program
from shapelint.rules import RULES
from tests.conftest import FIXTURES

FIXED = FIXTURES / "fixed"
PAIRS = sorted([*FIXED.rglob("*.py"), *FIXED.rglob("*.ipynb")])


def _input_and_mode(expected: Path) -> tuple[Path, bool, str | None]:
    relative = expected.relative_to(FIXED)
    suffix = relative.suffix
    stem, _, mode = relative.name.removesuffix(suffix).partition(".")
    source = FIXTURES / relative.parent / f"{stem}{suffix}"
    if mode == "safe":
        return source, False, None
    if mode == "divisor":
        return source, True, "divisor"
    assert mode == "", expected
    return source, True, None


def _select(path: Path) -> set[str]:
    return {r.code for r in RULES if r.default or r.code.lower() == path.parent.name}


@pytest.mark.parametrize("expected", PAIRS, ids=[str(p.relative_to(FIXED)) for p in PAIRS])
def test_fix_gives_the_expected_output(expected: Path) -> None:
    source, unsafe, strategy = _input_and_mode(expected)
    options = options_for(str(source))
    select = _select(source)
    before = check_source(source.read_text(), str(source), options=options, select=select)
    result = fix_source(
        source.read_text(),
        str(source),
        unsafe=unsafe,
        strategy=strategy,
        options=options,
        select=select,
    )
    assert result.text == expected.read_text()
    # The fixed findings are gone on a fresh check of the output ...
    after = check_source(result.text, str(source), options=options, select=select)
    assert after == result.remaining
    fixed_keys = {(f.code, f.message) for f in result.fixed}
    assert fixed_keys and fixed_keys <= {(f.code, f.message) for f in before}
    assert not fixed_keys & {(f.code, f.message) for f in after}
    # ... and fixing again changes nothing.
    again = fix_source(
        result.text, str(source), unsafe=unsafe, strategy=strategy, options=options, select=select
    )
    assert again.text == result.text and again.fixed == []


def test_every_fixture_with_a_fix_has_an_expected_output() -> None:
    for path in sorted([*FIXTURES.rglob("*.py"), *FIXTURES.rglob("*.ipynb")]):
        if "fixed" in path.relative_to(FIXTURES).parts:
            continue
        options = options_for(str(path))
        findings = check_source(path.read_text(), str(path), options=options, select=_select(path))
        if any(f.fix is not None and f.fix.edits for f in findings):
            assert (FIXED / path.relative_to(FIXTURES)).is_file(), path


def test_safe_fixes_leave_the_unsafe_ones() -> None:
    seed = FIXTURES / "seed" / "stateful_lstm_stock.py"
    result = fix_source(seed.read_text(), str(seed))
    assert [(f.code, f.line) for f in result.fixed] == [("SL008", 34), ("SL004", 35)]
    assert [(f.code, f.line) for f in result.remaining] == [("SL001", 41)]
    fix = result.remaining[0].fix
    assert fix is not None and fix.applicability == "unsafe"
    assert [e.content for e in fix.edits] == [
        "\ntrainX = trainX[: len(trainX) // batch_size * batch_size]",
        "\ntrainY = trainY[: len(trainY) // batch_size * batch_size]",
    ]


def test_the_seed_fixed_checks_clean_with_every_rule() -> None:
    seed = FIXTURES / "seed" / "stateful_lstm_stock.py"
    everything = {r.code for r in RULES}
    result = fix_source(seed.read_text(), str(seed), unsafe=True, select=everything)
    assert [f.code for f in result.fixed] == ["SL008", "SL004", "SL001"]
    assert result.remaining == []
    assert check_source(result.text, str(seed), select=everything) == []


def test_divisor_strategy_needs_one_constant_for_model_and_call() -> None:
    two_literals = (
        "import numpy as np\nimport keras\n"
        "x = np.zeros((1735, 30, 7))\n"
        "model = keras.Sequential([keras.Input(batch_shape=(30, 30, 7)), "
        "keras.layers.LSTM(8, stateful=True)])\n"
        "model.predict(x, batch_size=30)\n"
    )
    result = fix_source(two_literals, "t.py", unsafe=True, strategy="divisor")
    assert not result.changed
    assert [f.code for f in result.remaining] == ["SL001"]
    named = two_literals.replace("x = np", "B = 30\nx = np").replace("(30, 30, 7)", "(B, 30, 7)")
    named = named.replace("batch_size=30", "batch_size=B")
    result = fix_source(named, "t.py", unsafe=True, strategy="divisor")
    assert "B = 5\n" in result.text and result.remaining == []
    # A second call with another count the divisor must also divide: 1735 and 1740 share 5.
    both = named + "model.predict(np.zeros((1740, 30, 7)), batch_size=B)\n"
    result = fix_source(both, "t.py", unsafe=True, strategy="divisor")
    assert "B = 5\n" in result.text and result.remaining == []


def test_trim_declines_arrays_it_cannot_name_or_that_are_set_in_a_branch() -> None:
    branch = (
        "import numpy as np, keras\n"
        "if flag:\n    x = np.zeros((1735, 30, 7))\nelse:\n    x = np.zeros((1735, 30, 7))\n"
        "m = keras.Sequential([keras.Input(batch_shape=(30, 30, 7)), "
        "keras.layers.LSTM(4, stateful=True)])\n"
        "m.predict(x, batch_size=30)\n"
    )
    result = fix_source(branch, "t.py", unsafe=True)
    assert not result.changed and [f.code for f in result.remaining] == ["SL001"]
    expression = (
        "import numpy as np, keras\nx = np.zeros((1735, 30, 7))\n"
        "m = keras.Sequential([keras.Input(batch_shape=(30, 30, 7)), "
        "keras.layers.LSTM(4, stateful=True)])\n"
        "m.compile(loss='mse', optimizer='adam')\n"
        "m.fit(x, x[:, -1, :4], batch_size=30, shuffle=False)\n"
    )
    result = fix_source(expression, "t.py", unsafe=True)
    assert not result.changed


def test_fix_keeps_comments_formatting_and_crlf_line_endings() -> None:
    source = (
        "import keras  # the Keras 3 API\r\n"
        "model = keras.Sequential([\r\n"
        "    keras.layers.LSTM(\r\n"
        "        16,\r\n"
        "        batch_input_shape=(8, 5, 2),  # fixed batch\r\n"
        "        stateful=True,\r\n"
        "    ),\r\n"
        "    keras.layers.Dense(1, input_dim=16),\r\n"
        "])\r\n"
    )
    result = fix_source(source, "t.py")
    assert result.text == (
        "import keras  # the Keras 3 API\r\n"
        "model = keras.Sequential([\r\n"
        "    keras.layers.Input(batch_shape=(8, 5, 2)),\r\n"
        "    keras.layers.LSTM(\r\n"
        "        16,\r\n"
        "        stateful=True,\r\n"
        "    ),\r\n"
        "    keras.layers.Dense(1),\r\n"
        "])\r\n"
    )


def test_positional_batch_size_is_replaced_not_duplicated() -> None:
    source = (
        "import numpy as np, keras\nx = np.zeros((600, 5, 2))\ny = np.zeros((600, 1))\n"
        "m = keras.Sequential([keras.Input(batch_shape=(20, 5, 2)), "
        "keras.layers.LSTM(4, stateful=True), keras.layers.Dense(1)])\n"
        "m.fit(x, y, 32, shuffle=False)\n"
    )
    result = fix_source(source, "t.py")
    assert result.text.endswith("m.fit(x, y, 20, shuffle=False)\n")
    assert result.remaining == []


def test_colliding_edits_wait_for_the_next_pass() -> None:
    text = "abcdef\n"
    first = Edit(Span(1, 2, 1, 4), "X")
    overlapping = Edit(Span(1, 3, 1, 5), "Y")
    insertion_inside = Edit(Span(1, 3, 1, 3), "Z")
    apart = Edit(Span(1, 6, 1, 6), "!")
    out, applied = apply_edits(text, [[first], [overlapping], [insertion_inside], [apart], [first]])
    assert out == "aXde!f\n"
    assert applied == [0, 3, 4]


def test_generator_methods_are_renamed_only_when_the_arguments_mean_the_same() -> None:
    source = (
        "import keras\nmodel = keras.Sequential([keras.layers.LSTM(4)])\n"
        "model.fit_generator(gen, 100, 5)\n"
        "model.fit_generator(gen, steps_per_epoch=100, epochs=5)\n"
        "model.predict_generator(gen, steps=3, workers=2)\n"
    )
    result = fix_source(source, "t.py")
    assert result.text.splitlines()[2:] == [
        "model.fit_generator(gen, 100, 5)",
        "model.fit(gen, steps_per_epoch=100, epochs=5)",
        "model.predict_generator(gen, steps=3, workers=2)",
    ]
    assert [(f.line, f.code) for f in result.remaining] == [(3, "SL010"), (5, "SL010")]


def test_a_loop_over_batch_sizes_trims_to_a_multiple_of_all_of_them() -> None:
    path = FIXTURES / "sizes" / "builder_functions.py"
    [finding] = check_source(path.read_text(), str(path))
    assert finding.fix is not None
    assert finding.fix.description.endswith(
        "(--fix trims to a multiple of 300, which suits every batch size this call runs with.)"
    )
    assert [e.content for e in finding.fix.edits] == [
        "\nX = X[: len(X) // 300 * 300]\ny = y[: len(y) // 300 * 300]"
    ]


def test_a_fixed_notebook_differs_only_in_the_sources_of_the_fixed_cells() -> None:
    """Outputs, metadata, ids, key order, indentation and the final newline (or its
    absence) stay byte for byte; only the ``source`` of the cells that were fixed changes."""
    for expected in sorted(FIXED.rglob("*.ipynb")):
        source, _, _ = _input_and_mode(expected)
        before, after = source.read_text(), expected.read_text()
        old, new = source_spans(before), source_spans(after)
        assert old.keys() == new.keys()
        changed = [n for n in old if json_value(before, old[n]) != json_value(after, new[n])]
        assert changed, expected
        kept_before = _outside(before, [old[n] for n in changed])
        kept_after = _outside(after, [new[n] for n in changed])
        assert kept_before == kept_after, expected


def json_value(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


def _outside(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The text between the given spans."""
    pieces, at = [], 0
    for start, end in sorted(spans):
        pieces.append(text[at:start])
        at = end
    return [*pieces, text[at:]]


def test_notebook_fixes_keep_cells_that_cannot_be_edited() -> None:
    """The broken cell keeps its SL000 and its text; the edit that adds Input to an import
    in the first cell is made with the layer's in another cell, as one fix."""
    path = FIXTURES / "notebooks" / "python2_cell.ipynb"
    result = fix_source(path.read_text(), str(path), unsafe=True)
    assert [(f.code, f.cell) for f in result.remaining] == [("SL000", 4)]
    before, after = program(path.read_text()).sources, program(result.text).sources
    assert [n for n in before if before[n] != after[n]] == [2, 3, 5, 7]
    [sl008] = [f for f in result.fixed if f.code == "SL008"]
    assert sl008.fix is not None
    assert {e.cell for e in sl008.fix.edits} == {2, 5}


def test_a_file_that_does_not_compile_before_the_fix_is_still_fixed() -> None:
    # ``batch_size`` twice is an error of Python's compiler, not of its parser: the file
    # was broken before --fix, which renames lr all the same.
    source = (
        "import numpy as np\nimport keras\nx = np.zeros((8, 4))\n"
        "model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\n"
        "model.compile(loss='mse', optimizer=keras.optimizers.SGD(lr=0.1))\n"
        "model.fit(x, x[:, :1], batch_size=8, batch_size=8)\n"
    )
    result = fix_source(source)
    assert result.text == source.replace("lr=0.1", "learning_rate=0.1")


def test_a_fix_that_would_repeat_a_keyword_is_refused() -> None:
    from shapelint.fixes.apply import _compile_error

    assert _compile_error("f(a=1, a=2)\n", "x.py", whole=False) is None
    error = _compile_error("f(a=1, a=2)\n", "x.py", whole=True)
    assert error is not None and error.msg == "keyword argument repeated: a"
