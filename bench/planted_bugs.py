"""Plant small, plausible bugs one at a time and check that the test suite catches each.

    python bench/planted_bugs.py [--list] [NAME ...]

Each bug is a one-line change to the package, of the kind that once survived every test
(issue 12). For each, the script edits the file in place, runs the tests that should
catch it, and restores the file, whatever happens. A bug that no test catches is
reported as SURVIVED and the script exits 1. The edits are located by their text, so a
bug whose line has changed is reported as STALE: update it here with the code.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The static tests: fast, no TensorFlow.
STATIC = ["tests/test_fixtures.py", "tests/test_sizes.py", "tests/test_seed.py"]


@dataclass(frozen=True)
class Bug:
    name: str
    what: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...] = tuple(STATIC)


BUGS = (
    Bug(
        "split-ceil",
        "validation_split's training count rounded up instead of down",
        "shapelint/rules/sl001_batch_remainder.py",
        "train = int(math.floor(n * (1.0 - split.value)))",
        "train = int(math.ceil(n * (1.0 - split.value)))",
    ),
    Bug(
        "default-batch-64",
        "Keras's default batch size taken as 64",
        "shapelint/extract/keras_calls.py",
        "_KERAS_DEFAULT_BATCH = Num(32,",
        "_KERAS_DEFAULT_BATCH = Num(64,",
    ),
    Bug(
        "batch-1-not-fixed",
        "a stateful model with batch size 1 not treated as having a fixed batch",
        "shapelint/rules/stateful.py",
        "return size if size is not None and size > 0 else None",
        "return size if size is not None and size > 1 else None",
    ),
    Bug(
        "timeseries-dataset-off-by-one",
        "timeseries_dataset_from_array counts one window too many",
        "shapelint/extract/data_calls.py",
        "num_seqs = end - start - (length - 1) * rate",
        "num_seqs = end - start - (length - 1) * rate + 1",
    ),
    Bug(
        "timeseries-dataset-stride",
        "timeseries_dataset_from_array ignores the sampling rate",
        "shapelint/extract/data_calls.py",
        "num_seqs = end - start - (length - 1) * rate",
        "num_seqs = end - start - (length - 1)",
    ),
    Bug(
        "timeseries-generator-off-by-one",
        "TimeseriesGenerator stops one row early",
        "shapelint/extract/data_calls.py",
        "windows = len(range(start, end + 1, stride))",
        "windows = len(range(start, end, stride))",
    ),
    Bug(
        "range-floor",
        "len(range(a, b, step)) computed as (b - a) // step",
        "shapelint/extract/numbers.py",
        "return len(range(start, stop, step))",
        "return (stop - start) // step",
    ),
    Bug(
        "sarif-rule-index",
        "SARIF ruleIndex off by one",
        "shapelint/report/sarif.py",
        '"ruleIndex": index[finding.code],',
        '"ruleIndex": index[finding.code] + 1,',
        ("tests/test_where_users_run_it.py", "tests/test_cli.py"),
    ),
    Bug(
        "verify-no-error-reproduces",
        "verify judges a run that raised nothing as a reproduction",
        "shapelint/verify/runner.py",
        'return Outcome(run, result, False, "no error")',
        'return Outcome(run, result, True, "no error")',
        ("tests/test_verify_verdicts.py",),
    ),
    Bug(
        "verify-silent-error-reproduces",
        "verify judges a run expected to be silent as reproduced when it raised",
        "shapelint/verify/runner.py",
        'return Outcome(run, result, False, f"other error: {_summary(error)}")',
        'return Outcome(run, result, True, f"other error: {_summary(error)}")',
        ("tests/test_verify_verdicts.py",),
    ),
)


def _run_one(bug: Bug) -> str:
    path = ROOT / bug.path
    original = path.read_text(encoding="utf-8")
    if original.count(bug.old) != 1:
        return "STALE"
    try:
        path.write_text(original.replace(bug.old, bug.new), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *bug.tests],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        path.write_text(original, encoding="utf-8")
    return "caught" if result.returncode == 1 else f"SURVIVED (pytest exit {result.returncode})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="the bugs to plant (default: all)")
    parser.add_argument("--list", action="store_true", help="list the bugs and exit")
    args = parser.parse_args(argv)
    chosen = [b for b in BUGS if not args.names or b.name in args.names]
    if args.list:
        for bug in BUGS:
            print(f"{bug.name:34} {bug.path}: {bug.what}")
        return 0
    failed = 0
    for bug in chosen:
        started = time.perf_counter()
        verdict = _run_one(bug)
        failed += verdict != "caught"
        print(f"{bug.name:34} {verdict:10} {time.perf_counter() - started:6.1f} s  {bug.what}")
    print(f"{len(chosen) - failed} of {len(chosen)} planted bugs caught.")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
