"""Data files next to the script: numpy and pandas loaders, read for their shape only.

A path that is not a plain string, a file that is missing, too large or not
understood, or ``--no-read-data``: the result is unknown, never an error.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

from shapelint import datafiles
from shapelint.extract.args import Args
from shapelint.extract.values import ArrayV, Const, FrameV, ListV, NpzV, TupleV, Value
from shapelint.facts import UNKNOWN, Num

if TYPE_CHECKING:
    from shapelint.extract.context import Context

# read_csv arguments that change neither the row count nor the column count.
_CSV_NEUTRAL = frozenset(
    {
        "parse_dates",
        "dtype",
        "na_values",
        "keep_default_na",
        "thousands",
        "decimal",
        "low_memory",
        "date_format",
        "infer_datetime_format",
        "true_values",
        "false_values",
        "dayfirst",
        "converters",
        "memory_map",
        "float_precision",
    }
)


def _local(ex: Context, value: Value | None) -> str | None:
    """The file a string literal names, resolved next to the script, if reading is allowed."""
    if not ex.options.read_data or not isinstance(value, Const) or not isinstance(value.value, str):
        return None
    found = datafiles.resolve(value.value, ex.path)
    if found is not None:
        ex.data_files.add(os.path.abspath(found))
    return found


def _int(value: Value | None, default: int | None = None) -> int | None:
    if value is None or (isinstance(value, Const) and value.value is None):
        return default
    if isinstance(value, Num) and value.int_value is not None:
        return value.int_value
    return None


def _count(value: Value | None) -> int | None:
    """``usecols=[...]``/``(...)``/``k``: how many columns are selected."""
    items = value.items if isinstance(value, (TupleV, ListV)) else None
    if items is not None:
        # pandas ignores repeated columns; anything but literal names or indices is unknown.
        if not all(isinstance(v, (Const, Num)) for v in items):
            return None
        return len({v.value for v in items if isinstance(v, (Const, Num))})
    if isinstance(value, Num) and value.int_value is not None:
        return 1
    return None


def _optional_text(value: Value | None) -> bool:
    """Absent, None or a string literal."""
    return value is None or (
        isinstance(value, Const) and (value.value is None or isinstance(value.value, str))
    )


def _rows_how(rows: int, path: str) -> Num:
    return Num(rows, f"{rows} rows of {os.path.basename(path)}")


def np_load(ex: Context, args: Args) -> Value:
    path = _local(ex, args.get("file", 0))
    if path is None or args.opaque:
        return UNKNOWN
    if path.endswith(".npz"):
        return NpzV(path, os.path.basename(path))
    shape = datafiles.npy_shape(path) if path.endswith(".npy") else None
    return _array(shape, path)


def npz_member(npz: NpzV, key: Value) -> Value:
    if not isinstance(key, Const) or not isinstance(key.value, str):
        return UNKNOWN
    return _array(datafiles.npz_shape(npz.path, key.value), f"{npz.name}['{key.value}']")


def _array(shape: tuple[int, ...] | None, path: str) -> Value:
    if not shape:
        return UNKNOWN
    return ArrayV(_rows_how(shape[0], path), tuple(shape[1:]))


def read_csv(ex: Context, args: Args) -> Value:
    path = _local(ex, args.get("filepath_or_buffer", 0))
    if path is None or args.opaque or len(args.positional) > 1:
        return UNKNOWN
    unknown_rows = FrameV(None, None)
    for name in args.keywords:
        if name not in _CSV_NEUTRAL and name not in (
            "sep",
            "delimiter",
            "header",
            "skiprows",
            "nrows",
            "usecols",
            "index_col",
            "encoding",
        ):
            return unknown_rows
    sep_value = args.get("sep") or args.get("delimiter")
    sep = "," if sep_value is None else sep_value
    if not isinstance(sep, str) and not (isinstance(sep, Const) and isinstance(sep.value, str)):
        return unknown_rows
    sep_text = sep if isinstance(sep, str) else str(sep.value)
    encoding = args.get("encoding")
    if encoding is not None and not (
        isinstance(encoding, Const) and str(encoding.value).lower().replace("-", "") == "utf8"
    ):
        return unknown_rows
    header_value = args.get("header")
    header: int | None | Literal["infer"]
    if header_value is None:
        header = "infer"
    elif isinstance(header_value, Const) and header_value.value in (None, "infer"):
        header = "infer" if header_value.value == "infer" else None
    elif isinstance(header_value, Num) and header_value.int_value is not None:
        header = header_value.int_value
    else:
        return unknown_rows
    skip_value = args.get("skiprows")
    skiprows: int | list[int] | None = None
    if isinstance(skip_value, Num) and skip_value.int_value is not None:
        skiprows = skip_value.int_value
    elif isinstance(skip_value, (TupleV, ListV)):
        items = skip_value.items
        if items is None or not all(isinstance(v, Num) and v.int_value is not None for v in items):
            return unknown_rows
        skiprows = [int(v.value) for v in items if isinstance(v, Num)]
    elif skip_value is not None:
        return unknown_rows
    nrows = _int(args.get("nrows"))
    if args.get("nrows") is not None and nrows is None:
        return unknown_rows
    usecols = None if args.get("usecols") is None else _count(args.get("usecols"))
    if args.get("usecols") is not None and usecols is None:
        return unknown_rows
    shape = datafiles.csv_shape(
        path,
        sep=sep_text,
        header=header,
        skiprows=skiprows,
        nrows=nrows,
        usecols=usecols,
        max_bytes=datafiles.MAX_BYTES,
    )
    if shape is None:
        return unknown_rows
    rows, cols = shape
    index = args.get("index_col")
    if index is not None and not (isinstance(index, Const) and index.value in (None, False)):
        drop = _count(index) if not isinstance(index, Const) else 1
        cols = cols - drop if drop is not None else -1
    return FrameV(_rows_how(rows, path), cols if cols >= 0 else None)


def loadtxt(ex: Context, args: Args, genfromtxt: bool) -> Value:
    path = _local(ex, args.get("fname", 0))
    if path is None or args.opaque or len(args.positional) > 1:
        return UNKNOWN
    allowed = {"delimiter", "comments", "usecols", "max_rows", "dtype", "encoding"}
    allowed |= {"skip_header", "skip_footer", "names"} if genfromtxt else {"skiprows", "ndmin"}
    if any(name not in allowed for name in args.keywords):
        return UNKNOWN
    delimiter, comments = args.get("delimiter"), args.get("comments")
    if not (_optional_text(delimiter) and _optional_text(comments)):
        return UNKNOWN
    delim = delimiter.value if isinstance(delimiter, Const) else None
    comment = "#" if comments is None else comments.value if isinstance(comments, Const) else None
    usecols = None if args.get("usecols") is None else _count(args.get("usecols"))
    max_rows = _int(args.get("max_rows"))
    if (args.get("usecols") is not None and usecols is None) or (
        args.get("max_rows") is not None and max_rows is None
    ):
        return UNKNOWN
    shape: tuple[int, ...] | None
    if genfromtxt:
        names = args.get("names")
        if names is not None and not (isinstance(names, Const) and isinstance(names.value, bool)):
            return UNKNOWN
        header, footer = _int(args.get("skip_header"), 0), _int(args.get("skip_footer"), 0)
        if header is None or footer is None:
            return UNKNOWN
        shape = datafiles.genfromtxt_shape(
            path,
            delimiter=delim if isinstance(delim, str) else None,
            comments=comment if isinstance(comment, str) else None,
            skip_header=header,
            skip_footer=footer,
            usecols=usecols,
            names=bool(names.value) if isinstance(names, Const) else False,
            max_rows=max_rows,
            max_bytes=datafiles.MAX_BYTES,
        )
    else:
        skip, ndmin = _int(args.get("skiprows"), 0), _int(args.get("ndmin"), 0)
        if skip is None or ndmin is None:
            return UNKNOWN
        shape = datafiles.loadtxt_shape(
            path,
            delimiter=delim if isinstance(delim, str) else None,
            comments=comment if isinstance(comment, str) else None,
            skiprows=skip,
            usecols=usecols,
            max_rows=max_rows,
            ndmin=ndmin,
            max_bytes=datafiles.MAX_BYTES,
        )
    return _array(shape, path)
