"""The arithmetic that sizes are computed with (shapelint/extract/numbers.py)."""

from __future__ import annotations

import math

import pytest

from shapelint.extract.numbers import binop, combine, fmt, range_len, slice_len, term
from shapelint.facts import Num


@pytest.mark.parametrize(
    ("op", "a", "b", "expected"),
    [
        ("+", 1765, 30, 1795),
        ("-", 1765, 30, 1735),
        ("*", 57, 30, 1710),
        ("/", 1735, 2, 867.5),
        ("//", 1735, 30, 57),
        ("%", 1735, 30, 25),
        ("//", -7, 2, -4),
        ("%", -7, 2, 1),
        ("**", 2, 10, 1024),
        ("**", 2, 0, 1),
        ("**", 2, 64, 2**64),
        ("**", 2, 64.0, 2.0**64),
        ("**", -2, 3, -8),
        ("**", 4, -0.5, 0.5),
        ("**", 2.5, 2, 6.25),
    ],
)
def test_binop_follows_python(op: str, a: float, b: float, expected: float) -> None:
    result = binop(op, a, b)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("op", "a", "b"),
    [
        ("/", 1, 0),
        ("//", 1, 0),
        ("%", 1, 0),
        ("/", 1.0, 0.0),
        ("**", 2, -1),  # an integer power below zero: a float no size is made of
        ("**", 2, 65),  # too large an exponent to compute
        ("**", 2, -65),
        ("**", 2, 64.5),
        ("**", 2, -64.5),
        ("**", 1e300, 2),  # OverflowError
        ("**", -8, 1 / 3),  # a complex number
        ("@", 2, 3),
        ("<<", 2, 3),
        ("", 2, 3),
    ],
)
def test_binop_is_none_where_undefined(op: str, a: float, b: float) -> None:
    assert binop(op, a, b) is None


def test_combine_keeps_up_to_the_limit_and_cuts_beyond_it() -> None:
    assert combine("") == ""
    assert combine("a" * 120) == "a" * 120
    assert combine("a" * 119 + "b") == "a" * 119 + "b"
    cut = combine("a" * 117 + "bcde")
    assert cut == "a" * 117 + "..."
    assert len(cut) == 120


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (30, "30"),
        (-5, "-5"),
        (3.0, "3.0"),
        (0.8, "0.8"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
    ],
)
def test_fmt(value: float, text: str) -> None:
    assert fmt(value) == text


@pytest.mark.parametrize(
    ("num", "label", "text"),
    [
        (Num(30), "window", "window=30"),
        (Num(30, "30 on line 4"), "window", "window=30 on line 4"),
        (Num(1765, "1765 rows of prices.csv"), "len(raw)", "len(raw)=1765 rows of prices.csv"),
        (Num(1765, "17650 rows"), "n", "n=1765"),  # the origin must start with the number
        (Num(1765, "1765rows"), "n", "n=1765"),
        (Num(1735, "len(raw)=1765 - 30"), "n", "n=1735"),
        (Num(3.0, "3.0 seconds"), "t", "t=3.0 seconds"),
        (Num(3.0), "t", "t=3.0"),
        (Num(30, "a - b"), "30", "(a - b)"),  # a label that is the number itself says nothing
        (Num(30, "a - b"), None, "(a - b)"),
        (Num(30, "a - b"), "", "(a - b)"),
        (Num(30), "30", "30"),
        (Num(30), None, "30"),
        (Num(0.5), None, "0.5"),
    ],
)
def test_term(num: Num, label: str | None, text: str) -> None:
    assert term(num, label) == text


def test_range_len() -> None:
    assert range_len(0, 1735, 1) == 1735
    assert range_len(0, 10, 3) == 4
    assert range_len(30, 1765, 1) == 1735
    assert range_len(10, 0, -3) == 4
    assert range_len(5, 5, 1) == 0
    assert range_len(9, 0, 1) == 0


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((None, None, None), 1765),
        ((None, 1700, None), 1700),
        ((30, None, None), 1735),
        ((-100, None, None), 100),
        ((None, -35, None), 1730),
        ((10, 50, None), 40),
        ((0, 1765, 2), 883),
        ((None, None, -1), 1765),
        ((None, None, 30), math.ceil(1765 / 30)),
        ((2000, None, None), 0),
    ],
)
def test_slice_len(bounds: tuple[int | None, int | None, int | None], expected: int) -> None:
    assert slice_len(1765, *bounds) == expected
