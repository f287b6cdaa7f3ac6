"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning reads it."""

from __future__ import annotations

import json
import os
from typing import Any

from shapelint.findings import Finding, Report
from shapelint.version import __version__

INFORMATION_URI = "https://github.com/shapelint/shapelint"


def _uri(path: str) -> str:
    """Relative to the working directory (the repository root in CI), with forward slashes."""
    relative = os.path.relpath(os.path.abspath(path))
    if relative.startswith(".."):
        return "file://" + os.path.abspath(path).replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def _rules() -> list[dict[str, Any]]:
    from shapelint.rules import RULES

    return [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.what},
            "help": {"text": rule.doc(), "markdown": rule.doc()},
            "helpUri": f"{INFORMATION_URI}#rules",
            "defaultConfiguration": {"level": rule.severity},
        }
        for rule in RULES
    ]


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    span = finding.span
    region = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": finding.severity,
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path)},
                    "region": region,
                }
            }
        ],
    }
    # A notebook's edits are within its cells, which SARIF regions cannot name.
    if finding.autofix is not None and finding.fix is not None and finding.cell is None:
        result["fixes"] = [_fix(finding)]
    properties: dict[str, Any] = {}
    if finding.fix is not None:
        properties["fix"] = finding.fix.description
    if finding.cell is not None:
        properties["cell"] = finding.cell
    if properties:
        result["properties"] = properties
    return result


def _fix(finding: Finding) -> dict[str, Any]:
    """The edits of ``--fix`` as a SARIF fix: an empty deleted region is an insertion."""
    assert finding.fix is not None
    replacements = [
        {
            "deletedRegion": {
                "startLine": e.span.line,
                "startColumn": e.span.column,
                "endLine": e.span.end_line,
                "endColumn": e.span.end_column,
            },
            "insertedContent": {"text": e.content},
        }
        for e in finding.fix.edits
    ]
    unsafe = " (unsafe: applied with --unsafe-fixes)" if finding.autofix == "unsafe" else ""
    return {
        "description": {"text": finding.fix.description + unsafe},
        "artifactChanges": [
            {"artifactLocation": {"uri": _uri(finding.path)}, "replacements": replacements}
        ],
    }


def render(report: Report, color: bool = False) -> str:
    rules = _rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "shapelint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "results": [_result(f, index) for f in report.findings],
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
