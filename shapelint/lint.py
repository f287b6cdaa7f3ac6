"""The pipeline for one file: text -> libcst tree -> facts -> rules -> findings."""

from __future__ import annotations

from collections.abc import Collection

from shapelint.facts import Facts, SyntaxErrorFact
from shapelint.findings import Finding
from shapelint.positions import span_from_libcst


def mentions_keras(text: str) -> bool:
    """Every Keras spelling contains 'keras'; a file without it has nothing to check."""
    return "keras" in text


def facts_for(text: str, path: str) -> Facts:
    import libcst as cst

    from shapelint.extract import extract
    from shapelint.positions import PositionIndex

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        line = max(error.raw_line, 1)
        span = span_from_libcst(line, error.raw_column, line, error.raw_column + 1)
        message = str(error.message).strip().splitlines()[0]
        return Facts(path, syntax_error=SyntaxErrorFact(message, span))
    return extract(module, path, PositionIndex(module))


def lint_text(text: str, path: str, select: Collection[str] | None = None) -> list[Finding]:
    """All findings for one file's text. ``select`` limits the rule codes that run."""
    if not mentions_keras(text):
        return []
    from shapelint.rules import RULES

    facts = facts_for(text, path)
    findings: set[Finding] = set()
    for rule in RULES:
        if select is not None and rule.code not in select:
            continue
        for diagnostic in rule.check(facts):
            findings.add(
                Finding(
                    path=path,
                    span=diagnostic.anchor.span,
                    code=rule.code,
                    name=rule.name,
                    severity=rule.severity,
                    message=diagnostic.message,
                    fix=diagnostic.fix,
                )
            )
    return sorted(findings, key=Finding.sort_key)
