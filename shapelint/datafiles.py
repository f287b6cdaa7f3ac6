"""Shapes of local data files, worked out without loading the data.

Each function mirrors one loader (``np.load``, ``pd.read_csv``, ``np.loadtxt``,
``np.genfromtxt``) and returns the shape that loader would give, or None when it is
not certain: a missing or unreadable file, one bigger than ``max_bytes``, a
compressed file, malformed content, or an argument combination that is not modelled
here. Silence beats a guess. Nothing here raises on a bad file, executes user code or
imports pandas; numpy is used only to read ``.npy`` headers.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterator
from typing import IO, Any, Literal

MAX_BYTES = 200 * 1024 * 1024

# Extensions that numpy (.gz .bz2 .xz .lzma) or pandas (and the rest) decompress.
_COMPRESSED = (".gz", ".bz2", ".xz", ".lzma", ".zip", ".zst", ".tar", ".tgz")
# csv and zipfile are imported by the functions that read with them: most checks read
# no data file of that kind.
_ERRORS = (OSError, UnicodeError, ValueError, EOFError, SyntaxError)


class _Unsure(Exception):
    """Raised internally when the content is not modelled exactly."""


def _npy_header(fp: IO[bytes], available: int) -> tuple[int, ...] | None:
    """Shape from the header at the current position of ``fp`` (``numpy.lib.format``)."""
    from numpy.lib import format as npy_format  # only here: numpy is slow to import

    # Typed by some numpy releases and not by others (numpy 2.2, the last for Python 3.10).
    read: dict[str, Callable[[IO[bytes]], Any]] = {
        name: getattr(npy_format, name)
        for name in ("read_magic", "read_array_header_1_0", "read_array_header_2_0")
    }
    version = read["read_magic"](fp)
    if version == (1, 0):
        shape, _, dtype = read["read_array_header_1_0"](fp)
    elif version == (2, 0):
        shape, _, dtype = read["read_array_header_2_0"](fp)
    else:
        return None
    if dtype.hasobject or dtype.subdtype is not None:
        return None  # np.load refuses pickles by default; subarrays change the shape
    count = 1
    for size in shape:
        count *= size
    if available < fp.tell() + count * dtype.itemsize:
        return None  # truncated data: np.load fails
    return tuple(int(size) for size in shape)


def npy_shape(path: str, *, max_bytes: int = MAX_BYTES) -> tuple[int, ...] | None:
    """Shape of ``np.load(path)`` for a ``.npy`` file, read from its header only.

    ``max_bytes`` does not apply: only the header is read.
    """
    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as fp:
            return _npy_header(fp, os.fstat(fp.fileno()).st_size)
    except _ERRORS:
        return None


def npz_shape(path: str, key: str, *, max_bytes: int = MAX_BYTES) -> tuple[int, ...] | None:
    """Shape of ``np.load(path)[key]`` for an ``.npz`` archive, from the member's header.

    Like ``NpzFile``, ``key`` names the member ``key`` itself or else ``key + ".npy"``.
    ``max_bytes`` does not apply: only the header is read.
    """
    import zipfile
    import zlib

    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as raw:
            if raw.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
                return None  # np.load would not open it as an npz
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            member = key if key in names else key + ".npy"
            if member not in names:
                return None
            info = archive.getinfo(member)
            with archive.open(info) as fp:
                return _npy_header(fp, info.file_size)
    except (*_ERRORS, zipfile.BadZipFile, zlib.error, RuntimeError):
        return None


def _open_text(path: str, max_bytes: int, encoding: str, newline: str | None) -> IO[str] | None:
    """Open a plain (uncompressed) text file no bigger than ``max_bytes``, else None."""
    if path.lower().endswith(_COMPRESSED) or not os.path.isfile(path):
        return None
    if os.path.getsize(path) > max_bytes:
        return None
    return open(path, encoding=encoding, errors="strict", newline=newline)


def _csv_records(handle: IO[str], sep: str, skipping: bool) -> Iterator[tuple[list[str], str]]:
    """Yield ``(fields, first raw line)`` per record, as pandas' C tokenizer splits them.

    Raises ``_Unsure`` where that tokenizer and the csv module part ways: a quoted field
    still open at the end of the file (pandas: "EOF inside string"), and lines ended by
    a lone carriage return when rows are skipped or a line starts with ``sep`` (pandas
    then eats a character).
    """
    import csv

    raw: list[str | None] = []

    def lines() -> Iterator[str]:
        previous = ""
        for line in handle:
            if previous.endswith("\r") and (skipping or line.startswith(sep)):
                raise _Unsure("lone carriage return")
            raw.append(line)
            yield line
            previous = line
        raw.append(None)  # end-of-file marker: a blank record unless a quote swallows it
        yield "\n"

    for fields in csv.reader(lines(), delimiter=sep, quotechar='"', doublequote=True):
        consumed = raw.copy()
        raw.clear()
        if consumed[0] is None:
            return
        if None in consumed:
            raise _Unsure("unterminated quoted field")
        yield fields, consumed[0]


def _is_blank(fields: list[str], first_line: str) -> bool:
    """pandas' blank line: empty, or only spaces and tabs that are not the separator."""
    return not fields or (
        len(fields) == 1 and first_line.rstrip("\r\n") == fields[0] and fields[0].strip(" \t") == ""
    )


def csv_shape(
    path: str,
    *,
    sep: str = ",",
    header: int | None | Literal["infer"] = "infer",
    skiprows: int | list[int] | None = None,
    nrows: int | None = None,
    usecols: int | None = None,
    skip_blank_lines: bool = True,
    max_bytes: int = MAX_BYTES,
) -> tuple[int, int] | None:
    """(rows, columns) of ``pd.read_csv(path, sep=..., header=..., ...)`` (C engine).

    ``usecols`` is the number of distinct columns selected. Skipped line numbers and
    ``header`` count records (a quoted field spanning lines is one record); ``skiprows``
    also counts blank lines, ``header`` does not. Returns None for a regex or multi-
    character ``sep``, a bool or list ``header``, negative numbers, a data row longer
    than the header (pandas errors or infers an index), an unterminated quote, an empty
    result, a blank line before the header when ``skip_blank_lines=False``, and
    non-UTF-8 text.
    """
    header_at = 0 if header == "infer" else header
    if (
        len(sep) != 1
        or sep in '\r\n"'
        or isinstance(header_at, bool)
        or not (header_at is None or (isinstance(header_at, int) and header_at >= 0))
        or (nrows is not None and nrows < 0)
        or (usecols is not None and usecols < 1)
    ):
        return None
    if skiprows is None or isinstance(skiprows, int):
        if isinstance(skiprows, bool) or (skiprows or 0) < 0:
            return None
        skip_first, skip_set = skiprows or 0, frozenset[int]()
    else:
        skip_first, skip_set = 0, frozenset(skiprows)
    import csv

    ncols: int | None = None
    kept = rows = 0
    try:
        handle = _open_text(path, max_bytes, "utf-8-sig", "")
        if handle is None:
            return None
        with handle:
            skipping = bool(skip_first or skip_set)
            for index, (fields, line) in enumerate(_csv_records(handle, sep, skipping)):
                if index < skip_first or index in skip_set:
                    if line.startswith(sep + '"'):
                        return None  # pandas reads that quote as plain text when skipping
                    continue
                blank = _is_blank(fields, line)
                if blank and skip_blank_lines:
                    continue
                if ncols is None:
                    if blank:
                        return None
                    if header_at is not None and kept < header_at:
                        kept += 1
                        continue
                    ncols = len(fields)
                    if header_at is not None:
                        continue
                if nrows is not None and rows >= nrows:
                    break
                if len(fields) > ncols:
                    return None
                rows += 1
    except (*_ERRORS, csv.Error, _Unsure):
        return None
    if ncols is None:
        return None
    if usecols is not None:
        if usecols > ncols:
            return None
        ncols = usecols
    return rows, ncols


def _is_float(text: str) -> bool:
    """Whether numpy's text reader converts ``text`` to float64."""
    text = text.strip()
    if not text.isascii() or "_" in text:
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def _bytes_float(text: str) -> bool:
    """Whether genfromtxt fills a one-field structured array from ``text``.

    Its converter passes ``text.encode("latin-1")`` (or None, which becomes nan, when
    that fails) and numpy casts it with ``float``.
    """
    try:
        float(text.encode("latin-1"))
    except UnicodeEncodeError:
        return True
    except ValueError:
        return False
    return True


def _float_fields(fields: list[str], line: str) -> set[int]:
    """Indices of the ``fields`` (split from ``line``) that numpy reads as float64."""
    if line.isascii() and "_" not in line:
        try:
            deque(map(float, fields), maxlen=0)  # fast path: every field converts
        except ValueError:
            pass
        else:
            return set(range(len(fields)))
    return {i for i, field in enumerate(fields) if _is_float(field)}


def _ndmin(shape: tuple[int, ...], ndmin: int) -> tuple[int, ...]:
    """numpy's ``_ensure_ndmin_ndarray``: squeeze, then pad to ``ndmin`` dimensions."""
    if len(shape) > ndmin:
        shape = tuple(size for size in shape if size != 1)
    if len(shape) < ndmin:
        shape = (1,) * (ndmin - len(shape)) + shape
        if ndmin == 2:
            shape = shape[::-1]  # np.atleast_2d(a).T
    return shape


def loadtxt_shape(
    path: str,
    *,
    delimiter: str | None = None,
    comments: str | None = "#",
    skiprows: int = 0,
    usecols: int | None = None,
    max_rows: int | None = None,
    ndmin: int = 0,
    max_bytes: int = MAX_BYTES,
) -> tuple[int, ...] | None:
    """Shape of ``np.loadtxt(path, ...)`` with the default float dtype (numpy >= 1.23).

    ``skiprows`` counts lines (comments and blank ones included); ``max_rows`` counts
    data rows only. The result is squeezed as numpy does, then padded to ``ndmin``.
    ``usecols`` is the number of columns selected. Returns None for a multi-character
    ``delimiter``, an empty or delimiter ``comments``, rows of differing length, and,
    without ``usecols``, any field that is not a float (a header line, say).
    """
    if (
        (delimiter is not None and (len(delimiter) != 1 or delimiter in "\r\n"))
        or comments == ""
        or (comments is not None and comments == delimiter)
        or skiprows < 0
        or (max_rows is not None and max_rows < 0)
        or (usecols is not None and usecols < 1)
        or ndmin not in (0, 1, 2)
    ):
        return None
    ncols: int | None = None
    rows = 0
    numeric: set[int] | None = None  # columns holding floats in every row so far
    try:
        handle = _open_text(path, max_bytes, "utf-8", None)
        if handle is None:
            return None
        with handle:
            for number, line in enumerate(handle):
                if number < skiprows:
                    continue
                if max_rows is not None and rows >= max_rows:
                    break
                if comments is not None:
                    line = line.split(comments, 1)[0]
                line = line.removesuffix("\n")
                if delimiter is None:
                    fields = line.split()
                else:
                    fields = line.split(delimiter) if line else []
                if not fields:
                    continue
                if ncols is None:
                    ncols = len(fields)
                if len(fields) != ncols:
                    return None
                floats = _float_fields(fields, line)
                numeric = floats if numeric is None else numeric & floats
                if len(numeric) < (usecols or ncols):
                    return None  # a selected column holds a value float() rejects
                rows += 1
    except _ERRORS:
        return None
    if usecols is not None:
        if ncols is not None and usecols > ncols:
            return None
        ncols = usecols
    return _ndmin((rows, ncols or 1), ndmin)  # no rows: numpy gives (0, usecols or 1)


def genfromtxt_shape(
    path: str,
    *,
    delimiter: str | None = None,
    comments: str | None = "#",
    skip_header: int = 0,
    skip_footer: int = 0,
    usecols: int | None = None,
    names: bool = False,
    max_rows: int | None = None,
    max_bytes: int = MAX_BYTES,
) -> tuple[int, ...] | None:
    """Shape of ``np.genfromtxt(path, ...)`` with the default float dtype.

    Follows numpy's code: ``skip_header`` counts lines, ``skip_footer`` and
    ``max_rows`` count data rows, a row of the wrong length raises unless
    ``skip_footer`` drops it, and the result is squeezed. With ``names=True`` the
    first line holding values (after a comment marker, if it has one) names the fields
    and the result is a 1-D structured array. ``usecols`` is the number of columns
    selected (assumed in range); with it, rows of differing length give None. Also None
    for both ``skip_footer`` and ``max_rows``, ``max_rows < 1``, negative skips, empty
    ``comments``, and ``names=True`` on an empty file.
    """
    if (
        (max_rows is not None and (skip_footer or max_rows < 1))
        or skip_header < 0
        or skip_footer < 0
        or comments == ""
        or (usecols is not None and usecols < 1)
    ):
        return None
    split_at = delimiter or None

    def split(line: str) -> list[str]:
        if comments is not None:
            line = line.split(comments)[0]
        line = line.strip(" \r\n")
        return line.split(split_at) if line else []

    try:
        handle = _open_text(path, max_bytes, "utf-8", None)
        if handle is None:
            return None
        with handle:
            lines = iter(handle)
            first_values: list[str] = []
            first_line = ""
            try:
                for _ in range(skip_header):
                    next(lines)
                while not first_values:
                    first_line = next(lines)
                    if names and comments is not None and comments in first_line:
                        first_line = "".join(first_line.split(comments)[1:])
                    first_values = split(first_line)
            except StopIteration:
                first_line, first_values = "", []
            if names:
                if not first_values:
                    return None
                if comments is not None and first_values[0].strip() in comments:
                    del first_values[0]
                first_line = ""
            width = len(first_values)
            rows = 0
            invalid: list[int] = []
            first_bad: int | None = None  # first row a one-field structured array rejects
            one_field = names and (usecols or width) == 1
            for number, line in enumerate(itertools.chain([first_line], lines)):
                values = split(line)
                if not values:
                    continue
                if len(values) != width:
                    if usecols is not None:
                        return None
                    invalid.append(number + skip_header + 1)
                    continue
                if one_field and first_bad is None and not all(map(_bytes_float, values)):
                    first_bad = rows
                rows += 1
                if rows == max_rows:
                    break
    except _ERRORS:
        return None
    if invalid:
        # numpy forgives wrong-length rows numbered past the rows skip_footer keeps.
        last_kept = rows + len(invalid) - skip_footer + skip_header
        forgiven = sum(1 for number in invalid if number > last_kept) if skip_footer else 0
        if forgiven < len(invalid):
            return None  # numpy: "Some errors were detected !"
        skip_footer -= forgiven
    if skip_footer > 0:
        rows = max(rows - skip_footer, 0)
    if first_bad is not None and first_bad < rows:
        return None
    if usecols is not None and usecols > width:
        return None
    ncols = usecols if usecols is not None else width
    shape = (rows,) if names else ((rows, ncols) if rows else (0,))
    return _ndmin(shape, 0)


def resolve(path_text: str, script_path: str) -> str | None:
    """The file a path string in a script refers to, or None if none exists.

    An absolute path is used as is; a relative one is tried against the script's folder,
    then against the current working directory. Only existing regular files count.
    """
    if not path_text:
        return None
    if os.path.isabs(path_text):
        candidates = [path_text]
    else:
        folder = os.path.dirname(os.path.abspath(script_path))
        candidates = [os.path.join(folder, path_text), os.path.abspath(path_text)]
    for candidate in candidates:
        try:
            if os.path.isfile(candidate):
                return os.path.normpath(candidate)
        except (OSError, ValueError):
            continue
    return None
