"""Files per second for shapelint, flake8, fixit and ruff, on the same corpus, back to back.

Generates the seeded corpus of ``bench/corpus.py`` (1,000 Keras scripts and notebooks)
and a "mixed repository" (those files plus the standard library's .py files) in a
temporary folder, then times each tool over each corpus with one child process per
run. Every figure is the median of ``--runs`` runs, taken in rounds (each tool once
per round, after one untimed warm-up run of each tool on the Keras corpus), so that
drift on a busy machine hits every tool alike. It also times a cold ``shapelint check``
of one file, a second run with the cache on the unchanged tree, and the peak memory of
the 1,000-file run. Install the competitors first:

    pip install -e ".[bench]"
    python bench/throughput.py [--runs 3] [--count 1000] [--skip-fixit]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
RUFF = str(BIN / "ruff") if (BIN / "ruff").exists() else shutil.which("ruff") or "ruff"

TARGETS = {
    "flake8": 2.0,  # shapelint files/s >= 2x flake8's on the Keras corpus
    "fixit": 20.0,  # and >= 20x fixit's
    "mixed": 1000.0,  # files/s on the mixed corpus
    "cached": 5000.0,  # files/s on the cached second run
    "cold": 0.25,  # seconds for one file, cold
    "floor": 1.3,  # shapelint seconds <= 1.3x libcst's parse-only floor, on each corpus
}
REAL = HERE.parent.parent / "shared" / "corpus"


@dataclass
class Row:
    tool: str
    corpus: str
    files: int
    command: list[str]
    note: str = ""
    cwd: Path | None = None
    times: list[float] = field(default_factory=list)
    stdout: str = ""
    problem: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(self.times)

    @property
    def rate(self) -> float:
        return self.files / self.seconds


def run_once(row: Row) -> float:
    started = time.perf_counter()
    done = subprocess.run(row.command, cwd=row.cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    row.stdout = done.stdout
    # shapelint, flake8 and ruff run with --exit-zero; fixit exits 1 when it has findings.
    if done.returncode not in (0, 1) or (done.returncode == 1 and row.tool != "fixit"):
        lines = (done.stderr or done.stdout).strip().splitlines()
        row.problem = f"exit code {done.returncode}: {lines[-1] if lines else ''}"
    return elapsed


def run_rounds(rows: list[Row], runs: int, warm: dict[str, list[str]] | None = None) -> None:
    """An untimed warm-up run per row (the command in ``warm`` where it names the tool;
    none at all when ``warm`` is None), then ``runs`` rounds of each row once."""
    for row in rows if warm is not None else []:
        command = warm.get(row.tool)
        if command is not None:
            subprocess.run(command, cwd=row.cwd, capture_output=True, check=False)
        else:
            run_once(row)
    for round_ in range(runs):
        for row in rows:
            row.times.append(run_once(row))
            print(
                f"  round {round_ + 1}/{runs}: {row.tool:<9} {row.corpus:<6} "
                f"{row.times[-1]:7.2f} s",
                file=sys.stderr,
                flush=True,
            )


def median_seconds(command: list[str], runs: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mib(command: list[str], cwd: Path | None = None) -> float:
    """The largest resident set of any one process of ``command``'s tree, in MiB.

    Measured in a fresh wrapper process, whose RUSAGE_CHILDREN covers only this run
    (and the worker processes, which the command waits for)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [PY, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    value = int(done.stdout.strip())
    return value / 1024 / 1024 if sys.platform == "darwin" else value / 1024  # bytes / KiB


def shapelint_files(folder: Path) -> int:
    from shapelint.files import discover

    files, _ = discover([folder])
    return len(files)


def flake8_files(folder: Path) -> int:
    """flake8 checks *.py only (no notebooks), skipping .git, __pycache__ and the like."""
    skip = {".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs"}
    count = 0
    for _directory, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in skip and not d.endswith(".egg")]
        count += sum(name.endswith(".py") for name in filenames)
    return count


def ruff_files(folder: Path) -> int:
    """What ruff itself lists (it checks notebooks too, since 0.6)."""
    done = subprocess.run(
        [RUFF, "check", "--no-cache", "--show-files", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return sum(1 for line in done.stdout.splitlines() if line.strip())


def version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    found = re.search(r"\d+\.\d+(?:\.\d+)?", done.stdout or done.stderr)
    return found[0] if found else "?"


def have(module: str) -> bool:
    done = subprocess.run([PY, "-c", f"import {module}"], capture_output=True, check=False)
    return done.returncode == 0


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


_CONCISE = re.compile(r"^(?P<path>.+?):(?:cell \d+:)?\d+:\d+: (?P<code>SL\d{3}) ")


def reported_rules(stdout: str, root: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in stdout.splitlines():
        match = _CONCISE.match(line)
        if match:
            path = Path(match["path"])
            path = path if path.is_absolute() else root / path
            found.setdefault(str(path.resolve()), set()).add(match["code"])
    return found


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure (median)")
    parser.add_argument("--count", type=int, default=1000, help="Keras files to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-fixit", action="store_true", help="fixit is slow: leave it out")
    parser.add_argument(
        "--fixit-files", type=int, default=200, help="fixit checks the first N .py files only"
    )
    parser.add_argument("--keep", action="store_true", help="keep the corpus folder")
    parser.add_argument(
        "--real", type=Path, default=REAL, help="the real corpus (public Keras code)"
    )
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    missing = [m for m in ("shapelint", "flake8") if not have(m)]
    if not args.skip_fixit and not have("fixit"):
        missing.append("fixit")
    if shutil.which(RUFF) is None and not Path(RUFF).exists():
        missing.append("ruff")
    if missing:
        print(
            f"missing: {', '.join(missing)}; install them with: pip install -e '.[bench]'",
            file=sys.stderr,
        )
        return 2

    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    work = Path(tempfile.mkdtemp(prefix="shapelint-bench-"))
    try:
        keras_dir = work / "keras"
        made = corpus.generate_labelled(keras_dir, args.count, args.seed)
        mixed_dir = work / "mixed"
        mixed_files = corpus.mixed(mixed_dir, [item.path for item in made])
        notebooks = sum(item.path.suffix == ".ipynb" for item in made)
        stdlib_count = len(mixed_files) - len(made)
        print(f"corpus in {work}", file=sys.stderr)

        py_files = sorted(item.path for item in made if item.path.suffix == ".py")
        fixit_subset = py_files[: args.fixit_files]

        def shapelint_cmd(target: Path | str, *extra: str) -> list[str]:
            return [PY, "-m", "shapelint", "check", *extra, "--exit-zero", "--format", "concise",
                    str(target)]  # fmt: skip

        def flake8_cmd(target: Path) -> list[str]:
            return [PY, "-m", "flake8", "--exit-zero", "-j", "2", str(target)]

        def ruff_cmd(target: Path) -> list[str]:
            return [RUFF, "check", "--no-cache", "--exit-zero", str(target)]

        def floor_cmd(target: Path) -> list[str]:
            return [PY, str(HERE / "floor.py"), str(target)]

        def floor_row(name: str, target: Path) -> Row:
            return Row("floor", name, shapelint_files(target), floor_cmd(target),
                       "libcst parse only, same processes")  # fmt: skip

        real_dir: Path = args.real.resolve()
        if not real_dir.is_dir():
            print(f"no real corpus at {real_dir} (--real)", file=sys.stderr)
            return 2
        real_py = sorted(p for p in real_dir.rglob("*.py") if p.is_file())

        rows = [
            Row("shapelint", "keras", shapelint_files(keras_dir),
                shapelint_cmd(keras_dir, "--no-cache"), ".py + .ipynb"),
            Row("flake8", "keras", flake8_files(keras_dir), flake8_cmd(keras_dir),
                ".py only (-j 2)"),
            Row("ruff", "keras", ruff_files(keras_dir), ruff_cmd(keras_dir), ".py + .ipynb"),
        ]  # fmt: skip
        if not args.skip_fixit:
            rows.append(
                Row("fixit", "keras", len(fixit_subset),
                    [PY, "-m", "fixit", "lint", *map(str, fixit_subset)],
                    f"first {len(fixit_subset)} .py files")
            )  # fmt: skip
        rows.append(floor_row("keras", keras_dir))
        real_rows = [
            Row("shapelint", "real", shapelint_files(real_dir),
                shapelint_cmd(real_dir, "--no-cache"), ".py + .ipynb"),
            floor_row("real", real_dir),
            Row("flake8", "real", flake8_files(real_dir), flake8_cmd(real_dir),
                ".py only (-j 2)"),
            Row("ruff", "real", ruff_files(real_dir), ruff_cmd(real_dir), ".py + .ipynb"),
        ]  # fmt: skip
        if not args.skip_fixit:
            real_fixit = real_py[: args.fixit_files]
            real_rows.append(
                Row("fixit", "real", len(real_fixit),
                    [PY, "-m", "fixit", "lint", *map(str, real_fixit)],
                    f"first {len(real_fixit)} .py files")
            )  # fmt: skip
        mixed_rows = [
            Row("shapelint", "mixed", shapelint_files(mixed_dir),
                shapelint_cmd(mixed_dir, "--no-cache"), ".py + .ipynb"),
            Row("flake8", "mixed", flake8_files(mixed_dir), flake8_cmd(mixed_dir),
                ".py only (-j 2)"),
            Row("ruff", "mixed", ruff_files(mixed_dir), ruff_cmd(mixed_dir), ".py + .ipynb"),
            floor_row("mixed", mixed_dir),
        ]  # fmt: skip

        warm = {"fixit": [PY, "-m", "fixit", "lint", *map(str, fixit_subset[:10])]}
        print("timing the Keras corpus", file=sys.stderr)
        run_rounds(rows, runs, warm)
        print("timing the real corpus", file=sys.stderr)
        run_rounds(real_rows, runs, None)
        print("timing the mixed corpus", file=sys.stderr)
        run_rounds(mixed_rows, runs, None)  # the tools are warm from the Keras corpus

        # Cold: one generated script, no cache, a fresh interpreter each time.
        single = py_files[0]
        cold_runs = max(runs, 5)
        cold = median_seconds([PY, "-m", "shapelint", "check", "--no-cache", str(single)],
                              cold_runs)  # fmt: skip
        startup = median_seconds([PY, "-c", "pass"], cold_runs)
        imports = median_seconds([PY, "-c", "import shapelint.cli"], cold_runs)

        # Cached: a copy of the Keras corpus, with the cache in it (cwd), run twice or more.
        cached_dir = work / "cached"
        shutil.copytree(keras_dir, cached_dir)
        cached_row = Row("shapelint", "keras", shapelint_files(cached_dir),
                         shapelint_cmd("."), "cache on, 2nd run", cwd=cached_dir)  # fmt: skip
        first_cached = run_once(cached_row)
        cache_made = (cached_dir / ".shapelint_cache").is_dir()
        for _ in range(runs):
            cached_row.times.append(run_once(cached_row))

        rss_all = peak_rss_mib(shapelint_cmd(keras_dir, "--no-cache"))
        rss_one = peak_rss_mib(shapelint_cmd(keras_dir, "--no-cache", "--jobs", "1"))
        rss_flake8 = peak_rss_mib(flake8_cmd(keras_dir))

        # Do the findings match the planted bugs?
        found = reported_rules(rows[0].stdout, Path.cwd())
        planted = [item for item in made if item.rule]
        hits = sum(item.rule in found.get(str(item.path.resolve()), set()) for item in planted)
        clean_flagged = sum(
            bool(found.get(str(item.path.resolve()))) for item in made if not item.rule
        )
        fixit_version = version([PY, "-m", "fixit", "--version"]) if not args.skip_fixit else ""
        versions = {
            "shapelint": version([PY, "-m", "shapelint", "--version"]),
            "flake8": version([PY, "-m", "flake8", "--version"]),
            "ruff": version([RUFF, "--version"]),
            "fixit": fixit_version,
        }
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    out: list[str] = []
    say = out.append
    say(
        f"Keras corpus: {len(made)} files from bench/corpus.py (seed {args.seed}): "
        f"{len(made) - notebooks} .py, {notebooks} .ipynb; {len(planted)} with a planted bug."
    )
    say(
        f"  shapelint reported {hits} of the {len(planted)} planted bugs, and findings in "
        f"{clean_flagged} of the {len(made) - len(planted)} clean files."
    )
    say(
        f"Real corpus: {real_rows[0].files} files of public Keras code in {args.real} "
        f"({len(real_py)} .py)."
    )
    say(
        f"Mixed corpus: those {len(made)} files + {stdlib_count} standard-library .py files "
        f"(Python {platform.python_version()}) = {len(mixed_files)} files."
    )
    say("")
    say(f"Throughput (median of {runs} runs, each tool once per round, after a warm-up)")
    header = f"{'tool':<10} {'corpus':<7} {'files':>6} {'seconds':>8} {'files/s':>9}  note"
    say(header)
    say("-" * len(header))
    for row in [*rows, *real_rows, *mixed_rows, cached_row]:
        problem = f"  [{row.problem}]" if row.problem else ""
        say(
            f"{row.tool:<10} {row.corpus:<7} {row.files:>6} {row.seconds:>8.3f} "
            f"{row.rate:>9.1f}  {row.note}{problem}"
        )
    say(
        "  flake8 and fixit check .py files only; ruff and shapelint check .py and .ipynb. "
        "files/s = files the tool checks / seconds."
    )
    say("")
    shapelint_keras, flake8_keras, ruff_keras = rows[0], rows[1], rows[2]
    shapelint_mixed = mixed_rows[0]
    say("Single file and cache")
    say(f"  cold `shapelint check --no-cache FILE` (median of {cold_runs}): {cold:.3f} s")
    say(f"    for scale: `python -c pass` {startup:.3f} s, `import shapelint.cli` {imports:.3f} s")
    say(
        f"  cache: first run with the cache {first_cached:.3f} s, second run "
        f"{cached_row.seconds:.3f} s (median of {runs}) = {cached_row.rate:.0f} files/s"
        + ("" if cache_made else "  [no .shapelint_cache folder was written!]")
    )
    say(
        f"  peak RSS, {len(made)}-file run: {rss_all:.0f} MiB largest process "
        f"({os.cpu_count()} worker processes by default), {rss_one:.0f} MiB with --jobs 1; "
        f"flake8 -j 2: {rss_flake8:.0f} MiB largest process"
    )
    say("")
    say("Ratios and targets")
    checks: list[tuple[str, str, bool]] = []
    ratio_flake8 = shapelint_keras.rate / flake8_keras.rate
    checks.append((
        "shapelint / flake8 files/s, Keras corpus",
        f"{ratio_flake8:.2f}x (target >= {TARGETS['flake8']:g}x)",
        ratio_flake8 >= TARGETS["flake8"],
    ))  # fmt: skip
    if not args.skip_fixit:
        fixit_keras = rows[3]
        ratio_fixit = shapelint_keras.rate / fixit_keras.rate
        checks.append((
            "shapelint / fixit files/s, Keras corpus",
            f"{ratio_fixit:.2f}x (target >= {TARGETS['fixit']:g}x)",
            ratio_fixit >= TARGETS["fixit"],
        ))  # fmt: skip
    checks.append((
        "shapelint files/s, mixed corpus",
        f"{shapelint_mixed.rate:.0f} (target >= {TARGETS['mixed']:g})",
        shapelint_mixed.rate >= TARGETS["mixed"],
    ))  # fmt: skip
    checks.append((
        "shapelint files/s, cached second run",
        f"{cached_row.rate:.0f} (target >= {TARGETS['cached']:g})",
        cached_row.rate >= TARGETS["cached"],
    ))  # fmt: skip
    checks.append((
        "shapelint cold, one file",
        f"{cold:.3f} s (target <= {TARGETS['cold']:g} s)",
        cold <= TARGETS["cold"],
    ))  # fmt: skip
    ratio_real = real_rows[0].rate / real_rows[2].rate
    checks.append((
        "shapelint / flake8 files/s, real corpus",
        f"{ratio_real:.2f}x (target >= {TARGETS['flake8']:g}x)",
        ratio_real >= TARGETS["flake8"],
    ))  # fmt: skip
    for ours, floor in ((rows[0], rows[-1]), (real_rows[0], real_rows[1]),
                        (mixed_rows[0], mixed_rows[-1])):  # fmt: skip
        over = ours.seconds / floor.seconds
        checks.append((
            f"shapelint / libcst floor seconds, {ours.corpus} corpus",
            f"{over:.2f}x (target <= {TARGETS['floor']:g}x)",
            over <= TARGETS["floor"],
        ))  # fmt: skip
    width = max(len(name) for name, _, _ in checks)
    for name, value, ok in checks:
        say(f"  {verdict(ok)}  {name:<{width}}  {value}")
    mixed_flake8 = shapelint_mixed.rate / mixed_rows[1].rate
    say("  for scale (no target):")
    say(f"        shapelint / flake8, mixed corpus: {mixed_flake8:.2f}x")
    say(f"        shapelint / ruff, Keras corpus:   {shapelint_keras.rate / ruff_keras.rate:.3f}x")
    say("")
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    say("Machine")
    say(f"  {os.cpu_count()} cores ({cpu_name()}), {platform.platform()}")
    say(f"  Python {platform.python_version()} ({PY})")
    say("  " + "; ".join(f"{tool} {v}" for tool, v in versions.items() if v))
    if load_before and load_after:
        say(f"  load average (1 min) before: {load_before[0]:.2f}, after: {load_after[0]:.2f}")
    print("\n".join(out))
    problems = [row for row in [*rows, *real_rows, *mixed_rows, cached_row] if row.problem]
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
