"""How long `shapelint verify` takes on the seed case, against one real epoch.

The seed model has three stateful LSTM layers of 512 units. verify reproduces the
remainder failure on b + (N mod b) = 55 samples; the user's script trains a full
epoch on all N = 1735 samples before it fails. Both runs happen here, in the same
worker process, one after the other, and the ratio is printed. Then the whole
``shapelint verify`` of the seed (every rule: SL008 and SL001, five training runs) is
timed with one training process, with two, and with the default number (one per core
not kept busy by other work, at most four), against the 15 s target. Run it with the
verify extra installed:

    python bench/verify.py [REPEATS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed" / "stateful_lstm_stock.py"


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
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "shapelint", "verify", *args, str(SEED)],
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    from shapelint.verify import default_jobs

    command = command_seconds("--select", "SL001")
    # Interleaved, so that a busy machine slows both alike.
    one: list[float] = []
    two: list[float] = []
    default: list[float] = []
    loads: list[float] = []
    for _ in range(repeats):
        loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0)
        one.append(command_seconds("--jobs", "1"))
        two.append(command_seconds("--jobs", "2"))
        default.append(command_seconds())
    one_s = sorted(one)[repeats // 2]
    two_s = sorted(two)[repeats // 2]
    default_s = sorted(default)[repeats // 2]
    minimal = sorted(reproduction_seconds(False, repeats))[repeats // 2]
    full = sorted(reproduction_seconds(True, repeats))[repeats // 2]
    print(f"seed case: 3 stateful LSTM(512), N=1735, batch 30 (median of {repeats})")
    print(f"  minimal reproduction (55 samples):      {minimal:7.2f} s")
    print(f"  one full epoch until it fails (1735):   {full:7.2f} s")
    print(f"  ratio full / minimal:                   {full / minimal:7.1f}x")
    print(
        f"  whole `shapelint verify --select SL001` (import, reproduce, 2 fixes): {command:.1f} s"
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


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
