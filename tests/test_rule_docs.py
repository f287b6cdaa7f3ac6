"""Each rule's documentation has the four parts, and its examples behave as documented."""

from __future__ import annotations

import re

import pytest

from shapelint import check_source, fix_source
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
    for example in rule.invalid_examples:
        found = {f.code for f in check_source(example.code, select={rule.code})}
        assert rule.code in found, example.code
    for source in rule.valid:
        assert rule.code not in {f.code for f in check_source(source, select={rule.code})}, source


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_inline_examples_pin_the_fixes(rule: Rule) -> None:
    """An invalid example with ``fixed`` is fixed into exactly that; one without it is left
    alone by --fix. A rule has an autofix exactly when one of its examples shows it."""
    unsafe = rule.autofix_kind == "unsafe"
    for example in rule.invalid_examples:
        result = fix_source(example.code, "example.py", unsafe=unsafe, select={rule.code})
        assert result.text == (example.fixed or example.code), example.code
        if example.fixed is not None:
            assert rule.code not in {f.code for f in result.remaining}, example.fixed
    shows_a_fix = any(e.fixed is not None for e in rule.invalid_examples)
    assert bool(rule.autofix_kind) == shows_a_fix == bool(rule.autofix)
    assert rule.autofix_kind in ("", "safe", "unsafe")
