"""pandas DataFrames between ``read_csv`` and ``.values``: which operations keep the rows."""

from __future__ import annotations

from shapelint.extract.args import Args
from shapelint.extract.builtin_calls import plain_slice
from shapelint.extract.numbers import slice_len
from shapelint.extract.values import ArrayV, Const, FrameV, IndexerV, ListV, TupleV, Value
from shapelint.facts import UNKNOWN, Num

# Methods that return a frame with the same rows and columns.
_SAME = frozenset(
    {
        "copy",
        "astype",
        "fillna",
        "ffill",
        "bfill",
        "interpolate",
        "sort_values",
        "sort_index",
        "abs",
        "round",
        "clip",
        "replace",
        "rename",
        "infer_objects",
    }
)


def to_array(frame: FrameV) -> ArrayV:
    if frame.series:
        return ArrayV(frame.rows, ())
    return ArrayV(frame.rows, (frame.cols,))


def attribute(frame: FrameV, attr: str) -> Value:
    if attr == "values":
        return to_array(frame)
    if attr in ("iloc", "loc"):
        return IndexerV(frame, attr)
    if attr == "shape":
        rows: Value = frame.rows if frame.rows is not None else UNKNOWN
        if frame.series:
            return TupleV((rows,))
        return TupleV((rows, Num(frame.cols) if frame.cols is not None else UNKNOWN))
    return UNKNOWN


def method(frame: FrameV, name: str, args: Args) -> Value:
    if name == "to_numpy":
        return to_array(frame)
    if name in _SAME:
        if args.get("inplace") is not None:
            return UNKNOWN
        return frame
    if name in ("head", "tail"):
        n = args.get("n", 0)
        count = 5 if n is None else n.int_value if isinstance(n, Num) else None
        if count is None or frame.rows is None or frame.rows.int_value is None:
            return FrameV(None, frame.cols, frame.series)
        kept = (
            min(count, frame.rows.int_value) if count >= 0 else max(0, frame.rows.int_value + count)
        )
        return FrameV(Num(kept, f"{name}({count}) of {frame.rows.value}"), frame.cols, frame.series)
    if name in ("set_index", "drop", "reset_index", "dropna", "pct_change", "diff", "shift"):
        # The columns or the rows may change in ways that depend on the data.
        if name in ("pct_change", "diff", "shift"):
            return frame
        if name == "dropna" or (
            name == "drop" and args.get("columns") is None and args.get("axis", 2) is None
        ):
            return FrameV(None, frame.cols, frame.series)
        return FrameV(frame.rows, None, frame.series)
    return UNKNOWN


def subscript(frame: FrameV, part: object) -> Value:
    if isinstance(part, Const) and isinstance(part.value, str):
        return FrameV(frame.rows, None, series=True)
    if isinstance(part, (ListV, TupleV)):
        items = part.items
        if items is not None and all(isinstance(v, Const) for v in items):
            return FrameV(frame.rows, len(items))
        return UNKNOWN
    if isinstance(part, tuple):
        return FrameV(_rows_slice(frame.rows, part), frame.cols, frame.series)
    return UNKNOWN


def indexer_subscript(indexer: IndexerV, parts: list[object]) -> Value:
    frame = indexer.frame
    rows_part = parts[0] if parts else None
    cols_part = parts[1] if len(parts) > 1 else None
    if len(parts) > 2 or not isinstance(rows_part, tuple):
        return UNKNOWN
    if indexer.kind == "loc" and rows_part != (Const(None), Const(None), Const(None)):
        return UNKNOWN  # label-based row slices include their end: not modelled
    rows = _rows_slice(frame.rows, rows_part)
    if cols_part is None:
        return FrameV(rows, frame.cols, frame.series)
    if indexer.kind == "iloc" and isinstance(cols_part, Num) and cols_part.int_value is not None:
        return FrameV(rows, None, series=True)
    if indexer.kind == "loc" and isinstance(cols_part, Const) and isinstance(cols_part.value, str):
        return FrameV(rows, None, series=True)
    if isinstance(cols_part, (ListV, TupleV)) and cols_part.items is not None:
        return FrameV(rows, len(cols_part.items))
    if indexer.kind == "iloc" and isinstance(cols_part, tuple) and frame.cols is not None:
        bounds = plain_slice(cols_part)
        if bounds is not None:
            return FrameV(rows, slice_len(frame.cols, *bounds))
    return FrameV(rows, None)


def _rows_slice(rows: Num | None, part: tuple[Value, ...]) -> Num | None:
    bounds = plain_slice(part)
    if rows is None or rows.int_value is None or bounds is None:
        return None
    if bounds == (None, None, None):
        return rows
    return Num(slice_len(rows.int_value, *bounds), f"rows sliced from {rows.value}")
