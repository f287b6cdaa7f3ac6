"""Each rule's documentation has the four parts, and its examples behave as documented."""

from __future__ import annotations

import re

import pytest

from shapelint import check_source
from shapelint.rules import RULES, Rule

IDS = [r.code for r in RULES]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_identity(rule: Rule) -> None:
    assert re.fullmatch(r"SL\d{3}", rule.code)
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name)
    assert rule.severity in ("error", "warning")


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_doc_has_the_four_parts(rule: Rule) -> None:
    doc = rule.doc()
    positions = [
        doc.index(h) for h in ("## What it does", "## Why it breaks", "## Example", "## Fix")
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_doc_example_triggers_and_fix_does_not(rule: Rule) -> None:
    select = {rule.code}
    assert rule.code in {f.code for f in check_source(rule.example, select=select)}
    assert rule.code not in {f.code for f in check_source(rule.fix_example, select=select)}


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_inline_examples(rule: Rule) -> None:
    assert rule.invalid and rule.valid
    for source in rule.invalid:
        assert rule.code in {f.code for f in check_source(source, select={rule.code})}, source
    for source in rule.valid:
        assert rule.code not in {f.code for f in check_source(source, select={rule.code})}, source
