"""Arithmetic on known numbers, keeping a readable derivation."""

from __future__ import annotations

from shapelint.facts import Num

Number = int | float
_MAX_HOW = 120


def term(num: Num, label: str | None) -> str:
    """How a number reads as an operand: ``window=30``, ``len(raw)=1765`` or ``30``."""
    if label and label != str(num.value):
        if num.how.startswith(f"{fmt(num.value)} "):
            # An origin such as "1765 rows of prices.csv" says more than the bare number.
            return f"{label}={num.how}"
        return f"{label}={fmt(num.value)}"
    if num.how:
        return f"({num.how})"
    return fmt(num.value)


def fmt(value: Number) -> str:
    """A number as Python prints it: ``30``, ``3.0``, ``0.8``, ``1e+16``."""
    return str(value)


def combine(how: str) -> str:
    return how if len(how) <= _MAX_HOW else how[: _MAX_HOW - 3] + "..."


def binop(op: str, a: Number, b: Number) -> Number | None:
    """Python semantics for the operators sizes are computed with; None if undefined."""
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        if op == "//":
            return a // b
        if op == "%":
            return a % b
        if op == "**":
            if isinstance(b, int) and b < 0 or abs(b) > 64:
                return None
            result = a**b
            return result if isinstance(result, (int, float)) else None
    except (ZeroDivisionError, OverflowError):
        return None
    return None


def range_len(start: int, stop: int, step: int) -> int:
    return len(range(start, stop, step))


def slice_len(n: int, start: int | None, stop: int | None, step: int | None) -> int:
    return len(range(n)[slice(start, stop, step)])
