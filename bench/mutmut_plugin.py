"""A pytest plugin for mutation runs only: ``[tool.mutmut] pytest_add_cli_args`` loads it.

mutmut runs the tests in its copy of the project, ``mutants/``, with the active mutant
in ``MUTANT_UNDER_TEST``. Two things get in the way of tests that run the command line
in a subprocess:

- While mutmut collects its stats (which test calls which function) the variable is
  ``stats``. The subprocess inherits it, and the mutated code there asks mutmut for its
  configuration, which mutmut looks for in the subprocess's working directory: a
  temporary folder without a ``pyproject.toml``, so it raises and the test fails. This
  plugin hides the variable from subprocesses during that run; mutmut keeps its own copy
  in the test process, so the stats are unchanged (calls made in a subprocess are never
  counted anyway). While a mutant is tested the variable is left alone, so the mutant
  runs in subprocesses too and the command-line tests can kill it.
- ``shapelint check`` caches findings in ``.shapelint_cache/`` keyed on the file and
  shapelint's version, not its code, so a command run in ``mutants/`` would be answered
  from the findings of the unmutated code. The plugin deletes that cache before every
  mutmut test session.
"""

from __future__ import annotations

import os
import shutil

import pytest

_VARIABLE = "MUTANT_UNDER_TEST"
_hidden: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if _VARIABLE not in os.environ:
        return
    if config.rootpath.name == "mutants":
        shutil.rmtree(config.rootpath / ".shapelint_cache", ignore_errors=True)
    if os.environ[_VARIABLE] == "stats":
        _hidden.append(os.environ.pop(_VARIABLE))


def pytest_unconfigure(config: pytest.Config) -> None:
    while _hidden:
        os.environ[_VARIABLE] = _hidden.pop()
