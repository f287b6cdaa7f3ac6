"""What the commands (``shapelint.cli`` and ``shapelint.cli_fix``) share about the
terminal: the exit codes they return, whether their output is coloured, and where it goes."""

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


def write_output(text: str, path: str | None) -> bool:
    """Write a command's output to ``path`` (``-o``), or to stdout; False, with the reason
    on stderr, when the file cannot be written."""
    if not path:
        sys.stdout.write(text)
        return True
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as failure:
        sys.stderr.write(f"shapelint: error: cannot write {path}: {failure}\n")
        return False
    return True
