"""``--format text``: ``path:line:col: CODE [name] message``, the source line and a caret."""

from __future__ import annotations

from shapelint.findings import Finding, Report
from shapelint.report.location import location

_RESET = "\033[0m"
_BOLD = "\033[1m"
_RED = "\033[31m"
_YELLOW = "\033[33m"
_CYAN = "\033[36m"
_BLUE = "\033[34m"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def _snippet(finding: Finding, source: str, color: bool) -> list[str]:
    lines = source.splitlines()
    if not 1 <= finding.line <= len(lines):
        return []
    line = lines[finding.line - 1].expandtabs(1)
    start = finding.column - 1
    if finding.span.end_line == finding.line:
        width = max(finding.span.end_column - finding.column, 1)
    else:
        width = max(len(line.rstrip()) - start, 1)
    gutter = " " * len(str(finding.line))
    bar = _paint("|", _BLUE, color)
    caret_color = _RED if finding.severity == "error" else _YELLOW
    return [
        f"{gutter} {bar}",
        f"{_paint(str(finding.line), _BLUE, color)} {bar} {line}",
        f"{gutter} {bar} {' ' * start}{_paint('^' * width, caret_color, color)}",
    ]


def render_finding(finding: Finding, source: str | None, color: bool) -> str:
    code_color = _RED if finding.severity == "error" else _YELLOW
    where = location(finding)
    mark = " [*]" if finding.autofix == "safe" else ""
    head = (
        f"{_paint(finding.path, _BOLD, color)}{where[len(finding.path) :]}: "
        f"{_paint(finding.code, _BOLD + code_color, color)}{mark} [{finding.name}] "
        f"{finding.message}"
    )
    out = [head]
    if source is not None:
        out.extend(_snippet(finding, source, color))
    if finding.fix is not None:
        how = {
            "safe": " (--fix does this)",
            "unsafe": " (--fix --unsafe-fixes does this)",
        }.get(finding.autofix or "", "")
        out.append(
            f"{' ' * len(str(finding.line))} = {_paint('help', _CYAN, color)}: "
            f"{finding.fix.description}{how}"
        )
    return "\n".join(out)


def _fixable_line(findings: list[Finding]) -> str:
    safe = sum(1 for f in findings if f.autofix == "safe")
    unsafe = sum(1 for f in findings if f.autofix == "unsafe")
    if not safe and not unsafe:
        return ""
    parts = []
    if safe:
        parts.append(f"[*] {safe} fixable with `shapelint check --fix`")
    if unsafe:
        more = "more" if safe else "fixable"
        parts.append(f"{unsafe} {more} with `--fix --unsafe-fixes`")
    return "; ".join(parts) + ".\n"


def _source(report: Report, finding: Finding) -> str | None:
    if finding.cell is not None:
        return report.cell_sources.get(finding.path, {}).get(finding.cell)
    return report.sources.get(finding.path)


def render(report: Report, color: bool = False) -> str:
    blocks = [render_finding(f, _source(report, f), color) for f in report.findings]
    errors = sum(1 for f in report.findings if f.severity == "error")
    warnings = len(report.findings) - errors
    if report.findings:
        files = len({f.path for f in report.findings})
        summary = (
            f"Found {len(report.findings)} finding{'s' if len(report.findings) != 1 else ''} "
            f"({errors} error{'s' if errors != 1 else ''}, {warnings} "
            f"warning{'s' if warnings != 1 else ''}) in {files} file{'s' if files != 1 else ''}."
        )
        return "\n\n".join(blocks) + "\n\n" + summary + "\n" + _fixable_line(report.findings)
    checked = report.files_checked
    counted = f"{checked} file{'s' if checked != 1 else ''} checked"
    if report.errors:
        failed = len(report.errors)
        paths = f"{failed} path{'s' if failed != 1 else ''}"
        return f"No findings ({counted}); {paths} could not be checked.\n"
    return f"All checks passed ({counted}).\n"
