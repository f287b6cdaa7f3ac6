"""Runs plans in a worker process, with a time limit per run, and judges the outcomes."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from shapelint.verify.plan import Run

TIMED_OUT: dict[str, Any] = {"timeout": True}


class Worker:
    """One TensorFlow process, reused for run after run; restarted after a time-out."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            debug = os.environ.get("SHAPELINT_VERIFY_DEBUG")
            self._process = subprocess.Popen(
                [sys.executable, "-m", "shapelint.verify.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=None if debug else subprocess.DEVNULL,
                text=True,
                bufsize=1,
            )
        return self._process

    def run(self, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(spec) + "\n")
        process.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.close(kill=True)
                return dict(TIMED_OUT)
            ready, _, _ = select.select([process.stdout], [], [], min(left, 1.0))
            if ready:
                line = process.stdout.readline()
                if not line:
                    self.close(kill=True)
                    return {"internal": "the worker process ended unexpectedly"}
                result: dict[str, Any] = json.loads(line)
                return result

    def close(self, kill: bool = False) -> None:
        if self._process is None:
            return
        if kill:
            self._process.kill()
        elif self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._process = None


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


def judge(run: Run, result: dict[str, Any]) -> Outcome:
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
        summary = f"{error['class']}: {error['message']} ({error['phase']})"
        return Outcome(run, result, matched, summary if matched else f"other error: {summary}")
    # Silent defects: the run must not fail, and what came out shows the defect.
    if error:
        summary = f"{error['class']}: {error['message']} ({error['phase']})"
        if run.expect == "silent":
            return Outcome(run, result, True, summary)
        return Outcome(run, result, False, f"other error: {summary}")
    if run.expect == "silent-rows":
        rows, samples = result.get("rows"), run.match["samples"]
        ok = rows is not None and rows != samples
        return Outcome(
            run, result, ok, f"silent: predict returned {rows} rows for {samples} samples"
        )
    if run.expect == "silent-batches":
        samples, batch = run.match["samples"], run.match["batch"]
        batches = result.get("validation_batches") or result.get("batches")
        expected_batches = -(-samples // batch) if samples > batch else 1
        ok = batches == expected_batches
        last = samples - (expected_batches - 1) * batch
        return Outcome(
            run,
            result,
            ok,
            f"silent: ran {batches} batches on {samples} samples; the last held {last} "
            f"sample{'s' if last != 1 else ''} for a state built for {batch}",
        )
    targets = run.match.get("targets")
    return Outcome(
        run, result, True, f"silent: trained without error on targets {tuple(targets or ())}"
    )
