"""Suppression comments, as users know them from ruff and flake8.

- ``# shapelint: ignore[SL001,SL007]`` or ``# noqa: SL001`` on a finding's first or
  last line silences those rules there (codes or names);
- a bare ``# shapelint: ignore`` or ``# noqa`` silences every rule on that line;
- ``# shapelint: ignore-file`` on a line of its own skips the whole file.
"""

from __future__ import annotations

import re

from shapelint.findings import Finding

_IGNORE = re.compile(r"#\s*shapelint:\s*ignore(?!-)(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(
    r"#\s*noqa(?::\s*(?P<codes>[A-Za-z0-9_\-]+(?:[\s,]+[A-Za-z0-9_\-]+)*))?", re.IGNORECASE
)
_FILE = re.compile(r"^\s*#\s*shapelint:\s*ignore-file\b", re.IGNORECASE | re.MULTILINE)

ALL = "*"


def ignores_file(text: str) -> bool:
    return "ignore-file" in text and _FILE.search(text) is not None


def _codes_on(line: str) -> set[str]:
    found: set[str] = set()
    for pattern in (_IGNORE, _NOQA):
        for match in pattern.finditer(line):
            codes = match.group("codes")
            if codes is None:
                found.add(ALL)
            else:
                found.update(c.strip() for c in re.split(r"[\s,]+", codes) if c.strip())
    return found


def apply(findings: list[Finding], text: str) -> list[Finding]:
    """The findings that no suppression comment silences."""
    if not findings or ("noqa" not in text and "shapelint:" not in text):
        return findings
    lines = text.splitlines()
    kept = []
    for finding in findings:
        silenced: set[str] = set()
        for number in {finding.span.line, finding.span.end_line}:
            if 1 <= number <= len(lines):
                silenced |= _codes_on(lines[number - 1])
        names = {c.upper() for c in silenced}
        if ALL in silenced or finding.code in names or finding.name.upper() in names:
            continue
        kept.append(finding)
    return kept
