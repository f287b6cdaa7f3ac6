"""Bad input never crashes a run or hides other files' findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from shapelint import check_paths, check_source
from shapelint.findings import FileError
from tests.conftest import SEED


def _seed_copy(folder: Path, name: str = "good.py") -> Path:
    path = folder / name
    path.write_text(SEED.read_text())
    return path


def test_syntax_error_is_a_finding_not_a_crash() -> None:
    findings = check_source("import keras\nmodel = keras.Sequential(\n", "broken.py")
    assert [(f.code, f.line, f.column) for f in findings] == [("SL000", 2, 25)]
    assert findings[0].message == "the file does not parse: '(' was never closed"


def test_non_keras_syntax_errors_are_left_to_other_linters() -> None:
    assert check_source("def broken(:\n", "other.py") == []


def test_undecodable_file_is_named_and_others_still_checked(tmp_path: Path) -> None:
    good = _seed_copy(tmp_path)
    bad = tmp_path / "latin1.py"
    bad.write_bytes(b"import keras\nname = '\xe9t\xe9'\n")
    report = check_paths([tmp_path])
    assert {f.path for f in report.findings} == {str(good)}
    assert len(report.errors) == 1
    assert report.errors[0].path == str(bad)
    assert report.errors[0].message.startswith("cannot decode file as utf-8")


def test_encoding_cookie_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "latin1.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nimport keras\nname = '\xe9t\xe9'\n")
    report = check_paths([path])
    assert report.errors == [] and report.findings == []


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "blob.py"
    path.write_bytes(b"\x00\x01keras\x00")
    report = check_paths([path])
    assert report.errors == [
        FileError(str(path), "cannot decode file: it contains NUL bytes (a binary file?)")
    ]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _seed_copy(tmp_path)
    locked = _seed_copy(tmp_path, "locked.py")
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.py":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = check_paths([tmp_path])
    assert {f.path for f in report.findings} == {str(good)}
    assert report.errors == [FileError(str(locked), "cannot read file: Permission denied")]


def test_internal_error_is_reported_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _seed_copy(tmp_path)
    crash = tmp_path / "crash.py"
    crash.write_text("import keras\n")
    import shapelint.lint as lint

    original = lint._analyse

    def analyse(text: str, path: str, *rest: object):  # type: ignore[no-untyped-def]
        if path.endswith("crash.py"):
            raise RuntimeError("boom")
        return original(text, path, *rest)

    monkeypatch.setattr(lint, "_analyse", analyse)
    report = check_paths([tmp_path])
    assert {f.path for f in report.findings} == {str(good)}
    assert report.errors == [FileError(str(crash), "internal error: RuntimeError: boom")]


def test_empty_file_and_missing_path(tmp_path: Path) -> None:
    empty = tmp_path / "empty.py"
    empty.write_text("")
    report = check_paths([empty, tmp_path / "missing.py"])
    assert report.findings == []
    assert report.errors == [FileError(str(tmp_path / "missing.py"), "no such file or directory")]
    assert report.files_checked == 1
