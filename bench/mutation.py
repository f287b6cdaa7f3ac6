"""Mutation testing by hand: run mutmut on a few modules and print a score per module.

    python bench/mutation.py shapelint/extract/numbers.py [MODULE_OR_DIRECTORY...]
                             [--list-survivors] [--sample] [--reuse-stats] [--fresh]
                             [--report-only] [--max-children 1]

mutmut (``pip install -e ".[test]"``) does the mutating and the testing, configured by
``[tool.mutmut]`` in pyproject.toml: which modules may be mutated and the fast, static
test selection. This script only chooses which of those modules' mutants to run
(``mutmut run`` with mutant-name patterns) and adds them up per module from mutmut's
own results. mutmut's progress goes to stderr, the report to stdout.

The score is killed / (mutants - skipped); a time-out does not count as a kill.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mutmut.configuration import config
from mutmut.mutation.data import SourceFileMutationData
from mutmut.stats import status_by_exit_code
from mutmut.utils.format_utils import get_mutant_name

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
# The console script's own entry point, run by this interpreter (``python -m mutmut``
# re-imports mutmut's __main__, which mutmut warns against).
MUTMUT = [sys.executable, "-c", "import sys; from mutmut.__main__ import cli; sys.exit(cli())"]
# --sample: mutants numbered 1, 11, 21, ... of every function (mutmut numbers them per
# function), about one in ten; every mutated function contributes at least one.
SAMPLE = "__mutmut_*1"
COLUMNS = ("killed", "survived", "timeout", "suspicious", "no tests", "skipped", "other", "not run")
NOT_RUN = {"not checked", "check was interrupted by user"}


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def score(self) -> str:
        """killed / (mutants - skipped), leaving out mutants without a result yet."""
        tested = self.total - self.counts["skipped"] - self.counts["not run"]
        if not tested:
            return "n/a"
        mark = "*" if self.counts["not run"] else ""
        return f"{100 * self.counts['killed'] / tested:.1f}%{mark}"

    def add(self, other: Tally) -> None:
        self.counts.update(other.counts)
        self.seconds += other.seconds


def column(status: str) -> str:
    """mutmut's status names, folded into the report's columns ("other": segfault,
    caught by the type checker)."""
    if status in NOT_RUN:
        return "not run"
    return status if status in COLUMNS else "other"


def fail(message: str) -> SystemExit:
    print(f"bench/mutation.py: {message}", file=sys.stderr)
    return SystemExit(2)


def targets(arguments: list[str], base: Path) -> list[Path]:
    """The mutatable modules named or contained in the arguments, relative to the root."""
    found: list[Path] = []
    for argument in arguments:
        path = (base / argument).resolve()
        if not path.exists():
            raise fail(f"{argument}: no such file or directory")
        try:
            relative = path.relative_to(ROOT)
        except ValueError:
            raise fail(f"{argument}: not inside {ROOT}") from None
        if not any(relative == p or p in relative.parents for p in config().source_paths):
            raise fail(f"{argument}: not under [tool.mutmut] source_paths")
        if path.is_dir():
            files = [f.relative_to(ROOT) for f in sorted(path.rglob("*.py"))]
            chosen = [f for f in files if config().should_mutate(f)]
            if not chosen:
                raise fail(f"{argument}: no module in it is listed in [tool.mutmut] only_mutate")
        else:
            if not config().should_mutate(relative):
                raise fail(f"{argument}: not listed in [tool.mutmut] only_mutate")
            chosen = [relative]
        found += [f for f in chosen if f not in found]
    return found


def patterns(module: Path, sample: bool) -> list[str]:
    """mutmut names mutants ``package.module.x_function__mutmut_3`` and
    ``package.module.xǁClassǁmethod__mutmut_3``."""
    name = get_mutant_name(module, "x")[: -len(".x")]
    suffix = SAMPLE if sample else ""
    return [f"{name}.x_*{suffix}", f"{name}.xǁ*{suffix}"]


def results(module: Path, sample: bool) -> tuple[dict[str, int | None], dict[str, float]]:
    """mutmut's exit code and test time for each of the module's selected mutants."""
    data = SourceFileMutationData(path=module)
    data.load()
    chosen = patterns(module, sample)
    codes = {
        key: code
        for key, code in data.exit_code_by_key.items()
        if any(fnmatch.fnmatch(key, p) for p in chosen)
    }
    return codes, {key: data.durations_by_key.get(key, 0.0) for key in codes}


def tally(module: Path, sample: bool) -> Tally:
    codes, seconds = results(module, sample)
    result = Tally()
    for key, code in codes.items():
        result.counts[column(status_by_exit_code[code])] += 1
        result.seconds += seconds[key]
    return result


def run_mutmut(modules: list[Path], sample: bool, max_children: int) -> tuple[int, float]:
    names = [p for module in modules for p in patterns(module, sample)]
    command = [*MUTMUT, "run", "--max-children", str(max_children), *names]
    start = time.monotonic()
    with subprocess.Popen(command, cwd=ROOT, stdout=sys.stderr) as process:
        try:
            code = process.wait()
        except KeyboardInterrupt:  # mutmut got the signal too; it stops and saves
            code = process.wait()
    return code, time.monotonic() - start


def report(modules: list[Path], sample: bool) -> Tally:
    width = max(len("overall"), *(len(str(m)) for m in modules))
    header = ["mutants", *COLUMNS, "score", "test s"]
    print(f"{'module':<{width}}  " + "  ".join(f"{h:>8}" for h in header))
    overall = Tally()
    for module in modules:
        row = tally(module, sample)
        overall.add(row)
        print(_line(str(module), width, row))
    if len(modules) > 1:
        print(_line("overall", width, overall))
    if overall.counts["not run"]:
        print("* without the mutants that have no result yet (never run, or the run was stopped)")
    return overall


def _line(name: str, width: int, row: Tally) -> str:
    cells = [row.total, *(row.counts[c] for c in COLUMNS), row.score(), f"{row.seconds:.0f}"]
    return f"{name:<{width}}  " + "  ".join(f"{c:>8}" for c in cells)


def list_survivors(modules: list[Path], sample: bool) -> None:
    for module in modules:
        for key, code in sorted(results(module, sample)[0].items()):
            if status_by_exit_code[code] != "survived":
                continue
            shown = subprocess.run(
                [*MUTMUT, "show", key], cwd=ROOT, capture_output=True, text=True, check=False
            )
            print(shown.stdout.rstrip() or f"# {key}: survived (mutmut show failed)")
            print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run mutmut on some modules and print the mutation score of each."
    )
    parser.add_argument("paths", nargs="+", help="modules or directories under shapelint/")
    parser.add_argument(
        "--list-survivors", action="store_true", help="print each surviving mutant's diff"
    )
    parser.add_argument(
        "--sample",
        action="store_true",
        help="only the mutants numbered 1, 11, 21, ... of each function (about 1 in 10)",
    )
    parser.add_argument(
        "--reuse-stats",
        action="store_true",
        help="keep mutmut's record of which tests call which function (faster; stale if "
        "existing tests changed what they call)",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="delete mutants/ first and generate it again"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="report the last results; run nothing"
    )
    parser.add_argument("--max-children", type=int, default=1, metavar="N", help="workers (1)")
    args = parser.parse_args(argv)

    base = Path.cwd()
    os.chdir(ROOT)  # mutmut reads pyproject.toml and mutants/ from the working directory
    modules = targets(args.paths, base)
    elapsed: float | None = None
    if not args.report_only:
        if args.fresh:
            shutil.rmtree(MUTANTS, ignore_errors=True)
        elif not args.reuse_stats:
            (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
        code, elapsed = run_mutmut(modules, args.sample, args.max_children)
        if code != 0 and not any(results(m, args.sample)[0] for m in modules):
            print("mutmut made no mutants of these modules (it only mutates functions)")
        elif code != 0:
            raise fail(f"mutmut run failed with exit code {code}; its output is above")
    print()
    overall = report(modules, args.sample)
    if elapsed is not None:
        print(
            f"\nmutmut run: {elapsed:.0f} s wall for {overall.total} mutants, "
            f"{args.max_children} worker(s); 'test s' is mutmut's own time per mutant, "
            "summed (the rest: generating mutants, the stats run, the clean and forced-fail runs)"
        )
    if args.list_survivors:
        print()
        list_survivors(modules, args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
