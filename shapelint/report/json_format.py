"""``--format json``: one JSON array, one object per finding."""

from __future__ import annotations

import json

from shapelint.findings import Report


def render(report: Report, color: bool = False) -> str:
    return json.dumps([f.to_dict() for f in report.findings], indent=2, ensure_ascii=False) + "\n"
