"""SL012 proved on real TensorFlow: every positive fixture is rebuilt and trained by
``shapelint verify``; each error finding fails with the very text its message quotes (the
script's batch size included), each warning trains without error on the shapes it names,
and each proposed fix trains."""

from __future__ import annotations

import json
import re

from tests.conftest import FIXTURES
from tests.test_verify import run_cli

POSITIVE = sorted(
    p for p in (FIXTURES / "rules" / "sl012").glob("*.py") if not p.name.endswith("_clean.py")
)
_QUOTED = re.compile(r'Keras raises "(.*)"\.$')


def test_every_sl012_fixture_reproduces_as_quoted_and_its_fixes_train() -> None:
    result = run_cli("verify", "--select", "SL012", "--format", "json", *map(str, POSITIVE))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = json.loads(result.stdout)
    assert len(rows) == 11
    for row in rows:
        finding = row["finding"]
        where = f"{finding['path']}:{finding['line']}"
        if finding["severity"] == "warning":
            assert row["status"] == "reproduced", where
            assert row["reproduction"]["verdict"].startswith("silent: trained without error")
            assert [f["ok"] for f in row["fixes"]] == [True], where
            continue
        assert row["status"] == "reproduced", where
        quoted = _QUOTED.search(finding["message"])
        assert quoted is not None, finding["message"]
        text = quoted.group(1).split("... ")[-1]
        error = row["reproduction"]["error"]
        assert text in error["message"], (where, text, error)
        has_fix = finding["fix"].get("applicability") == "unsafe"
        assert [f["ok"] for f in row["fixes"]] == ([True] if has_fix else []), where
