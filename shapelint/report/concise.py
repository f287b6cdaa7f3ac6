"""``--format concise``: one line per finding; ``[*]`` marks what ``--fix`` fixes."""

from __future__ import annotations

from shapelint.findings import Report
from shapelint.report.location import location


def render(report: Report, color: bool = False) -> str:
    return "".join(
        f"{location(f)}: {f.code}{' [*]' if f.autofix == 'safe' else ''} [{f.name}] {f.message}\n"
        for f in report.findings
    )
