"""The public API: check source text or paths, get findings back as data."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable

from shapelint.config import Options
from shapelint.findings import FileError, Finding, Report


def check_source(
    source: str,
    path: str = "<string>",
    *,
    select: Collection[str] | None = None,
    options: Options | None = None,
) -> list[Finding]:
    """Check one script's text. Returns its findings, sorted by line.

    When ``path`` names a real file, its nearest pyproject.toml applies and data
    files next to it are read for their shapes, as ``shapelint check`` does; pass
    ``options`` to choose instead.

    >>> check_source("import keras\\n")
    []
    """
    from shapelint.config import options_for
    from shapelint.lint import lint_text

    if options is None and os.path.isfile(path):
        options = options_for(path)
    return lint_text(source, path, select, options)


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
    target_keras: int | None = None,
    read_data: bool = True,
) -> Report:
    """Check files and directories (searched for ``*.py``).

    Each file is checked with the ``[tool.shapelint]`` settings of its nearest
    pyproject.toml; ``select``, ``ignore`` and ``target_keras`` override them.
    Files matching the configuration's ``exclude`` are skipped. One bad file never
    stops the others: an unreadable, undecodable or crashing file becomes a
    ``FileError`` in ``Report.errors`` and the run goes on.
    """
    from shapelint.config import ConfigError, Overrides, options_for

    overrides = Overrides(
        select=frozenset(select) if select is not None else None,
        ignore=frozenset(ignore) if ignore is not None else None,
        target_keras=target_keras,
        read_data=read_data,
    )
    from shapelint.files import SourceError, discover, read_source
    from shapelint.lint import lint_text

    files, errors = discover(paths)
    report = Report(errors=list(errors))
    config_errors: set[str] = set()
    for path in files:
        try:
            options = options_for(path, overrides)
        except ConfigError as error:
            if str(error) not in config_errors:
                config_errors.add(str(error))
                report.errors.append(FileError(path, f"configuration error: {error}"))
            continue
        if options.excluded(path):
            continue
        try:
            text = read_source(path)
        except SourceError as error:
            report.errors.append(FileError(path, str(error)))
            continue
        try:
            findings = lint_text(text, path, None, options)
        except RecursionError:
            report.errors.append(
                FileError(path, "internal error: the file is nested too deeply to analyse")
            )
            continue
        except Exception as error:  # noqa: BLE001 - one file must never stop the run
            report.errors.append(
                FileError(path, f"internal error: {type(error).__name__}: {error}")
            )
            continue
        report.files_checked += 1
        if findings:
            report.findings.extend(findings)
            report.sources[path] = text
    report.findings.sort(key=Finding.sort_key)
    report.errors.sort(key=lambda e: e.path)
    return report
