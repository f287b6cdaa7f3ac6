"""A cache of findings, keyed on each file's content, shapelint's code and the options.

Like ruff's cache, it makes a second run over an unchanged tree fast. It lives in
``.shapelint_cache/`` next to the nearest pyproject.toml (or in the working
directory), as JSON: never a pickle, since the folder may come from an untrusted
checkout. A result that used data files is only reused while they are unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from typing import Any

from shapelint.config import Options, find_pyproject
from shapelint.findings import Finding
from shapelint.version import __version__

FOLDER = ".shapelint_cache"


def _stat(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_mtime_ns, stat.st_size]


@functools.cache
def code_stamp() -> str:
    """A stamp of shapelint's own source files (name, size, modification time), so that an
    editable install or a mutation-testing run never reads findings of other code."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamps = []
    for folder, _, names in os.walk(package):
        for name in sorted(names):
            if name.endswith((".py", ".json")):
                path = os.path.join(folder, name)
                stamps.append([os.path.relpath(path, package), _stat(path)])
    return hashlib.sha256(json.dumps(sorted(stamps)).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=64)
def _fingerprint(options: Options, skipped: frozenset[str], stamp: str) -> bytes:
    """What the findings depend on besides the text. The rules that run are given as chosen
    (``select``, None for the default ones, and the codes skipped), not resolved: which
    rules are on by default is part of the code, so of ``stamp``, and the rules need not be
    imported to read the cache."""
    return json.dumps(
        [
            __version__,
            stamp,
            sorted(options.select) if options.select is not None else None,
            sorted(skipped),
            options.target_keras,
            options.read_data,
            sorted(options.samples.items()),
            options.fix_strategy,
        ]
    ).encode()


class Cache:
    def __init__(self, root: str | None = None) -> None:
        if root is None:
            pyproject = find_pyproject(os.getcwd())
            root = os.path.dirname(pyproject) if pyproject else os.getcwd()
        self.folder = os.path.join(root, FOLDER)
        self.file = os.path.join(self.folder, f"findings-{__version__}.json")
        self.entries: dict[str, Any] = {}
        self.changed = False
        try:
            with open(self.file, encoding="utf-8") as handle:
                loaded = json.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            self.entries = {}

    @staticmethod
    def key(text: str, path: str, options: Options) -> str:
        digest = hashlib.sha256(_fingerprint(options, options.skipped_for(path), code_stamp()))
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, path: str, key: str) -> list[Finding] | None:
        entry = self.entries.get(os.path.abspath(path))
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        for dependency, stamp in entry.get("deps", []):
            if _stat(dependency) != stamp:
                return None
        try:
            return [Finding.from_dict(item) for item in entry.get("findings", [])]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, path: str, key: str, findings: list[Finding], deps: tuple[str, ...]) -> None:
        self.entries[os.path.abspath(path)] = {
            "key": key,
            "deps": [[dep, _stat(dep)] for dep in deps],
            "findings": [f.to_dict() for f in findings],
        }
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        import tempfile

        try:
            os.makedirs(self.folder, exist_ok=True)
            ignore = os.path.join(self.folder, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as handle:
                    handle.write("# Created by shapelint.\n*\n")
            handle_fd, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle_fd, "w", encoding="utf-8") as handle:
                json.dump(self.entries, handle)
            os.replace(temporary, self.file)
        except OSError:
            pass  # a cache that cannot be written only costs speed
