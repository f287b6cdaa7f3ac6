"""Every fixture's findings, word for word, against a reviewed snapshot.

The markers (tests/test_fixtures.py) pin each finding's place, code and numbers; the
snapshots pin the rest: the message, the fix's description and parameters, the
provenance of each number, the severity and the exact span. A change to any of them
shows up here as a diff to review.

Snapshots live in ``tests/snapshots/<fixture path>.json``, one finding per block, in
position order. Each rule's documented examples (its example, fixed example, invalid
and valid examples, checked with that rule alone) are snapshotted the same way, in
``tests/snapshots/rule_examples/<code>.json``, and so is what ``shapelint verify`` would
run for each finding of a fixture (the model it rebuilds, the runs and what each must
show; nothing is trained here) in ``tests/snapshots/verify_plans/<fixture path>.json``.
After a deliberate change, or for a new fixture, write them with::

    SHAPELINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshots.py

and review the diff before committing it. A fixture without a snapshot fails.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from shapelint import check_source
from shapelint.config import options_for
from shapelint.findings import Finding
from shapelint.rules import RULES
from shapelint.rules.base import Rule
from shapelint.verify import _cases
from shapelint.verify.plan import Case, Run
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


def dump(findings: list[Finding]) -> list[dict[str, Any]]:
    # Ties in position (two findings on one call) are ordered by their text: shapelint
    # returns them in no fixed order.
    ordered = sorted(findings, key=lambda f: (f.sort_key(), json.dumps(entry(f))))
    return [entry(f) for f in ordered]


def render(fixture: Path) -> str:
    text = json.dumps(dump(findings_of(fixture)), indent=2, ensure_ascii=False)
    # Machine-independent: no absolute paths of this checkout.
    return text.replace(str(FIXTURES), "fixtures") + "\n"


def render_examples(rule: Rule) -> str:
    """Each documented example of the rule, named, with its findings under that rule."""
    examples = [("example", rule.example), ("fix_example", rule.fix_example)]
    examples += [(f"invalid {i}", e.code) for i, e in enumerate(rule.invalid_examples, 1)]
    examples += [(f"valid {i}", code) for i, code in enumerate(rule.valid, 1)]
    blocks = [
        {"example": name, "findings": dump(check_source(code, select={rule.code}))}
        for name, code in examples
    ]
    return json.dumps(blocks, indent=2, ensure_ascii=False) + "\n"


def plan_entry(case: Case) -> dict[str, Any]:
    """What verify would run for one finding; each run's model only where it differs from
    the model of the reproduction."""
    out: dict[str, Any] = {"code": case.finding.code, "line": case.finding.line}
    if case.finding.cell is not None:
        out["cell"] = case.finding.cell
    if case.skipped:
        out["skipped"] = case.skipped
    base = case.reproduce.spec.get("model") if case.reproduce is not None else None
    if base is not None:
        out["model"] = base

    def run(r: Run) -> dict[str, Any]:
        entry = asdict(r)
        if entry["spec"].get("model") == base:
            entry["spec"].pop("model", None)
        return entry

    if case.reproduce is not None:
        out["reproduce"] = run(case.reproduce)
    if case.fixes:
        out["fixes"] = [run(r) for r in case.fixes]
    return out


def render_plans(fixture: Path) -> str:
    findings = sorted(findings_of(fixture), key=lambda f: (f.sort_key(), json.dumps(entry(f))))
    cases = _cases(findings, options_for, False, False)
    text = json.dumps([plan_entry(c) for c in cases], indent=2, ensure_ascii=False)
    return text.replace(str(FIXTURES), "fixtures") + "\n"


def compare(snapshot: Path, actual: str, what: str) -> None:
    """Write the snapshot when updating; otherwise it must exist and match."""
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(actual, encoding="utf-8")
        return
    shown = snapshot.relative_to(SNAPSHOTS.parent.parent).as_posix()
    if not snapshot.is_file():
        pytest.fail(
            f"{what} has no snapshot ({shown}); write it with `{COMMAND}` and review it"
            " before committing",
            pytrace=False,
        )
    assert actual == snapshot.read_text(encoding="utf-8"), (
        f"{what}: findings differ from {shown}; if the change is meant, rewrite it with"
        f" `{COMMAND}` and review the diff"
    )


@pytest.mark.parametrize(
    "fixture", FIXTURE_FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FIXTURE_FILES]
)
def test_findings_match_snapshot(fixture: Path) -> None:
    name = fixture.relative_to(FIXTURES).as_posix()
    compare(snapshot_path(fixture), render(fixture), f"fixtures/{name}")


@pytest.mark.parametrize(
    "fixture", FIXTURE_FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FIXTURE_FILES]
)
def test_verify_plans_match_snapshot(fixture: Path) -> None:
    name = fixture.relative_to(FIXTURES).as_posix()
    snapshot = SNAPSHOTS / "verify_plans" / (name + ".json")
    compare(snapshot, render_plans(fixture), f"verify's plans for fixtures/{name}")


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_examples_match_snapshot(rule: Rule) -> None:
    snapshot = SNAPSHOTS / "rule_examples" / f"{rule.code.lower()}.json"
    compare(snapshot, render_examples(rule), f"{rule.code}'s documented examples")


def test_every_snapshot_belongs_to_a_fixture() -> None:
    wanted = {snapshot_path(p) for p in FIXTURE_FILES}
    wanted |= {SNAPSHOTS / "rule_examples" / f"{r.code.lower()}.json" for r in RULES}
    wanted |= {
        SNAPSHOTS / "verify_plans" / (p.relative_to(FIXTURES).as_posix() + ".json")
        for p in FIXTURE_FILES
    }
    stale = sorted(p for p in SNAPSHOTS.rglob("*.json") if p not in wanted)
    if UPDATE:
        for path in stale:
            path.unlink()
        return
    assert not stale, f"snapshots of fixtures that no longer exist (delete them): {stale}"
