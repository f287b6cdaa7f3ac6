"""Checking many files in worker processes, safely whatever the calling process holds.

Forking copies the caller's memory, which is the cheapest start when shapelint runs as
its own command. It is not safe in a process that runs other threads or has TensorFlow
(or another native runtime) loaded: in the child, a lock another thread held stays held,
and garbage-collecting an inherited TensorFlow function crashes it with a segmentation
fault. That is the case of a notebook, or of a test suite that trained a model, calling
``check_paths``. There each worker is a new interpreter that imports only shapelint.
Should a worker die, the files it had not returned are checked in this process, so the
run loses nothing."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

# Runtimes that start threads of their own and are not safe to fork once used.
_NOT_FORK_SAFE = ("tensorflow", "tf_keras", "torch", "jax", "jaxlib")


def thread_count() -> int:
    """Threads of this process, native ones included where the system tells."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def start_method() -> str:
    """How worker processes start: 'fork' where it is safe, else 'clean' (a new
    interpreter that imports only shapelint)."""
    if os.name != "posix":
        return "clean"
    if thread_count() > 1 or any(name in sys.modules for name in _NOT_FORK_SAFE):
        return "clean"
    return "fork"


def _each(function: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
    return [function(job) for job in jobs]


def run_in_processes(
    function: Callable[[Job], Result],
    work: Sequence[Job],
    processes: int,
    method: str | None = None,
) -> list[Result]:
    """``function`` applied to each job, in order, over ``processes`` worker processes
    started by ``method`` (``start_method()`` unless given). ``function`` must be a
    module-level function that never raises; it and the jobs must pickle."""
    if (method or start_method()) == "fork":
        return _forked(function, work, processes)
    return _clean(function, work, processes)


def _forked(function: Callable[[Job], Result], work: Sequence[Job], processes: int) -> list[Result]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, len(work) // (processes * 8))
    chunks = [work[start : start + size] for start in range(0, len(work), size)]
    results: list[Result] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = []
        for chunk in chunks:
            try:
                futures.append(pool.submit(_each, function, chunk))
            except BrokenProcessPool:  # a worker died while the work was handed out
                break
        for index, chunk in enumerate(chunks):
            if index < len(futures):
                try:
                    results.extend(futures[index].result())
                    continue
                except BrokenProcessPool:
                    pass
            results.extend(_each(function, chunk))
    return results


def _clean(function: Callable[[Job], Result], work: Sequence[Job], processes: int) -> list[Result]:
    """Each of ``processes`` new interpreters takes every n-th job, as one pickle on its
    input, and writes its results back as one pickle. Unlike multiprocessing's spawn and
    fork server, this never imports the caller's main module: a script or notebook that
    calls ``check_paths`` is not run again in the workers."""
    import pickle
    import subprocess

    shares = [list(range(first, len(work), processes)) for first in range(processes)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _SERVE, _HOME],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in shares
    ]
    for worker, share in zip(workers, shares, strict=True):
        assert worker.stdin is not None
        try:
            pickle.dump((function, [work[i] for i in share]), worker.stdin)
            worker.stdin.close()
        except OSError:  # the worker died before reading its share
            pass
    results: list[Any] = [None] * len(work)
    for worker, share in zip(workers, shares, strict=True):
        assert worker.stdout is not None
        try:
            answers = pickle.load(worker.stdout)
            if len(answers) != len(share):
                raise ValueError("a worker returned too few results")
        except Exception:  # noqa: BLE001 - a worker that died: its share is checked here
            answers = _each(function, [work[i] for i in share])
        worker.wait()
        for index, answer in zip(share, answers, strict=True):
            results[index] = answer
    return results


# Where this copy of shapelint is imported from, for workers to import the same one.
_HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SERVE = (
    "import sys; sys.path.insert(0, sys.argv[1]); from shapelint.parallel import _serve; _serve()"
)


def _serve() -> None:
    import pickle

    function, jobs = pickle.load(sys.stdin.buffer)
    pickle.dump(_each(function, jobs), sys.stdout.buffer)
    sys.stdout.buffer.flush()
