"""What a command imports, in a fresh interpreter: a check imports the format it prints
and nothing of ``show``, ``verify`` or ``--fix``; a second run over an unchanged tree,
all of it in the cache, imports neither libcst nor the analysis. (Start-up time itself
is measured in bench/startup.py, not here.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, SEED

NOTEBOOK = FIXTURES / "notebooks" / "stateful_forecast.ipynb"

# Runs the command line in this interpreter, then writes the names of the modules loaded.
_PROBE = """
import json, sys
from shapelint.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    json.dump(sorted(sys.modules), handle)
sys.exit(code)
"""

_FORMAT_MODULES = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
}
_SHOW_MODULES = ("show_text", "show_json", "show_markdown")
# Only `shapelint show`, `verify` and `--fix` / `--diff` need these.
_OTHER_COMMANDS = (
    "shapelint.show",
    "shapelint.verify",
    "shapelint.cli_fix",
    "shapelint.fixes.apply",
    "shapelint.fixes.paths",
    "shapelint.fixes.notebook",
)
_ANALYSIS = (
    "libcst",
    "shapelint.lint",
    "shapelint.gate",
    "shapelint.facts",
    "shapelint.extract",
    "shapelint.rules",
    "shapelint.keras_api",
    "shapelint.ipython",
)


def _modules(cwd: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    out = cwd / "modules.json"
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": path},
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    loaded = set(json.loads(out.read_text(encoding="utf-8")))
    out.unlink()
    return loaded, done


def _under(loaded: set[str], package: str) -> set[str]:
    return {name for name in loaded if name == package or name.startswith(package + ".")}


@pytest.mark.parametrize("fmt", sorted(_FORMAT_MODULES))
def test_a_check_imports_its_format_and_no_other_command(tmp_path: Path, fmt: str) -> None:
    shutil.copy(SEED, tmp_path / SEED.name)
    loaded, done = _modules(tmp_path, "check", "--no-cache", "--format", fmt, SEED.name)
    assert done.returncode == 1 and "SL001" in done.stdout
    assert "libcst" in loaded and "shapelint.lint" in loaded
    formats = _under(loaded, "shapelint.report") - {"shapelint.report"}
    assert formats - {"shapelint.report.location"} == {f"shapelint.report.{_FORMAT_MODULES[fmt]}"}
    assert not {f"shapelint.report.{name}" for name in _SHOW_MODULES} & loaded
    assert not set().union(*(_under(loaded, name) for name in _OTHER_COMMANDS))
    assert "shapelint.cache" not in loaded  # --no-cache


def test_a_file_without_keras_needs_no_analysis_and_one_the_gate_skips_no_libcst(
    tmp_path: Path,
) -> None:
    (tmp_path / "plain.py").write_text("import numpy as np\nx = np.zeros((3, 4))\n")
    loaded, done = _modules(tmp_path, "check", "--no-cache", "plain.py")
    assert done.returncode == 0 and "shapelint.lint" in loaded
    assert not set().union(
        *(_under(loaded, name) for name in _ANALYSIS if name != "shapelint.lint")
    )
    # It mentions Keras, but none of the names any rule looks for (shapelint.gate).
    (tmp_path / "version.py").write_text("import keras\n\nprint(keras.__version__)\n")
    loaded, done = _modules(tmp_path, "check", "--no-cache", "version.py")
    assert done.returncode == 0 and "shapelint.gate" in loaded
    assert not _under(loaded, "libcst")


def test_the_codes_are_the_rules() -> None:
    from shapelint.codes import CODES, DEFAULT
    from shapelint.rules import RULES

    assert CODES == tuple((rule.code, rule.name, rule.default) for rule in RULES)
    assert DEFAULT == {rule.code for rule in RULES if rule.default}


@pytest.mark.parametrize("configured", [False, True])
def test_a_cached_run_imports_no_analysis(tmp_path: Path, configured: bool) -> None:
    """Not even with rules chosen by name in pyproject.toml and on the command line."""
    for source in (SEED, NOTEBOOK):
        shutil.copy(source, tmp_path / source.name)
    options: tuple[str, ...] = ()
    if configured:
        (tmp_path / "pyproject.toml").write_text(
            '[tool.shapelint]\nignore = ["stateful-shuffle"]\n'
            '[tool.shapelint.per-file-ignores]\n"*.ipynb" = ["SL008"]\n'
        )
        options = ("--select", "batch-remainder,SL002,sl008,SL009")
    first, done = _modules(tmp_path, "check", *options, ".")
    assert "libcst" in first and "shapelint.cache" in first
    again, cached = _modules(tmp_path, "check", *options, ".")
    assert cached.returncode == done.returncode == 1
    assert cached.stdout == done.stdout and "cell 3" in cached.stdout
    assert "shapelint.cache" in again
    assert not set().union(*(_under(again, name) for name in _ANALYSIS))
    assert not set().union(*(_under(again, name) for name in _OTHER_COMMANDS))


def test_show_imports_its_format_and_not_the_others(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / SEED.name)
    loaded, done = _modules(tmp_path, "show", "--format", "markdown", SEED.name)
    assert done.returncode == 0 and "shapelint.show" in loaded
    formats = _under(loaded, "shapelint.report") - {"shapelint.report"}
    # show_markdown shares show_text's table helpers.
    assert formats == {"shapelint.report.show_markdown", "shapelint.report.show_text"}
