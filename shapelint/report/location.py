"""How a finding's place is written: ``path:line:col``, or ``path:cell 3:line:col`` in notebooks."""

from __future__ import annotations

from shapelint.findings import Finding


def location(finding: Finding) -> str:
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{finding.path}:{cell}{finding.line}:{finding.column}"
