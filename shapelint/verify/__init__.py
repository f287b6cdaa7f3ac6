"""``shapelint verify``: reproduce each finding by training the rebuilt model, then confirm
the fix by training again.

The model is rebuilt from the extracted facts in a separate worker process, on seeded
synthetic data; the checked script is never executed or imported. TensorFlow is only
needed here, never on the ``shapelint check`` path.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from shapelint.findings import FileError, Finding
from shapelint.subjects import Subject
from shapelint.verify.plan import VERIFIABLE, CannotBuild, Case, Run, plan
from shapelint.verify.runner import Outcome, Pool, Worker, groups, judge
from shapelint.verify.trains import TrainingRow, train_facts
from shapelint.verify.worker import share_key

INSTALL_HINT = 'pip install "shapelint[verify]"'


class VerifyUnavailable(Exception):
    """TensorFlow (or tf_keras) is not installed; the message says how to install it."""


@dataclass
class Row:
    """One finding's verification: the reproduction and each fix."""

    finding: Finding
    status: str  # reproduced, NOT reproduced, skipped, timed out
    reproduction: Outcome | None = None
    fixes: list[Outcome] = field(default_factory=list)
    reason: str = ""
    shrunk: bool = False

    @property
    def confirmed(self) -> bool:
        return bool(self.fixes) and all(f.ok for f in self.fixes)

    @property
    def passed(self) -> bool:
        """Reproduced and fixed; a skipped row neither passes nor fails."""
        return self.status == "reproduced" and (self.confirmed or not self.fixes)

    @property
    def seconds(self) -> float:
        runs = ([self.reproduction] if self.reproduction else []) + self.fixes
        return sum(o.seconds for o in runs)


@dataclass
class VerifyReport:
    rows: list[Row] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and all(r.passed for r in self.rows if r.status != "skipped")


def _cases(
    findings: list[Finding], options_of: Callable[[str], Any], full: bool, shrink: bool
) -> list[Case]:
    from shapelint.files import read_source
    from shapelint.lint import facts_for
    from shapelint.rules import RULES

    cases: list[Case] = []
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    for path, file_findings in by_path.items():
        options = options_of(path)
        facts = facts_for(read_source(path), path, options)
        subjects: dict[tuple[str, int, str], Subject] = {}
        for rule in RULES:
            if rule.code in VERIFIABLE:
                for diagnostic in rule.check(facts):
                    if diagnostic.subject is not None:
                        key = (rule.code, diagnostic.anchor.line, diagnostic.message)
                        subjects[key] = diagnostic.subject
        for finding in file_findings:
            subject = subjects.get((finding.code, finding.line, finding.message))
            if finding.code not in VERIFIABLE or subject is None:
                cases.append(Case(finding, skipped="not verifiable: a static rule"))
                continue
            cases.append(plan(finding, subject, facts, full=full, shrink=shrink))
    return cases


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def verify_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    full: bool = False,
    shrink: bool = False,
    timeout: float = 120.0,
    keras: int | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    read_data: bool = True,
    progress: Callable[[str], None] | None = None,
    jobs: int | None = None,
) -> VerifyReport:
    """Check ``paths``, then reproduce and fix-confirm every finding verify can train.

    The runs (each finding's reproduction and its fixes) are independent, so they are
    shared among ``jobs`` training processes (None: ``default_jobs()``), each of which
    imports TensorFlow once and trains run after run. The processes start first, to
    import TensorFlow while the paths are checked and the runs planned. Runs that train
    the same model go to one process, which builds and traces it once (``share_key``)."""
    from shapelint.api import check_paths
    from shapelint.config import Overrides, options_for

    started = time.perf_counter()
    workers = max(1, jobs if jobs is not None else default_jobs())
    pool = Pool(workers)
    try:
        if _available("tensorflow"):
            pool.start()
        report = check_paths(
            paths,
            select=frozenset(select) if select is not None else None,
            ignore=frozenset(ignore) if ignore is not None else None,
            read_data=read_data,
        )
        overrides = Overrides(read_data=read_data)
        cases = _cases(report.findings, lambda p: options_for(p, overrides), full, shrink)
        result = VerifyReport(errors=list(report.errors))
        runnable = [c for c in cases if not c.skipped]
        if runnable and not _available("tensorflow"):
            raise VerifyUnavailable(f"shapelint verify needs TensorFlow: {INSTALL_HINT}")
        say = progress or (lambda text: None)
        prepared = [_prepare(case, keras) for case in cases]
        runs = [(i, run) for i, p in enumerate(prepared) if isinstance(p, list) for run in p]
        # A fix is left out when its finding's reproduction has already timed out.
        first = {i: n for n, (i, _) in reversed(list(enumerate(runs)))}
        needs = [None if first[i] == n else first[i] for n, (i, _) in enumerate(runs)]
        specs = [run.spec for _, run in runs]
        together = [share_key(spec) for spec in specs]
        pool.keep(min(workers, len(groups(specs, together))))
        results = pool.run_all(
            specs,
            timeout,
            started=lambda n: say(_doing(cases[runs[n][0]], runs[n][1])),
            needs=needs,
            together=together,
        )
    finally:
        pool.close()
    by_case: dict[int, list[dict[str, Any]]] = {}
    for (i, _), outcome in zip(runs, results, strict=True):
        by_case.setdefault(i, []).append(outcome)
    for i, (case, ready) in enumerate(zip(cases, prepared, strict=True)):
        row = ready if isinstance(ready, Row) else _row(case, by_case[i], shrink)
        result.rows.append(row)
    result.seconds = time.perf_counter() - started
    return result


# What one training process may hold at its peak: TensorFlow, Keras and a model. The
# worker verifying the seed (three LSTM(512)) peaked at 0.99 GB resident.
WORKER_BYTES = 1 << 30


def default_jobs() -> int:
    """Training processes for verify: one per core that other work does not keep fully
    busy (the cores less the whole part of the one-minute load average), as many as the
    available memory holds (``WORKER_BYTES`` each), at least one, at most four.

    Measured on 2 cores: at a load of 0.2-1.8 (verify's own runs), two processes verified
    the seed in 13.2 s against one's 14.4 s (medians of 3); at a load of 2.4-3.7, with
    other work on the machine, two took 19.3-31.9 s against one's 15.5-20.3 s."""
    cores = os.cpu_count() or 1
    try:
        busy = int(os.getloadavg()[0])
    except (AttributeError, OSError):  # not on every platform
        busy = 0
    jobs = max(1, min(4, cores, cores - busy + 1))
    memory = available_memory()
    if memory is not None:
        jobs = max(1, min(jobs, memory // WORKER_BYTES))
    return jobs


def available_memory(meminfo: str = "/proc/meminfo") -> int | None:
    """Bytes of memory available to new processes (Linux's MemAvailable); None where the
    system does not say."""
    try:
        with open(meminfo, encoding="ascii") as lines:
            for line in lines:
                name, _, value = line.partition(":")
                if name == "MemAvailable":
                    return int(value.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _prepare(case: Case, keras: int | None) -> Row | list[Run]:
    """The runs of a case (the reproduction first, then each fix), with ``keras`` applied;
    or its row, where nothing will run."""
    finding = case.finding
    if case.skipped or case.reproduce is None:
        return Row(finding, "skipped", reason=case.skipped or "nothing to run")
    runs = [case.reproduce, *case.fixes]
    for run in runs:
        if keras is not None and not run.spec["model"].get("legacy_only"):
            if not (finding.code == "SL008" and run is case.reproduce):
                run.spec["model"]["keras"] = keras
    version = case.reproduce.spec["model"]["keras"]
    if version == 2 and not _available("tf_keras"):
        return Row(finding, "skipped", reason=f"Keras 2 needs tf_keras: {INSTALL_HINT}")
    return runs


def _doing(case: Case, run: Run) -> str:
    finding = case.finding
    where = f"{finding.path}:{finding.line} {finding.code}"
    if run is case.reproduce:
        return f"{where}: reproducing ({run.description})"
    return f"{where}: confirming the fix ({run.description})"


def _row(case: Case, results: list[dict[str, Any]], shrink: bool) -> Row:
    """The row of a case from the results of its runs (the reproduction's first). The fixes
    ran alongside the reproduction; a reproduction that timed out stands alone."""
    assert case.reproduce is not None
    reproduction = judge(case.reproduce, results[0])
    if reproduction.result.get("timeout"):
        return Row(case.finding, "timed out", reproduction, shrunk=shrink)
    status = "reproduced" if reproduction.ok else "NOT reproduced"
    row = Row(case.finding, status, reproduction, shrunk=shrink)
    row.fixes = [judge(fix, got) for fix, got in zip(case.fixes, results[1:], strict=True)]
    return row


def train_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    full: bool = False,
    shrink: bool = False,
    timeout: float = 120.0,
    keras: int | None = None,
    read_data: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[TrainingRow]:
    """Train every fit/evaluate/predict call of the scripts under ``paths``, rebuilt from
    their facts on synthetic data; each must succeed. ``check --fix --verify`` runs this on
    the files it fixed."""
    from shapelint.config import Overrides, options_for
    from shapelint.files import discover, read_source
    from shapelint.lint import facts_for
    from shapelint.verify.trains import plan_training

    files, _ = discover([os.fspath(p) for p in paths])
    overrides = Overrides(read_data=read_data)
    every = []
    for path in files:
        if path.endswith(".ipynb"):
            continue
        every.append(facts_for(read_source(path), path, options_for(path, overrides)))
    needed = False
    for facts in every:
        for call in facts.calls:
            try:
                plan_training(call, facts, full=full, shrink=shrink)
                needed = True
            except CannotBuild:
                pass
    if needed and not _available("tensorflow"):
        raise VerifyUnavailable(f"shapelint verify needs TensorFlow: {INSTALL_HINT}")
    say = progress or (lambda text: None)
    rows: list[TrainingRow] = []
    worker = Worker()
    try:
        for facts in every:
            say(f"{facts.path}: training the fixed script's calls")
            rows.extend(
                train_facts(facts, worker, full=full, shrink=shrink, timeout=timeout, keras=keras)
            )
    finally:
        worker.close()
    return rows


def stderr_progress(text: str) -> None:
    sys.stderr.write(f"shapelint verify: {text}\n")
    sys.stderr.flush()


__all__ = ["Row", "TrainingRow", "VerifyReport", "VerifyUnavailable", "train_paths", "verify_paths"]
