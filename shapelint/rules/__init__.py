"""The rule catalogue: an explicit, ordered list. Codes are stable and never reused."""

from __future__ import annotations

from shapelint.rules import (
    sl000_syntax_error,
    sl001_batch_remainder,
    sl002_batch_size_conflict,
    sl003_stateful_needs_batch_size,
)
from shapelint.rules.base import Diagnostic, Rule

RULES: tuple[Rule, ...] = (
    sl000_syntax_error.RULE,
    sl001_batch_remainder.RULE,
    sl002_batch_size_conflict.RULE,
    sl003_stateful_needs_batch_size.RULE,
)


def by_code_or_name(key: str) -> Rule | None:
    for rule in RULES:
        if key.upper() == rule.code or key == rule.name:
            return rule
    return None


__all__ = ["RULES", "Diagnostic", "Rule", "by_code_or_name"]
