"""``--fix`` on a notebook: edits go into the cells' sources; everything else stays.

Each changed cell's ``source`` value is replaced in the JSON text where it stands, in the
style it had (a list of lines or one string; the list's indentation and separators;
escaped or raw non-ASCII characters), so outputs, metadata, key order, indentation and
the trailing newline are kept byte for byte, and only the changed cells differ.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Collection, Iterator

from shapelint.config import Options
from shapelint.fixes.apply import MAX_PASSES, FixError, FixResult, apply_cell_edits, fixable

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def fix_notebook(
    text: str,
    path: str,
    options: Options | None = None,
    *,
    unsafe: bool = False,
    select: Collection[str] | None = None,
) -> FixResult:
    """Fix a notebook's JSON as far as the fixes allow, in passes as ``fix_text`` does;
    nothing is written."""
    from shapelint.notebook import lint_notebook, program

    result = FixResult(text, text)
    findings, _ = lint_notebook(text, path, select, options)
    for _ in range(MAX_PASSES):
        chosen = [f for f in findings if fixable(f, unsafe)]
        if not chosen:
            break
        cells = {cell.number: cell for cell in program(result.text).cells}
        sources: dict[int | None, str] = {n: c.source for n, c in cells.items()}
        new, applied = apply_cell_edits(sources, [f.fix.edits for f in chosen if f.fix])
        changed = {n: s for n, s in new.items() if n is not None and s != sources[n]}
        if not changed:
            break
        try:
            new_text = with_sources(result.text, changed)
        except (ValueError, IndexError) as error:
            raise FixError(f"cannot write the fixed cells into the notebook: {error}") from None
        for cell in program(new_text).cells:
            if cell.number in changed:
                _check_parses(cell.text, cell.number)
        new_findings, _ = lint_notebook(new_text, path, select, options)
        if len(new_findings) >= len(findings):
            # The pass fixed nothing on balance: keep the notebook as it was before it.
            break
        result.fixed.extend(chosen[i] for i in applied)
        result.text, findings = new_text, new_findings
    result.remaining = findings
    return result


def _check_parses(code: str, number: int) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, f"cell {number}", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        raise FixError(
            f"a fix would break cell {number} ({error.msg} at line {error.lineno}); "
            "the notebook was left unchanged"
        ) from None


# -- the JSON text ----------------------------------------------------------------------


def with_sources(text: str, sources: dict[int, str]) -> str:
    """The notebook's JSON with the ``source`` of the cells numbered in ``sources``
    replaced, and every other byte as it was."""
    ascii_only = _escapes_non_ascii(text)
    unit = _indent_unit(text) if "\n" in text.strip() else ""
    out = text
    spans = source_spans(text)
    for number in sorted(sources, reverse=True):
        if number not in spans:
            raise ValueError(f"cell {number} has no source in the notebook")
        start, end = spans[number]
        key_indent = _line_indent(text, start)
        value = _render(text[start:end], sources[number], key_indent, unit, ascii_only)
        out = out[:start] + value + out[end:]
    return out


def source_spans(text: str) -> dict[int, tuple[int, int]]:
    """Where the ``source`` value of each cell stands in the JSON text, by cell number."""
    spans: dict[int, tuple[int, int]] = {}
    at = _skip(text, 0)
    for key, start, _ in _members(text, at):
        if key != "cells" or text[start] != "[":
            continue
        spans = {}
        for number, (item, _) in enumerate(_items(text, start), start=1):
            if text[item] != "{":
                continue
            for field, value, value_end in _members(text, item):
                if field == "source":
                    spans[number] = (value, value_end)
    return spans


def _skip(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    return match.end() if match else at


def _members(text: str, at: int) -> Iterator[tuple[str, int, int]]:
    """Each key of the object at ``at``, with the start and end of its value."""
    at = _skip(text, at + 1)
    if text[at] == "}":
        return
    while True:
        key, at = _DECODER.raw_decode(text, at)
        at = _skip(text, at)
        at = _skip(text, at + 1)  # the colon
        _, end = _DECODER.raw_decode(text, at)
        yield key, at, end
        at = _skip(text, end)
        if text[at] != ",":
            return
        at = _skip(text, at + 1)


def _items(text: str, at: int) -> Iterator[tuple[int, int]]:
    """The start and end of each item of the array at ``at``."""
    at = _skip(text, at + 1)
    if text[at] == "]":
        return
    while True:
        _, end = _DECODER.raw_decode(text, at)
        yield at, end
        at = _skip(text, end)
        if text[at] != ",":
            return
        at = _skip(text, at + 1)


def _escapes_non_ascii(text: str) -> bool:
    """Whether the notebook writes non-ASCII characters as ``\\uXXXX`` (Jupyter does not)."""
    if any(ord(char) > 127 for char in text):
        return False
    return re.search(r"\\u(?:00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])", text) is not None


def _indent_unit(text: str) -> str:
    match = re.search(r"\n([ \t]+)\S", text)
    return match.group(1) if match else " "


def _line_indent(text: str, at: int) -> str:
    """The indentation of the line ``at`` is on."""
    line_start = text.rfind("\n", 0, at) + 1
    match = re.match(r"[ \t]*", text[line_start:at])
    return match.group(0) if match else ""


def _render(old: str, source: str, key_indent: str, unit: str, ascii_only: bool) -> str:
    """``source`` as a JSON value in the style of ``old``."""
    if old.startswith('"'):
        return json.dumps(source, ensure_ascii=ascii_only)
    items = [json.dumps(line, ensure_ascii=ascii_only) for line in source.splitlines(True)]
    if not items:
        return "[]"
    inner = old[1:-1]
    lead = inner[: len(inner) - len(inner.lstrip())]
    if not inner.strip():
        # An empty list has no style of its own: take the notebook's indentation.
        if not unit:
            return "[" + ", ".join(items) + "]"
        lead, trail = "\n" + key_indent + unit, "\n" + key_indent
        return "[" + lead + ("," + lead).join(items) + trail + "]"
    trail = inner[len(inner.rstrip()) :]
    if "\n" in lead:
        return "[" + lead + ("," + lead).join(items) + trail + "]"
    separator = re.search(r'",(\s*)"', inner)
    gap = separator.group(1) if separator else " "
    return "[" + lead + ("," + gap).join(items) + trail + "]"
