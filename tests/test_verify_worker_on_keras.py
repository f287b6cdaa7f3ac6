"""The verify worker with TensorFlow installed: what the real worker imports, and that
verify starts its workers while it checks the paths (it starts none without
TensorFlow). The fake-worker tests of the pool are in test_verify_worker.py."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from shapelint.verify.runner import WORKER, worker_command
from tests.test_verify_worker import commands  # noqa: F401, F811  (the fake worker fixture)


def test_the_worker_starts_from_its_file_without_importing_shapelint() -> None:
    """The real worker: with no run to do it imports TensorFlow and ends, having imported
    nothing of shapelint (Python's import log says what it imported)."""
    assert worker_command() == [sys.executable, "-c", worker_command()[2], str(WORKER)]
    assert WORKER.is_file() and WORKER.name == "worker.py"
    command = [sys.executable, "-X", "importtime", *worker_command()[1:]]
    done = subprocess.run(
        command, input="", capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = [line.rpartition("|")[2].strip() for line in done.stderr.splitlines()]
    assert "tensorflow" in imported and any(name.startswith("keras.") for name in imported)
    assert [name for name in imported if name.startswith("shapelint")] == []
    # Keras asks for them (the log lists the attempt), but nothing of them is loaded.
    assert not [name for name in imported if name.startswith(("pandas.", "sklearn."))]


def test_verify_starts_its_workers_before_checking_the_paths(
    commands: list[list[str]],  # noqa: F811  (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import shapelint.api as api
    from shapelint.verify import verify_paths
    from tests.conftest import SEED_FIXED

    started_when_checked: list[int] = []
    real_check = api.check_paths

    def check_paths(*args: Any, **kwargs: Any) -> Any:
        started_when_checked.append(len(commands))
        return real_check(*args, **kwargs)

    monkeypatch.setattr(api, "check_paths", check_paths)
    report = verify_paths([SEED_FIXED], jobs=2)
    assert report.rows == [] and report.ok
    assert started_when_checked == [2]  # both importing while the file was checked
    assert len(commands) == 2  # and, with nothing to run, ended without a run
