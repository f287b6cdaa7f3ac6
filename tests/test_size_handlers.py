"""Exact sample counts, batch sizes and derivations from the size handlers:
tf.data and Keras's timeseries helpers (extract/data_calls.py), and Python's builtins
(extract/builtin_calls.py). Each expected count is Python's or the library's own
arithmetic, worked out in the comment beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from shapelint.config import options_for
from shapelint.lint import facts_for
from tests.test_sizes import data_of, facts, samples

DATA = "import tensorflow as tf\nx = np.zeros((1735, 30, 7))\ny = np.zeros((1735, 1))\n"
SLICES = "tf.data.Dataset.from_tensor_slices"
TSDS = "keras.utils.timeseries_dataset_from_array"
TSGEN = "keras.preprocessing.sequence.TimeseriesGenerator"


@dataclass(frozen=True)
class Fed:
    """What a dataset hands to fit: samples and their derivation, batch size, last batch,
    drop_remainder and the per-sample shape."""

    samples: float | None
    how: str = ""
    batch: int | None = None
    last: int | None = None
    drop: bool = False
    shape: tuple[int | None, ...] | None = (30, 7)


def fed(pipeline: str, data: str = DATA) -> Fed:
    found = facts(data + f"ds = {pipeline}\nmodel.fit(ds, epochs=1)\n")
    [call] = found.calls
    data = call.x
    assert data is not None and data.kind == "dataset"
    return Fed(
        data.samples.value if data.samples is not None else None,
        data.samples.how if data.samples is not None else "",
        data.batch_size.int_value if data.batch_size is not None else None,
        data.last_batch,
        data.drop_remainder,
        data.sample_shape,
    )


@pytest.mark.parametrize(
    ("pipeline", "expected"),
    [
        (f"{SLICES}((x, y))", Fed(1735)),
        (f"{SLICES}(x)", Fed(1735)),
        (f"{SLICES}(tensors=x)", Fed(1735)),
        # 1735 = 57 * 30 + 25
        (f"{SLICES}((x, y)).batch(30)", Fed(1735, batch=30, last=25)),
        (f"{SLICES}((x, y)).batch(batch_size=30)", Fed(1735, batch=30, last=25)),
        (f"{SLICES}((x, y)).batch(30, drop_remainder=False)", Fed(1735, batch=30, last=25)),
        (f"{SLICES}((x, y)).batch(30, drop_remainder=None)", Fed(1735, batch=30, last=25)),
        (
            f"{SLICES}((x, y)).batch(30, drop_remainder=True)",
            Fed(1710, "1735 - 25 dropped", 30, 30, True),
        ),
        (f"{SLICES}((x, y)).batch(30, True)", Fed(1710, "1735 - 25 dropped", 30, 30, True)),
        (
            f"{SLICES}((x, y)).batch(35, drop_remainder=True)",
            Fed(1715, "1735 - 20 dropped", 35, 35, True),
        ),
        (
            f"{SLICES}(x).batch(1735, drop_remainder=True)",
            Fed(1735, "1735 - 0 dropped", 1735, 1735, True),
        ),
        (
            f"{SLICES}(x).take(10).batch(30, drop_remainder=True)",
            Fed(0, "10 - 10 dropped", 30, 0, True),
        ),
        (f"{SLICES}(x).batch(1735)", Fed(1735, batch=1735, last=1735)),
        (f"{SLICES}(x).batch(1)", Fed(1735, batch=1, last=1)),
        (f"{SLICES}((x, y)).batch(35)", Fed(1735, batch=35, last=20)),  # 49 * 35 + 20
        (f"{SLICES}(x).padded_batch(30)", Fed(1735, batch=30, last=25)),
        # padded_batch's third positional argument is drop_remainder
        (
            f"{SLICES}(x).padded_batch(30, None, None, True)",
            Fed(1710, "1735 - 25 dropped", 30, 30, True),
        ),
        (f"{SLICES}(x).padded_batch(30, None, True)", Fed(1735, batch=30, last=25)),
        (f"{SLICES}(x).batch(30, drop_remainder=flag)", Fed(None, shape=None)),
        (f"{SLICES}(x).batch(30, drop_remainder=1)", Fed(None, shape=None)),
        (f"{SLICES}(x).batch(0)", Fed(None, batch=0)),
        (f"{SLICES}(x).batch(-30)", Fed(None, batch=-30)),
        (f"{SLICES}(x).batch(size)", Fed(None, shape=None)),
        (f"{SLICES}(x).batch(*sizes)", Fed(None, shape=None)),
        (f"{SLICES}(x).batch(30).batch(2)", Fed(None, shape=None)),  # not modelled
        (
            f"{SLICES}(x).shuffle(100).map(f).prefetch(1).cache().batch(30)",
            Fed(1735, batch=30, last=25),
        ),
        (f"{SLICES}(x).with_options(o).as_numpy().batch(30)", Fed(1735, batch=30, last=25)),
        (f"{SLICES}(x).filter(f).batch(30)", Fed(None, batch=30, shape=None)),
        (f"{SLICES}(x).batch(30).unbatch().batch(35)", Fed(1735, batch=35, last=20)),
        # elements: take/skip count samples
        (f"{SLICES}(x).take(100).batch(30)", Fed(100, ".take(100) of 1735", 30, 10)),
        (f"{SLICES}(x).take(count=100).batch(30)", Fed(100, ".take(100) of 1735", 30, 10)),
        (f"{SLICES}(x).take(2000).batch(30)", Fed(1735, ".take(2000) of 1735", 30, 25)),
        (f"{SLICES}(x).take(0).batch(30)", Fed(0, ".take(0) of 1735", 30, 0)),
        (f"{SLICES}(x).skip(100).batch(30)", Fed(1635, ".skip(100) of 1735", 30, 15)),
        (f"{SLICES}(x).skip(1735).batch(30)", Fed(0, ".skip(1735) of 1735", 30, 0)),
        (f"{SLICES}(x).skip(2000).batch(30)", Fed(0, ".skip(2000) of 1735", 30, 0)),
        (f"{SLICES}(x).take(-1).batch(30)", Fed(None, batch=30, shape=None)),
        (f"{SLICES}(x).take(k).batch(30)", Fed(None, batch=30, shape=None)),
        # batches: take/skip count whole batches; 1735 samples are 58 batches of 30
        (f"{SLICES}(x).batch(30).take(3)", Fed(90, ".take(3) of 58 batches", 30, 30)),
        (f"{SLICES}(x).batch(30).take(57)", Fed(1710, ".take(57) of 58 batches", 30, 30)),
        (f"{SLICES}(x).batch(30).take(58)", Fed(1735, ".take(58) of 58 batches", 30, 25)),
        (f"{SLICES}(x).batch(30).take(100)", Fed(1735, ".take(100) of 58 batches", 30, 25)),
        (f"{SLICES}(x).batch(30).take(0)", Fed(0, ".take(0) of 58 batches", 30, 0)),
        (f"{SLICES}(x).batch(30).skip(3)", Fed(1645, ".skip(3) of 58 batches", 30, 25)),
        (f"{SLICES}(x).batch(30).skip(57)", Fed(25, ".skip(57) of 58 batches", 30, 25)),
        (f"{SLICES}(x).batch(30).skip(58)", Fed(0, ".skip(58) of 58 batches", 30, 0)),
        (f"{SLICES}(x).batch(30).skip(0)", Fed(1735, ".skip(0) of 58 batches", 30, 25)),
        (
            f"{SLICES}(x).batch(30, drop_remainder=True).take(100)",
            Fed(1710, ".take(100) of 57 batches", 30, 30),
        ),
        (f"{SLICES}(x).take(0).batch(30).take(1)", Fed(0, ".take(1) of 0 batches", 30, 0)),
        (f"{SLICES}(x).batch(30).take(-1)", Fed(None, batch=30, shape=None)),
        (f"{SLICES}(x).batch(30).skip(n)", Fed(None, batch=30, shape=None)),
        # repeat
        (f"{SLICES}(x).repeat(2).batch(30)", Fed(3470, "1735 * 2", 30, 20)),  # 115 * 30 + 20
        (f"{SLICES}(x).repeat(count=3).batch(30)", Fed(5205, "1735 * 3", 30, 15)),
        (f"{SLICES}(x).batch(30).repeat(2)", Fed(3470, "1735 * 2", 30, 25)),
        (f"{SLICES}(x).repeat(1).batch(30)", Fed(1735, "1735 * 1", 30, 25)),
        (f"{SLICES}(x).repeat().batch(30)", Fed(None, batch=30)),
        (f"{SLICES}(x).repeat(0).batch(30)", Fed(None, batch=30)),
        (f"{SLICES}(x).batch(30).repeat()", Fed(None, batch=30)),
        (f"{SLICES}(x).batch(30).repeat(0)", Fed(None, batch=30)),
        (f"{SLICES}(x).batch(30).repeat(n)", Fed(None, batch=30)),
        # repeat(-1) repeats forever: the count is gone, every pass still ends on 25
        (f"{SLICES}(x).batch(30).repeat(-1)", Fed(None, batch=30, last=25)),
        # a tuple of arrays with different lengths is not a dataset shapelint trusts
        (f"{SLICES}((x, np.zeros((10, 1)))).batch(30)", Fed(None, batch=30, shape=None)),
        (f"{SLICES}(([1, 2], [3, 4])).batch(30)", Fed(None, batch=30, shape=None)),
        (
            f"{SLICES}(x).batch(30, drop_remainder=True).take(k)",
            Fed(None, batch=30, drop=True, shape=None),
        ),
    ],
)
def test_tf_data(pipeline: str, expected: Fed) -> None:
    assert fed(pipeline) == expected


@pytest.mark.parametrize(
    ("pipeline", "expected"),
    [
        (f"{SLICES}(x).batch(30)", Fed(None, batch=30, shape=None)),
        (f"{SLICES}(x).batch(30).take(3)", Fed(None, batch=30, shape=None)),
        (
            f"{SLICES}(x).batch(30, drop_remainder=True).skip(3)",
            Fed(None, batch=30, drop=True, shape=None),
        ),
        (f"{SLICES}(x).take(3).batch(30)", Fed(None, batch=30, shape=None)),
    ],
)
def test_tf_data_of_unknown_size_keeps_its_batching(pipeline: str, expected: Fed) -> None:
    assert (
        fed(pipeline, "import sys\nimport tensorflow as tf\nx = np.load(sys.argv[1])\n") == expected
    )


@pytest.mark.parametrize(
    ("pipeline", "expected"),
    [
        # num_seqs = 1735 - (10 - 1) * 1 = 1726 = 57 * 30 + 16
        (
            f"{TSDS}(x, None, sequence_length=10, batch_size=30)",
            Fed(1726, "1735 - 9 windows", 30, 16, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, None, 10, batch_size=30)",
            Fed(1726, "1735 - 9 windows", 30, 16, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, None, 10, 1, 1, 30)",
            Fed(1726, "1735 - 9 windows", 30, 16, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(data=x, targets=y, sequence_length=10, batch_size=30)",
            Fed(1726, "1735 - 9 windows", 30, 16, shape=(10, 30, 7)),
        ),
        # the default batch_size is 128: 1726 = 13 * 128 + 62
        (
            f"{TSDS}(x, y, sequence_length=10)",
            Fed(1726, "1735 - 9 windows", 128, 62, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, y, sequence_length=10, batch_size=None)",
            Fed(1726, "1735 - 9 windows", shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, y, sequence_length=10, batch_size=b)",
            Fed(1726, "1735 - 9 windows", shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, y[:100], sequence_length=10, batch_size=30)",
            Fed(100, "min(1735 - 9, len(targets)=100) windows", 30, 10, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, y[:1726], sequence_length=10, batch_size=30)",
            Fed(1726, "1735 - 9 windows", 30, 16, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, y[:1727], sequence_length=10, batch_size=30)",
            Fed(1726, "1735 - 9 windows", 30, 16, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, y[:1725], sequence_length=10, batch_size=30)",
            Fed(1725, "min(1735 - 9, len(targets)=1725) windows", 30, 15, shape=(10, 30, 7)),
        ),
        (f"{TSDS}(x, t, sequence_length=10, batch_size=30)", Fed(None, shape=None)),
        # range(0, 1726, 3) has 576 windows = 19 * 30 + 6
        (
            f"{TSDS}(x, None, 10, sequence_stride=3, batch_size=30)",
            Fed(576, "range(0, 1735 - 9, 3) windows", 30, 6, shape=(10, 30, 7)),
        ),
        # 1735 - 0 - (10 - 1) * 2 = 1717 = 57 * 30 + 7
        (
            f"{TSDS}(x, None, 10, sampling_rate=2, batch_size=30)",
            Fed(1717, "1735 - 0 - (10 - 1) * 2 windows", 30, 7, shape=(10, 30, 7)),
        ),
        # 1000 - 5 - (10 - 1) * 1 = 986 = 32 * 30 + 26
        (
            f"{TSDS}(x, None, 10, start_index=5, end_index=1000, batch_size=30)",
            Fed(986, "1000 - 5 - (10 - 1) * 1 windows", 30, 26, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, None, 10, start_index=None, end_index=None, batch_size=30)",
            Fed(1726, "1735 - 9 windows", 30, 16, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x, None, 10, end_index=1000, batch_size=30)",
            Fed(991, "1000 - 9 windows", 30, 1, shape=(10, 30, 7)),
        ),
        # fewer rows than one window: no windows at all
        (
            f"{TSDS}(x[:5], None, 10, batch_size=30)",
            Fed(0, "5 - 9 windows", 30, 0, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x[:10], None, 10, batch_size=30)",
            Fed(1, "10 - 9 windows", 30, 1, shape=(10, 30, 7)),
        ),
        (
            f"{TSDS}(x[:9], None, 10, sequence_stride=2, batch_size=30)",
            Fed(0, "range(0, 9 - 9, 2) windows", 30, 0, shape=(10, 30, 7)),
        ),
        # every argument by position: 1000 - 5 - (10 - 1) * 2 = 977; range(0, 977, 3) has
        # 326 windows = 10 * 30 + 26
        (
            f"{TSDS}(x, None, 10, 3, 2, 30, False, None, 5, 1000)",
            Fed(326, "range(0, 1000 - 5 - (10 - 1) * 2, 3) windows", 30, 26, shape=(10, 30, 7)),
        ),
        (f"{TSDS}(x, None, n, batch_size=30)", Fed(None, shape=None)),
        (f"{TSDS}(x, None, 10, sequence_stride=s, batch_size=30)", Fed(None, shape=None)),
        (f"{TSDS}(x, None, 10, sampling_rate=r, batch_size=30)", Fed(None, shape=None)),
        (f"{TSDS}(x, None, 10, start_index=s, batch_size=30)", Fed(None, shape=None)),
        (f"{TSDS}(x, None, 10, end_index=e, batch_size=30)", Fed(None, shape=None)),
        (f"{TSDS}(rows, None, 10, batch_size=30)", Fed(None, shape=None)),
        (f"{TSDS}(*args)", Fed(None, shape=None)),
        (
            f"{TSDS}(list(range(50)), None, 10, batch_size=30)",
            Fed(41, "50 - 9 windows", 30, 11, shape=None),
        ),
    ],
)
def test_timeseries_dataset_from_array(pipeline: str, expected: Fed) -> None:
    assert fed(pipeline) == expected


@pytest.mark.parametrize(
    ("pipeline", "expected"),
    [
        # rows 10 to 1734: 1725 windows = 57 * 30 + 15
        (
            f"{TSGEN}(x, y, length=10, batch_size=30)",
            Fed(1725, "rows 10 to 1734 of 1735, every 1", 30, 15, shape=(10, 30, 7)),
        ),
        (
            f"{TSGEN}(x, y, 10, batch_size=30)",
            Fed(1725, "rows 10 to 1734 of 1735, every 1", 30, 15, shape=(10, 30, 7)),
        ),
        (
            f"{TSGEN}(x, y, 10, 1, 1, 0, None, False, False, 30)",
            Fed(1725, "rows 10 to 1734 of 1735, every 1", 30, 15, shape=(10, 30, 7)),
        ),
        (
            f"{TSGEN}(x, y, length=10)",
            Fed(1725, "rows 10 to 1734 of 1735, every 1", 128, 61, shape=(10, 30, 7)),
        ),  # 13 * 128 + 61
        # rows 15 to 1000 every 3: 329 windows of ceil(10 / 2) = 5 steps; 10 * 30 + 29
        (
            f"{TSGEN}(x, y, length=10, batch_size=30, stride=3, sampling_rate=2,"
            " start_index=5, end_index=1000)",
            Fed(329, "rows 15 to 1000 of 1735, every 3", 30, 29, shape=(5, 30, 7)),
        ),
        (
            f"{TSGEN}(x, y, length=10, sampling_rate=3, batch_size=30)",
            Fed(1725, "rows 10 to 1734 of 1735, every 1", 30, 15, shape=(4, 30, 7)),
        ),
        (
            f"{TSGEN}(x, y, length=10, end_index=None, batch_size=30)",
            Fed(1725, "rows 10 to 1734 of 1735, every 1", 30, 15, shape=(10, 30, 7)),
        ),
        # shuffled: (1734 - 10 + 30) // 30 = 58 whole batches of 30
        (
            f"{TSGEN}(x, y, length=10, batch_size=30, shuffle=True)",
            Fed(1740, "", 30, 30, shape=(10, 30, 7)),
        ),
        # (1734 - 10 + 90) // 90 = 20 batches of 30 with stride 3
        (
            f"{TSGEN}(x, y, length=10, batch_size=30, stride=3, shuffle=True)",
            Fed(600, "", 30, 30, shape=(10, 30, 7)),
        ),
        (
            f"{TSGEN}(x, y, length=10, batch_size=30, shuffle=False)",
            Fed(1725, "rows 10 to 1734 of 1735, every 1", 30, 15, shape=(10, 30, 7)),
        ),
        # every argument by position, as the keyword case above
        (
            f"{TSGEN}(x, y, 10, 2, 3, 5, 1000, False, False, 30)",
            Fed(329, "rows 15 to 1000 of 1735, every 3", 30, 29, shape=(5, 30, 7)),
        ),
        # shuffled by position: (1000 - 15 + 30 * 3) // (30 * 3) = 11 batches of 30
        (
            f"{TSGEN}(x, y, 10, 2, 3, 5, 1000, True, False, 30)",
            Fed(330, "", 30, 30, shape=(5, 30, 7)),
        ),
        (f"{TSGEN}(x, y, length=n, batch_size=30)", Fed(None, shape=None)),
        (f"{TSGEN}(x, y, length=10, stride=s, batch_size=30)", Fed(None, shape=None)),
        (f"{TSGEN}(x, y, length=10, sampling_rate=r, batch_size=30)", Fed(None, shape=None)),
        (f"{TSGEN}(x, y, length=10, start_index=s, batch_size=30)", Fed(None, shape=None)),
        (f"{TSGEN}(x, y, length=10, end_index=e, batch_size=30)", Fed(None, shape=None)),
        (f"{TSGEN}(x, y, length=10, batch_size=b)", Fed(None, shape=None)),
        (f"{TSGEN}(rows, y, length=10, batch_size=30)", Fed(None, shape=None)),
        (f"{TSGEN}(*args)", Fed(None, shape=None)),
    ],
)
def test_timeseries_generator(pipeline: str, expected: Fed) -> None:
    assert fed(pipeline) == expected


def size(expression: str, before: str = "") -> tuple[float | None, str]:
    """The sample count of ``np.zeros((expression, 30, 7))`` and its derivation."""
    source = (
        "import math\nd = np.zeros((1735, 30, 7))\n"
        + before
        + f"x = np.zeros(({expression}, 30, 7))"
    )
    samples = data_of(source).samples
    return (samples.value, samples.how) if samples is not None else (None, "")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("len(d)", (1735, "len(d)")),
        ("len(d) // 2", (867, "len(d)=1735 // 2")),
        ("int(len(d) * 0.8)", (1388, "len(d)=1735 * 0.8")),
        ("int(1388.9)", (1388, "")),
        ("int(-3.5) + 10", (7, "-3 + 10")),
        ("math.trunc(1387.8)", (1387, "")),
        ("int(float(len(d)))", (1735, "len(d)")),
        ("int(float(12))", (12, "")),
        ("round(len(d) * 0.8)", (1388, "round(len(d)=1735 * 0.8)")),
        ("round(1388.5)", (1388, "round(1388.5)")),  # to even, as Python rounds
        ("round(1389.5)", (1390, "round(1389.5)")),
        ("round(1388.2)", (1388, "round(1388.2)")),
        ("round(len(d) * 0.8, 0)", (None, "")),
        ("round(len(d) * 0.8, ndigits=None)", (None, "")),
        ("math.ceil(1387.2)", (1388, "ceil(1387.2)")),
        ("math.floor(1387.8)", (1387, "floor(1387.8)")),
        ("math.ceil(len(d) * 0.8)", (1388, "ceil(len(d)=1735 * 0.8)")),
        ("math.floor(len(d) / 7)", (247, "floor(len(d)=1735 / 7)")),
        ("math.ceil(len(d) / 7)", (248, "ceil(len(d)=1735 / 7)")),
        ("min(len(d), 1000)", (1000, "")),
        ("min(1000, len(d))", (1000, "")),
        ("min(2000, len(d))", (1735, "len(d)")),
        ("max(len(d), 1000)", (1735, "len(d)")),
        ("max(10, 1000, 20)", (1000, "")),
        ("min(1000, 10, 20)", (10, "")),
        ("min(len(d))", (None, "")),
        ("min(len(d), k)", (None, "")),
        ("abs(len(d) - 2000)", (265, "len(d)=1735 - 2000")),
        ("abs(-1000)", (1000, "")),
        ("len('abcdef')", (6, "")),
        ("len((1, 2, 3))", (3, "")),
        ("len(range(100))", (100, "")),
        ("len(range(-5))", (0, "")),
        ("len(range(5, 100))", (95, "range(5, 100)")),
        ("len(range(10, 100, 3))", (30, "range(10, 100, 3)")),
        ("len(range(100, 5, -1))", (95, "range(100, 5, -1)")),
        ("len(range(0, 100, 0))", (None, "")),
        ("len(range(0, 100, s))", (None, "")),
        ("len(range(0, n))", (None, "")),
        ("len(range(n))", (None, "")),
        ("len(range(1.5))", (None, "")),
        ("len(range(0.5, 10))", (None, "")),
        ("len(range(stop=10))", (None, "")),
        ("len(range(len(d) - 30))", (1705, "len(d)=1735 - 30")),
        ("len(range(30, len(d)))", (1705, "range(30, len(d))")),
        ("len(list(range(40)))", (40, "")),
        ("len(tuple(range(40)))", (None, "")),
        ("len([1, 2, 3][1:])", (2, "len([1, 2, 3][1:])")),
        ("len([1, 2, 3, 4, 5][::2])", (3, "len([1, 2, 3, 4, 5][::2])")),
        ("len([1, 2, 3, 4, 5][1:4:2])", (2, "len([1, 2, 3, 4, 5][1:4:2])")),
        ("len([1, 2, 3, 4, 5][k:])", (None, "")),
        ("(1, 2, 3)[1]", (2, "")),
        ("(40, 50, 60)[-1]", (60, "")),
        ("(40, 50, 60)[5]", (None, "")),
        ("len((1, 2, 3, 4)[1:3])", (2, "")),
        ("len((1, 2, 3, 4)[::-1])", (4, "")),
        ("len((1, 2, 3, 4)[:k])", (None, "")),
        ("len(f(d))", (None, "")),
        ("len(*d)", (None, "")),
    ],
)
def test_builtins(expression: str, expected: tuple[int | None, str]) -> None:
    assert size(expression) == expected


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("L = []\nfor i in range(100):\n    L.append(i)\n", (100, "len(L)")),
        ("L = [0]\nfor i in range(100):\n    L.append(i)\n", (101, "1 + 100")),
        ("L = []\nL.append(1)\nL.append(2)\n", (2, "1 + 1")),
        ("L = []\nfor i in range(10):\n    for j in range(5):\n        L.append(i)\n", (50, None)),
        ("L = []\nfor i in range(10):\n    L.append(i)\n    L.append(i)\n", (20, None)),
        ("L = [1, 2]\nL.sort()\nL.reverse()\nL.copy()\nL.index(1)\nL.count(1)\n", (2, "len(L)")),
        ("L = [1, 2]\nprint(L)\nisinstance(L, list)\ntype(L)\n", (2, "len(L)")),
        ("L = [1, 2]\nL.extend([3])\n", (None, "")),
        ("L = [1, 2]\nL.pop()\n", (None, "")),
        ("L = [1, 2]\nfoo(L)\n", (None, "")),
        ("L = [1, 2]\nL.append(*more)\n", (None, "")),
        ("L = []\nfor i in range(n):\n    L.append(i)\n", (None, "")),
        ("L = list(range(50))\n", (50, "len(L)")),
        ("L = list([1, 2, 3])\n", (3, "len(L)")),
        ("L = list(range(50))[10:]\n", (40, "len(L)")),
        ("L = list(range(50))\nL = L[10:]\n", (40, "len(L)")),
        ("L = [1, 2, 3]\nM = L[1:]\nL = M\n", (2, "len(L)")),
    ],
)
def test_lists(before: str, expected: tuple[int | None, str | None]) -> None:
    count, how = size("len(L)", before)
    assert count == expected[0]
    if expected[1] is not None:
        assert how == expected[1]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("L = [10, 20]\nL.append(30)\nx = np.zeros((L[2], 30, 7))", (30, (30, 7))),
        (
            "L = [10, 20]\nfor i in range(3):\n    L.append(30)\nx = np.zeros((L[2], 30, 7))",
            (30, (30, 7)),
        ),
        ("L = [5, 6, 7]\nx = np.zeros((L[1:][0], 30, 7))", (6, (30, 7))),
        ("L = [5, 6, 7]\nx = np.zeros((L[5], 30, 7))", (None, (30, 7))),
        ("L = list(range(50))\nx = np.zeros((L[-1], 30, 7))", (None, (30, 7))),
        # the elements' shape is the samples' shape, while every element has the same one
        (
            "L = []\nfor i in range(10):\n    L.append(np.zeros((30, 7)))\nx = np.array(L)",
            (10, (30, 7)),
        ),
        (
            "L = []\nfor i in range(10):\n    L.append(np.zeros((30, 7)))\n"
            "    L.append(np.zeros((30, 8)))\nx = np.array(L)",
            (20, None),
        ),
        ("L = [np.zeros((30, 7))]\nL.append(np.zeros((30, 7)))\nx = np.array(L)", (2, (30, 7))),
        ("L = [np.zeros((30, 7))]\nL.append(np.zeros((30, 6)))\nx = np.array(L)", (2, None)),
        (
            "L = []\nfor i in range(10):\n    L.append(np.zeros((30, 7)))\n"
            "L.sort()\nx = np.array(L)",
            (10, (30, 7)),
        ),
    ],
)
def test_list_items_and_element_shapes(
    source: str, expected: tuple[int | None, tuple[int | None, ...] | None]
) -> None:
    data = data_of(source)
    assert (data.samples.value if data.samples else None, data.sample_shape) == expected


UNKNOWN_ROWS = "import sys\nimport math\nd = np.load(sys.argv[1])\n"


@pytest.mark.parametrize(
    ("source", "multiple_of"),
    [
        # the count is unknown, but certainly a multiple of 8
        ("x = d[: math.trunc(len(d) / 8) * 8]", 8),
        ("x = d[: int(len(d) / 8) * 8]", 8),
        ("k = len(d) // 8 * 8\nx = d[: int(k)]", 8),
        ("k = len(d) // 8 * 8\nx = d[: math.trunc(k)]", 8),
        ("k = len(d) // 8 * 8\nx = d[: round(k)]", 8),
        ("k = len(d) // 8 * 8\nx = d[: math.floor(k)]", 8),
        ("k = len(d) // 8 * 8\nx = d[: math.ceil(k)]", 8),
        ("x = d[: len(d) // 8]", None),
    ],
)
def test_rounding_keeps_a_known_multiple(source: str, multiple_of: int | None) -> None:
    data = data_of(UNKNOWN_ROWS + source)
    assert data.samples is None
    assert data.multiple_of == multiple_of


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("L = [1, 2, 3]\nn = len(tuple(L))", None),  # not followed
        ("L = [1, 2, 3]\nn = len(list(L))", (3, "")),
        (
            "import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 3)))\n"
            "n = len(ds)",
            (100, "len(ds)"),
        ),
        (
            "import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 3)))"
            ".batch(10)\nn = len(ds)",
            None,
        ),  # batches, not samples
        ("n = len(range(10, foo=1))", None),
    ],
)
def test_len_of_other_values(source: str, expected: tuple[int, str] | None) -> None:
    samples = data_of(source + "\nx = np.zeros((n, 30, 7))").samples
    assert ((samples.value, samples.how) if samples is not None else None) == expected


def test_len_of_a_data_frame_read_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "prices.csv").write_text("a,b\n" + "".join(f"{i},{i}\n" for i in range(100)))
    script = tmp_path / "train.py"
    script.write_text(
        "import numpy as np\nimport pandas as pd\nimport keras\n"
        'df = pd.read_csv("prices.csv")\nx = np.zeros((len(df), 30, 7))\n'
        "inputs = keras.Input(batch_shape=(30, 30, 7))\n"
        "model = keras.Model(inputs, keras.layers.LSTM(8, stateful=True)(inputs))\n"
        "model.predict(x, batch_size=30)\n"
    )
    facts = facts_for(script.read_text(), str(script), options_for(str(script)))
    [call] = facts.calls
    assert call.x is not None and call.x.samples is not None
    assert (call.x.samples.value, call.x.samples.how) == (100, "100 rows of prices.csv")


@pytest.mark.parametrize(
    ("loop", "expected"),
    [
        ("for cut in range(5, 20, 5):", 1735 - (5 + 10 + 15)),
        ("for cut in range(10, 13):", 1735 - (10 + 11 + 12)),
        ("for cut in range(3):", 1735 - (0 + 1 + 2)),
    ],
)
def test_short_range_loops_run_through_every_value(loop: str, expected: int) -> None:
    assert samples(f"x = np.zeros((1735, 30, 7))\n{loop}\n    x = x[cut:]") == expected
