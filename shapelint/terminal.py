"""What the commands (``shapelint.cli`` and ``shapelint.cli_fix``) share about the
terminal: the exit codes they return and whether their output is coloured."""

from __future__ import annotations

import os
import sys

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def color() -> bool:
    """Colour the output: never with NO_COLOR, always with FORCE_COLOR, else on a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
