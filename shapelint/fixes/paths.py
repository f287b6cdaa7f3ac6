"""Fix files on disk: find what is fixable, fix each file, write it atomically."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import tokenize
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from shapelint.findings import FileError, Finding, Report
from shapelint.fixes.apply import FixError, FixResult, fix_text, fixable


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


def fix_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    unsafe: bool = False,
    strategy: str | None = None,
    write: bool = True,
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
    target_keras: int | None = None,
    read_data: bool = True,
    jobs: int | None = 1,
) -> FixReport:
    """Fix every file under ``paths`` that has fixable findings (notebooks are checked but
    not fixed). With ``write=False`` nothing is written; the report shows what would change."""
    from shapelint.api import check_paths
    from shapelint.config import ConfigError, Overrides, options_for
    from shapelint.files import SourceError, read_source

    paths = [os.fspath(p) for p in paths]
    common = {
        "select": select,
        "ignore": ignore,
        "target_keras": target_keras,
        "read_data": read_data,
        "fix_strategy": strategy,
    }
    before = check_paths(paths, jobs=jobs, **common)  # type: ignore[arg-type]
    overrides = Overrides.of(
        select=select,
        ignore=ignore,
        target_keras=target_keras,
        read_data=read_data,
        fix_strategy=strategy,
    )
    report = FixReport(before, before)
    targets = sorted({f.path for f in before.findings if fixable(f, unsafe)})
    for path in targets:
        if path.endswith(".ipynb"):
            continue
        try:
            options = options_for(path, overrides)
            text = read_source(path)
            result = fix_text(text, path, options, unsafe=unsafe)
            if write and result.changed:
                write_atomically(path, result.text)
        except (ConfigError, SourceError, FixError) as error:
            report.errors.append(FileError(path, f"not fixed: {error}"))
            continue
        except OSError as error:
            report.errors.append(FileError(path, f"not fixed: cannot write it: {error}"))
            continue
        except Exception as error:  # noqa: BLE001 - one file must never stop the run
            message = f"not fixed: internal error: {type(error).__name__}: {error}"
            report.errors.append(FileError(path, message))
            continue
        report.files.append(FileFix(path, result))
    report.written = write
    if write and report.changed:
        report.after = check_paths(paths, jobs=jobs, **common)  # type: ignore[arg-type]
    elif report.changed:
        report.after = _as_if_written(before, report)
    return report


def _as_if_written(before: Report, report: FixReport) -> Report:
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
        after.sources[path] = result.text
    after.findings.sort(key=Finding.sort_key)
    return after
