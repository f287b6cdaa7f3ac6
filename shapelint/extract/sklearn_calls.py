"""scikit-learn's ``train_test_split``, with scikit-learn's own rounding.

For a float ``test_size`` the test part has ``ceil(n * test_size)`` samples; a float
``train_size`` gives ``floor(n * train_size)``; integers are counts; the part not
given is the rest; with neither, ``test_size`` is 0.25.
"""

from __future__ import annotations

import math

from shapelint.extract.args import Args
from shapelint.extract.values import ArrayV, Const, TupleV, Value
from shapelint.facts import UNKNOWN, Num


def _size(value: Value | None, n: int, rounding: str) -> tuple[int | None, bool]:
    """(count, given) for a test_size/train_size argument."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return None, False
    if isinstance(value, Num):
        if isinstance(value.value, float):
            scaled = value.value * n
            return (math.ceil(scaled) if rounding == "ceil" else math.floor(scaled)), True
        return int(value.value), True
    return None, True


def train_test_split(args: Args) -> Value:
    arrays = args.positional
    if args.opaque or not arrays or not all(isinstance(a, ArrayV) for a in arrays):
        return UNKNOWN
    counts = {a.samples.int_value if a.samples else None for a in arrays}  # type: ignore[union-attr]
    if len(counts) != 1:
        return UNKNOWN
    n = counts.pop()
    split: list[Value] = []
    n_test: int | None = None
    n_train: int | None = None
    test_value, train_value = args.get("test_size"), args.get("train_size")
    if n is not None:
        n_test, test_given = _size(test_value, n, "ceil")
        n_train, train_given = _size(train_value, n, "floor")
        if not test_given and not train_given:
            n_test = math.ceil(0.25 * n)
        if (test_given and n_test is None) or (train_given and n_train is None):
            n = None
        elif n_train is None and n_test is not None:
            n_train = n - n_test
        elif n_test is None and n_train is not None:
            n_test = n - n_train
    for array in arrays:
        assert isinstance(array, ArrayV)
        if n is None or n_train is None or n_test is None:
            split += [ArrayV(None, array.dims, classes=array.classes)] * 2
            continue
        how = f"train_test_split of {n}"
        split += [
            ArrayV(Num(n_train, f"{how}, train part"), array.dims, classes=array.classes),
            ArrayV(Num(n_test, f"{how}, test part"), array.dims, classes=array.classes),
        ]
    return TupleV(tuple(split))
