"""tf.data pipelines and Keras's timeseries helpers: how many samples, in which batches.

The window counts follow the libraries' own code:

- ``timeseries_dataset_from_array`` (Keras 3): ``num_seqs = end - start -
  (sequence_length - 1) * sampling_rate``, capped at ``len(targets)``; windows start at
  ``range(0, num_seqs, sequence_stride)`` and are batched with ``.batch(batch_size)``
  (default 128), so the last batch may be partial.
- ``TimeseriesGenerator`` (tf_keras): rows ``range(start_index + length, end_index + 1,
  stride)`` with ``end_index`` defaulting to ``len(data) - 1``, in batches of
  ``batch_size``; with ``shuffle=True`` every batch is drawn whole.
"""

from __future__ import annotations

import math

from shapelint.extract.args import Args
from shapelint.extract.numbers import fmt
from shapelint.extract.values import ArrayV, Const, DatasetV, ListV, TupleV, Value
from shapelint.facts import UNKNOWN, Num

_KEEP_COUNT = frozenset(
    {"map", "prefetch", "cache", "shuffle", "with_options", "ignore_errors_never", "as_numpy"}
)


def _int(value: Value | None) -> int | None:
    if isinstance(value, Num):
        return value.int_value
    return None


def _int_or(value: Value | None, default: int) -> int | None:
    """An optional integer argument: its default when absent, None when not known."""
    if value is None:
        return default
    return _int(value)


def _is_none(value: Value | None) -> bool:
    return value is None or (isinstance(value, Const) and value.value is None)


def from_tensor_slices(args: Args) -> Value:
    source = args.get("tensors", 0)
    first: Value | None = source
    if isinstance(source, TupleV) and source.items:
        first = source.items[0]
        counts = {
            item.samples.value if isinstance(item, ArrayV) and item.samples else None
            for item in source.items
        }
        if len(counts) != 1:
            return DatasetV(None, None)
    if isinstance(first, ArrayV):
        return DatasetV(first.samples, first.dims)
    return DatasetV(None, None)


def batched(samples: Num | None, batch: Num, drop: bool) -> tuple[Num | None, int | None]:
    """Samples that remain after batching, and the size of the last batch."""
    b = batch.int_value
    if samples is None or samples.int_value is None or not b or b <= 0:
        return (None, None)
    n = samples.int_value
    if drop:
        kept = n - n % b
        return Num(kept, f"{n} - {n % b} dropped"), b if kept else 0
    return samples, (n % b or b) if n else 0


def dataset_method(ds: DatasetV, method: str, args: Args) -> Value:
    if method in _KEEP_COUNT:
        return ds
    if method in ("batch", "padded_batch"):
        if ds.batch is not None:
            return DatasetV(None, None)  # batches of batches: not modelled
        size = args.get("batch_size", 0)
        drop = args.get("drop_remainder", 1 if method == "batch" else 3)
        if not isinstance(size, Num) or size.int_value is None or args.opaque:
            return DatasetV(None, None)
        if not _is_none(drop) and not (isinstance(drop, Const) and isinstance(drop.value, bool)):
            return DatasetV(None, None)
        dropping = isinstance(drop, Const) and drop.value is True
        samples, last = batched(ds.samples, size, dropping)
        return DatasetV(samples, ds.dims, size, last, dropping)
    if method in ("take", "skip"):
        count = _int(args.get("count", 0))
        if count is None or count < 0:
            return DatasetV(None, None, ds.batch, None, ds.drop_remainder)
        return take_or_skip(ds, method, count)
    if method == "repeat":
        times = _int(args.get("count", 0))
        if times is None or ds.samples is None or times < 1:
            return DatasetV(None, ds.dims, ds.batch, ds.last if times else None)
        samples = Num(ds.samples.value * times, f"{fmt(ds.samples.value)} * {times}")
        return DatasetV(samples, ds.dims, ds.batch, ds.last, ds.drop_remainder)
    if method == "unbatch":
        return DatasetV(ds.samples, ds.dims)
    return DatasetV(None, None)


def take_or_skip(ds: DatasetV, method: str, count: int) -> DatasetV:
    """``take(k)``/``skip(k)`` count elements, or whole batches once the data is batched."""
    n = ds.samples.int_value if ds.samples is not None else None
    if n is None:
        return DatasetV(None, ds.dims, ds.batch, None, ds.drop_remainder)
    if ds.batch is None or ds.batch.int_value is None:
        kept = min(count, n) if method == "take" else max(0, n - count)
        return DatasetV(Num(kept, f".{method}({count}) of {n}"), ds.dims)
    b = ds.batch.int_value
    last = ds.last if ds.last is not None else b
    batches = math.ceil(n / b) if n else 0
    sizes_first, sizes_rest = min(count, batches), max(0, batches - count)
    if method == "take":
        chosen = sizes_first
        partial = last if chosen == batches and batches else b
    else:
        chosen = sizes_rest
        partial = last if chosen else 0
    samples = (chosen - 1) * b + partial if chosen else 0
    how = f".{method}({count}) of {batches} batches"
    return DatasetV(Num(samples, how), ds.dims, ds.batch, partial if chosen else 0, False)


def timeseries_dataset(args: Args) -> Value:
    """``keras.utils.timeseries_dataset_from_array(data, targets, sequence_length, ...)``."""
    if args.opaque:
        return DatasetV(None, None)
    data = args.get("data", 0)
    targets = args.get("targets", 1)
    length = _int(args.get("sequence_length", 2))
    stride = _int_or(args.get("sequence_stride", 3), 1)
    rate = _int_or(args.get("sampling_rate", 4), 1)
    batch_value = args.get("batch_size", 5)
    start_value, end_value = args.get("start_index", 8), args.get("end_index", 9)
    n = _rows(data)
    if length is None or stride is None or rate is None or n is None:
        return DatasetV(None, None)
    start = 0 if _is_none(start_value) else _int(start_value)
    end = n if _is_none(end_value) else _int(end_value)
    if start is None or end is None:
        return DatasetV(None, None)
    num_seqs = end - start - (length - 1) * rate
    how = f"{end} - {start} - ({length} - 1) * {rate}" if start else f"{end} - {length - 1}"
    if rate != 1:
        how = f"{end} - {start} - ({length} - 1) * {rate}"
    if not _is_none(targets):
        t = _rows(targets)
        if t is None:
            return DatasetV(None, None)
        if t < num_seqs:
            how = f"min({how}, len(targets)={t})"
        num_seqs = min(num_seqs, t)
    windows = len(range(0, num_seqs, stride)) if num_seqs > 0 else 0
    if stride != 1:
        how = f"range(0, {how}, {stride})"
    dims = _window_dims(data, length)
    samples = Num(windows, f"{how} windows")
    if _is_none(batch_value) and batch_value is not None:
        return DatasetV(samples, dims)
    batch = Num(128, "the default batch_size=128") if batch_value is None else batch_value
    if not isinstance(batch, Num) or batch.int_value is None:
        return DatasetV(samples, dims)
    kept, last = batched(samples, batch, False)
    return DatasetV(kept, dims, batch, last)


def timeseries_generator(args: Args) -> Value:
    """tf_keras's ``TimeseriesGenerator(data, targets, length, sampling_rate, stride, ...)``."""
    if args.opaque:
        return DatasetV(None, None)
    data = args.get("data", 0)
    length = _int(args.get("length", 2))
    rate = _int_or(args.get("sampling_rate", 3), 1)
    stride = _int_or(args.get("stride", 4), 1)
    start_value, end_value = args.get("start_index", 5), args.get("end_index", 6)
    shuffle = args.get("shuffle", 7)
    batch_value = args.get("batch_size", 9)
    n = _rows(data)
    if length is None or rate is None or stride is None or n is None:
        return DatasetV(None, None)
    first = _int_or(start_value, 0)
    if first is None:
        return DatasetV(None, None)
    start = first + length
    end = n - 1 if _is_none(end_value) else _int(end_value)
    batch = Num(128, "the default batch_size=128") if batch_value is None else batch_value
    if end is None or not isinstance(batch, Num) or batch.int_value is None:
        return DatasetV(None, None)
    dims = _window_dims(data, math.ceil(length / rate))
    windows = len(range(start, end + 1, stride))
    samples = Num(windows, f"rows {start} to {end} of {n}, every {stride}")
    if isinstance(shuffle, Const) and shuffle.value is True:
        # Shuffled batches are drawn whole: batches * batch_size samples.
        b = batch.int_value
        batches = (end - start + b * stride) // (b * stride)
        return DatasetV(Num(batches * b), dims, batch, b)
    kept, last = batched(samples, batch, False)
    return DatasetV(kept, dims, batch, last)


def _rows(value: Value | None) -> int | None:
    if isinstance(value, ArrayV) and value.samples is not None:
        return value.samples.int_value
    if isinstance(value, ListV) and value.count is not None:
        return value.count.int_value
    return None


def _window_dims(data: Value | None, steps: int) -> tuple[int | None, ...] | None:
    if isinstance(data, ArrayV) and data.dims is not None:
        return (steps, *data.dims)
    return None


__all__ = ["UNKNOWN", "dataset_method", "from_tensor_slices", "timeseries_dataset"]
