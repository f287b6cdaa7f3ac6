"""Each rule's code, its name and whether it runs by default: all that reading
``--select``, ``--ignore`` and the configuration needs, without importing the rules and the
analysis they stand on, which a run whose files all come from the cache never needs.
``shapelint.rules.RULES`` is the catalogue itself; a test keeps the two the same."""

from __future__ import annotations

# (code, name, on by default), in the order of shapelint.rules.RULES.
CODES: tuple[tuple[str, str, bool], ...] = (
    ("SL000", "syntax-error", True),
    ("SL001", "batch-remainder", True),
    ("SL002", "batch-size-conflict", True),
    ("SL003", "stateful-needs-batch-size", True),
    ("SL004", "ignored-input-shape", True),
    ("SL005", "input-shape-mismatch", True),
    ("SL006", "rnn-rank-mismatch", True),
    ("SL007", "stateful-shuffle", True),
    ("SL008", "keras3-removed-argument", True),
    ("SL009", "unguarded-remainder", False),
    ("SL010", "keras3-removed-api", True),
    ("SL011", "unknown-argument", True),
    ("SL012", "target-shape-mismatch", True),
)

# The rules that run when nothing selects others.
DEFAULT: frozenset[str] = frozenset(code for code, _, default in CODES if default)


def code_of(key: str) -> str | None:
    """The code of the rule that ``key``, a code (in any case) or a name, stands for."""
    for code, name, _ in CODES:
        if key.upper() == code or key == name:
            return code
    return None
