"""The libcst floor: parse every file shapelint would check, and nothing else.

    python bench/floor.py [--jobs N] DIR...

It finds the files as ``shapelint check`` does, reads them, turns notebooks into their
programs, passes each through the ``keras`` text prefilter (as check does) and parses
the rest with ``libcst.parse_module``, in the same worker processes as check (one per
core by default, ``--jobs``). The time a check takes over this is the price of the
analysis itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _parse(path: str) -> int:
    import libcst as cst

    from shapelint.files import SourceError, read_source
    from shapelint.notebook import NotebookError, program

    try:
        text = read_source(path)
        if path.endswith(".ipynb"):
            text = program(text).text
    except (SourceError, NotebookError):
        return 0
    if "keras" not in text:
        return 0
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        return 0
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    from shapelint.api import _PARALLEL_FROM
    from shapelint.files import discover

    files, _ = discover(args.paths)
    jobs = args.jobs or os.cpu_count() or 1
    if jobs <= 1 or len(files) < _PARALLEL_FROM:
        parsed = sum(map(_parse, files))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            chunk = max(1, len(files) // (jobs * 8))
            parsed = sum(pool.map(_parse, files, chunksize=chunk))
    print(f"{parsed} of {len(files)} files parsed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
