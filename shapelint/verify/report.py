"""How ``shapelint verify`` shows its results: a table for people, JSON for tools."""

from __future__ import annotations

import json
from typing import Any

from shapelint.verify import Row, TrainingRow, VerifyReport
from shapelint.verify.plan import VERIFIABLE
from shapelint.verify.runner import Outcome

# What became of a finding, and of a run after --fix. PASSED, FAILED and UNPROVEN are
# the overall results the command line turns into exit codes 0, 1 and 3.
CONFIRMED = "confirmed"
NO_FIX = "reproduced, no fix to try"
NOT_REPRODUCED = "not reproduced"
FIX_FAILED = "fix not confirmed"
TIMED_OUT = "timed out"
SKIPPED = "skipped"
STATIC = "not verifiable"
PASSED, FAILED, UNPROVEN = "passed", "failed", "unproven"
_FAILURES = frozenset({NOT_REPRODUCED, FIX_FAILED, TIMED_OUT})


def outcome(row: Row) -> str:
    """confirmed: reproduced, and every proposed fix trained; skipped: a rule verify can
    test, but the model or data could not be rebuilt; not verifiable: a static rule."""
    if row.status == "skipped":
        return SKIPPED if row.finding.code in VERIFIABLE else STATIC
    if row.status == "timed out":
        return TIMED_OUT
    if row.status != "reproduced":
        return NOT_REPRODUCED
    if not row.fixes:
        return NO_FIX
    return CONFIRMED if row.confirmed else FIX_FAILED


def overall(report: VerifyReport) -> str:
    """FAILED if a finding did not reproduce, a fix was not confirmed or a run timed out;
    else UNPROVEN if a finding of a rule verify tests could not be rebuilt, or there were
    findings and none was tested; else PASSED (also when there was nothing to verify)."""
    outcomes = [outcome(row) for row in report.rows]
    if any(o in _FAILURES for o in outcomes):
        return FAILED
    if SKIPPED in outcomes or (outcomes and all(o == STATIC for o in outcomes)):
        return UNPROVEN
    return PASSED


def _count(counts: dict[str, int], name: str, label: str | None = None) -> str:
    return f"{counts.get(name, 0)} {label or name}"


def summary(report: VerifyReport) -> str:
    """One line: how many findings were confirmed, not reproduced, skipped, and the rest."""
    counts: dict[str, int] = {}
    for row in report.rows:
        counts[outcome(row)] = counts.get(outcome(row), 0) + 1
    total = len(report.rows)
    parts = [_count(counts, CONFIRMED), _count(counts, NOT_REPRODUCED), _count(counts, SKIPPED)]
    for name, label in (
        (FIX_FAILED, None),
        (TIMED_OUT, None),
        (NO_FIX, "reproduced with no fix to try"),
        (STATIC, "not verifiable (static rules)"),
    ):
        if counts.get(name):
            parts.append(_count(counts, name, label))
    return (
        f"{total} finding{'s' if total != 1 else ''}: {', '.join(parts)} in {report.seconds:.1f} s."
    )


def _unproven(report: VerifyReport) -> str:
    skipped = sum(1 for row in report.rows if outcome(row) == SKIPPED)
    if skipped:
        noun = "finding" if skipped == 1 else "findings"
        return (
            f"Unproven: {skipped} {noun} could not be rebuilt and trained (see 'skipped' "
            "above); nothing here confirms or refutes them."
        )
    return "Nothing verified: every finding is of a static rule, which verify cannot train."


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _reproduced(row: Row) -> str:
    if outcome(row) == STATIC:
        return "not verifiable (static rule)"
    if row.status == "skipped":
        return "skipped"
    if row.reproduction is None:
        return row.status
    verdict = row.reproduction.verdict
    if row.status == "reproduced":
        return "reproduced (silent)" if verdict.startswith("silent") else "reproduced"
    if row.status == "timed out":
        return "timed out"
    return "NOT reproduced"


def _fixes(row: Row) -> list[tuple[str, str]]:
    return [
        (o.run.description, "confirmed" if o.ok else f"fix FAILED: {o.verdict}") for o in row.fixes
    ]


def render_text(report: VerifyReport) -> str:
    header = ("finding", "code", "reproduced?", "what happened", "fix", "confirmed?", "s")
    lines: list[tuple[str, ...]] = [header]
    for row in report.rows:
        where = f"{row.finding.path}:{row.finding.line}"
        happened = row.reproduction.verdict if row.reproduction else row.reason
        fixes = _fixes(row) or [("", "")]
        for i, (fix, confirmed) in enumerate(fixes):
            first = i == 0
            lines.append(
                (
                    where if first else "",
                    row.finding.code if first else "",
                    _short(_reproduced(row), 40) if first else "",
                    _short(happened, 70) if first else "",
                    _short(fix, 40),
                    _short(confirmed, 50),
                    f"{row.seconds:.1f}" if first else "",
                )
            )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in lines
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    loud = [r for r in report.rows if r.status == "NOT reproduced"]
    for row in loud:
        out.append("")
        out.append(
            f"!! NOT REPRODUCED: {row.finding.path}:{row.finding.line} {row.finding.code}: the "
            "rebuilt model did not show the failure, so this finding looks wrong. That is a "
            "bug in shapelint; please report it with the script."
        )
    if any(r.shrunk for r in report.rows):
        out.append("")
        out.append("--shrink: layers were rebuilt with at most 8 units (4 filters).")
    out.append("")
    out.append(summary(report))
    if overall(report) == UNPROVEN:
        out.append(_unproven(report))
    return "\n".join(out) + "\n"


def _outcome(run: Outcome | None) -> dict[str, Any] | None:
    if run is None:
        return None
    error = run.result.get("error")
    return {
        "description": run.run.description,
        "expected": run.run.expect,
        "ok": run.ok,
        "verdict": run.verdict,
        "error": {k: error[k] for k in ("class", "message", "phase")} if error else None,
        "loss": run.result.get("loss"),
        "rows": run.result.get("rows"),
        "batches": run.result.get("batches"),
        "output_shape": run.result.get("output_shape"),
        # Trained on the model of an earlier run, put back as it was built (worker.Kept).
        "reused_model": bool(run.result.get("reused")),
        "seconds": run.seconds,
        # Of those: building the model, and the first batch (tracing its step, and running
        # it); None where there was none.
        "build_seconds": run.result.get("build_seconds"),
        "first_batch_seconds": run.result.get("first_batch_seconds"),
    }


def render_json(report: VerifyReport) -> str:
    rows = [
        {
            "finding": row.finding.to_dict(),
            "status": row.status,
            "outcome": outcome(row),
            "reason": row.reason or None,
            "reproduction": _outcome(row.reproduction),
            "fixes": [_outcome(o) for o in row.fixes],
            "confirmed": row.confirmed,
            "shrunk": row.shrunk,
            "seconds": round(row.seconds, 2),
        }
        for row in report.rows
    ]
    return json.dumps(rows, indent=2) + "\n"


def _trained(row: TrainingRow) -> bool:
    return row.status in ("trains", "builds")


def unproven_files(rows: list[TrainingRow], files: list[str]) -> list[str]:
    """The fixed files in which no call trained and no model was built."""
    proven = {row.path for row in rows if _trained(row)}
    return [path for path in files if path not in proven]


def training_overall(rows: list[TrainingRow], files: list[str]) -> str:
    """FAILED if a run failed or timed out; else UNPROVEN if a fixed file had nothing that
    could be rebuilt and trained; else PASSED (also when no file was fixed)."""
    if any(row.status in ("FAILED", "timed out") for row in rows):
        return FAILED
    return UNPROVEN if unproven_files(rows, files) else PASSED


def render_training_text(rows: list[TrainingRow], files: list[str] | None = None) -> str:
    """One line per call trained after --fix: trains, FAILED, skipped (why) or timed out;
    then a summary, and the fixed files nothing could be trained for."""
    lines = []
    if rows:
        lines.append(
            "verify: training the fixed scripts, rebuilt from their facts on synthetic data"
        )
    else:
        lines.append("verify: no fit, evaluate or predict call to train in the fixed files.")
    for row in rows:
        if row.outcome is None:
            detail = f"{row.status}: {row.reason}"
        else:
            detail = f"{row.outcome.run.description}: {row.reason}"
        lines.append(f"  {row.path}:{row.line} {row.method} ({row.model}): {detail}")
    if rows:
        trained = sum(1 for r in rows if _trained(r))
        failed = sum(1 for r in rows if r.status == "FAILED")
        timed_out = sum(1 for r in rows if r.status == "timed out")
        skipped = sum(1 for r in rows if r.status == "skipped")
        line = f"{trained} confirmed (trained or built), {failed} failed, {skipped} skipped"
        lines.append(line + (f", {timed_out} timed out." if timed_out else "."))
    for path in unproven_files(rows, files or []):
        lines.append(f"Unproven: nothing in {path} could be rebuilt and trained.")
    return "\n".join(lines) + "\n"


def render_training_json(rows: list[TrainingRow]) -> list[dict[str, Any]]:
    return [
        {
            "path": row.path,
            "line": row.line,
            "method": row.method,
            "model": row.model,
            "status": row.status,
            "reason": row.reason or None,
            "run": _outcome(row.outcome),
        }
        for row in rows
    ]
