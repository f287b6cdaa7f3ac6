"""The helpers the stateful rules share (shapelint/rules/stateful.py), on exact values."""

from __future__ import annotations

import pytest

from shapelint.rules.stateful import divisors_near


@pytest.mark.parametrize(
    ("n", "target", "expected"),
    [
        (1735, 30, (5, 347)),  # 1735 = 5 * 347
        # 1710's divisors around 30: ..., 18, 19, [30], 38, 45, ...
        (1710, 30, (19, 38)),
        (1710, 31, (30, 38)),
        (1710, 29, (19, 30)),
        (36, 6, (4, 9)),  # a square: 6 is the root and the target
        (36, 5, (4, 6)),
        (49, 10, (7,)),  # 7 = the square root, found only if the root itself is tried
        (49, 5, (7,)),
        (13, 8, (13,)),  # a prime: only n itself is left (1 never is)
        (13, 20, (13,)),
        (1, 8, ()),
        (4, 2, ()),  # the only inner divisor is the target itself
        (100, 100, (50,)),
        (100, 1, (2,)),
        (100, 3, (2, 4)),
        (6, 4, (3,)),  # 2 and 3 are inner; 6 is left out
        (6, 2, (3,)),
    ],
)
def test_divisors_near(n: int, target: int, expected: tuple[int, ...]) -> None:
    assert divisors_near(n, target) == expected
