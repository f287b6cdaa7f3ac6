"""How ``shapelint verify`` shows its results: a table for people, JSON for tools."""

from __future__ import annotations

import json
from typing import Any

from shapelint.verify import Row, TrainingRow, VerifyReport


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _reproduced(row: Row) -> str:
    if row.status == "skipped":
        return f"skipped: {row.reason}"
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
        happened = row.reproduction.verdict if row.reproduction else ""
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
    tested = [r for r in report.rows if r.status != "skipped"]
    passed = sum(1 for r in tested if r.passed)
    out.append("")
    out.append(
        f"{passed} of {len(tested)} finding{'s' if len(tested) != 1 else ''} reproduced and "
        f"fixed ({len(report.rows) - len(tested)} not verifiable) in {report.seconds:.1f} s."
    )
    return "\n".join(out) + "\n"


def _outcome(outcome: Any) -> dict[str, Any] | None:
    if outcome is None:
        return None
    error = outcome.result.get("error")
    return {
        "description": outcome.run.description,
        "expected": outcome.run.expect,
        "ok": outcome.ok,
        "verdict": outcome.verdict,
        "error": {k: error[k] for k in ("class", "message", "phase")} if error else None,
        "loss": outcome.result.get("loss"),
        "rows": outcome.result.get("rows"),
        "batches": outcome.result.get("batches"),
        "seconds": outcome.seconds,
    }


def render_json(report: VerifyReport) -> str:
    rows = [
        {
            "finding": row.finding.to_dict(),
            "status": row.status,
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


def render_training_text(rows: list[TrainingRow]) -> str:
    """One line per call trained after --fix: trains, FAILED, skipped (why) or timed out."""
    if not rows:
        return "verify: no fit, evaluate or predict call to train in the fixed files.\n"
    lines = ["verify: training the fixed scripts, rebuilt from their facts on synthetic data"]
    for row in rows:
        if row.outcome is None:
            detail = f"{row.status}: {row.reason}"
        else:
            detail = f"{row.outcome.run.description}: {row.reason}"
        lines.append(f"  {row.path}:{row.line} {row.method} ({row.model}): {detail}")
    trained = sum(1 for r in rows if r.status in ("trains", "builds"))
    failed = sum(1 for r in rows if r.status in ("FAILED", "timed out"))
    skipped = sum(1 for r in rows if r.status == "skipped")
    lines.append(f"{trained} trained or built, {failed} failed, {skipped} skipped.")
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
