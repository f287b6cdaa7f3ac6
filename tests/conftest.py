from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shapelint.notebook import code_cells, split_lines

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "seed" / "stateful_lstm_stock.py"
SEED_FIXED = FIXTURES / "seed" / "stateful_lstm_stock_fixed.py"

# ``# error: [SL001] samples=1735 batch_size=30`` : severity, codes, then the numbers the
# finding must carry (name=value, values as Python literals without spaces).
_MARKER = re.compile(r"#\s*(error|warning):\s*\[([A-Z0-9, ]+)\]((?:[ \t]+[a-z_]+=[^\s#]+)*)")


@dataclass(frozen=True)
class Expected:
    """One finding a fixture's markers ask for."""

    line: int
    code: str
    severity: str
    # None: a marker naming several codes, which cannot pin numbers.
    numbers: dict[str, object] | None
    # In a notebook: the cell (every cell counted, from 1); ``line`` is within it.
    cell: int | None = None


def _lines(path: Path) -> Iterator[tuple[int | None, int, str]]:
    """Each line of a script, or of each code cell of a notebook: (cell, line, text)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        for cell, source in code_cells(text):
            for number, line in enumerate(split_lines(source), start=1):
                yield cell, number, line
        return
    for number, line in enumerate(text.splitlines(), start=1):
        yield None, number, line


def expected_findings(path: Path) -> list[Expected]:
    """Every finding the markers of ``path`` ask for, in line order (in a notebook, the
    markers are comments in the cells' code)."""
    expected: list[Expected] = []
    for cell, number, line in _lines(path):
        for match in _MARKER.finditer(line):
            codes = [code.strip() for code in match.group(2).split(",")]
            pairs = [item.split("=", 1) for item in match.group(3).split()]
            numbers = {key: ast.literal_eval(value) for key, value in pairs}
            if len(codes) > 1:
                assert not numbers, f"{path}:{number}: numbers need a marker per finding"
            for code in codes:
                pinned = numbers if len(codes) == 1 else None
                expected.append(Expected(number, code, match.group(1), pinned, cell))
    return expected


def expected_markers(path: Path) -> Counter[tuple[int, str]]:
    """``# error: [SL001]`` on a line means one SL001 finding on that line."""
    return Counter((e.line, e.code) for e in expected_findings(path))


def expected_places(path: Path) -> Counter[tuple[int | None, int, str]]:
    """The markers as (cell, line, code): the cell is None in a script."""
    return Counter((e.cell, e.line, e.code) for e in expected_findings(path))
