"""Runs plans in a worker process, with a time limit per run, and judges the outcomes."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from shapelint.verify.plan import Run

TIMED_OUT: dict[str, Any] = {"timeout": True}
NOT_RUN: dict[str, Any] = {"not_run": True}


WORKER = Path(__file__).with_name("worker.py")
# Runs a file as __main__, as ``python FILE`` would, but with sys.path as ``-m`` sets it.
RUN_FILE = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')"


def worker_command() -> list[str]:
    """How to start a worker: from its file, which needs nothing of shapelint. As
    ``python -m shapelint.verify.worker`` it would first import the shapelint package and
    shapelint.verify (0.2 s), and TensorFlow's import would wait for them. As a module
    where the file is not at hand (a zipped install)."""
    if WORKER.is_file():
        return [sys.executable, "-c", RUN_FILE, str(WORKER)]
    return [sys.executable, "-m", "shapelint.verify.worker"]


class Worker:
    """One TensorFlow process, reused for run after run; restarted after a time-out."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._given = False  # whether the process has been handed a run

    def start(self) -> None:
        """Start the process, if it is not running, to import TensorFlow while the caller
        does other work; runs sent later wait for the import."""
        self._start()

    def _start(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            debug = os.environ.get("SHAPELINT_VERIFY_DEBUG")
            self._process = subprocess.Popen(
                worker_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=None if debug else subprocess.DEVNULL,
                text=True,
                bufsize=1,
            )
            self._given = False
        return self._process

    def run(self, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
        self.send(spec)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.close(kill=True)
                return dict(TIMED_OUT)
            if self.ready(min(left, 1.0)):
                return self.receive()

    def send(self, spec: dict[str, Any]) -> None:
        """Hand the worker a run (starting the process if it is not running)."""
        process = self._start()
        assert process.stdin is not None
        process.stdin.write(json.dumps(spec) + "\n")
        process.stdin.flush()
        self._given = True

    @property
    def stdout(self) -> IO[str]:
        assert self._process is not None and self._process.stdout is not None
        return self._process.stdout

    def ready(self, wait: float) -> bool:
        """Whether the answer to the run sent last can be read, waiting up to ``wait`` s."""
        readable, _, _ = select.select([self.stdout], [], [], wait)
        return bool(readable)

    def receive(self) -> dict[str, Any]:
        """The answer to the run sent last (call when ``ready``)."""
        line = self.stdout.readline()
        if not line:
            self.close(kill=True)
            return {"internal": "the worker process ended unexpectedly"}
        result: dict[str, Any] = json.loads(line)
        return result

    def close(self, kill: bool = False) -> None:
        """End the process: by closing its input, after which it exits once it is done; or
        by killing it, with ``kill`` or where it was never handed a run (it may still be
        importing TensorFlow, which closing its input would wait for)."""
        if self._process is None:
            return
        if kill or not self._given:
            self._process.kill()
        elif self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._process = None


class Pool:
    """Up to ``jobs`` workers, each one TensorFlow process reused for run after run.

    Independent runs go to whichever worker is free, so with two workers two models train
    at once; each run keeps its own time limit, and a worker that runs out of time is
    ended (and started again for its next run) without touching the others. With one
    worker the runs happen one after another, in order, as ``Worker.run`` does them."""

    def __init__(self, jobs: int) -> None:
        self.workers = [Worker() for _ in range(max(1, jobs))]

    def start(self) -> None:
        """Start every worker, to import TensorFlow while the caller plans the runs."""
        for worker in self.workers:
            worker.start()

    def keep(self, jobs: int) -> None:
        """Keep ``jobs`` workers (at least one) and end the others."""
        for worker in self.workers[max(1, jobs) :]:
            worker.close()
        del self.workers[max(1, jobs) :]

    def run_all(
        self,
        specs: Sequence[dict[str, Any]],
        timeout: float,
        started: Callable[[int], None] | None = None,
        needs: Sequence[int | None] | None = None,
        together: Sequence[str | None] | None = None,
    ) -> list[dict[str, Any]]:
        """The result of each spec, in order. ``started(i)`` is called as run i begins.
        ``needs[i]`` names a run whose time-out makes run i pointless: if that run has
        timed out by the time run i's turn comes, run i is left out (its result says
        ``not_run``); if it is still going, both run. Runs with the same ``together`` key
        (not None) go to one worker, one after another (``groups``), so that it builds and
        traces their model once; the groups are shared out as the runs were."""
        results: dict[int, dict[str, Any]] = {}
        waiting = list(reversed(groups(specs, together)))
        queues: list[list[int]] = [[] for _ in self.workers]  # each worker's group, reversed
        busy: dict[int, tuple[int, float]] = {}  # worker slot -> (run, deadline)
        while waiting or any(queues) or busy:
            for slot, worker in enumerate(self.workers):
                while slot not in busy and (queues[slot] or waiting):
                    if not queues[slot]:
                        queues[slot] = list(reversed(waiting.pop()))
                    index = queues[slot].pop()
                    before = needs[index] if needs is not None else None
                    if before is not None and results.get(before, {}).get("timeout"):
                        results[index] = dict(NOT_RUN)
                        continue
                    if started is not None:
                        started(index)
                    worker.send(specs[index])
                    busy[slot] = (index, time.monotonic() + timeout)
            if not busy:
                break
            first = min(deadline for _, deadline in busy.values())
            streams = {slot: self.workers[slot].stdout for slot in busy}
            wait = min(max(0.0, first - time.monotonic()), 1.0)
            readable, _, _ = select.select(list(streams.values()), [], [], wait)
            for slot, stream in streams.items():
                if stream in readable:
                    index, _ = busy.pop(slot)
                    results[index] = self.workers[slot].receive()
            now = time.monotonic()
            for slot, (index, deadline) in list(busy.items()):
                if deadline <= now:
                    self.workers[slot].close(kill=True)
                    results[index] = dict(TIMED_OUT)
                    del busy[slot]
        return [results[i] for i in range(len(specs))]

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


def groups(
    specs: Sequence[dict[str, Any]], together: Sequence[str | None] | None
) -> list[list[int]]:
    """The runs as groups to hand out whole, in the order of each group's first run: runs
    with the same key (not None) make one group, every other run one of its own. Within a
    group the runs whose data ends in a partial batch go first: on the model they share,
    Keras traces its step for the batch size it meets first, and a trace for batches of
    one size must be traced again for a smaller last batch, while one made with a
    partial batch serves whole batches as well. Only how long it takes depends on this."""
    keys = together if together is not None else [None] * len(specs)
    by_key: dict[str, list[int]] = {}
    found: list[list[int]] = []
    for index, key in enumerate(keys):
        if key is None:
            found.append([index])
        elif key in by_key:
            by_key[key].append(index)
        else:
            by_key[key] = [index]
            found.append(by_key[key])
    return [sorted(group, key=lambda i: not _partial(specs[i])) for group in found]


def _partial(spec: dict[str, Any]) -> bool:
    """Whether a run's data, split into batches, ends in a partial batch."""
    size = spec.get("batch_size")
    if not isinstance(size, int) or size <= 0:
        return False
    counts = (spec.get("samples"), spec.get("validation_samples"))
    return any(isinstance(n, int) and n % size != 0 for n in counts)


@dataclass
class Outcome:
    """How one run went, judged against what it was expected to show."""

    run: Run
    result: dict[str, Any]
    ok: bool
    verdict: str

    @property
    def seconds(self) -> float:
        return float(self.result.get("seconds") or 0.0)


def _dims_match(text: str, dims: list[int]) -> bool:
    """The failure names both batch sizes: [25,...] vs. [30,...] in either order, or the
    eager 'Expected batch size: 30 - Received batch size: 25' form."""
    first, second = (str(d) for d in dims)
    shapes = f"[{first}," in text and f"[{second}," in text
    eager = f"batch size: {first}" in text and f"batch size: {second}" in text
    legacy = f"shape=({first}," in text and f"shape=({second}," in text
    return ("Incompatible shapes" in text and shapes) or eager or legacy


def _summary(error: dict[str, Any]) -> str:
    return f"{error['class']}: {error['message']} ({error['phase']})"


def _shape(dims: Any) -> tuple[Any, ...]:
    return tuple(dims or ())


def judge(run: Run, result: dict[str, Any]) -> Outcome:
    """Whether ``result`` shows what ``run`` expected, and a one-line verdict.

    Every expectation can fail: a run expected to fail must fail with the named shapes
    or words; a run expected to be silent must finish without an error *and* show the
    defect in what came out (rows, batches, or the output's shape against the targets).
    """
    if result.get("timeout"):
        return Outcome(run, result, False, "timed out")
    if "internal" in result:
        return Outcome(run, result, False, f"internal error: {result['internal'].strip()[-300:]}")
    error = result.get("error")
    if run.expect == "success":
        if error:
            return Outcome(run, result, False, f"failed: {error['class']}: {error['message']}")
        want = run.spec.get("expect_output")
        got = result.get("output_shape")
        if want is not None and got is not None and list(got) != list(want):
            return Outcome(run, result, False, f"output {tuple(got)} instead of {tuple(want)}")
        loss = result.get("loss")
        return Outcome(run, result, True, "trains" + (f", loss {loss:.4g}" if loss else ""))
    if run.expect == "error":
        if not error:
            return Outcome(run, result, False, "no error")
        text = error.get("text", "") + error["message"]
        expected = run.match
        matched = True
        if "dims" in expected:
            matched = _dims_match(text, expected["dims"])
        if "any" in expected:
            matched = any(key.lower() in text.lower() for key in expected["any"])
        summary = _summary(error)
        return Outcome(run, result, matched, summary if matched else f"other error: {summary}")
    if run.expect not in _SILENT:
        return Outcome(run, result, False, f"internal error: unknown expectation {run.expect!r}")
    # Silent defects: the run must not fail, and what came out must show the defect.
    if error:
        return Outcome(run, result, False, f"other error: {_summary(error)}")
    return _SILENT[run.expect](run, result)


def _silent_rows(run: Run, result: dict[str, Any]) -> Outcome:
    """predict on a remainder of 1: the state is broadcast and whole batches of rows come back."""
    rows, samples = result.get("rows"), run.match["samples"]
    if rows is None:
        return Outcome(run, result, False, "predict returned nothing to count")
    if rows == samples:
        return Outcome(
            run, result, False, f"predict returned {rows} rows for {samples} samples, as it should"
        )
    return Outcome(run, result, True, f"silent: predict returned {rows} rows for {samples} samples")


def _silent_batches(run: Run, result: dict[str, Any]) -> Outcome:
    """A batch whose size differs from the state's ran without an error: the state was
    broadcast over it. The data is split into batches of the call's size."""
    samples, state = run.match["samples"], run.match["batch"]
    size = run.spec.get("batch_size") or state
    validating = bool(run.spec.get("validation_samples"))
    batches = result.get("validation_batches" if validating else "batches")
    expected = max(1, -(-samples // size))
    last = samples - (expected - 1) * size
    sizes = {size, last} if expected > 1 else {last}
    what = "validation batches" if validating else "batches"
    ran = f"ran {batches} {what} on {samples} samples"
    if batches != expected:
        return Outcome(run, result, False, f"{ran}, not the {expected} that show the defect")
    if sizes == {state}:
        return Outcome(
            run, result, False, f"{ran}; every batch held {state}, the state's batch size"
        )
    return Outcome(
        run,
        result,
        True,
        f"silent: {ran}; the last held {last} sample{'s' if last != 1 else ''} for a state "
        f"built for {state}",
    )


def _rank_adjusted(output: tuple[Any, ...], targets: tuple[Any, ...], loss: str) -> bool:
    """Keras trains these pairs correctly: it adds a trailing 1 to the targets, and sparse
    losses take integer labels one rank short."""
    if len(targets) != len(output) - 1:
        return False
    return loss.startswith("sparse") or output[-1] == 1


def _silent_targets(run: Run, result: dict[str, Any]) -> Outcome:
    """Targets of another rank than the output: the loss broadcasts and training runs.
    Shown only if the rebuilt model's output really has another rank than the targets."""
    got = result.get("output_shape")
    if got is None:
        return Outcome(run, result, False, "trained without error; no output shape to compare")
    output = _shape(got)
    claimed = run.match.get("targets")
    targets = _shape(result.get("target_shape", claimed))
    if claimed is not None and targets != _shape(claimed):
        return Outcome(
            run, result, False, f"trained on targets {targets}, not the finding's {_shape(claimed)}"
        )
    compared = f"output {output} per sample against targets {targets}"
    loss = str(run.spec["model"].get("loss", ""))
    if len(output) == len(targets) or _rank_adjusted(output, targets, loss):
        return Outcome(run, result, False, f"trained correctly: {compared}")
    rank = run.match.get("output_rank")
    if rank is not None and len(output) != rank:
        return Outcome(
            run, result, False, f"{compared}, but the finding expected an output of rank {rank}"
        )
    return Outcome(run, result, True, f"silent: trained without error, {compared}")


def _silent_broadcast(run: Run, result: dict[str, Any]) -> Outcome:
    """Targets of another shape than the output, which the loss broadcasts: training runs.
    Shown only if the rebuilt model really outputs the shape the finding names, and the
    targets trained on have the shape it names."""
    got = result.get("output_shape")
    if got is None:
        return Outcome(run, result, False, "trained without error; no output shape to compare")
    output, targets = _shape(got), _shape(result.get("target_shape"))
    compared = f"output {output} per sample against targets {targets}"
    if output != _shape(run.match["output"]) or targets != _shape(run.match["targets"]):
        return Outcome(run, result, False, f"{compared}, not the shapes of the finding")
    if output == targets:
        return Outcome(run, result, False, f"trained correctly: {compared}")
    return Outcome(run, result, True, f"silent: trained without error, {compared}")


_SILENT: dict[str, Callable[[Run, dict[str, Any]], Outcome]] = {
    "silent-rows": _silent_rows,
    "silent-batches": _silent_batches,
    "silent": _silent_targets,
    "silent-broadcast": _silent_broadcast,
}
