"""Every fixture's inline markers (``# error: [SL001]``) match its findings exactly.

A fixture without markers must produce no findings at all.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from shapelint import check_source
from shapelint.config import options_for
from shapelint.rules import RULES
from tests.conftest import FIXTURES, expected_markers

# fixtures/fixed/ holds the expected output of --fix for other fixtures (tests/test_fixes.py);
# their marker comments are the input's, kept as --fix keeps every comment.
ALL = sorted(p for p in FIXTURES.rglob("*.py") if "fixed" not in p.relative_to(FIXTURES).parts)


@pytest.mark.parametrize("path", ALL, ids=[str(p.relative_to(FIXTURES)) for p in ALL])
def test_fixture_markers_match_findings(path: Path) -> None:
    options = options_for(str(path))
    select = {r.code for r in RULES if r.default or r.code.lower() == path.parent.name}
    text = path.read_text(encoding="utf-8")
    findings = check_source(text, str(path), options=options, select=select)
    found = Counter((f.line, f.code) for f in findings)
    assert found == expected_markers(path)


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
