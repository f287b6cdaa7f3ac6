"""The public API: check source text or paths, get findings back as data."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from shapelint.config import Options
from shapelint.findings import FileError, Finding, Report

if TYPE_CHECKING:
    from shapelint.cache import Cache
    from shapelint.fixes.apply import FixResult
    from shapelint.fixes.paths import FixReport
    from shapelint.show import FileShow, ShowReport

# Below this many files to lint, one process is faster than starting a pool.
_PARALLEL_FROM = 16


def check_source(
    source: str,
    path: str = "<string>",
    *,
    select: Collection[str] | None = None,
    options: Options | None = None,
) -> list[Finding]:
    """Check one script's text (or a notebook's JSON, when ``path`` ends in .ipynb).

    When ``path`` names a real file, its nearest pyproject.toml applies and data
    files next to it are read for their shapes, as ``shapelint check`` does; pass
    ``options`` to choose instead. Returns the findings, sorted by position.

    >>> check_source("import keras\\n")
    []
    """
    from shapelint.config import options_for

    if options is None and os.path.isfile(path):
        options = options_for(path)
    findings, _ = _lint_one(path, source, options, select)
    return findings


def fix_source(
    source: str,
    path: str = "<string>",
    *,
    unsafe: bool = False,
    strategy: str | None = None,
    select: Collection[str] | None = None,
    options: Options | None = None,
) -> FixResult:
    """Fix one script's text (or a notebook's JSON, when ``path`` ends in .ipynb) as
    ``shapelint check --fix`` would; nothing is written.

    Returns a FixResult: ``text`` (the fixed source), ``fixed`` (the findings fixed)
    and ``remaining`` (the findings of the fixed text). Unsafe fixes, which change
    which data is used or what the model returns, apply only with ``unsafe=True``.
    ``strategy`` picks how a batch remainder is fixed: "trim" (default) or "divisor".
    """
    from dataclasses import replace

    from shapelint.config import options_for
    from shapelint.fixes.apply import fix_text

    if options is None:
        options = options_for(path) if os.path.isfile(path) else Options()
    if strategy is not None:
        options = replace(options, fix_strategy=strategy)
    if path.endswith(".ipynb"):
        from shapelint.fixes.notebook import fix_notebook

        return fix_notebook(source, path, options, unsafe=unsafe, select=select)
    return fix_text(source, path, options, unsafe=unsafe, select=select)


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
    """Fix the files under ``paths`` as ``shapelint check --fix`` does.

    Each file is written atomically (a temporary file, then a rename); a file whose
    fix fails is left untouched and reported in ``errors``. With ``write=False``
    nothing is written (``--diff``); the report shows what would change. In a notebook
    the edits go into the cells' sources and the rest of its JSON is kept as it was.
    """
    from shapelint.config import ConfigError, Overrides, options_for
    from shapelint.files import SourceError, read_source
    from shapelint.fixes.apply import FixError, fix_text, fixable
    from shapelint.fixes.notebook import fix_notebook
    from shapelint.fixes.paths import FileFix, FixReport, as_if_written, write_atomically
    from shapelint.notebook import NotebookError

    paths = [os.fspath(p) for p in paths]
    overrides = Overrides.of(
        select=select,
        ignore=ignore,
        target_keras=target_keras,
        read_data=read_data,
        fix_strategy=strategy,
    )

    def check() -> Report:
        return check_paths(
            paths,
            select=select,
            ignore=ignore,
            target_keras=target_keras,
            read_data=read_data,
            jobs=jobs,
            fix_strategy=strategy,
        )

    before = check()
    report = FixReport(before, before)
    targets = sorted({f.path for f in before.findings if fixable(f, unsafe)})
    for path in targets:
        fix = fix_notebook if path.endswith(".ipynb") else fix_text
        try:
            options = options_for(path, overrides)
            text = read_source(path)
            result = fix(text, path, options, unsafe=unsafe)
            if write and result.changed:
                write_atomically(path, result.text)
        except (ConfigError, SourceError, FixError, NotebookError) as error:
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
        report.after = check()
    elif report.changed:
        report.after = as_if_written(report)
    return report


def _lint_one(
    path: str, text: str, options: Options | None, select: Collection[str] | None = None
) -> tuple[list[Finding], tuple[str, ...]]:
    from shapelint.lint import lint

    if path.endswith(".ipynb"):
        from shapelint.notebook import lint_notebook

        return lint_notebook(text, path, select, options)
    return lint(text, path, select, options)


def _worker(job: tuple[str, str, Options]) -> tuple[list[Finding], tuple[str, ...], str | None]:
    path, text, options = job
    try:
        findings, deps = _lint_one(path, text, options)
    except RecursionError:
        return [], (), "the file is nested too deeply to analyse; it was skipped"
    except Exception as error:  # noqa: BLE001 - one file must never stop the run
        from shapelint.lint import Unanalysable
        from shapelint.notebook import NotebookError

        if isinstance(error, (NotebookError, Unanalysable)):
            return [], (), str(error)
        return [], (), f"internal error: {type(error).__name__}: {error}"
    return findings, deps, None


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
    target_keras: int | None = None,
    read_data: bool = True,
    jobs: int | None = 1,
    cache: bool = False,
    stdin: str | None = None,
    stdin_filename: str = "-",
    fix_strategy: str | None = None,
) -> Report:
    """Check files and directories (searched for ``*.py`` and ``*.ipynb``).

    Each file is checked with the ``[tool.shapelint]`` settings of its nearest
    pyproject.toml; ``select``, ``ignore`` and ``target_keras`` override them.
    Files matching the configuration's ``exclude`` are skipped. ``jobs`` files are
    checked in parallel (None: one per core); ``cache`` reuses the findings of
    unchanged files from ``.shapelint_cache``. A path ``-`` checks ``stdin``,
    reported as ``stdin_filename``.

    One bad file never stops the others: an unreadable, undecodable or crashing
    file becomes a ``FileError`` in ``Report.errors`` and the run goes on.
    """
    from shapelint.config import ConfigError, OptionsLookup, Overrides
    from shapelint.files import SourceError, discover, read_source

    options_for = OptionsLookup(
        Overrides.of(
            select=select,
            ignore=ignore,
            target_keras=target_keras,
            read_data=read_data,
            fix_strategy=fix_strategy,
        )
    )
    paths = [os.fspath(p) for p in paths]
    with_stdin = "-" in paths
    files, errors = discover([p for p in paths if p != "-"])
    report = Report(errors=list(errors))
    store: Cache | None = None
    if cache:
        from shapelint.cache import Cache

        store = Cache()
    config_errors: set[str] = set()
    pending: list[tuple[str, str, Options, str | None]] = []
    if with_stdin:
        files.insert(0, "-")
    for path in files:
        shown = stdin_filename if path == "-" else path
        try:
            options = options_for(shown if path == "-" else path)
        except ConfigError as error:
            if str(error) not in config_errors:
                config_errors.add(str(error))
                report.errors.append(FileError(shown, f"configuration error: {error}"))
            continue
        if path != "-" and options.excluded(path):
            continue
        try:
            text = (stdin or "") if path == "-" else read_source(path)
        except SourceError as error:
            report.errors.append(FileError(shown, str(error)))
            continue
        key = store.key(text, shown, options) if store is not None and path != "-" else None
        cached = store.get(path, key) if store is not None and key is not None else None
        if cached is not None:
            report.files_checked += 1
            report.files_cached += 1
            _collect(report, shown, text, cached)
            continue
        pending.append((shown, text, options, key))
    results = _run_all(pending, jobs)
    for (shown, text, _options, key), (findings, deps, problem) in zip(
        pending, results, strict=True
    ):
        if problem is not None:
            report.errors.append(FileError(shown, problem))
            continue
        report.files_checked += 1
        _collect(report, shown, text, findings)
        if store is not None and key is not None:
            store.put(shown, key, findings, deps)
    if store is not None:
        store.save()
    report.findings.sort(key=Finding.sort_key)
    report.errors.sort(key=lambda e: e.path)
    return report


def _run_all(
    pending: list[tuple[str, str, Options, str | None]], jobs: int | None
) -> list[tuple[list[Finding], tuple[str, ...], str | None]]:
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    work = [(path, text, options) for path, text, options, _ in pending]
    if jobs <= 1 or len(work) < _PARALLEL_FROM:
        return [_worker(job) for job in work]
    from shapelint.parallel import run_in_processes

    return run_in_processes(_worker, work, jobs)


def _collect(report: Report, path: str, text: str, findings: list[Finding]) -> None:
    if not findings:
        return
    report.findings.extend(findings)
    if path.endswith(".ipynb"):
        from shapelint.notebook import NotebookError, code_cells

        try:
            report.cell_sources[path] = dict(code_cells(text))
        except NotebookError:
            pass
    else:
        report.sources[path] = text


def show_source(source: str, path: str = "<string>", *, options: Options | None = None) -> FileShow:
    """What ``shapelint show`` shows for one script's text (or a notebook's JSON, when
    ``path`` ends in .ipynb): each model's layers with their output shapes and parameter
    counts, its fixed batch size, and each fit/evaluate/predict call's batches, as plain
    frozen dataclasses (``shapelint.show``). Nothing is imported or run."""
    from shapelint.config import options_for
    from shapelint.show import show_text

    if options is None and os.path.isfile(path):
        options = options_for(path)
    return show_text(source, path, options)


def show_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    target_keras: int | None = None,
    read_data: bool = True,
) -> ShowReport:
    """``show_source`` for the files under ``paths`` (``*.py`` and ``*.ipynb``, less what the
    configuration excludes), in order. A file searched out of a directory is left out when
    it has no model; a file named in ``paths`` is always there. An unreadable or crashing
    file becomes a ``FileError`` and the others are still shown."""
    from shapelint.config import ConfigError, OptionsLookup, Overrides
    from shapelint.files import SourceError, discover, read_source
    from shapelint.lint import Unanalysable
    from shapelint.notebook import NotebookError
    from shapelint.show import ShowReport, show_text

    named = {os.path.normpath(os.fspath(p)) for p in paths}
    files, errors = discover(paths)
    report = ShowReport(errors=list(errors))
    options_for = OptionsLookup(Overrides.of(target_keras=target_keras, read_data=read_data))
    for path in files:
        try:
            options = options_for(path)
            if options.excluded(path):
                continue
            shown = show_text(read_source(path), path, options)
        except (ConfigError, SourceError, NotebookError, Unanalysable) as error:
            report.errors.append(FileError(path, str(error)))
            continue
        except RecursionError:
            report.errors.append(FileError(path, "the file is nested too deeply to analyse"))
            continue
        except Exception as error:  # noqa: BLE001 - one file must never stop the run
            report.errors.append(
                FileError(path, f"internal error: {type(error).__name__}: {error}")
            )
            continue
        if shown.models or shown.problem or os.path.normpath(path) in named:
            report.files.append(shown)
    report.errors.sort(key=lambda e: e.path)
    return report
