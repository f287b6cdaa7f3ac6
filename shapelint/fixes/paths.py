"""Fixing files on disk: what a run of fixes did, and writing a fixed file atomically.

The run itself is ``shapelint.api.fix_paths``; this module must not import the API."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import tokenize
from dataclasses import dataclass, field

from shapelint.findings import FileError, Finding, Report
from shapelint.fixes.apply import FixResult


@dataclass
class FileFix:
    path: str
    result: FixResult


@dataclass
class FixReport:
    """What fixing several paths did. ``before`` is the check before any fix, ``after`` the
    check of the files as they now are (as they would be, when nothing was written)."""

    before: Report
    after: Report
    files: list[FileFix] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    written: bool = False

    @property
    def fixed(self) -> list[Finding]:
        return [f for file in self.files for f in file.result.fixed]

    @property
    def changed(self) -> list[FileFix]:
        return [f for f in self.files if f.result.changed]


def write_atomically(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` in its own encoding, or leave it untouched on failure.
    A symbolic link is followed: the file it points to is replaced, the link kept."""
    path = os.path.realpath(path)
    with open(path, "rb") as handle:
        original = handle.read()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    except SyntaxError:
        encoding = "utf-8"
    data = text.encode(encoding)
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=".shapelint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def as_if_written(report: FixReport) -> Report:
    """The check of ``report.before`` as it would be, had the changed files been written."""
    before = report.before
    changed = {f.path: f.result for f in report.changed}
    after = Report(
        errors=list(before.errors),
        files_checked=before.files_checked,
        sources=dict(before.sources),
        cell_sources=dict(before.cell_sources),
    )
    after.findings = [f for f in before.findings if f.path not in changed]
    for path, result in changed.items():
        after.findings.extend(result.remaining)
        if path.endswith(".ipynb"):
            from shapelint.notebook import program

            after.cell_sources[path] = program(result.text).sources
        else:
            after.sources[path] = result.text
    after.findings.sort(key=Finding.sort_key)
    return after
