"""The command line: parse arguments, call the API, pick a reporter, return the exit code.

Exit codes: 0 clean, 1 findings, 2 usage or I/O errors. ``verify``: 0 everything proven,
1 a finding not reproduced, a fix not confirmed or a run failed or timed out, 2 errors,
3 unproven (nothing failed, but a finding or fixed file could not be rebuilt and trained).
When check and verify both have a say, the more serious code wins: 2, then 1, then 3.
``show``: 0, or 2 when a file could not be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from shapelint.terminal import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_UNPROVEN,
    color,
    worst,
    write_output,
)
from shapelint.version import __version__

_COMMANDS = ("check", "rule", "show", "verify")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shapelint",
        description="Catch Keras shape bugs before anything runs.",
        epilog="`shapelint PATH...` is short for `shapelint check PATH...`.",
    )
    parser.add_argument("--version", action="version", version=f"shapelint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check scripts statically (the default)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument(
        "--format", choices=("text", "concise", "json", "sarif", "github"), default="text"
    )
    check.add_argument("--output-file", "-o", metavar="PATH", help="write the report here")
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.add_argument(
        "--jobs", "-j", type=int, default=None, help="files checked in parallel (default: cores)"
    )
    check.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    check.add_argument(
        "--stdin-filename", default="-", metavar="PATH", help="the path reported for `-` (stdin)"
    )
    check.add_argument("--select", help="comma-separated rule codes or names to run")
    check.add_argument("--ignore", help="comma-separated rule codes or names to skip")
    check.add_argument(
        "--target-keras",
        choices=("2", "3"),
        help="the Keras major version the scripts run on (default 3; tf_keras scripts are 2)",
    )
    check.add_argument(
        "--no-read-data",
        action="store_true",
        help="do not read data files next to the scripts (.npy, .npz, .csv, .txt) for sizes",
    )
    check.add_argument(
        "--verify",
        action="store_true",
        help="then reproduce and fix each finding (see verify); with --fix, also train the "
        "fixed scripts",
    )
    check.add_argument("--fix", action="store_true", help="apply the safe fixes to the files")
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply fixes that change which data is used or what the model returns",
    )
    check.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )
    check.add_argument(
        "--fix-strategy",
        choices=("trim", "divisor"),
        default=None,
        help="how to fix SL001: trim the data to whole batches (default), or change the "
        "batch-size constant to a divisor of the sample count",
    )
    _verify_options(check, with_format=False)

    verify = commands.add_parser(
        "verify",
        help="train the flagged models on synthetic data to reproduce and fix each finding",
    )
    verify.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    verify.add_argument("--format", choices=("text", "json"), default="text")
    verify.add_argument("--select", help="comma-separated rule codes or names to run")
    verify.add_argument("--ignore", help="comma-separated rule codes or names to skip")
    verify.add_argument("--no-read-data", action="store_true", help="as for check")
    verify.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="models trained at once, one TensorFlow process each (default: free cores, 1-4)",
    )
    _verify_options(verify, with_format=True)

    show = commands.add_parser(
        "show",
        help="show each model as a table (layers, output shapes, parameters) and each "
        "fit/evaluate/predict call's batches, without TensorFlow",
        description="For each model: its layers with output shapes (batch axis first) and "
        "parameter counts, its fixed batch size and where that came from; for each "
        "fit/evaluate/predict call: the data's sample count and per-sample shape, the batch "
        "size, full batches and remainder, shuffle, and the findings on it. `?` marks what "
        "shapelint does not know, with the reason. Nothing is imported or run.",
    )
    show.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    show.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    show.add_argument("--output-file", "-o", metavar="PATH", help="write the tables here")
    show.add_argument(
        "--target-keras", choices=("2", "3"), help="the Keras major version (as for check)"
    )
    show.add_argument("--no-read-data", action="store_true", help="as for check")

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", nargs="?", help="a rule code or name, e.g. SL001")
    rule.add_argument("--all", action="store_true", help="list every rule")
    return parser


def _verify_options(parser: argparse.ArgumentParser, with_format: bool) -> None:
    parser.add_argument(
        "--full",
        action="store_true",
        help="train on all N samples instead of the smallest count that shows the failure",
    )
    parser.add_argument(
        "--shrink", action="store_true", help="rebuild layers with at most 8 units, for speed"
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per training run (default 120)"
    )
    parser.add_argument(
        "--keras", choices=("2", "3"), help="rebuild in Keras 3 (keras) or Keras 2 (tf_keras)"
    )


def _codes(text: str | None, parser: argparse.ArgumentParser) -> set[str] | None:
    if text is None:
        return None
    from shapelint.codes import code_of

    codes = set()
    for key in filter(None, (part.strip() for part in text.split(","))):
        code = code_of(key)
        if code is None:
            parser.error(f"unknown rule: {key!r} (see `shapelint rule --all`)")
        codes.add(code)
    return codes


def _run_check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from shapelint.api import check_paths
    from shapelint.report import FORMATS

    paths = args.paths or ["."]
    if args.fix or args.diff:
        from shapelint.cli_fix import run_fix

        return run_fix(args, _codes(args.select, parser), _codes(args.ignore, parser))
    report = check_paths(
        paths,
        select=_codes(args.select, parser),
        ignore=_codes(args.ignore, parser),
        target_keras=int(args.target_keras) if args.target_keras else None,
        read_data=not args.no_read_data,
        jobs=args.jobs,
        cache=not args.no_cache and "-" not in paths,
        stdin=sys.stdin.read() if "-" in paths else None,
        stdin_filename=args.stdin_filename,
        fix_strategy=args.fix_strategy,
    )
    colored = color() and args.format == "text" and not args.output_file
    rendered = FORMATS[args.format](report, colored)
    if not write_output(rendered, args.output_file):
        return EXIT_ERROR
    for error in report.errors:
        sys.stderr.write(f"shapelint: error: {error.path}: {error.message}\n")
    if report.errors:
        return EXIT_ERROR
    code = EXIT_FINDINGS if report.findings and not args.exit_zero else EXIT_CLEAN
    if args.verify and report.findings:
        sys.stdout.write("\n")
        return worst(code, _run_verify(args, parser, "text"))
    return code


def _run_verify(args: argparse.Namespace, parser: argparse.ArgumentParser, fmt: str) -> int:
    return run_verify(args, _codes(args.select, parser), _codes(args.ignore, parser), fmt)


def run_verify(
    args: argparse.Namespace, select: set[str] | None, ignore: set[str] | None, fmt: str
) -> int:
    from shapelint.verify import VerifyUnavailable, stderr_progress, verify_paths
    from shapelint.verify.report import FAILED, UNPROVEN, overall, render_json, render_text

    try:
        report = verify_paths(
            args.paths or ["."],
            full=args.full,
            shrink=args.shrink,
            timeout=args.timeout,
            keras=int(args.keras) if args.keras else None,
            select=select,
            ignore=ignore,
            read_data=not args.no_read_data,
            progress=stderr_progress,
            jobs=args.jobs,
        )
    except VerifyUnavailable as missing:
        sys.stderr.write(f"shapelint: error: {missing}\n")
        return EXIT_ERROR
    sys.stdout.write(render_json(report) if fmt == "json" else render_text(report))
    for error in report.errors:
        sys.stderr.write(f"shapelint: error: {error.path}: {error.message}\n")
    if report.errors:
        return EXIT_ERROR
    verdict = overall(report)
    if verdict == FAILED:
        return EXIT_FINDINGS
    return EXIT_UNPROVEN if verdict == UNPROVEN else EXIT_CLEAN


def _run_show(args: argparse.Namespace) -> int:
    from shapelint.api import show_paths
    from shapelint.report import SHOW_FORMATS

    report = show_paths(
        args.paths or ["."],
        target_keras=int(args.target_keras) if args.target_keras else None,
        read_data=not args.no_read_data,
    )
    colored = color() and args.format == "text" and not args.output_file
    rendered = SHOW_FORMATS[args.format](report.files, colored)
    if not write_output(rendered, args.output_file):
        return EXIT_ERROR
    for error in report.errors:
        sys.stderr.write(f"shapelint: error: {error.path}: {error.message}\n")
    return EXIT_ERROR if report.errors else EXIT_CLEAN


def _run_rule(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from shapelint.rules import RULES, by_code_or_name

    if args.all or not args.code:
        width = max(len(r.name) for r in RULES)
        for r in RULES:
            sys.stdout.write(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.summary}\n")
        return EXIT_CLEAN
    rule = by_code_or_name(args.code)
    if rule is None:
        sys.stderr.write(f"shapelint: error: unknown rule {args.code!r}\n")
        return EXIT_ERROR
    sys.stdout.write(rule.doc())
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if argv and argv[0] not in _COMMANDS and not argv[0].startswith("-"):
        argv.insert(0, "check")
    elif argv and argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "check")
    if not argv:
        parser.print_usage(sys.stderr)
        sys.stderr.write("shapelint: error: give a PATH to check, e.g. `shapelint model.py`\n")
        return EXIT_ERROR
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command == "rule":
            return _run_rule(args, parser)
        if args.command == "show":
            return _run_show(args)
        if args.command == "verify":
            return _run_verify(args, parser, args.format)
        return _run_check(args, parser)
    except BrokenPipeError:
        return EXIT_CLEAN
    except KeyboardInterrupt:
        return EXIT_ERROR
