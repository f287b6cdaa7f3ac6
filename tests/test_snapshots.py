"""Every fixture's findings, word for word, against a reviewed snapshot.

The markers (tests/test_fixtures.py) pin each finding's place, code and numbers; the
snapshots pin the rest: the message, the fix's description and parameters, the
provenance of each number, the severity and the exact span. A change to any of them
shows up here as a diff to review.

Snapshots live in ``tests/snapshots/<fixture path>.json``, one finding per block, in
position order. After a deliberate change, or for a new fixture, write them with::

    SHAPELINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshots.py

and review the diff before committing it. A fixture without a snapshot fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from shapelint import check_source
from shapelint.config import options_for
from shapelint.findings import Finding
from shapelint.rules import RULES
from tests.conftest import FIXTURES

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("SHAPELINT_UPDATE_SNAPSHOTS") == "1"
COMMAND = "SHAPELINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshots.py"

# fixtures/fixed/ holds --fix's expected output (tests/test_fixes.py), not inputs.
FIXTURE_FILES = sorted(
    p
    for p in [*FIXTURES.rglob("*.py"), *FIXTURES.rglob("*.ipynb")]
    if "fixed" not in p.relative_to(FIXTURES).parts
)


def snapshot_path(fixture: Path) -> Path:
    return SNAPSHOTS / (fixture.relative_to(FIXTURES).as_posix() + ".json")


def findings_of(fixture: Path) -> list[Finding]:
    """As tests/test_fixtures.py checks it: its own settings, the default rules and the
    rule its folder is named after."""
    options = options_for(str(fixture))
    select = {r.code for r in RULES if r.default or r.code.lower() == fixture.parent.name}
    text = fixture.read_text(encoding="utf-8")
    return check_source(text, str(fixture), options=options, select=select)


def entry(finding: Finding) -> dict[str, Any]:
    """One finding as it is snapshotted: everything but the path (the file names it) and
    the fix's edits (fixtures/fixed/ pins what --fix writes)."""
    out: dict[str, Any] = {
        "line": finding.span.line,
        "column": finding.span.column,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column,
    }
    if finding.cell is not None:
        out["cell"] = finding.cell
    out |= {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
    }
    if finding.fix is not None:
        fix = finding.fix.to_dict()
        fix.pop("edits", None)
        out["fix"] = fix
    out["provenance"] = dict(finding.provenance)
    out["numbers"] = {k: list(v) if isinstance(v, tuple) else v for k, v in finding.numbers}
    return out


def render(fixture: Path) -> str:
    # Ties in position (two findings on one call) are ordered by their text: shapelint
    # returns them in no fixed order.
    findings = sorted(findings_of(fixture), key=lambda f: (f.sort_key(), json.dumps(entry(f))))
    text = json.dumps([entry(f) for f in findings], indent=2, ensure_ascii=False)
    # Machine-independent: no absolute paths of this checkout.
    return text.replace(str(FIXTURES), "fixtures") + "\n"


@pytest.mark.parametrize(
    "fixture", FIXTURE_FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FIXTURE_FILES]
)
def test_findings_match_snapshot(fixture: Path) -> None:
    snapshot = snapshot_path(fixture)
    actual = render(fixture)
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(actual, encoding="utf-8")
        return
    name = fixture.relative_to(FIXTURES).as_posix()
    if not snapshot.is_file():
        pytest.fail(
            f"fixtures/{name} has no snapshot ({snapshot.relative_to(SNAPSHOTS.parent.parent)});"
            f" write it with `{COMMAND}` and review it before committing",
            pytrace=False,
        )
    expected = snapshot.read_text(encoding="utf-8")
    assert actual == expected, (
        f"fixtures/{name}: findings differ from its snapshot; if the change is meant,"
        f" rewrite it with `{COMMAND}` and review the diff"
    )


def test_every_snapshot_belongs_to_a_fixture() -> None:
    wanted = {snapshot_path(p) for p in FIXTURE_FILES}
    stale = sorted(p for p in SNAPSHOTS.rglob("*.json") if p not in wanted)
    if UPDATE:
        for path in stale:
            path.unlink()
        return
    assert not stale, f"snapshots of fixtures that no longer exist (delete them): {stale}"
