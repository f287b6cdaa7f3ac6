"""The SARIF reporter in process (shapelint/report/sarif.py), field by field.

tests/test_where_users_run_it.py validates the command's SARIF against the schema; these
tests pin what each field holds, in the test process, where mutation testing sees them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from shapelint import check_paths
from shapelint.findings import Edit, Finding, Fix, Report, Span
from shapelint.report import FORMATS
from shapelint.report.sarif import INFORMATION_URI, render
from shapelint.rules import RULES
from shapelint.version import __version__
from tests.conftest import FIXTURES, ROOT, SEED

NOTEBOOK = FIXTURES / "notebooks" / "stateful_forecast.ipynb"


def document(report: Report) -> dict[str, Any]:
    text = render(report)
    assert text.startswith('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n')
    assert text.endswith("\n}\n")
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def test_sarif_is_the_sarif_format() -> None:
    assert FORMATS["sarif"] is render


def test_the_driver_describes_shapelint_and_every_rule() -> None:
    doc = document(Report())
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    [run] = doc["runs"]
    assert set(run) == {"tool", "results"}
    assert run["results"] == []
    driver = run["tool"]["driver"]
    assert INFORMATION_URI == "https://github.com/shapelint/shapelint"
    assert {k: v for k, v in driver.items() if k != "rules"} == {
        "name": "shapelint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
    }
    assert driver["rules"] == [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.what},
            "help": {"text": rule.doc(), "markdown": rule.doc()},
            "helpUri": "https://github.com/shapelint/shapelint#rules",
            "defaultConfiguration": {"level": rule.severity},
        }
        for rule in RULES
    ]
    assert driver["rules"][1]["id"] == "SL001"
    assert driver["rules"][1]["name"] == "batch-remainder"
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "error"}


def test_results_of_a_script_and_a_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = check_paths([SEED, NOTEBOOK])
    doc = document(report)
    index = {rule.code: i for i, rule in enumerate(RULES)}
    results = doc["runs"][0]["results"]
    assert len(results) == len(report.findings) == 4
    for result, finding in zip(results, report.findings, strict=True):
        assert result["ruleId"] == finding.code
        assert result["ruleIndex"] == index[finding.code]
        assert result["level"] == finding.severity
        assert result["message"] == {"text": finding.message}
        assert result["locations"] == [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": Path(finding.path).resolve().relative_to(ROOT).as_posix()
                    },
                    "region": {
                        "startLine": finding.span.line,
                        "startColumn": finding.span.column,
                        "endLine": finding.span.end_line,
                        "endColumn": finding.span.end_column,
                    },
                }
            }
        ]
    seed = [r for r in results if "seed" in json.dumps(r["locations"])]
    assert [(r["ruleId"], r["level"]) for r in seed] == [
        ("SL008", "error"),
        ("SL004", "warning"),
        ("SL001", "error"),
    ]
    region = seed[2]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 40, "startColumn": 11, "endLine": 40, "endColumn": 97}
    [cell] = [r for r in results if r not in seed]
    assert cell["properties"] == {"cell": 6, "fix": cell["properties"]["fix"]}
    assert "fixes" not in cell  # notebooks are not rewritten
    assert seed[1]["properties"] == {
        "fix": "Remove input_shape from the LSTM; the shapes between layers follow from the "
        "model's input."
    }
    assert seed[1]["fixes"] == [
        {
            "description": {
                "text": "Remove input_shape from the LSTM; the shapes between layers follow "
                "from the model's input."
            },
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "fixtures/seed/stateful_lstm_stock.py"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 35,
                                "startColumn": 25,
                                "endLine": 35,
                                "endColumn": 70,
                            },
                            "insertedContent": {"text": ""},
                        }
                    ],
                }
            ],
        }
    ]
    unsafe = seed[2]["fixes"][0]["description"]["text"]
    assert unsafe == seed[2]["properties"]["fix"] + " (unsafe: applied with --unsafe-fixes)"


def finding(**changes: Any) -> Finding:
    base = Finding(
        path="a/b.py",
        span=Span(3, 5, 4, 9),
        code="SL002",
        name="batch-size-conflict",
        severity="warning",
        message="a message",
    )
    return Finding(**{**base.__dict__, **changes})


def test_a_finding_without_a_fix_has_no_properties(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    [result] = document(Report(findings=[finding()]))["runs"][0]["results"]
    assert result == {
        "ruleId": "SL002",
        "ruleIndex": 2,
        "level": "warning",
        "message": {"text": "a message"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "a/b.py"},
                    "region": {"startLine": 3, "startColumn": 5, "endLine": 4, "endColumn": 9},
                }
            }
        ],
    }


def test_a_fix_without_edits_is_only_a_property(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    [result] = document(Report(findings=[finding(fix=Fix("do this"))]))["runs"][0]["results"]
    assert result["properties"] == {"fix": "do this"}
    assert "fixes" not in result


def test_a_safe_fix_with_edits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    edits = (Edit(Span(1, 2, 3, 4), "new"), Edit(Span(7, 1, 7, 1), "inserted\n"))
    fixed = finding(fix=Fix("do this", edits=edits, applicability="safe"))
    [result] = document(Report(findings=[fixed]))["runs"][0]["results"]
    assert result["properties"] == {"fix": "do this"}
    assert result["fixes"] == [
        {
            "description": {"text": "do this"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "a/b.py"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 1,
                                "startColumn": 2,
                                "endLine": 3,
                                "endColumn": 4,
                            },
                            "insertedContent": {"text": "new"},
                        },
                        {
                            "deletedRegion": {
                                "startLine": 7,
                                "startColumn": 1,
                                "endLine": 7,
                                "endColumn": 1,
                            },
                            "insertedContent": {"text": "inserted\n"},
                        },
                    ],
                }
            ],
        }
    ]


def test_a_notebook_fix_is_only_a_property(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SARIF regions cannot name a notebook's cell, so its edits are not SARIF fixes."""
    monkeypatch.chdir(tmp_path)
    edits = (Edit(Span(1, 2, 3, 4), "new"),)
    fixed = finding(fix=Fix("do this", edits=edits, applicability="safe"), cell=2)
    [result] = document(Report(findings=[fixed]))["runs"][0]["results"]
    assert result["properties"] == {"fix": "do this", "cell": 2}
    assert "fixes" not in result


def test_an_unsafe_fix_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    edits = (Edit(Span(1, 1, 1, 1), "x"),)
    fixed = finding(fix=Fix("trim", edits=edits, applicability="unsafe"))
    [result] = document(Report(findings=[fixed]))["runs"][0]["results"]
    assert result["fixes"][0]["description"] == {
        "text": "trim (unsafe: applied with --unsafe-fixes)"
    }


def test_paths_outside_the_working_directory_are_file_uris(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    inside = tmp_path / "repo"
    inside.mkdir()
    monkeypatch.chdir(inside)
    outside = str(tmp_path / "elsewhere" / "c.py")
    edits = (Edit(Span(1, 1, 1, 1), "x"),)
    report = Report(
        findings=[
            finding(path=outside, fix=Fix("f", edits=edits, applicability="safe")),
            finding(path=os.path.join(str(inside), "sub", "d.py")),
            finding(path=os.path.join("sub", "..", "e.py")),
        ]
    )
    results = document(report)["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["file://" + outside.replace(os.sep, "/"), "sub/d.py", "e.py"]
    change = results[0]["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"] == {"uri": "file://" + outside.replace(os.sep, "/")}
