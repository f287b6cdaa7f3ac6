"""check_paths from a process that has trained a Keras model: the case in which forked
workers crashed (a segmentation fault while collecting an inherited TensorFlow function)."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np

from shapelint import check_paths
from shapelint.parallel import start_method
from tests.conftest import FIXTURES

SMALL = (FIXTURES / "rules" / "sl001" / "remainder_of_one.py").read_text()


def test_check_paths_after_training_a_model(tmp_path: Path) -> None:
    import keras

    for _ in range(5):  # traced functions left for the collector, as a notebook leaves them
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.zeros((8, 4)), np.zeros((8, 2)), verbose=0)
        cycle: list[object] = [model]
        cycle.append(cycle)
    del model, cycle
    for i in range(300):
        (tmp_path / f"script_{i:03d}.py").write_text(SMALL)
    assert start_method() == "clean"
    report = check_paths([tmp_path], jobs=2)
    gc.collect()
    assert report.errors == []
    assert report.files_checked == 300
    assert [(Path(f.path).name, f.line) for f in report.findings] == [
        (f"script_{i:03d}.py", line) for i in range(300) for line in (11, 12)
    ]
