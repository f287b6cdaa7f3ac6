"""verify's Worker (shapelint/verify/runner.py) against a stand-in worker process.

The real worker imports TensorFlow; this one answers the same line protocol at once, so
the time limit, the restart after a time-out or a crash, and closing run in a second.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from shapelint.verify.runner import TIMED_OUT, Worker

FAKE = """
import json, os, sys, time
print("stand-in worker started", file=sys.stderr, flush=True)
for line in sys.stdin:
    spec = json.loads(line)
    if "sleep" in spec:
        time.sleep(spec["sleep"])
    if spec.get("exit"):
        sys.exit(0)
    print(json.dumps({"pid": os.getpid(), "echo": spec}), flush=True)
"""


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[list[str]]:
    """Runs the stand-in instead of ``python -m shapelint.verify.worker``; returns the
    commands the Worker asked for."""
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE)
    asked: list[list[str]] = []
    real = subprocess.Popen

    def popen(args: list[str], **kwargs: Any) -> subprocess.Popen[str]:
        asked.append(list(args))
        return real([sys.executable, str(script)], **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.delenv("SHAPELINT_VERIFY_DEBUG", raising=False)
    return asked


def test_one_process_answers_run_after_run(commands: list[list[str]]) -> None:
    worker = Worker()
    try:
        first = worker.run({"action": "fit", "samples": 13}, timeout=30)
        second = worker.run({"action": "predict"}, timeout=30)
    finally:
        worker.close()
    assert first["echo"] == {"action": "fit", "samples": 13}
    assert second["echo"] == {"action": "predict"}
    assert first["pid"] == second["pid"]
    assert commands == [[sys.executable, "-m", "shapelint.verify.worker"]]


def test_a_run_past_its_time_limit_times_out_and_the_next_starts_afresh(
    commands: list[list[str]],
) -> None:
    worker = Worker()
    try:
        before = worker.run({}, timeout=30)["pid"]
        start = time.monotonic()
        timed_out = worker.run({"sleep": 6}, timeout=0.3)
        took = time.monotonic() - start
        after = worker.run({}, timeout=30)["pid"]
    finally:
        worker.close()
    assert timed_out == {"timeout": True}
    assert took < 3
    timed_out["changed"] = True  # each time-out is its own dict
    assert TIMED_OUT == {"timeout": True}
    assert after != before
    assert len(commands) == 2


def test_a_time_limit_already_spent_times_out(commands: list[list[str]]) -> None:
    worker = Worker()
    try:
        assert worker.run({}, timeout=0) == {"timeout": True}
        assert worker.run({}, timeout=-1) == {"timeout": True}
    finally:
        worker.close()


def test_a_worker_that_dies_is_an_internal_error_and_is_restarted(
    commands: list[list[str]],
) -> None:
    worker = Worker()
    try:
        before = worker.run({}, timeout=30)["pid"]
        died = worker.run({"exit": True}, timeout=30)
        after = worker.run({}, timeout=30)["pid"]
    finally:
        worker.close()
    assert died == {"internal": "the worker process ended unexpectedly"}
    assert after != before
    assert len(commands) == 2


def test_a_worker_that_exited_between_runs_is_started_again(commands: list[list[str]]) -> None:
    worker = Worker()
    try:
        first = worker.run({}, timeout=30)["pid"]
        process = worker._process
        assert process is not None and process.stdin is not None
        process.stdin.close()  # the stand-in ends when its input does
        process.wait(timeout=10)
        second = worker.run({}, timeout=30)["pid"]
    finally:
        worker.close()
    assert first != second
    assert len(commands) == 2


def test_close_ends_the_process_and_can_be_repeated(commands: list[list[str]]) -> None:
    worker = Worker()
    worker.close()  # nothing started: nothing to do
    worker.run({}, timeout=30)
    process = worker._process
    assert process is not None
    worker.close()
    assert worker._process is None
    assert process.returncode == 0  # ended by closing its input, not killed
    worker.close()
    worker.run({}, timeout=30)
    process = worker._process
    assert process is not None
    worker.close(kill=True)
    assert worker._process is None
    assert process.returncode is not None and process.returncode < 0  # killed


def test_a_worker_that_ignores_closing_is_killed(
    commands: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = Worker()
    worker.run({}, timeout=30)
    process = worker._process
    assert process is not None
    waited: list[float | None] = []
    real_wait = process.wait

    def wait(timeout: float | None = None) -> int:
        waited.append(timeout)
        if len(waited) == 1:
            raise subprocess.TimeoutExpired("worker", timeout or 0)
        return real_wait(timeout)

    monkeypatch.setattr(process, "wait", wait)
    worker.close()
    assert waited[0] == 10
    assert worker._process is None
    assert real_wait(timeout=10) < 0  # killed


def test_the_worker_stderr_is_hidden_unless_debugging(
    commands: list[list[str]], monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    worker = Worker()
    worker.run({}, timeout=30)
    worker.close()
    assert "stand-in worker started" not in capfd.readouterr().err
    monkeypatch.setenv("SHAPELINT_VERIFY_DEBUG", "1")
    worker.run({}, timeout=30)
    worker.close()
    assert "stand-in worker started" in capfd.readouterr().err


def test_answers_are_read_line_by_line(commands: list[list[str]]) -> None:
    worker = Worker()
    try:
        for n in range(5):
            assert worker.run({"n": n}, timeout=30)["echo"] == {"n": n}
    finally:
        worker.close()


def test_an_answer_within_a_short_time_limit_is_not_a_time_out(commands: list[list[str]]) -> None:
    worker = Worker()
    try:
        worker.run({}, timeout=30)  # started and warm
        assert worker.run({"n": 1}, timeout=0.9)["echo"] == {"n": 1}
    finally:
        worker.close()
