"""Apply fix edits to a file's text, and fix a file until nothing more can be fixed.

As in ruff, fixes are applied in passes: every fix whose edits do not collide
with an earlier one is applied, the file is checked again, and the next pass
picks up what the first had to leave. A pass that would break the file's
syntax is never kept.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from shapelint.config import Options
from shapelint.findings import Edit, Finding
from shapelint.fixes.edits import line_starts

MAX_PASSES = 8


class FixError(Exception):
    """A fix produced code that does not parse; the file is left as it was."""


def _offsets(starts: list[int], edit: Edit) -> tuple[int, int]:
    s = edit.span
    return starts[s.line - 1] + s.column - 1, starts[s.end_line - 1] + s.end_column - 1


def _collide(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if max(a[0], b[0]) < min(a[1], b[1]):
        return True
    # An insertion touching another edit: their order would be a guess.
    if a[0] == a[1] and b[0] <= a[0] <= b[1]:
        return True
    return b[0] == b[1] and a[0] <= b[0] <= a[1]


def apply_edits(text: str, groups: Sequence[Sequence[Edit]]) -> tuple[str, list[int]]:
    """Apply each group of edits whole, or skip it if it collides with one applied before.

    Returns the new text and the indices of the groups that were applied (a group
    identical to an applied one counts as applied)."""
    texts, applied = apply_cell_edits({None: text}, groups)
    return texts[None], applied


def apply_cell_edits(
    texts: Mapping[int | None, str], groups: Sequence[Sequence[Edit]]
) -> tuple[dict[int | None, str], list[int]]:
    """``apply_edits`` for several texts at once, each edit going to the text of its
    ``cell`` (a notebook's cells; a script is the text of cell None). A group is applied
    whole or not at all, so a fix whose edits are in several cells stays one change."""
    starts = {key: line_starts(text) for key, text in texts.items()}
    taken: list[tuple[int | None, tuple[int, int], str]] = []
    applied: list[int] = []
    for index, group in enumerate(groups):
        if any(e.cell not in texts or e.span.end_line > len(starts[e.cell]) for e in group):
            continue
        ranges = [(e.cell, _offsets(starts[e.cell], e), e.content) for e in group]
        fresh = [r for r in ranges if r not in taken]
        if any(k == t and _collide(r, s) for k, r, _ in fresh for t, s, _ in taken):
            continue
        if any(
            k == t and _collide(a, b)
            for i, (k, a, _) in enumerate(fresh)
            for t, b, _ in fresh[i + 1 :]
        ):
            continue
        taken.extend(fresh)
        applied.append(index)
    out = dict(texts)
    for key, (start, end), content in sorted(taken, key=lambda item: item[1], reverse=True):
        text = out[key]
        out[key] = text[:start] + content + text[end:]
    return out, applied


def _compile_error(text: str, path: str, *, whole: bool) -> SyntaxError | None:
    """The error compiling ``text`` raises (with ``whole``) or parsing it does; None if
    none. Only a whole compile finds a repeated keyword, ``f(a=1, a=2)``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            flags = 0 if whole else ast.PyCF_ONLY_AST
            compile(text, path, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as error:
        return error
    return None


def fixable(finding: Finding, unsafe: bool) -> bool:
    kind = finding.autofix
    return kind == "safe" or (unsafe and kind == "unsafe")


@dataclass
class FixResult:
    """What fixing one file did: the new text, the findings fixed, and what is left."""

    original: str
    text: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def fix_text(
    text: str,
    path: str,
    options: Options | None = None,
    *,
    unsafe: bool = False,
    select: Collection[str] | None = None,
) -> FixResult:
    """Fix ``text`` (a script) as far as the fixes allow; nothing is written."""
    from shapelint.lint import lint

    result = FixResult(text, text)
    findings, _ = lint(text, path, select, options)
    for _ in range(MAX_PASSES):
        chosen = [f for f in findings if fixable(f, unsafe)]
        if not chosen:
            break
        new, applied = apply_edits(result.text, [f.fix.edits for f in chosen if f.fix])
        if new == result.text:
            break
        broken = _compile_error(new, path, whole=True)
        if broken is not None and _compile_error(result.text, path, whole=True) is not None:
            # The file did not compile before the fix either (``f(a=1, a=2)`` is an error of
            # the compiler, not of the parser): judge the fix by the parser alone.
            broken = _compile_error(new, path, whole=False)
        if broken is not None:
            raise FixError(
                f"a fix would break the file ({broken.msg} at line {broken.lineno}); "
                "it was left unchanged"
            )
        new_findings, _ = lint(new, path, select, options)
        if len(new_findings) >= len(findings):
            # The pass fixed nothing on balance (a fix traded one finding for another):
            # keep the text as it was before it, and stop.
            break
        result.fixed.extend(chosen[i] for i in applied)
        result.text, findings = new, new_findings
    result.remaining = findings
    return result
