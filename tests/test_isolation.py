"""`shapelint check` never runs the checked script and never imports TensorFlow or Keras."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BOOBY_TRAP = """
import pathlib
import numpy as np
import keras
pathlib.Path(__file__).with_name("executed.txt").write_text("the script ran")
import shapelint_never_importable_module
x = np.zeros((1735, 30, 7))
inputs = keras.Input(batch_shape=(30, 30, 7))
model = keras.Model(inputs, keras.layers.LSTM(4, stateful=True)(inputs))
model.predict(x, batch_size=30)
"""


def test_the_checked_script_is_never_executed_or_imported(tmp_path: Path) -> None:
    script = tmp_path / "trap.py"
    script.write_text(BOOBY_TRAP)
    probe = (
        "import json, sys\n"
        "from shapelint.cli import main\n"
        f"code = main(['check', {str(script)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tensorflow', 'keras', 'tf_keras', 'trap'))\n"
        "print(json.dumps({'code': code, 'heavy': heavy}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary == {"code": 1, "heavy": []}
    assert "SL001" in result.stdout
    assert not (tmp_path / "executed.txt").exists()
