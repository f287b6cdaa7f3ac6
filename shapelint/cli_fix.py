"""``shapelint check --fix`` and ``--diff``: fix, report what is left, optionally train.

Exit codes follow ruff: with --fix, 1 when findings remain; with --diff, 1 when a
file would change; 2 for files that could not be checked or fixed. --fix --verify adds
1 when a run of a fixed file failed or timed out, and 3 (unproven) when nothing else is
wrong but a fixed file had nothing that could be rebuilt and trained.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from shapelint.fixes.apply import fixable
from shapelint.fixes.paths import FixReport
from shapelint.terminal import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_UNPROVEN,
    color,
    worst,
    write_output,
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _unified(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def _diff(report: FixReport) -> str:
    return "".join(_file_diff(f.path, f.result.original, f.result.text) for f in report.changed)


def _file_diff(path: str, before: str, after: str) -> str:
    """A script's unified diff; for a notebook, one per changed cell, named
    ``path:cell N`` as ruff names them."""
    if not path.endswith(".ipynb"):
        return _unified(path, before, after)
    from shapelint.notebook import program

    old, new = program(before).sources, program(after).sources
    return "".join(
        _unified(f"{path}:cell {number}", _ended(old[number]), _ended(source))
        for number, source in new.items()
        if old.get(number) != source
    )


def _ended(source: str) -> str:
    """A cell's source ends without a newline; a diff line needs one."""
    return source if source.endswith(("\n", "\r")) or not source else source + "\n"


def _hidden(report: FixReport, unsafe: bool) -> int:
    """Findings left that an unsafe fix would handle, when unsafe fixes are off."""
    if unsafe:
        return 0
    return sum(1 for f in report.after.findings if fixable(f, True) and not fixable(f, False))


def _summary(report: FixReport, unsafe: bool, diff: bool) -> str:
    fixed = len(report.fixed)
    files = len(report.changed)
    verb = "Would fix" if diff else "Fixed"
    line = f"{verb} {_plural(fixed, 'finding')} in {_plural(files, 'file')}."
    hidden = _hidden(report, unsafe)
    if hidden:
        line += f" {_plural(hidden, 'more finding')} can be fixed with --unsafe-fixes."
    return line + "\n"


def _recheck(report: FixReport) -> dict[str, Any]:
    """The fixed files checked again: what was fixed must be gone. For each file and code,
    the findings left may number at most those before less those fixed."""
    from collections import Counter

    changed = {f.path for f in report.changed}
    before = Counter((f.path, f.code) for f in report.before.findings)
    fixed = Counter((f.path, f.code) for f in report.fixed)
    after = Counter((f.path, f.code) for f in report.after.findings)
    over = {key for key in fixed if after[key] > before[key] - fixed[key]}
    still = [f for f in report.after.findings if (f.path, f.code) in over]
    return {
        "files": sorted(changed),
        "fixed_codes": sorted({f.code for f in report.fixed}),
        "still_reported": [f.to_dict() for f in still],
        "clean": not still,
    }


def run_fix(args: argparse.Namespace, select: set[str] | None, ignore: set[str] | None) -> int:
    from shapelint.api import fix_paths
    from shapelint.report import FORMATS

    paths = args.paths or ["."]
    if "-" in paths:
        return _fix_stdin(args, select, ignore)
    report = fix_paths(
        paths,
        unsafe=args.unsafe_fixes,
        strategy=args.fix_strategy,
        write=not args.diff,
        select=select,
        ignore=ignore,
        target_keras=int(args.target_keras) if args.target_keras else None,
        read_data=not args.no_read_data,
        jobs=args.jobs,
    )
    errors = report.errors + report.after.errors
    for error in errors:
        sys.stderr.write(f"shapelint: error: {error.path}: {error.message}\n")
    if args.diff:
        sys.stdout.write(_diff(report))
        sys.stderr.write(_summary(report, args.unsafe_fixes, diff=True))
        if errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if report.changed else EXIT_CLEAN
    verified: dict[str, Any] | None = None
    status = EXIT_CLEAN
    if args.verify:
        verified, status = _verify(args, report, select, ignore)
    if args.format == "json":
        out: dict[str, Any] = {
            "fixed": [f.to_dict() for f in report.fixed],
            "remaining": [f.to_dict() for f in report.after.findings],
            "changed_files": [f.path for f in report.changed],
            "recheck": _recheck(report),
        }
        if verified is not None:
            out["verify"] = verified
        rendered = json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    else:
        colored = color() and args.format == "text" and not args.output_file
        rendered = FORMATS[args.format](report.after, colored)
        if args.format == "text":
            rendered += _summary(report, args.unsafe_fixes, diff=False)
            if verified is not None:
                rendered += "\n" + verified["text"]
    if not write_output(rendered, args.output_file):
        return EXIT_ERROR
    if errors:
        return EXIT_ERROR
    remaining = EXIT_FINDINGS if report.after.findings and not args.exit_zero else EXIT_CLEAN
    return worst(status, remaining)


def _verify(
    args: argparse.Namespace,
    report: FixReport,
    select: set[str] | None,
    ignore: set[str] | None,
) -> tuple[dict[str, Any], int]:
    """Train each fixed file's calls; the JSON and text of the outcome, and an exit code."""
    from shapelint.verify import VerifyUnavailable, stderr_progress, train_paths
    from shapelint.verify.report import (
        FAILED,
        UNPROVEN,
        render_training_json,
        render_training_text,
        training_overall,
        unproven_files,
    )

    files = [f.path for f in report.changed]
    try:
        rows = train_paths(
            files,
            full=args.full,
            shrink=args.shrink,
            timeout=args.timeout,
            keras=int(args.keras) if args.keras else None,
            read_data=not args.no_read_data,
            progress=stderr_progress,
        )
    except VerifyUnavailable as missing:
        sys.stderr.write(f"shapelint: error: {missing}\n")
        return {"trained": [], "text": str(missing)}, EXIT_ERROR
    verdict = training_overall(rows, files)
    code = {FAILED: EXIT_FINDINGS, UNPROVEN: EXIT_UNPROVEN}.get(verdict, EXIT_CLEAN)
    out = {
        "trained": render_training_json(rows),
        "result": verdict,
        "unproven_files": unproven_files(rows, files),
        "text": render_training_text(rows, files),
    }
    return out, code


def _fix_stdin(args: argparse.Namespace, select: set[str] | None, ignore: set[str] | None) -> int:
    """``shapelint check --fix -``: the fixed source goes to stdout, as ruff does."""
    from shapelint.api import fix_source
    from shapelint.config import Overrides, options_for

    text = sys.stdin.read()
    overrides = Overrides.of(
        select=select,
        ignore=ignore,
        target_keras=int(args.target_keras) if args.target_keras else None,
        read_data=not args.no_read_data,
        fix_strategy=args.fix_strategy,
    )
    options = options_for(args.stdin_filename, overrides)
    result = fix_source(text, args.stdin_filename, unsafe=args.unsafe_fixes, options=options)
    if args.diff:
        sys.stdout.write(_file_diff(args.stdin_filename, text, result.text))
        return EXIT_FINDINGS if result.changed else EXIT_CLEAN
    sys.stdout.write(result.text)
    return EXIT_FINDINGS if result.remaining and not args.exit_zero else EXIT_CLEAN
