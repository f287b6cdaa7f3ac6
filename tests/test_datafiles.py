"""Data-file shapes match what numpy and pandas really load, or are None."""

from __future__ import annotations

import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from shapelint import datafiles
from shapelint.datafiles import (
    csv_shape,
    genfromtxt_shape,
    loadtxt_shape,
    npy_shape,
    npz_shape,
    resolve,
)
from tests.conftest import ROOT


def write(tmp_path: Path, text: str, name: str = "data.txt") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def real_shape(load: Callable[..., Any], path: str, **kwargs: Any) -> tuple[int, ...] | None:
    """The shape the real loader gives, or None where it raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return tuple(load(path, **kwargs).shape)
        except Exception:
            return None


def columns(count: int | None) -> list[int] | None:
    return None if count is None else list(range(count))


# ---------------------------------------------------------------- .npy / .npz


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((1735, 30, 7)),
        np.arange(5, dtype=np.int8),
        np.float32(3.5),
        np.zeros((0, 4)),
        np.zeros((3, 2), order="F"),
        np.zeros(4, dtype=[("a", "<f8"), ("b", "<i4")]),
    ],
)
def test_npy_shape_matches_np_load(tmp_path: Path, array: np.ndarray[Any, Any]) -> None:
    path = str(tmp_path / "a.npy")
    np.save(path, array)
    assert npy_shape(path) == np.load(path).shape


def test_npy_version_2_header(tmp_path: Path) -> None:
    path = tmp_path / "v2.npy"
    with open(path, "wb") as fp:
        np.lib.format.write_array(fp, np.zeros((6, 2)), version=(2, 0))
    assert npy_shape(str(path)) == np.load(path).shape == (6, 2)


def test_npy_shape_refuses_what_np_load_refuses(tmp_path: Path) -> None:
    objects = str(tmp_path / "objects.npy")
    np.save(objects, np.array([{"a": 1}, None], dtype=object))
    with pytest.raises(ValueError):
        np.load(objects)
    assert npy_shape(objects) is None

    truncated = tmp_path / "truncated.npy"
    np.save(truncated, np.zeros((100, 3)))
    truncated.write_bytes(truncated.read_bytes()[:-8])
    with pytest.raises(ValueError):
        np.load(truncated)
    assert npy_shape(str(truncated)) is None

    assert npy_shape(write(tmp_path, "1,2,3\n", "text.npy")) is None
    assert npy_shape(str(tmp_path / "missing.npy")) is None
    assert npy_shape(str(tmp_path)) is None


def test_npy_header_is_read_whatever_max_bytes(tmp_path: Path) -> None:
    path = str(tmp_path / "a.npy")
    np.save(path, np.zeros((10, 10)))
    assert npy_shape(path, max_bytes=1) == (10, 10)


@pytest.mark.parametrize("compressed", [False, True])
def test_npz_shape_matches_np_load(tmp_path: Path, compressed: bool) -> None:
    path = str(tmp_path / "a.npz")
    save = np.savez_compressed if compressed else np.savez
    save(path, x=np.zeros((1735, 30, 7)), y=np.ones(1735), s=np.int64(3))
    with np.load(path) as real:
        for key in ("x", "y", "s", "x.npy"):
            assert npz_shape(path, key) == real[key].shape
    assert npz_shape(path, "x", max_bytes=1) == (1735, 30, 7)


def test_npz_shape_is_none_when_unsure(tmp_path: Path) -> None:
    path = str(tmp_path / "a.npz")
    np.savez(path, x=np.zeros(3), o=np.array([None, 1], dtype=object))
    with np.load(path) as real:
        with pytest.raises(KeyError):
            real["nope"]
        with pytest.raises(ValueError):
            real["o"]
    assert npz_shape(path, "nope") is None
    assert npz_shape(path, "o") is None
    assert npz_shape(str(tmp_path / "missing.npz"), "x") is None
    assert npz_shape(write(tmp_path, "not a zip", "bad.npz"), "x") is None

    raw = tmp_path / "raw.npz"
    with zipfile.ZipFile(raw, "w") as archive:
        archive.writestr("x", b"plain bytes, not an array")
    assert npz_shape(str(raw), "x") is None


# ---------------------------------------------------------------- pandas.read_csv

CSV_CASES: list[tuple[str, dict[str, Any]]] = [
    ("a,b,c\n1,2,3\n4,5,6\n", {}),
    ("a,b,c\n1,2,3\n4,5,6", {}),
    ("a,b,c\r\n1,2,3\r\n4,5,6\r\n", {}),
    ("a,b,c\r1,2,3\r4,5,6\r", {}),
    ("1,2,3\n4,5,6\n", {"header": None}),
    ("a,b,c\n1,2,3\n4,5,6\n", {"header": 0}),
    ("a,b\n1,2\n3,4\n5,6\n", {"header": 1}),
    ("a,b\n\n1,2\n3,4\n5,6\n", {"header": 1}),
    ("a,b\n1,2\n", {"header": 2}),
    ("junk\njunk\na,b\n1,2\n3,4\n", {"skiprows": 2}),
    ("junk\na,b\njunk\n1,2\n3,4\n", {"skiprows": [0, 2]}),
    ("x\na,b\n1,2\n3,4\n", {"header": 1, "skiprows": [2]}),
    ("a,b\n1,2\n3,4\n", {"skiprows": [7]}),
    ("a,b\n1,2\n3,4\n", {"skiprows": 10}),
    ("\n\nx\na,b\n1,2\n", {"skiprows": 3}),
    ("a,b\n\n4,5\n\n6,7\n8,9\n", {"skiprows": [2]}),
    ("a,b\n\n4,5\n\n6,7\n8,9\n", {"skiprows": [3]}),
    ("a,b\n\n4,5\n\n6,7\n8,9\n", {"skiprows": 4}),
    ("a,b\n1,2\n3,4\n5,6\n", {"nrows": 2}),
    ("a,b\n1,2\n3,4\n5,6\n", {"nrows": 0}),
    ("a,b\n1,2\n3,4\n5,6\n", {"nrows": 10}),
    ("a,b\n1,2\n3,4,5\n", {"nrows": 1}),
    ("a,b\n1,2\n3,4\n", {"header": None, "nrows": 2}),
    ("a,b,c\n1,2,3\n4,5,6\n", {"usecols": 2}),
    ("a,b,c\n1,2,3\n4,5,6\n", {"usecols": 1, "header": None}),
    ("a,b,c\n1,2,3\n", {"usecols": 4}),
    # quoted fields holding newlines and delimiters count once
    ('a,b\n"1\n2",3\n4,5\n', {}),
    ('a,b\n"1\n\n2",3\n"x,y",5\n', {}),
    ('a,b\n"1\n2",3\n4,5\n6,7\n8,9\n', {"skiprows": [2]}),
    ('a,b\n"1\n2",3\n4,5\n6,7\n8,9\n', {"skiprows": [4]}),
    ('a,b\n"1\n2",3\n4,5\n6,7\n8,9\n', {"skiprows": [5]}),
    ('a,b\n"1\n2",3\n4,5\n6,7\n8,9\n', {"skiprows": 3}),
    ('x\n"q\nq"\na,b\n1,2\n', {"skiprows": 2}),
    ('x\n"q\nq"\na,b\n1,2\n', {"skiprows": 3}),
    ('a,b\n"x""y",2\n', {}),
    ('a,b\n1,"2"x\n', {}),
    ('a,b\n1,2\n""\n', {}),
    ('a,b\n"1,2\n', {}),
    # blank and whitespace-only lines
    ("a,b\n1,2\n\n\n3,4\n\n", {}),
    ("\n\na,b\n1,2\n", {}),
    ("  \na,b\n1,2\n", {}),
    ("a,b\n1,2\n  \n\t\n \t \n3,4\n", {}),
    ("a,b\n1,2\n\r\n3,4\n", {}),
    ("a,b\n1,2\n,\n3,4\n", {}),
    ("a,b\n1,2\n\x0c\n3,4\n", {}),
    ("a,b\n1,2\n \t,\n3,4\n", {}),
    ("a b\n1 2\n\t\n3 4\n", {"sep": " "}),
    ("a b\n1 2\n  \n3 4\n", {"sep": " "}),
    ("a\tb\n1\t2\n \n3\t4\n", {"sep": "\t"}),
    ("a\tb\n1\t2\n\t\n3\t4\n", {"sep": "\t"}),
    ("a,b\n1,2\n   \n", {"header": None}),
    ("a,b\n1,2\n\n3,4\n", {"skip_blank_lines": False}),
    ("a,b\n1,2\n  \n3,4\n", {"skip_blank_lines": False}),
    ("a,b\n1,2\n\n\n\n", {"skip_blank_lines": False}),
    ("a,b\n\n3,4\n5,6\n", {"skip_blank_lines": False, "nrows": 1}),
    # ragged rows
    ("a,b,c\n1,2\n3\n", {}),
    ("1,2,3\n3,4\n", {"header": None}),
    ("1,2\n3,4,5\n", {"header": None}),
    ("a,b\n1,2\n3,4,5\n", {}),
    ("a,b,\n1,2,\n", {}),
    # other separators, odd content
    ("a;b\n1;2\n", {"sep": ";"}),
    ("a|b|c\n1|2|3\n", {"sep": "|"}),
    ("\ufeffa,b\n1,2\n", {}),
    ("#a,b\n1,2\n", {}),
    ("a,b\n", {}),
    ("a,b\n", {"header": None}),
    ("", {}),
    ("\n\n", {}),
]


@pytest.mark.parametrize(("text", "kwargs"), CSV_CASES)
def test_csv_shape_matches_read_csv(tmp_path: Path, text: str, kwargs: dict[str, Any]) -> None:
    path = write(tmp_path, text, "data.csv")
    real_kwargs = dict(kwargs)
    if "usecols" in kwargs:
        real_kwargs["usecols"] = columns(kwargs["usecols"])
    assert csv_shape(path, **kwargs) == real_shape(pd.read_csv, path, **real_kwargs)


@pytest.mark.parametrize(
    ("text", "kwargs"),
    [
        ("a  b\n1  2\n", {"sep": r"\s+"}),  # regex separator
        ("a::b\n1::2\n", {"sep": "::"}),
        ("a,b\n1,2\n", {"header": [0]}),
        ("a,b\n1,2\n", {"header": True}),
        ("a,b\n1,2\n", {"nrows": -1}),
        ("a,b\n1,2\n", {"skiprows": -1}),
        ("a,b\n1,2,3\n3,4,5\n", {}),  # pandas makes the first column the index
        ("a,b\n1,2,\n", {}),
        ("\na,b\n1,2\n", {"skip_blank_lines": False}),
        # where pandas' tokenizer and the csv module part ways
        ("\r,a,b\r1,2\r", {}),  # pandas: (1, 2), eating the "," after a blank line's \r
        ("x\r\ra,b\r1,2\r3,4\r", {"skiprows": [1]}),  # pandas: (2, 1)
        (',"a\nb\nc,d\n1,2\n', {"skiprows": 1}),  # a skipped line's quote after a separator
    ],
)
def test_csv_shape_is_none_when_not_modelled(
    tmp_path: Path, text: str, kwargs: dict[str, Any]
) -> None:
    assert csv_shape(write(tmp_path, text, "data.csv"), **kwargs) is None


def test_csv_shape_is_none_for_bad_files(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name,city\nJosé,Zürich\n".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        pd.read_csv(latin1)
    assert csv_shape(str(latin1)) is None
    assert csv_shape(str(tmp_path / "missing.csv")) is None
    assert csv_shape(str(tmp_path)) is None

    path = write(tmp_path, "a,b\n1,2\n3,4\n", "data.csv")
    assert csv_shape(path) == (2, 2)
    assert csv_shape(path, max_bytes=5) is None

    gz = write(tmp_path, "a,b\n1,2\n", "data.csv.gz")
    assert csv_shape(gz) is None


def test_csv_shape_streams_a_long_file(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("t,x\n" + "".join(f"{i},{i * 2}\n" for i in range(20_000)))
    assert csv_shape(str(path)) == pd.read_csv(path).shape == (20_000, 2)
    assert csv_shape(str(path), nrows=1765) == (1765, 2)


# ---------------------------------------------------------------- numpy.loadtxt

LOADTXT_CASES: list[tuple[str, dict[str, Any]]] = [
    ("1 2 3\n4 5 6\n", {}),
    ("1 2 3\n4 5 6", {}),
    (" 1  2\t3\n4 5 6  \n", {}),
    ("1 2\r\n3 4\r\n", {}),
    ("1,2,3\n4,5,6\n", {"delimiter": ","}),
    ("1;2\n3;4\n", {"delimiter": ";"}),
    (" 1 , 2 \n3,4\n", {"delimiter": ","}),
    ("1,2,\n4,5,\n", {"delimiter": ","}),
    ("1  2\n3  4\n", {"delimiter": " "}),
    # comments and blank lines
    ("# header\n1 2\n\n# c\n3 4\n", {}),
    ("1 2 # trailing\n3 4#x\n", {}),
    ("1,2\n#x\n3,4\n", {"delimiter": ","}),
    ("1,2\n # x\n3,4\n", {"delimiter": ","}),
    ("1,2\n  \n3,4\n", {"delimiter": ","}),
    ("1 2\n  \n\t\n3 4\n", {}),
    ("1 2 3 //x\n//4 5 6\n7 8 9\n", {"comments": "//"}),
    ("# 1 2\n3 4\n", {"comments": None}),
    ("1 2\n3 4\n", {"comments": ""}),
    ("1,2\n", {"delimiter": ",", "comments": ","}),
    # skiprows, max_rows
    ("a b\nc d\n1 2\n3 4\n5 6\n", {"skiprows": 2}),
    ("a b\n\n#c\n1 2\n\n3 4\n5 6\n", {"skiprows": 1, "max_rows": 2}),
    ("1 2\n3 4\n5 6\n", {"max_rows": 0}),
    ("1 2\n3 4\n5 6\n", {"max_rows": 10}),
    ("1 2\n3 4 5\n", {"max_rows": 1}),
    ("1 2 3\n", {"skiprows": 5}),
    ("1 2 3\n", {"skiprows": 5, "ndmin": 2}),
    # usecols, squeezing and ndmin
    ("1 2 3\n4 5 6\n", {"usecols": 2}),
    ("1 2 3\n4 5 6\n", {"usecols": 1}),
    ("1 2 3\n4 5 6\n", {"usecols": 1, "ndmin": 2}),
    ("1\n2\n3\n", {}),
    ("1\n2\n3\n", {"ndmin": 1}),
    ("1\n2\n3\n", {"ndmin": 2}),
    ("1 2 3\n", {}),
    ("1 2 3\n", {"ndmin": 1}),
    ("1 2 3\n", {"ndmin": 2}),
    ("7\n", {}),
    ("7\n", {"ndmin": 1}),
    ("7\n", {"ndmin": 2}),
    ("", {}),
    ("", {"ndmin": 2}),
    ("", {"usecols": 2}),
    ("# only comments\n\n", {"ndmin": 1}),
    ("1 2\n3 4\n", {"ndmin": 3}),
    # values and ragged rows
    ("inf,-Infinity,NaN,+.5,1.,1e3,1E+3\n", {"delimiter": ","}),
    ("1 2\n3 4 5\n", {}),
    ("x y\n1 2\n", {}),
    ("a 2\nb 3\n", {"usecols": 2}),
    ("1_0 2\n", {}),
    ("0x10 2\n", {}),
    ("\ufeff1 2\n3 4\n", {}),
]


@pytest.mark.parametrize(("text", "kwargs"), LOADTXT_CASES)
def test_loadtxt_shape_matches_np_loadtxt(
    tmp_path: Path, text: str, kwargs: dict[str, Any]
) -> None:
    path = write(tmp_path, text)
    real_kwargs = dict(kwargs)
    if "usecols" in kwargs:
        real_kwargs["usecols"] = columns(kwargs["usecols"])
    assert loadtxt_shape(path, **kwargs) == real_shape(np.loadtxt, path, **real_kwargs)


def test_loadtxt_shape_is_none_when_unsure(tmp_path: Path) -> None:
    labelled = write(tmp_path, "a 2 3\nb 5 6\n", "labelled.txt")
    assert loadtxt_shape(labelled) is None  # "a" is not a float
    assert loadtxt_shape(labelled, usecols=2) == np.loadtxt(labelled, usecols=[1, 2]).shape
    ragged = write(tmp_path, "1 2 3\n4 5\n")
    assert np.loadtxt(ragged, usecols=[0, 1]).shape == (2, 2)
    assert loadtxt_shape(ragged, usecols=2) is None  # which columns is unknown
    assert loadtxt_shape(write(tmp_path, "1::2\n"), delimiter="::") is None
    assert loadtxt_shape(write(tmp_path, "1 2\n"), skiprows=-1) is None
    assert loadtxt_shape(str(tmp_path / "missing.txt")) is None
    assert loadtxt_shape(write(tmp_path, "1 2\n", "data.txt.gz")) is None
    big = write(tmp_path, "1 2\n" * 100)
    assert loadtxt_shape(big) == (100, 2)
    assert loadtxt_shape(big, max_bytes=100) is None
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("1 2 # café\n".encode("latin-1"))
    assert loadtxt_shape(str(latin1)) is None


# ---------------------------------------------------------------- numpy.genfromtxt

GENFROMTXT_CASES: list[tuple[str, dict[str, Any]]] = [
    ("1 2 3\n4 5 6\n", {}),
    ("1,2,3\n4,5,6\n", {"delimiter": ","}),
    ("1::2\n3::4\n", {"delimiter": "::"}),
    ("1,,3\n4,x,6\n", {"delimiter": ","}),
    ("1 2\r3 4\r", {}),
    ("", {}),
    ("\n# c\n", {}),
    ("1 2 3\n", {}),
    ("1\n2\n", {}),
    ("1\n", {}),
    # comments and blank lines
    ("# c\n1 2\n\n3 4 # x\n", {}),
    ("1,2,3\n \n4,5,6\n", {"delimiter": ","}),
    ("1,2,3\n\t\n4,5,6\n", {"delimiter": ","}),
    ("1,2,3\n,\n4,5,6\n", {"delimiter": ","}),
    ("1 2\n# c\n3 4\n", {"comments": None}),
    ("1 2\n3 4\n", {"comments": ""}),
    # skip_header, skip_footer, max_rows
    ("h\nh2\n1 2 3\n4 5 6\n", {"skip_header": 2}),
    ("h\n1 2 3\n", {"skip_header": 5}),
    ("1 2 3\n4 5 6\n7 8 9\n", {"skip_footer": 1}),
    ("1 2 3\n4 5 6\n7 8 9\ntotal\n", {"skip_footer": 1}),
    ("1 2 3\n4 5 6\n7 8 9\ntotal\n\n\n", {"skip_footer": 1}),
    ("1 2 3\n4 5 6\n7 8 9\n\n# c\n", {"skip_footer": 1}),
    ("1 2 3\nbad\n4 5 6\n7 8 9\n", {"skip_footer": 1}),
    ("1 2 3\n4 5 6\n7 8 9\nx\ny\n", {"skip_footer": 1}),
    ("1 2 3\n4 5 6\n7 8 9\nx\ny\n", {"skip_footer": 2}),
    ("1 2 3\n4 5 6\n7 8 9\nx\ny\n", {"skip_footer": 3}),
    ("1 2 3\n4 5 6\n7 8 9\n", {"skip_footer": 5}),
    ("1 2 3\n4 5 6\n", {"skip_footer": 2}),
    ("1 2 3\n\n\nx\n", {}),
    ("1 2 3\n4 5 6\n7 8 9\n", {"max_rows": 2}),
    ("1 2 3\n4 5 6\nx\n", {"max_rows": 2}),
    ("1 2 3\n4 5 6\n", {"max_rows": 0}),
    ("1 2 3\n4 5 6\n", {"max_rows": 1, "skip_footer": 1}),
    # usecols
    ("1 2 3\n4 5 6\n", {"usecols": 1}),
    ("1 2 3\n4 5 6\n", {"usecols": 2}),
    # names=True: a 1-D structured array
    ("a b c\n1 2 3\n4 5 6\n", {"names": True}),
    ("a b c\n1 2 3\n", {"names": True}),
    ("a\n1\n2\n", {"names": True}),
    ("a b c\n", {"names": True}),
    ("# a b c\n1 2 3\n4 5 6\n", {"names": True}),
    ("# hello there\n1 2 3\n4 5 6\n", {"names": True}),
    ("#\n1 2 3\n4 5 6\n7 8 9\n", {"names": True}),
    ("a,b,c\n1,2,3\n4,5,6\n", {"names": True, "delimiter": ","}),
    (",a,b\n1,2\n3,4\n", {"names": True, "delimiter": ","}),
    ("a,b,c\n1,2,3\n4,5,6\n", {"names": True, "delimiter": ",", "usecols": 2}),
    ("a,b,c\n1,2,3\n4,5,6\n", {"names": True, "delimiter": ",", "usecols": 1}),
    ("a b\nx y\n2 3\n", {"names": True}),
    ("a\nx\n2\n", {"names": True}),
    ("a\n1\n2\nx\n", {"names": True, "skip_footer": 1}),
    ("a\n1\nx\n2\n", {"names": True, "skip_footer": 1}),
    ("junk\na b\n1 2\n3 4\n5 6\n", {"names": True, "skip_header": 1, "skip_footer": 1}),
    ("a b\n1 2\n3 4\n", {"names": True, "max_rows": 1}),
]


@pytest.mark.parametrize(("text", "kwargs"), GENFROMTXT_CASES)
def test_genfromtxt_shape_matches_np_genfromtxt(
    tmp_path: Path, text: str, kwargs: dict[str, Any]
) -> None:
    path = write(tmp_path, text)
    real_kwargs = dict(kwargs)
    if "usecols" in kwargs:
        real_kwargs["usecols"] = columns(kwargs["usecols"])
    assert genfromtxt_shape(path, **kwargs) == real_shape(np.genfromtxt, path, **real_kwargs)


def test_genfromtxt_shape_is_none_when_unsure(tmp_path: Path) -> None:
    ragged = write(tmp_path, "1 2 3\n4 5\n")
    assert np.genfromtxt(ragged, usecols=[0, 1]).shape == (2, 2)
    assert genfromtxt_shape(ragged, usecols=2) is None
    assert genfromtxt_shape(write(tmp_path, ""), names=True) is None
    assert genfromtxt_shape(write(tmp_path, "1 2\n"), skip_header=-1) is None
    assert genfromtxt_shape(str(tmp_path / "missing.txt")) is None
    big = write(tmp_path, "1 2\n" * 100)
    assert genfromtxt_shape(big) == (100, 2)
    assert genfromtxt_shape(big, max_bytes=100) is None
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("a b\n1 2 # café\n".encode("latin-1"))
    assert genfromtxt_shape(str(latin1)) is None


# ---------------------------------------------------------------- resolve and module rules


def test_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scripts = tmp_path / "scripts"
    (scripts / "data").mkdir(parents=True)
    (scripts / "data" / "x.csv").write_text("a\n1\n")
    (tmp_path / "cwd.csv").write_text("a\n1\n")
    (scripts / "both.csv").write_text("a\n1\n")
    (tmp_path / "both.csv").write_text("a\n1\n")
    script = str(scripts / "train.py")
    monkeypatch.chdir(tmp_path)

    assert resolve("data/x.csv", script) == str(scripts / "data" / "x.csv")
    assert resolve("cwd.csv", script) == str(tmp_path / "cwd.csv")
    assert resolve("both.csv", script) == str(scripts / "both.csv")
    assert resolve(str(tmp_path / "cwd.csv"), script) == str(tmp_path / "cwd.csv")
    assert resolve("missing.csv", script) is None
    assert resolve("data", script) is None  # a folder, not a file
    assert resolve("", script) is None
    assert resolve("a\0b", script) is None


def test_module_never_imports_pandas() -> None:
    probe = "import sys, shapelint.datafiles; print('pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"
    assert datafiles.MAX_BYTES == 200 * 1024 * 1024
