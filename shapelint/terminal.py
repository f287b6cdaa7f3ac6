"""What the commands (``shapelint.cli`` and ``shapelint.cli_fix``) share about the
terminal: the exit codes they return and whether their output is coloured."""

from __future__ import annotations

import os
import sys

# 3: verify could prove nothing (nothing failed, but nothing could be rebuilt and trained).
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_UNPROVEN = 0, 1, 2, 3
_SERIOUSNESS = (EXIT_CLEAN, EXIT_UNPROVEN, EXIT_FINDINGS, EXIT_ERROR)


def worst(*codes: int) -> int:
    """The most serious of several exit codes: 2 (errors), 1, 3 (unproven), 0."""
    return max(codes, key=_SERIOUSNESS.index)


def color() -> bool:
    """Colour the output: never with NO_COLOR, always with FORCE_COLOR, else on a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
