"""shapelint: catch Keras shape bugs before anything runs.

The public API returns findings as data::

    from shapelint import check_source, check_paths
    findings = check_source(open("train.py").read(), "train.py")
    report = check_paths(["src/"])  # report.findings, report.errors
    fixed = fix_source(source, "train.py", unsafe=True)  # fixed.text, fixed.remaining
    shown = show_source(source, "train.py")  # shown.models: layers, shapes, calls
"""

from __future__ import annotations

from shapelint.api import check_paths, check_source, fix_paths, fix_source, show_paths, show_source
from shapelint.findings import FileError, Finding, Fix, Report, Span
from shapelint.version import __version__

__all__ = [
    "FileError",
    "Finding",
    "Fix",
    "Report",
    "Span",
    "__version__",
    "check_paths",
    "check_source",
    "fix_paths",
    "fix_source",
    "show_paths",
    "show_source",
]
