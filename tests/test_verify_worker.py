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

from shapelint.verify.runner import (
    NOT_RUN,
    TIMED_OUT,
    Pool,
    Worker,
    groups,
    worker_command,
)

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
    """Runs the stand-in instead of the worker (``worker_command()``); returns the
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
    assert commands == [worker_command()]


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


def test_a_pool_trains_independent_runs_at_once_and_answers_in_order(
    commands: list[list[str]],
) -> None:
    pool = Pool(2)
    begun: list[int] = []
    try:
        pool.run_all([{}, {}], timeout=30)  # both started and warm
        start = time.monotonic()
        results = pool.run_all(
            [{"sleep": 1.5, "n": 0}, {"sleep": 1.5, "n": 1}, {"n": 2}],
            timeout=30,
            started=begun.append,
        )
        took = time.monotonic() - start
    finally:
        pool.close()
    assert [r["echo"].get("n") for r in results] == [0, 1, 2]
    assert results[0]["pid"] != results[1]["pid"]
    assert took < 2.9  # the two sleeps overlapped
    assert begun == [0, 1, 2]
    assert len(commands) == 2


def test_a_pool_of_one_runs_in_order_in_one_process(commands: list[list[str]]) -> None:
    pool = Pool(1)
    begun: list[int] = []
    try:
        results = pool.run_all([{"n": n} for n in range(4)], timeout=30, started=begun.append)
    finally:
        pool.close()
    assert [r["echo"] for r in results] == [{"n": n} for n in range(4)]
    assert len({r["pid"] for r in results}) == 1
    assert begun == [0, 1, 2, 3]
    assert commands == [worker_command()]
    assert Pool(0).workers and len(Pool(0).workers) == 1  # at least one worker


def test_in_a_pool_a_run_past_its_time_limit_times_out_alone(commands: list[list[str]]) -> None:
    pool = Pool(2)
    try:
        pool.run_all([{}, {}], timeout=30)
        start = time.monotonic()
        slow, quick, died, after = pool.run_all(
            [{"sleep": 6}, {"n": 1}, {"exit": True}, {"n": 3}], timeout=0.5
        )
        took = time.monotonic() - start
    finally:
        pool.close()
    assert slow == TIMED_OUT and slow is not TIMED_OUT
    assert quick["echo"] == {"n": 1}
    assert died == {"internal": "the worker process ended unexpectedly"}
    assert after["echo"] == {"n": 3}
    assert took < 3
    # Two, and one more after the crash; the worker that timed out had nothing left to run.
    assert len(commands) == 3


def test_a_run_whose_prerequisite_timed_out_is_left_out(commands: list[list[str]]) -> None:
    begun: list[int] = []
    pool = Pool(1)
    try:
        pool.run_all([{}], timeout=30)
        results = pool.run_all(
            [{"sleep": 6}, {"n": 1}, {"n": 2}],
            timeout=0.5,
            started=begun.append,
            needs=[None, 0, None],
        )
    finally:
        pool.close()
    assert results[0] == TIMED_OUT
    assert results[1] == NOT_RUN and results[1] is not NOT_RUN
    assert results[2]["echo"] == {"n": 2}
    assert begun == [0, 2]
    # With a second worker the fix starts while its reproduction is still going: it runs.
    pool = Pool(2)
    try:
        pool.run_all([{}, {}], timeout=30)
        results = pool.run_all([{"sleep": 6}, {"n": 1}], timeout=0.5, needs=[None, 0])
    finally:
        pool.close()
    assert results[0] == TIMED_OUT
    assert results[1]["echo"] == {"n": 1}


def test_a_pool_with_nothing_to_run_starts_nothing(commands: list[list[str]]) -> None:
    pool = Pool(3)
    assert pool.run_all([], timeout=30) == []
    pool.close()
    assert commands == []


def test_runs_of_one_model_make_one_group_with_partial_batches_first() -> None:
    specs: list[dict[str, Any]] = [
        {"action": "build"},
        {"samples": 60, "batch_size": 30},
        {"samples": 55, "batch_size": 30},
        {"samples": 30, "batch_size": 30},
        {"samples": 10, "batch_size": 5},
        {"samples": 30, "batch_size": 30, "validation_samples": 35},
        {"samples": 7},
    ]
    keys = [None, "a", "a", "a", "b", "a", None]
    assert groups(specs, keys) == [[0], [2, 5, 1, 3], [4], [6]]
    assert groups(specs, None) == [[n] for n in range(7)]
    assert groups(specs, [None] * 7) == [[n] for n in range(7)]
    assert groups([], None) == []


def test_a_pool_gives_the_runs_of_one_model_to_one_worker_in_turn(
    commands: list[list[str]],
) -> None:
    specs: list[dict[str, Any]] = [
        {"n": 0},
        {"n": 1, "sleep": 0.5},
        {"n": 2, "samples": 3, "batch_size": 2},
        {"n": 3},
    ]
    keys = ["a", "b", "a", "a"]
    pool = Pool(2)
    begun: list[int] = []
    try:
        results = pool.run_all(specs, timeout=30, started=begun.append, together=keys)
    finally:
        pool.close()
    assert [r["echo"]["n"] for r in results] == [0, 1, 2, 3]
    pids = [r["pid"] for r in results]
    assert pids[0] == pids[2] == pids[3] != pids[1]
    assert begun[0] == 2  # the group's partial batch first
    assert begun.index(0) < begun.index(3)
    assert sorted(begun) == [0, 1, 2, 3]
    # One worker: the whole group first, then the next.
    pool = Pool(1)
    begun = []
    try:
        results = pool.run_all(specs, timeout=30, started=begun.append, together=keys)
    finally:
        pool.close()
    assert begun == [2, 0, 3, 1]
    assert [r["echo"]["n"] for r in results] == [0, 1, 2, 3]


def test_a_run_of_a_group_whose_prerequisite_timed_out_is_left_out(
    commands: list[list[str]],
) -> None:
    pool = Pool(1)
    try:
        pool.run_all([{}], timeout=30)
        results = pool.run_all(
            [{"sleep": 6}, {"n": 1}, {"n": 2}],
            timeout=0.5,
            needs=[None, 0, 0],
            together=["a", "a", "b"],
        )
    finally:
        pool.close()
    assert results == [TIMED_OUT, NOT_RUN, NOT_RUN]


def test_a_started_worker_imports_before_its_first_run_and_is_killed_if_given_none(
    commands: list[list[str]],
) -> None:
    worker = Worker()
    worker.start()
    assert len(commands) == 1
    process = worker._process
    assert process is not None and process.poll() is None
    worker.start()  # already running: nothing more
    assert len(commands) == 1
    first = worker.run({"n": 1}, timeout=30)
    assert first["pid"] == process.pid  # the run went to the process already started
    worker.close()
    assert process.returncode == 0  # handed a run: ended by closing its input
    worker.start()
    idle = worker._process
    assert idle is not None
    start = time.monotonic()
    worker.close()
    assert time.monotonic() - start < 5
    assert idle.returncode is not None and idle.returncode < 0  # never handed a run: killed


def test_a_pool_started_early_keeps_the_workers_it_needs(commands: list[list[str]]) -> None:
    pool = Pool(3)
    pool.start()
    assert len(commands) == 3
    ended = [w._process for w in pool.workers[1:]]
    pool.keep(1)
    assert len(pool.workers) == 1
    assert all(p is not None and p.returncode is not None and p.returncode < 0 for p in ended)
    try:
        (result,) = pool.run_all([{"n": 0}], timeout=30)
    finally:
        pool.close()
    assert result["echo"] == {"n": 0}
    assert len(commands) == 3  # the run went to the worker kept
    pool = Pool(2)
    pool.keep(0)  # at least one
    assert len(pool.workers) == 1


@pytest.mark.parametrize(
    ("cores", "load", "jobs"),
    [
        (2, 0.1, 2), (2, 1.64, 2), (2, 1.99, 2), (2, 2.0, 1), (2, 3.5, 1), (8, 1.0, 4),
        (1, 0.0, 1), (None, 0.0, 1), (4, 2.4, 3), (4, 9.0, 1),
    ],
)  # fmt: skip
def test_verify_trains_in_one_process_per_core_not_kept_busy_at_most_four(
    monkeypatch: pytest.MonkeyPatch, cores: int | None, load: float, jobs: int
) -> None:
    import os

    import shapelint.verify as verify
    from shapelint.verify import default_jobs

    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, 0.0, 0.0))
    monkeypatch.setattr(verify, "available_memory", lambda: None)
    assert default_jobs() == jobs


def test_without_a_load_average_every_core_counts_as_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import shapelint.verify as verify
    from shapelint.verify import default_jobs

    def missing() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    monkeypatch.setattr(os, "getloadavg", missing)
    monkeypatch.setattr(verify, "available_memory", lambda: None)
    assert default_jobs() == 3
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert default_jobs() == 4


@pytest.mark.parametrize(
    ("gib", "jobs"),
    [(None, 4), (64.0, 4), (3.9, 3), (2.0, 2), (1.5, 1), (0.3, 1), (0.0, 1)],
)
def test_verify_trains_in_no_more_processes_than_memory_holds(
    monkeypatch: pytest.MonkeyPatch, gib: float | None, jobs: int
) -> None:
    import os

    import shapelint.verify as verify
    from shapelint.verify import default_jobs

    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    memory = None if gib is None else int(gib * (1 << 30))
    monkeypatch.setattr(verify, "available_memory", lambda: memory)
    assert verify.WORKER_BYTES == 1 << 30
    assert default_jobs() == jobs


def test_available_memory_is_what_linux_calls_available(tmp_path: Path) -> None:
    from shapelint.verify import available_memory

    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16384 kB\nMemFree:  1024 kB\nMemAvailable:    2048 kB\n")
    assert available_memory(str(meminfo)) == 2048 * 1024
    meminfo.write_text("MemTotal:       16384 kB\nMemFree:  1024 kB\n")
    assert available_memory(str(meminfo)) is None
    meminfo.write_text("MemAvailable: lots\n")
    assert available_memory(str(meminfo)) is None
    meminfo.write_text("MemAvailable:\n")
    assert available_memory(str(meminfo)) is None
    assert available_memory(str(tmp_path / "missing")) is None
