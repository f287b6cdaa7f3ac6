"""How long `shapelint verify` takes on the seed case, against one real epoch.

The seed model has three stateful LSTM layers of 512 units. verify reproduces the
remainder failure on b + (N mod b) = 55 samples; the user's script trains a full
epoch on all N = 1735 samples before it fails. Both runs happen here, in the same
worker process, one after the other, and the ratio is printed. Run it with the
verify extra installed:

    python bench/verify.py
"""

from __future__ import annotations

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


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "shapelint", "verify", "--select", "SL001", str(SEED)],
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    command = time.perf_counter() - started
    minimal = sorted(reproduction_seconds(False, repeats))[repeats // 2]
    full = sorted(reproduction_seconds(True, repeats))[repeats // 2]
    print(f"seed case: 3 stateful LSTM(512), N=1735, batch 30 (median of {repeats})")
    print(f"  minimal reproduction (55 samples):      {minimal:7.2f} s")
    print(f"  one full epoch until it fails (1735):   {full:7.2f} s")
    print(f"  ratio full / minimal:                   {full / minimal:7.1f}x")
    print(
        f"  whole `shapelint verify --select SL001` (import, reproduce, 2 fixes): {command:.1f} s"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
