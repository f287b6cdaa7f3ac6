"""The pipeline for one file: text -> libcst tree -> facts -> rules -> findings.

The analysis (libcst, the facts, the gate and the rules) is imported by the functions
that use it: a file that never mentions Keras needs none of it."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from shapelint import suppress
from shapelint.config import Options
from shapelint.findings import Finding, Fix, Number

if TYPE_CHECKING:
    from shapelint.facts import Facts, SyntaxErrorFact
    from shapelint.fixes.edits import Editor
    from shapelint.fixes.plans import FixPlan
    from shapelint.subjects import Subject

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
    from shapelint.facts import SyntaxErrorFact
    from shapelint.positions import span_from_libcst

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
    return _analyse(text, path, options, label)[0]


def _analyse(
    text: str,
    path: str,
    options: Options | None = None,
    label: Callable[[int], str] | None = None,
    gate: Collection[str] | None = None,
) -> tuple[Facts, Editor | None]:
    """The facts of a file, and an editor for turning fix plans into edits. With
    ``gate`` (the rules that will run), a file in which none of them can fire is not
    parsed by libcst: its facts are empty (see shapelint.gate)."""
    from shapelint.facts import Facts
    from shapelint.gate import could_fire

    refused = _precheck(text)
    if refused is not None:
        return Facts(path, syntax_error=refused), None
    if gate is not None and not could_fire(text, gate):
        return Facts(path), None
    # Imported only now: a file that the gate skips does not need libcst.
    import libcst as cst

    from shapelint.extract import extract
    from shapelint.fixes.edits import Editor
    from shapelint.parse import parse_module
    from shapelint.positions import PositionIndex

    try:
        module = parse_module(text)
    except cst.ParserSyntaxError as error:
        return Facts(path, syntax_error=_syntax_error(text, path, error)), None
    positions = PositionIndex(module, label, text)
    facts = extract(module, path, positions, options, text)
    target = options.target_keras if options is not None else 3
    facts = replace(facts, keras_version=2 if "tf_keras" in facts.flavours else target)
    return facts, Editor(module, positions, text)


def _with_edits(fix: Fix, plans: tuple[FixPlan, ...], editor: Editor, strategy: str) -> Fix:
    """The fix with the edits of the plan for this strategy, where the code allows them."""
    for plan in plans:
        if plan.strategy not in ("", strategy):
            continue
        edits = editor.edits(plan)
        if edits:
            return replace(fix, edits=edits, applicability=plan.applicability)
    return fix


def _numbers(subject: Subject | None) -> tuple[tuple[str, Number], ...]:
    return tuple(subject.numbers().items()) if subject is not None else ()


def syntax_error(text: str, path: str, error: Exception) -> SyntaxErrorFact:
    """Why ``text`` does not parse, given libcst's ``error``: Python's own message and
    position where it has one; libcst's otherwise."""
    return _syntax_error(text, path, error)


def _syntax_error(text: str, path: str, error: Exception) -> SyntaxErrorFact:
    """Python's own message and position where it has one; libcst's otherwise."""
    from shapelint.facts import SyntaxErrorFact
    from shapelint.positions import span_from_libcst

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
    gate: bool = True,
) -> tuple[list[Finding], tuple[str, ...]]:
    """Findings for one file's text, and the data files that were read to find them.
    ``gate=False`` parses and analyses even a file in which no rule can fire."""
    if not mentions_keras(text) or suppress.ignores_file(text):
        return [], ()
    if select is None:
        select = (options or Options()).rules_for(path)
    facts, editor = _analyse(text, path, options, label, select if gate else None)
    return findings_of(facts, editor, text, path, select, options), facts.data_files


def analyse(
    text: str,
    path: str,
    options: Options | None = None,
    label: Callable[[int], str] | None = None,
    gate: Collection[str] | None = None,
) -> tuple[Facts, Editor | None]:
    """The facts of a text, and an editor for its fixes (None when it does not parse or,
    with ``gate``, when none of those rules can fire in it)."""
    return _analyse(text, path, options, label, gate)


def findings_of(
    facts: Facts,
    editor: Editor | None,
    text: str,
    path: str,
    select: Collection[str] | None = None,
    options: Options | None = None,
) -> list[Finding]:
    """What the selected rules find in ``facts`` (of ``text``), with the edits of each fix
    the editor can make, less what suppression comments silence."""
    from shapelint.rules import RULES

    if select is None:
        select = (options or Options()).rules_for(path)
    strategy = (options or Options()).fix_strategy
    findings: set[Finding] = set()
    for rule in RULES:
        if rule.code not in select:
            continue
        for diagnostic in rule.check(facts):
            fix = diagnostic.fix
            if fix is not None and editor is not None:
                fix = _with_edits(fix, diagnostic.plans, editor, strategy)
            findings.add(
                Finding(
                    path=path,
                    span=diagnostic.anchor.span,
                    code=rule.code,
                    name=rule.name,
                    severity=diagnostic.severity or rule.severity,
                    message=diagnostic.message,
                    fix=fix,
                    provenance=diagnostic.provenance,
                    numbers=_numbers(diagnostic.subject),
                )
            )
    return suppress.apply(sorted(findings, key=Finding.sort_key), text)
