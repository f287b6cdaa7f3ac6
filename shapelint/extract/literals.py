"""The values of number and string literals, without libcst's ``evaluated_value``.

libcst evaluates every literal with ``ast.literal_eval``, which compiles it: a few
microseconds each, and scripts are full of literals. Python's own ``int(text, 0)`` and
``float(text)`` read every literal of these kinds exactly as the compiler does
(underscores, ``0x``/``0o``/``0b``, exponents); a string literal with no backslash, no
carriage return and no ``b`` prefix is its text between the quotes. Anything else goes
to libcst, so the values are always the same as ``evaluated_value``.
"""

from __future__ import annotations

import libcst as cst


def integer(node: cst.Integer) -> int:
    try:
        return int(node.value, 0)
    except ValueError:
        return int(node.evaluated_value)


def float_(node: cst.Float) -> float:
    try:
        return float(node.value)
    except ValueError:
        return float(node.evaluated_value)


def string(node: cst.SimpleString) -> str | bytes:
    text = node.value
    if "\\" in text or "\r" in text:
        return node.evaluated_value
    start = len(text) - len(text.lstrip("rRuUbB"))
    if "b" in text[:start].lower():
        return node.evaluated_value
    quote = text[start]
    width = 3 if text.startswith(quote * 3, start) else 1
    return text[start + width : len(text) - width]
