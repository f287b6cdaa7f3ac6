"""SL000 syntax-error: the file does not parse, so nothing else in it can be checked."""

from __future__ import annotations

from collections.abc import Iterator

from shapelint.facts import Anchor, Facts
from shapelint.rules.base import Diagnostic, Rule


def check(facts: Facts) -> Iterator[Diagnostic]:
    error = facts.syntax_error
    if error is not None:
        span = error.span
        yield Diagnostic(Anchor(lambda: span), f"the file does not parse: {error.message}")


RULE = Rule(
    code="SL000",
    name="syntax-error",
    severity="error",
    summary="The file is not valid Python, so shapelint cannot check it.",
    what=(
        "Reports a Keras script that libcst cannot parse, at the place the parser stopped. "
        "Files that never mention Keras are not parsed, so their syntax errors are left to "
        "your other linters."
    ),
    why=(
        "Python refuses to run the file with a SyntaxError, and shapelint cannot see any of "
        "its models or calls, so it would otherwise say nothing."
    ),
    example="""
import keras
model = keras.Sequential(
""",
    fix="Fix the syntax error; the file is checked again on the next run.",
    fix_example="""
import keras
model = keras.Sequential()
""",
    check=check,
    invalid=("import keras\nx = (1,\n",),
    valid=("import keras\nx = (1,)\n",),
)
