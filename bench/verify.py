"""How long `shapelint verify` takes on the seed case, against one real epoch.

The seed model has three stateful LSTM layers of 512 units. verify reproduces the
remainder failure on b + (N mod b) = 55 samples; the user's script trains a full
epoch on all N = 1735 samples before it fails. Both runs happen here, in the same
worker process, one after the other, each on the model built and traced afresh (as a
finding's first run builds it), and the ratio is printed. Then the whole
``shapelint verify`` of the seed (every rule: SL008 and SL001, five training runs) is
timed with one training process, with two, and with the default number (one per core
not kept busy by other work, at most four), against the 15 s target. Last, where the
time of the whole verify goes, from its JSON report with one training process: each
run's seconds, of which building the model and its first batch (tracing the step and
running it once), and whether it trained on the model of an earlier run (kept) or built
its own; the time outside the runs (start, the part of TensorFlow's import that
checking and planning do not hide, the report); and TensorFlow's import timed alone.
Run it with the verify extra installed:

    python bench/verify.py [REPEATS]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed" / "stateful_lstm_stock.py"


LET_GO = {
    "model": {"keras": 3, "legacy_only": True},
    "action": "call",
    "call": {"qualname": "layers.Dense", "positional": [1], "kwargs": {}},
}


def reproduction_seconds(full: bool, repeats: int) -> list[float]:
    from shapelint.config import options_for
    from shapelint.lint import facts_for
    from shapelint.rules import sl001_batch_remainder
    from shapelint.verify.plan import plan
    from shapelint.verify.runner import Worker, judge

    facts = facts_for(SEED.read_text(), str(SEED), options_for(str(SEED)))
    (diagnostic,) = list(sl001_batch_remainder.check(facts))
    from shapelint.api import check_source

    (finding,) = check_source(SEED.read_text(), str(SEED), select={"SL001"})
    case = plan(finding, diagnostic.subject, facts, full=full, shrink=False)
    assert case.reproduce is not None
    worker = Worker()
    times = []
    try:
        worker.run(case.reproduce.spec, 600)  # warm-up: TensorFlow import and first trace
        for _ in range(repeats):
            # A run that builds no model of the facts makes the worker let the model go:
            # each timed run builds and traces it afresh, as a finding's first run does.
            worker.run(LET_GO, 600)
            started = time.perf_counter()
            outcome = judge(case.reproduce, worker.run(case.reproduce.spec, 600))
            times.append(time.perf_counter() - started)
            assert outcome.ok, outcome.verdict
    finally:
        worker.close()
    return times


TARGET_S = 15.0


def command_seconds(*args: str) -> float:
    """Wall time of ``shapelint verify ARGS SEED`` in a fresh interpreter."""
    return command(*args)[0]


def command(*args: str) -> tuple[float, str]:
    """Wall time and output of ``shapelint verify ARGS SEED`` in a fresh interpreter."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "shapelint", "verify", *args, str(SEED)],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, done.stdout


IMPORT = (
    "import time\n"
    "from shapelint.verify.worker import leave_out_unused, quiet_environment\n"
    "quiet_environment()\n"
    "leave_out_unused()\n"
    "started = time.perf_counter()\n"
    "import tensorflow, keras\n"
    "print(time.perf_counter() - started)\n"
)


def import_seconds() -> float:
    """How long a worker takes to import TensorFlow and Keras, in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _runs(report: str) -> list[tuple[str, dict[str, object]]]:
    """Each run of a JSON report of verify, named by its finding and what it did."""
    found = []
    for row in json.loads(report):
        finding = row["finding"]
        where = f"{finding['code']}:{finding['line']}"
        if row["reproduction"] is not None:
            found.append(
                (f"{where} reproduce  {row['reproduction']['description']}", row["reproduction"])
            )
        for fix in row["fixes"]:
            found.append((f"{where} fix        {fix['description']}", fix))
    return found


def profile(wall: list[float], reports: list[str], imports: list[float]) -> list[str]:
    """Where the time of the whole verify goes (medians over the repeats)."""
    each: dict[str, list[dict[str, object]]] = {}
    outside = []
    for seconds, report in zip(wall, reports, strict=True):
        runs = _runs(report)
        for name, run in runs:
            each.setdefault(name, []).append(run)
        outside.append(seconds - sum(float(str(run["seconds"])) for _, run in runs))

    def cell(runs: list[dict[str, object]], key: str) -> str:
        values = [float(str(run[key])) for run in runs if run[key] is not None]
        return f"{median(values):6.2f}" if values else "     -"

    lines = [
        "  importing TensorFlow and Keras in a worker, alone:               "
        f"{median(imports):7.2f} s",
        "  outside the runs (start, import not hidden by checking, report): "
        f"{median(outside):7.2f} s",
        f"  {'run':66} {'total':>6} {'build':>6} {'first batch':>11}  model",
    ]
    for name, runs in each.items():
        model = "kept" if all(run["reused_model"] for run in runs) else "built"
        lines.append(
            f"  {name[:66]:66} {cell(runs, 'seconds')} {cell(runs, 'build_seconds')} "
            f"     {cell(runs, 'first_batch_seconds')}  {model}"
        )
    return lines


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    from shapelint.verify import default_jobs

    command_s = command_seconds("--select", "SL001")
    # Interleaved, so that a busy machine slows both alike.
    one: list[float] = []
    two: list[float] = []
    default: list[float] = []
    loads: list[float] = []
    reports: list[str] = []
    imports: list[float] = []
    for _ in range(repeats):
        loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0)
        seconds, report = command("--jobs", "1", "--format", "json")
        one.append(seconds)
        reports.append(report)
        two.append(command_seconds("--jobs", "2"))
        default.append(command_seconds())
        imports.append(import_seconds())
    one_s = sorted(one)[repeats // 2]
    two_s = sorted(two)[repeats // 2]
    default_s = sorted(default)[repeats // 2]
    minimal = sorted(reproduction_seconds(False, repeats))[repeats // 2]
    full = sorted(reproduction_seconds(True, repeats))[repeats // 2]
    print(f"seed case: 3 stateful LSTM(512), N=1735, batch 30 (median of {repeats})")
    print(f"  minimal reproduction (55 samples):      {minimal:7.2f} s  (model built afresh)")
    print(f"  one full epoch until it fails (1735):   {full:7.2f} s")
    print(f"  ratio full / minimal:                   {full / minimal:7.1f}x")
    print(
        f"  whole `shapelint verify --select SL001` (import, reproduce, 2 fixes): {command_s:.1f} s"
    )
    print(f"  whole `shapelint verify` (SL008 and SL001, 5 runs), --jobs 1:     {one_s:7.1f} s")
    print(f"  whole `shapelint verify`, --jobs 2:                               {two_s:7.1f} s")
    verdict = "PASS" if default_s <= TARGET_S else "FAIL"
    print(
        f"  whole `shapelint verify`, default --jobs (free cores; {default_jobs()} now):"
        f"    {default_s:7.1f} s  (target <= {TARGET_S:.0f} s: {verdict})"
    )
    print(
        f"  {os.cpu_count()} cores; load average (1 min) before each round: "
        + ", ".join(f"{load:.2f}" for load in loads)
    )
    print(f"profile of the whole `shapelint verify --jobs 1` (median of {repeats}):")
    for line in profile(one, reports, imports):
        print(line)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
