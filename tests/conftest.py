from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "seed" / "stateful_lstm_stock.py"
SEED_FIXED = FIXTURES / "seed" / "stateful_lstm_stock_fixed.py"

_MARKER = re.compile(r"#\s*(error|warning):\s*\[([A-Z0-9, ]+)\]")


def expected_markers(path: Path) -> Counter[tuple[int, str]]:
    """``# error: [SL001]`` on a line means one SL001 finding on that line."""
    expected: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in _MARKER.finditer(line):
            for code in match.group(2).split(","):
                expected[(number, code.strip())] += 1
    return expected
