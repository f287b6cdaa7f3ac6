"""Notebooks cell by cell: IPython syntax anywhere, cells that do not parse, --fix in cells."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from shapelint import check_source, fix_paths, fix_source
from shapelint.findings import Edit, Finding, Fix, Span
from shapelint.fixes.notebook import with_sources
from shapelint.ipython import UNKNOWN, bound_names, cell_code
from shapelint.notebook import locate, program
from tests.conftest import FIXTURES

IMPORTS = "import numpy as np\nimport keras"
# 1735 samples against a stateful model of batch size 30: an SL001 at fit.
DATA = "X = np.zeros((1735, 30, 7))\ny = np.zeros((1735, 1))"
MODEL = (
    "inputs = keras.Input(batch_shape=(30, 30, 7))\n"
    "h = keras.layers.LSTM(8, stateful=True)(inputs)\n"
    "model = keras.Model(inputs, keras.layers.Dense(1)(h))"
)
FIT = "model.fit(X, y, batch_size=30, shuffle=False)"


def notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "source": s} for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def places(text: str) -> list[tuple[str, int | None, int, int]]:
    return [(f.code, f.cell, f.line, f.column) for f in check_source(text, "nb.ipynb")]


def code(source: str) -> list[str]:
    lines, _ = cell_code(source.split("\n"))
    return lines


# -- IPython syntax ---------------------------------------------------------------------


def test_escapes_in_blocks_become_pass_at_their_indentation() -> None:
    source = (
        "if on_colab:\n    !nvidia-smi\n    %load_ext tensorboard\n"
        "for name in names:\n    !mkdir -p $name\n"
        "def show():\n    %env\nx = 1"
    )
    assert code(source) == [
        "if on_colab:",
        "    pass",
        "    pass",
        "for name in names:",
        "    pass",
        "def show():",
        "    pass",
        "x = 1",
    ]


def test_help_forms_and_autocall() -> None:
    for line in ("x.shape?", "obj??", "?np.stack", "??np.stack", "%timeit?", "/print x"):
        assert code(line) == ["pass"], line
    assert code("  model.fit?") == ["  pass"]


def test_escape_assignments_keep_their_target_with_an_unknown_value() -> None:
    assert code("files = !ls *.csv\nhome = %env HOME\nout=!!date") == [
        f"files = {UNKNOWN}",
        f"home = {UNKNOWN}",
        f"out={UNKNOWN}",
    ]
    # A shell escape rebinds a name: what was known about it before is gone.
    before = notebook(IMPORTS, DATA, MODEL, FIT)
    after = notebook(IMPORTS, DATA, "X = !cat windows.txt", MODEL, FIT)
    assert [p[0] for p in places(before)] == ["SL001"]
    assert places(after) == []


def test_a_line_magic_that_runs_a_statement_rebinds_its_names() -> None:
    assert code("%time X = X[:1710]") == [f"X = {UNKNOWN}"]
    assert code("%prun X, y = load()") == [f"X = {UNKNOWN}; y = {UNKNOWN}"]
    # Other magics' arguments are not Python: nothing is bound.
    assert code("%tensorboard --logdir=logs\n%env BATCH=32") == ["pass", "pass"]
    assert code("%store -r X y") == [f"X = {UNKNOWN}; y = {UNKNOWN}"]
    assert places(notebook(IMPORTS, DATA, "%time X = X[:1710]", MODEL, FIT)) == []


def test_python_text_that_only_looks_like_ipython_is_left_alone() -> None:
    source = (
        "s = ('%d'\n     % 3)\nt = '''\n!not a shell escape\nwhat?\n'''\n"
        "u = a != b  # really?\nv = x \\\n    % 2"
    )
    assert code(source) == source.split("\n")


def test_columns_of_the_other_lines_stay_exact() -> None:
    cell = "%load_ext autoreload\nif True:\n    !echo hi\n" + FIT
    [finding] = check_source(notebook(IMPORTS, DATA, MODEL, cell), "nb.ipynb")
    assert (finding.code, finding.cell, finding.line, finding.column) == ("SL001", 4, 4, 1)
    assert finding.span.end_column == len(FIT) + 1


def test_cell_magics() -> None:
    # %%time and %%capture keep their body as Python: the finding in it is reported.
    assert [p[:3] for p in places(notebook(IMPORTS, DATA, MODEL, "%%time\n" + FIT))] == [
        ("SL001", 4, 2)
    ]
    with_output = "%%capture --no-stderr log\n" + FIT
    assert [p[:3] for p in places(notebook(IMPORTS, DATA, MODEL, with_output))] == [("SL001", 4, 2)]
    assert code(with_output)[0] == f"log = {UNKNOWN}"
    # Any other cell magic's body is not Python, and is skipped.
    assert places(notebook(IMPORTS, DATA, MODEL, "%%bash\n" + FIT + " (")) == []
    assert code("%%bash --out listing\nls (") == [f"listing = {UNKNOWN}", ""]


def test_a_timeit_body_binds_nothing_after_its_cell() -> None:
    lines, trailer = cell_code(["%%timeit", "X = X[:1710]", "model.predict(X)"])
    assert lines == ["", "X = X[:1710]", "model.predict(X)"]
    assert trailer == f"X = {UNKNOWN}"
    timed = "%%timeit -n 1\nX = np.zeros((1710, 30, 7))"
    assert places(notebook(IMPORTS, DATA, timed, MODEL, FIT)) == []


def test_a_magic_that_may_run_its_body_makes_what_it_binds_unknown() -> None:
    backend = (
        "%%backend torch\nimport keras\nX = np.zeros((1710, 30, 7))\ndef step():\n    inner = 1"
    )
    lines, trailer = cell_code(backend.split("\n"))
    assert lines == ["", "import keras", "", "", ""]
    assert trailer == f"X = {UNKNOWN}; step = {UNKNOWN}"
    assert places(notebook(IMPORTS, DATA, backend, MODEL, FIT)) == []
    # Its imports stay what they were: the model after it is still understood.
    other = backend.replace("X = np", "Z = np")
    assert [p[0] for p in places(notebook(IMPORTS, DATA, other, MODEL, FIT))] == ["SL001"]
    # A magic that never runs Python binds nothing.
    assert code("%%writefile train.py\nX = 1") == ["", ""]


def test_a_cell_that_starts_indented_is_not_a_syntax_error() -> None:
    # IPython removes the first line's indentation from every line of the cell.
    indented = "  print(X.shape)\n  if True:\n      print(1)"
    assert places(notebook(IMPORTS, DATA, indented, MODEL, FIT))[:1] == [("SL001", 5, 1, 1)]
    assert [p[:2] for p in places(notebook(IMPORTS, DATA, "  a = 1\n b = 2", MODEL, FIT))] == [
        ("SL000", 3),
        ("SL001", 5),
    ]


# -- cells that do not parse --------------------------------------------------------------


def test_a_broken_cell_is_reported_and_the_others_are_still_checked() -> None:
    text = notebook(IMPORTS, DATA, "print 'windows:', X.shape", MODEL, FIT)
    findings = check_source(text, "nb.ipynb")
    assert [(f.code, f.cell, f.line, f.column) for f in findings] == [
        ("SL000", 3, 1, 1),
        ("SL001", 5, 1, 1),
    ]
    assert findings[0].message.startswith(
        "cell 3 does not parse: Missing parentheses in call to 'print'."
    )
    assert "(line 1, column 1)" in findings[0].message
    assert "X (cell 2, line 1) has 1735 samples" in findings[1].message


def test_what_a_broken_cell_binds_is_unknown_after_it() -> None:
    for broken in (
        "X = X[:1710]\nprint X.shape",
        "for X in chunks:\n    print X",
        "model.add(keras.layers.Dense(3))\nprint 'added'",
        "import numpy as np, legacy as X\nprint 1",
        "def f(a):\n    global X\n    X = a\nprint 1",
        "X, (a, b) = load()\nprint 1",
    ):
        text = notebook(IMPORTS, DATA, MODEL, broken, FIT)
        assert [p[:2] for p in places(text)] == [("SL000", 4)], broken


def test_a_broken_cell_keeps_its_imports_and_its_locals_stay_local() -> None:
    cell = "import numpy as np\nimport keras\ndef helper():\n    X = 1\nprint 'ready'"
    text = notebook(cell, DATA, MODEL, FIT)
    assert [p[:2] for p in places(text)] == [("SL000", 1), ("SL001", 4)]


def test_bound_names_is_tolerant() -> None:
    assert bound_names("model.fit(X, y,\nbatch_size = 30\nX = 1") == ["batch_size", "X"]
    assert bound_names("model.fit(X, y, batch_size=30)\nprint X.shape") == []
    assert bound_names("W[idx] = 0\nn: int = 5\nf = lambda q=1: q\ndf.dropna(inplace=True)") == [
        "W",
        "n",
        "f",
        "df",
    ]


def test_suppressions_and_selection_apply_to_broken_cells() -> None:
    quiet = notebook(IMPORTS, "print 'x'  # noqa: SL000", DATA, MODEL, FIT)
    assert [p[0] for p in places(quiet)] == ["SL001"]
    text = notebook(IMPORTS, "print 'x'", DATA, MODEL, FIT)
    assert [f.code for f in check_source(text, "nb.ipynb", select={"SL001"})] == ["SL001"]


# -- fixes in cells ---------------------------------------------------------------------


def _finding(edits: tuple[Edit, ...]) -> Finding:
    fix = Fix("trim", edits=edits, applicability="safe")
    return Finding("nb.ipynb", Span(4, 1, 4, 2), "SL007", "x", "warning", "m", fix=fix)


def test_edits_that_cannot_be_made_in_the_cells_are_refused() -> None:
    whole = program(notebook("a = 1\n!ls\nb = 2", "c = 3\nd = 4"))
    # Program lines: cell 1 is lines 1-3 (line 2 was a shell escape), cell 2 lines 4-5.
    fine = locate(whole, _finding((Edit(Span(4, 1, 4, 2), "e"), Edit(Span(1, 1, 1, 1), "f"))))
    assert fine.fix is not None and fine.autofix == "safe"
    assert [(e.cell, e.span.line) for e in fine.fix.edits] == [(2, 1), (1, 1)]
    for bad in (Span(3, 1, 4, 1), Span(2, 1, 2, 2), Span(1, 1, 2, 1)):
        refused = locate(whole, _finding((Edit(bad, "x"),)))
        assert refused.autofix is None and refused.fix is not None, bad
        assert refused.fix.edits == () and refused.fix.description == "trim"


def test_no_edit_goes_into_a_broken_cell() -> None:
    # SL008's fix adds Input to the layers' import, which stands in a broken cell (kept
    # there, since it parses alone): the fix is refused and the finding keeps its advice.
    broken = "from keras.models import Sequential\nfrom keras.layers import LSTM\nprint 'x'"
    layer = "model = Sequential()\nmodel.add(LSTM(8, batch_input_shape=(30, 30, 7)))"
    text = notebook(broken, layer)
    [syntax, removed] = check_source(text, "nb.ipynb")
    assert (syntax.code, syntax.cell, removed.code, removed.cell) == ("SL000", 1, "SL008", 2)
    assert removed.fix is not None and removed.autofix is None
    result = fix_source(text, "nb.ipynb")
    assert not result.changed and result.remaining == [syntax, removed]
    # With the cell fixed, the same fix is made, in both cells.
    fixed = fix_source(notebook(broken.replace("'x'", "('x')"), layer), "nb.ipynb")
    assert [f.code for f in fixed.fixed] == ["SL008"] and fixed.remaining == []
    assert "import LSTM, Input" in fixed.text and "Input(batch_shape=(30, 30, 7))" in fixed.text


def test_sources_keep_their_style() -> None:
    as_string = '{"cells": [{"cell_type": "code", "source": "a = 1\\nb = 2"}]}'
    assert with_sources(as_string, {1: "a = 1\nb = 3"}) == as_string.replace("b = 2", "b = 3")
    compact = '{"cells": [{"cell_type": "code", "source": ["a = 1\\n", "b = 2"]}]}'
    assert with_sources(compact, {1: "a = 1\nc = 3\nb = 2"}) == compact.replace(
        '"b = 2"', '"c = 3\\n", "b = 2"'
    )
    empty = '{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": []\n  }\n ]\n}\n'
    assert with_sources(empty, {1: "x = 1\ny = 2"}) == empty.replace(
        "[]", '[\n    "x = 1\\n",\n    "y = 2"\n   ]'
    )
    escaped = '{"cells": [{"cell_type": "code", "source": ["t = \\"\\u00e9\\"\\n", "u"]}]}'
    assert '"\\u00e9' in with_sources(escaped, {1: 't = "\u00e9"\nv'})
    raw = '{"cells": [{"cell_type": "code", "source": ["t = \\"\u00e9\\"\\n", "u"]}]}'
    assert '"\u00e9' in with_sources(raw, {1: 't = "\u00e9"\nv'})


def test_a_fix_that_would_break_a_cell_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shapelint.fixes.notebook as fixing

    path = tmp_path / "forecast.ipynb"
    shutil.copy(FIXTURES / "notebooks" / "stateful_forecast.ipynb", path)
    before = path.read_text()
    original = fixing.apply_cell_edits

    def broken(
        texts: Mapping[int | None, str], groups: Sequence[Sequence[Edit]]
    ) -> tuple[dict[int | None, str], list[int]]:
        out, applied = original(texts, groups)
        return {k: v + "\n)(" for k, v in out.items()}, applied

    monkeypatch.setattr(fixing, "apply_cell_edits", broken)
    report = fix_paths([path], unsafe=True)
    assert path.read_text() == before
    assert [e.message.split(" (")[0] for e in report.errors] == [
        "not fixed: a fix would break cell 2"
    ]
