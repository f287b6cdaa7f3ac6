"""Every fixture's inline markers (``# error: [SL001]``) match its findings exactly.

A fixture without markers must produce no findings at all. Notebooks (fixtures/notebooks/)
carry their markers as comments in their cells' code, and their findings must name the
cell as well as the line.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from shapelint import check_source
from shapelint.config import options_for
from shapelint.findings import Finding
from shapelint.rules import RULES
from tests.conftest import FIXTURES, expected_findings, expected_markers, expected_places

# fixtures/fixed/ holds the expected output of --fix for other fixtures (tests/test_fixes.py);
# their marker comments are the input's, kept as --fix keeps every comment.
ALL = sorted(
    p
    for pattern in ("*.py", "*.ipynb")
    for p in FIXTURES.rglob(pattern)
    if "fixed" not in p.relative_to(FIXTURES).parts
)


# Numbers that the message or the fix's description must state in words, per rule; the
# others (full_batches, ranks, positions, SL002's sample count) are data for tools.
SPOKEN = {
    "SL001": ("samples", "batch_size", "remainder", "trim_to", "batch_sizes"),
    "SL002": ("batch_size", "call_batch_size"),
    "SL003": ("call_batch_size",),
    "SL009": ("batch_size",),
}


def pinned_numbers(finding: Finding) -> dict[str, object]:
    """What a marker pins: the finding's numbers and the numbers its fix carries."""
    numbers: dict[str, object] = dict(finding.numbers)
    for key, value in finding.fix.params if finding.fix is not None else ():
        if not _is_number(value):
            continue
        assert numbers.get(key, value) == value, f"{finding.code}: two values for {key}"
        numbers[key] = value
    return numbers


def _is_number(value: object) -> bool:
    if isinstance(value, tuple):
        return all(v is None or _is_number(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def _ints(value: object) -> list[int]:
    if isinstance(value, tuple):
        return [v for v in value if isinstance(v, int)]
    return [value] if isinstance(value, int) else []


def _findings(path: Path) -> list[Finding]:
    options = options_for(str(path))
    select = {r.code for r in RULES if r.default or r.code.lower() == path.parent.name}
    text = path.read_text(encoding="utf-8")
    return check_source(text, str(path), options=options, select=select)


@pytest.mark.parametrize("path", ALL, ids=[str(p.relative_to(FIXTURES)) for p in ALL])
def test_fixture_markers_match_findings(path: Path) -> None:
    findings = _findings(path)
    expected = expected_findings(path)
    found = Counter((f.cell, f.line, f.code) for f in findings)
    assert found == expected_places(path)
    assert Counter((f.cell, f.line, f.code, f.severity) for f in findings) == Counter(
        (e.cell, e.line, e.code, e.severity) for e in expected
    )


@pytest.mark.parametrize("path", ALL, ids=[str(p.relative_to(FIXTURES)) for p in ALL])
def test_fixture_markers_pin_every_number(path: Path) -> None:
    """Each finding carries exactly the numbers its marker states, and says them."""

    def key(numbers: dict[str, object]) -> str:
        return repr(sorted(numbers.items()))

    findings = _findings(path)
    by_place: dict[tuple[int | None, int, str], list[str]] = {}
    for e in expected_findings(path):
        by_place.setdefault((e.cell, e.line, e.code), []).append(key(e.numbers or {}))
    for finding in findings:
        numbers = pinned_numbers(finding)
        wanted = by_place.get((finding.cell, finding.line, finding.code), [])
        assert key(numbers) in wanted, (
            f"line {finding.line}: {finding.code} carries {numbers}; the markers pin {wanted}"
        )
        wanted.remove(key(numbers))
        text = finding.message + " " + (finding.fix.description if finding.fix else "")
        for name in SPOKEN.get(finding.code, ()):
            for value in _ints(numbers.get(name)):
                assert re.search(rf"(?<![\d.]){value}(?![\d])", text), (
                    f"line {finding.line}: {finding.code} does not say {name}={value}: {text}"
                )


def test_every_rule_has_positive_and_negative_fixtures() -> None:
    for rule in RULES:
        files = sorted((FIXTURES / "rules" / rule.code.lower()).glob("*.py"))
        codes = [{code for _, code in expected_markers(p)} for p in files]
        assert any(rule.code in c for c in codes), f"{rule.code}: no positive fixture"
        assert any(rule.code not in c for c in codes), f"{rule.code}: no negative fixture"


def test_spelling_fixtures_cover_every_spelling() -> None:
    texts = "\n".join(p.read_text() for p in (FIXTURES / "spellings").glob("*.py"))
    for spelling in (
        "import keras\n",
        "import tensorflow as tf",
        "from tensorflow.keras",
        "import tf_keras",
        "from tf_keras import",
        "import tensorflow.keras as",
        " as RecurrentLayer",
        "L = K.layers",
        "from keras.layers import *",
        "Model(inputs=inp, outputs=out)",
        "Sequential([",
        "model.add(",
        "Input(shape=(30, 7), batch_size=30)",
        "Input(batch_shape=",
        "InputLayer(",
        "batch_size=30, stateful=True",
        "RNN(keras.layers.LSTMCell",
        "ConvLSTM2D",
        "Bidirectional(",
        "GRU(",
        "SimpleRNN(",
    ):
        assert spelling in texts, spelling
