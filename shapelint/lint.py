"""The pipeline for one file: text -> libcst tree -> facts -> rules -> findings."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace

from shapelint import suppress
from shapelint.config import Options
from shapelint.facts import Facts, SyntaxErrorFact
from shapelint.findings import Finding
from shapelint.positions import span_from_libcst


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

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return Facts(path, syntax_error=_syntax_error(text, path, error))
    facts = extract(module, path, PositionIndex(module, label), options)
    target = options.target_keras if options is not None else 3
    return replace(facts, keras_version=2 if "tf_keras" in facts.flavours else target)


def _syntax_error(text: str, path: str, error: Exception) -> SyntaxErrorFact:
    """Python's own message and position where it has one; libcst's otherwise."""
    try:
        compile(text, path, "exec", flags=0x400, dont_inherit=True)  # ast.PyCF_ONLY_AST
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
