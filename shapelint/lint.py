"""The pipeline for one file: text -> libcst tree -> facts -> rules -> findings."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Collection
from dataclasses import replace

from shapelint import suppress
from shapelint.config import Options
from shapelint.facts import Facts, SyntaxErrorFact
from shapelint.findings import Finding
from shapelint.positions import span_from_libcst

MAX_BYTES = 2_000_000
MAX_DEPTH = 400


class Unanalysable(Exception):
    """A file shapelint declines to analyse (too large, too deeply nested); says why."""


def _depth(tree: ast.AST) -> int:
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _precheck(text: str) -> SyntaxErrorFact | None:
    """Guard libcst against what would crash or stall it, using Python's own fast parser
    when a file is large, has very long lines or very many brackets."""
    if len(text) > MAX_BYTES:
        raise Unanalysable(
            f"the file is {len(text) / 1e6:.1f} MB; shapelint analyses files up to "
            f"{MAX_BYTES / 1e6:.0f} MB, so it was skipped"
        )
    brackets = text.count("(") + text.count("[") + text.count("{")
    longest = max(map(len, text.splitlines()), default=0)
    if len(text) < 100_000 and longest < 2_000 and brackets < 5_000:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except SyntaxError as error:
        line = max(error.lineno or 1, 1)
        column0 = max((error.offset or 1) - 1, 0)
        return SyntaxErrorFact(error.msg, span_from_libcst(line, column0, line, column0 + 1))
    except (RecursionError, MemoryError):
        return SyntaxErrorFact(
            "Python cannot compile it: its expressions nest too deeply",
            span_from_libcst(1, 0, 1, 1),
        )
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise Unanalysable(
            f"its syntax tree is {depth} levels deep; shapelint analyses up to {MAX_DEPTH}, "
            "so it was skipped"
        )
    return None


def mentions_keras(text: str) -> bool:
    """Every Keras spelling contains 'keras'; a file without it has nothing to check."""
    return "keras" in text


def facts_for(
    text: str,
    path: str,
    options: Options | None = None,
    label: Callable[[int], str] | None = None,
) -> Facts:
    import libcst as cst

    from shapelint.extract import extract
    from shapelint.positions import PositionIndex

    refused = _precheck(text)
    if refused is not None:
        return Facts(path, syntax_error=refused)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return Facts(path, syntax_error=_syntax_error(text, path, error))
    facts = extract(module, path, PositionIndex(module, label), options, text)
    target = options.target_keras if options is not None else 3
    return replace(facts, keras_version=2 if "tf_keras" in facts.flavours else target)


def _syntax_error(text: str, path: str, error: Exception) -> SyntaxErrorFact:
    """Python's own message and position where it has one; libcst's otherwise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as python_error:
        line = max(python_error.lineno or 1, 1)
        column0 = max((python_error.offset or 1) - 1, 0)
        return SyntaxErrorFact(python_error.msg, span_from_libcst(line, column0, line, column0 + 1))
    except (ValueError, RecursionError, MemoryError):
        pass
    line = max(getattr(error, "raw_line", 1), 1)
    column0 = max(getattr(error, "raw_column", 0), 0)
    message = str(getattr(error, "message", error)).strip().splitlines()[0]
    return SyntaxErrorFact(message, span_from_libcst(line, column0, line, column0 + 1))


def lint_text(
    text: str,
    path: str,
    select: Collection[str] | None = None,
    options: Options | None = None,
) -> list[Finding]:
    """All findings for one file's text.

    ``select`` names the rule codes that run; without it the options (or, without
    those, the rules on by default) decide. Suppression comments are honoured.
    """
    return lint(text, path, select, options)[0]


def lint(
    text: str,
    path: str,
    select: Collection[str] | None = None,
    options: Options | None = None,
    label: Callable[[int], str] | None = None,
) -> tuple[list[Finding], tuple[str, ...]]:
    """Findings for one file's text, and the data files that were read to find them."""
    if not mentions_keras(text) or suppress.ignores_file(text):
        return [], ()
    from shapelint.rules import RULES

    if select is None:
        select = (options or Options()).rules_for(path)
    facts = facts_for(text, path, options, label)
    findings: set[Finding] = set()
    for rule in RULES:
        if rule.code not in select:
            continue
        for diagnostic in rule.check(facts):
            findings.add(
                Finding(
                    path=path,
                    span=diagnostic.anchor.span,
                    code=rule.code,
                    name=rule.name,
                    severity=diagnostic.severity or rule.severity,
                    message=diagnostic.message,
                    fix=diagnostic.fix,
                    provenance=diagnostic.provenance,
                )
            )
    return suppress.apply(sorted(findings, key=Finding.sort_key), text), facts.data_files
