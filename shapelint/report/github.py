"""``--format github``: workflow commands that GitHub Actions shows as annotations."""

from __future__ import annotations

from shapelint.findings import Finding, Report


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    kind = "error" if finding.severity == "error" else "warning"
    span = finding.span
    parts = [f"file={_property(finding.path)}", f"line={span.line}"]
    if span.end_line == span.line and finding.cell is None:
        parts += [f"col={span.column}", f"endLine={span.end_line}", f"endColumn={span.end_column}"]
    elif finding.cell is None:
        parts.append(f"endLine={span.end_line}")
    title = _property(f"{finding.code} {finding.name}")
    where = f"cell {finding.cell}, line {span.line}: " if finding.cell is not None else ""
    return f"::{kind} {','.join(parts)},title={title}::{_data(where + finding.message)}"


def render(report: Report, color: bool = False) -> str:
    return "".join(annotation(f) + "\n" for f in report.findings)
