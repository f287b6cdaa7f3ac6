"""The rule catalogue: an explicit, ordered list. Codes are stable and never reused.

``shapelint.codes`` repeats each rule's code, name and default, for what must not import
the rules (reading ``--select`` and the configuration); a test keeps the two the same."""

from __future__ import annotations

from shapelint.rules import (
    sl000_syntax_error,
    sl001_batch_remainder,
    sl002_batch_size_conflict,
    sl003_stateful_needs_batch_size,
    sl004_ignored_input_shape,
    sl005_input_shape_mismatch,
    sl006_rnn_rank_mismatch,
    sl007_stateful_shuffle,
    sl008_keras3_removed_argument,
    sl009_unguarded_remainder,
    sl010_keras3_removed_api,
    sl011_unknown_argument,
    sl012_target_shape_mismatch,
)
from shapelint.rules.base import Diagnostic, Invalid, Rule

RULES: tuple[Rule, ...] = (
    sl000_syntax_error.RULE,
    sl001_batch_remainder.RULE,
    sl002_batch_size_conflict.RULE,
    sl003_stateful_needs_batch_size.RULE,
    sl004_ignored_input_shape.RULE,
    sl005_input_shape_mismatch.RULE,
    sl006_rnn_rank_mismatch.RULE,
    sl007_stateful_shuffle.RULE,
    sl008_keras3_removed_argument.RULE,
    sl009_unguarded_remainder.RULE,
    sl010_keras3_removed_api.RULE,
    sl011_unknown_argument.RULE,
    sl012_target_shape_mismatch.RULE,
)


def by_code_or_name(key: str) -> Rule | None:
    for rule in RULES:
        if key.upper() == rule.code or key == rule.name:
            return rule
    return None


def markdown_table() -> str:
    """The README's rule table, generated from the rules themselves."""
    rows = ["| Code | Name | Severity | What it catches | `--fix` |", "|---|---|---|---|---|"]
    rows += [
        f"| {r.code} | `{r.name}` | {r.severity} | {r.summary}"
        f"{'' if r.default else ' (off by default: `--select ' + r.code + '`)'} | "
        f"{r.autofix_kind or '-'} |"
        for r in RULES
    ]
    return "\n".join(rows) + "\n"


__all__ = ["RULES", "Diagnostic", "Invalid", "Rule", "by_code_or_name", "markdown_table"]
