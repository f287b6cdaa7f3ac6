"""Cold single-file time and the cached second run, for one or more shapelint source trees
side by side: the two figures of ``throughput.py`` that depend on start-up cost, without
its competitors, so that a change can be compared with the code before it.

    python bench/startup.py [--runs 9] [--count 1000] [--instructions] [TREE...]

Each TREE is a folder holding a ``shapelint`` package (default: this checkout), put first
on ``PYTHONPATH`` for its runs. Every figure is the median of ``--runs`` runs taken in
rounds (each command once per round), so that a busy machine slows every tree alike:

* ``python -c pass`` and ``python -c "import libcst"``, for scale;
* cold: ``python -m shapelint check --no-cache FILE`` on the first generated script (as
  ``throughput.py`` does), on ``fixtures/seed/stateful_lstm_stock.py`` (one finding) and
  on a two-line script that does not mention Keras;
* cached: ``python -m shapelint check --exit-zero --format concise .`` in a copy of the
  generated corpus (one copy per tree, its cache in it), after one untimed run that
  fills the cache; files/s = files checked / seconds.

Beside the wall time it prints the CPU time (user + system) of each run's processes. On a
busy machine both drift; ``--instructions`` runs each command once more under valgrind
(callgrind) and prints the instructions it executed, a count that other load does not
change (about 4 x 10^9 a second on a current core; valgrind makes each run 50x slower).

Each command runs once untimed first, with bytecode writing on (``PYTHONDONTWRITEBYTECODE``
is dropped), so that the timed runs import compiled modules, as an installed shapelint does.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

PY = sys.executable
SEED_FILE = HERE.parent / "fixtures" / "seed" / "stateful_lstm_stock.py"


def timed(command: list[str], cwd: Path | None, env: dict[str, str]) -> tuple[float, float]:
    """The wall time of one run, and the CPU time (user + system) of its processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def instructions(command: list[str], cwd: Path | None, env: dict[str, str]) -> int:
    """The instructions one run executes, counted by valgrind's callgrind."""
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run(
        [*valgrind, *command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind counted nothing for {' '.join(command)}:\n{done.stderr}")
    return int(found[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[HERE.parent])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per figure (median)")
    parser.add_argument("--count", type=int, default=1000, help="files to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions with valgrind"
    )
    args = parser.parse_args(argv)
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind")
    trees: list[Path] = [tree.resolve() for tree in args.trees]
    for tree in trees:
        if not (tree / "shapelint" / "__init__.py").is_file():
            parser.error(f"{tree} holds no shapelint package")

    work = Path(tempfile.mkdtemp(prefix="shapelint-startup-"))
    try:
        made = corpus.generate(work / "keras", args.count, args.seed)
        single = sorted(p for p in made if p.suffix == ".py")[0]
        plain = work / "plain.py"
        plain.write_text("import numpy as np\nx = np.zeros((3, 4))\n", encoding="utf-8")
        # Bytecode is written (as an installed package has it): a run that compiled every
        # module would time the compiler. A fixed hash seed keeps the counts repeatable.
        unset = ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
        base_env = {k: v for k, v in os.environ.items() if k not in unset}
        base_env["PYTHONHASHSEED"] = "0"
        # Every command runs in the temporary folder: ``python -m`` puts the working
        # directory first on sys.path, so run from a checkout it would import that one.
        rows: list[tuple[str, list[str], Path, dict[str, str]]] = [
            ("python -c pass", [PY, "-c", "pass"], work, base_env),
            ("import libcst", [PY, "-c", "import libcst"], work, base_env),
        ]
        for number, tree in enumerate(trees):
            env = {**base_env, "PYTHONPATH": str(tree)}
            cached = work / f"cached-{number}"
            shutil.copytree(work / "keras", cached)
            check = [PY, "-m", "shapelint", "check"]
            concise = [*check, "--exit-zero", "--format", "concise", "."]
            timed(concise, cached, env)  # fills the cache
            if not (cached / ".shapelint_cache").is_dir():
                raise SystemExit(f"{tree}: the first run wrote no .shapelint_cache")
            rows += [
                (f"[{number}] cold, generated file", [*check, "--no-cache", str(single)], work,
                 env),
                (f"[{number}] cold, seed fixture", [*check, "--no-cache", str(SEED_FILE)], work,
                 env),
                (f"[{number}] cold, no Keras", [*check, "--no-cache", str(plain)], work, env),
                (f"[{number}] cached, {len(made)} files", concise, cached, env),
            ]  # fmt: skip
        times: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in rows}
        for _name, command, cwd, env in rows:
            timed(command, cwd, env)  # untimed: writes the bytecode
        for round_ in range(max(1, args.runs)):
            for name, command, cwd, env in rows:
                times[name].append(timed(command, cwd, env))
            print(f"  round {round_ + 1}/{args.runs}", file=sys.stderr, flush=True)
        counts = {
            name: instructions(command, cwd, env)
            for name, command, cwd, env in (rows if args.instructions else [])
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for number, tree in enumerate(trees):
        print(f"[{number}] {tree}")
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"median of {args.runs} runs, {os.cpu_count()} cores{load}")
    counted = f" {'instructions':>14}" if counts else ""
    print(f"  {'':<32} {'wall':>7}   {'(min, max)':<16} {'CPU':>7}  {counted} files/s (wall)")
    for name, pairs in times.items():
        walls = [wall for wall, _ in pairs]
        seconds = statistics.median(walls)
        cpu = statistics.median(cpu for _, cpu in pairs)
        count = f" {counts[name]:>14,}" if counts else ""
        rate = f" {len(made) / seconds:6.0f}" if "cached" in name else ""
        spread = f"({min(walls):.3f}, {max(walls):.3f})"
        print(f"  {name:<32} {seconds:7.3f} s {spread:<16} {cpu:7.3f} s {count}{rate}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
