"""Configuration: ``[tool.shapelint]`` in the nearest pyproject.toml, and run options.

Keys (all optional)::

    [tool.shapelint]
    select = ["SL001", "batch-size-conflict"]   # rules to run (default: the default rules)
    ignore = ["SL004"]                           # rules to skip
    exclude = ["notebooks/scratch/*", "legacy"]  # globs, relative to this file's folder
    target-keras = 3                             # 2 or 3; a script importing tf_keras is 2
    fix-strategy = "trim"                        # how --fix repairs SL001: "trim" or "divisor"

    [tool.shapelint.per-file-ignores]
    "experiments/*" = ["SL007"]

    [tool.shapelint.samples]                     # declared sizes of data nobody can see
    X_train = 1735

The command line's ``--select``, ``--ignore``, ``--target-keras`` and ``--fix-strategy``
override the file.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

_KEYS = frozenset(
    {"select", "ignore", "exclude", "target-keras", "per-file-ignores", "samples", "fix-strategy"}
)


class ConfigError(Exception):
    """A configuration file or value shapelint cannot use; the message says which."""


@dataclass(frozen=True)
class Options:
    """What one check runs with."""

    # Read the headers and row counts of data files next to the script.
    read_data: bool = True
    # Declared sample counts, by variable name.
    samples: dict[str, int] = field(default_factory=dict)
    # The pyproject.toml the options came from, if any.
    source: str | None = None
    # Rule codes to run (None: the rules on by default) and to skip.
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    target_keras: int = 3
    # How --fix repairs a batch remainder (SL001): "trim" the data or use a "divisor".
    fix_strategy: str = "trim"

    def __hash__(self) -> int:
        return hash((self.read_data, tuple(sorted(self.samples.items())), self.source))

    @property
    def root(self) -> str:
        return os.path.dirname(self.source) if self.source else os.getcwd()

    def _relative(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def excluded(self, path: str) -> bool:
        return any(_matches(self._relative(path), pattern) for pattern in self.exclude)

    def rules_for(self, path: str) -> frozenset[str]:
        """The rule codes that run on ``path``."""
        from shapelint.codes import DEFAULT

        chosen = self.select if self.select is not None else DEFAULT
        return frozenset(chosen) - self.skipped_for(path)

    def skipped_for(self, path: str) -> frozenset[str]:
        """The rule codes skipped on ``path``: ``ignore`` and its per-file ignores. With
        ``select``, this decides ``rules_for``."""
        if not self.per_file_ignores:
            return self.ignore
        skipped = set(self.ignore)
        relative = self._relative(path)
        for pattern, codes in self.per_file_ignores:
            if _matches(relative, pattern):
                skipped |= codes
        return frozenset(skipped)


def _matches(relative: str, pattern: str) -> bool:
    """A glob matches the file or one of the folders it is in."""
    pattern = pattern.rstrip("/")
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatchcase(p, pattern) for p in prefixes)


def rule_codes(values: Any, where: str) -> frozenset[str]:
    """Rule codes from a list of codes or names; a clear error for anything else."""
    from shapelint.codes import code_of

    if isinstance(values, str):
        values = [v.strip() for v in values.split(",") if v.strip()]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where} must be a list of rule codes or names")
    codes = set()
    for value in values:
        code = code_of(value)
        if code is None:
            raise ConfigError(f"{where}: unknown rule {value!r} (see `shapelint rule --all`)")
        codes.add(code)
    return frozenset(codes)


def target_keras(value: Any, where: str) -> int:
    if value in (2, 3) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.strip() in ("2", "3"):
        return int(value)
    raise ConfigError(f"{where} must be 2 or 3, not {value!r}")


def find_pyproject(start: str) -> str | None:
    """The nearest pyproject.toml in ``start`` or a folder above it."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_pyproject(path: str) -> Options:
    """The options in a pyproject.toml, read again whenever the file changes."""
    try:
        stat = os.stat(path)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it: {error}") from None
    return _load_pyproject(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_pyproject(path: str, mtime_ns: int, size: int) -> Options:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it: {error}") from None
    table: Any = data.get("tool", {}).get("shapelint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.shapelint] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key in [tool.shapelint]: {', '.join(unknown)}")
    samples = table.get("samples", {})
    if not isinstance(samples, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in samples.values()
    ):
        raise ConfigError(
            f"{path}: [tool.shapelint.samples] must map variable names to whole numbers, "
            "for example X_train = 1735"
        )
    options = Options(samples=dict(samples), source=path)
    if "select" in table:
        options = replace(options, select=rule_codes(table["select"], f"{path}: select"))
    if "ignore" in table:
        options = replace(options, ignore=rule_codes(table["ignore"], f"{path}: ignore"))
    if "exclude" in table:
        exclude = table["exclude"]
        if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
            raise ConfigError(f"{path}: exclude must be a list of glob patterns")
        options = replace(options, exclude=tuple(exclude))
    if "target-keras" in table:
        version = target_keras(table["target-keras"], f"{path}: target-keras")
        options = replace(options, target_keras=version)
    if "fix-strategy" in table:
        strategy = table["fix-strategy"]
        if strategy not in ("trim", "divisor"):
            raise ConfigError(f'{path}: fix-strategy must be "trim" or "divisor", not {strategy!r}')
        options = replace(options, fix_strategy=strategy)
    if "per-file-ignores" in table:
        per_file = table["per-file-ignores"]
        if not isinstance(per_file, dict):
            raise ConfigError(f"{path}: per-file-ignores must map globs to lists of rules")
        options = replace(
            options,
            per_file_ignores=tuple(
                (glob, rule_codes(codes, f"{path}: per-file-ignores[{glob!r}]"))
                for glob, codes in per_file.items()
            ),
        )
    return options


@dataclass(frozen=True)
class Overrides:
    """Command-line settings that win over the configuration file."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] | None = None
    target_keras: int | None = None
    read_data: bool = True
    fix_strategy: str | None = None

    @classmethod
    def of(
        cls,
        select: Collection[str] | None = None,
        ignore: Collection[str] | None = None,
        target_keras: int | None = None,
        read_data: bool = True,
        fix_strategy: str | None = None,
    ) -> Overrides:
        """From the API's and the command line's arguments (any collections of codes)."""
        return cls(
            select=frozenset(select) if select is not None else None,
            ignore=frozenset(ignore) if ignore is not None else None,
            target_keras=target_keras,
            read_data=read_data,
            fix_strategy=fix_strategy,
        )


def _folder(path: str) -> str:
    """The folder whose pyproject.toml (or a parent's) applies to ``path``; ``-`` (stdin)
    and ``""`` are in the working directory."""
    return os.path.dirname(os.path.abspath(path)) if path not in ("", "-") else os.getcwd()


def options_for(path: str, overrides: Overrides | None = None) -> Options:
    """The options for checking the file at ``path``: its nearest pyproject.toml, overridden."""
    pyproject = find_pyproject(_folder(path))
    return _overridden(load_pyproject(pyproject) if pyproject else Options(), overrides)


class OptionsLookup:
    """``options_for`` for the many files of one run: each folder's nearest pyproject.toml
    is looked up, and read, once (a run does not see a pyproject.toml change under it)."""

    def __init__(self, overrides: Overrides | None = None) -> None:
        self.overrides = overrides
        self._pyprojects: dict[str, str | None] = {}
        self._options: dict[str | None, Options] = {}
        self._by_directory: dict[str, Options] = {}

    def _pyproject(self, folder: str) -> str | None:
        """``find_pyproject(folder)``, remembering the answer for each folder walked."""
        walked: list[str] = []
        found: str | None = None
        while folder not in self._pyprojects:
            walked.append(folder)
            candidate = os.path.join(folder, "pyproject.toml")
            if os.path.isfile(candidate):
                found = candidate
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        else:
            found = self._pyprojects[folder]
        for each in walked:
            self._pyprojects[each] = found
        return found

    def __call__(self, path: str) -> Options:
        # The files of a folder share their options: the folder as written is key enough
        # within a run ("" for "-", stdin, which is in the working directory too).
        directory = os.path.dirname(path)
        known = self._by_directory.get(directory)
        if known is not None:
            return known
        pyproject = self._pyproject(_folder(path))
        if pyproject not in self._options:
            # A ConfigError is raised again for each file under a bad pyproject.toml.
            options = load_pyproject(pyproject) if pyproject else Options()
            self._options[pyproject] = _overridden(options, self.overrides)
        self._by_directory[directory] = self._options[pyproject]
        return self._options[pyproject]


def _overridden(options: Options, overrides: Overrides | None) -> Options:
    if overrides is None:
        return options
    if overrides.select is not None:
        options = replace(options, select=overrides.select)
    if overrides.ignore is not None:
        options = replace(options, ignore=overrides.ignore)
    if overrides.target_keras is not None:
        options = replace(options, target_keras=overrides.target_keras)
    if not overrides.read_data:
        options = replace(options, read_data=False)
    if overrides.fix_strategy is not None:
        options = replace(options, fix_strategy=overrides.fix_strategy)
    return options
