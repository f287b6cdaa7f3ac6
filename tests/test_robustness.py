"""Bad and strange input: every case gets a clear message, and the other files still count."""

from __future__ import annotations

import ast
import os
import shutil
import sys
import sysconfig
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapelint import check_paths, check_source, fix_source
from shapelint import lint as pipeline
from shapelint.findings import FileError, Finding
from shapelint.lint import Unanalysable, lint_text
from shapelint.rules import RULES
from tests.conftest import FIXTURES, SEED

SMALL = (FIXTURES / "rules" / "sl001" / "remainder_of_one.py").read_text()


def test_a_10_mb_file_is_skipped_with_a_message(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text("import keras\n" + "x = 1  # padding to make the file large\n" * 260_000)
    shutil.copy(SEED, tmp_path / "seed.py")
    report = check_paths([tmp_path])
    assert report.errors == [
        FileError(
            str(big), "the file is 10.4 MB; shapelint analyses files up to 2 MB, so it was skipped"
        )
    ]
    assert {Path(f.path).name for f in report.findings} == {"seed.py"}


def test_nesting_python_refuses_is_a_syntax_error() -> None:
    source = "import keras\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    (finding,) = check_source(source, "deep.py")
    assert (finding.code, finding.line) == ("SL000", 2)
    assert finding.message == "the file does not parse: too many nested parentheses"
    chain = "import keras\nx = " + "1 + " * 20_000 + "1\n"
    if sys.version_info >= (3, 11):
        (finding,) = check_source(chain, "chain.py")
        assert finding.message.endswith("Python cannot compile it: its expressions nest too deeply")
    else:
        # Python 3.10's parser takes the chain; its tree is too deep for shapelint to follow.
        with pytest.raises(Unanalysable, match="20003 levels deep"):
            check_source(chain, "chain.py")


def test_nesting_python_accepts_but_shapelint_does_not_follow(tmp_path: Path) -> None:
    deep = tmp_path / "deep.py"
    deep.write_text("import keras\nx = " + "1 + " * 2_000 + "1\n")
    shutil.copy(SEED, tmp_path / "seed.py")
    report = check_paths([tmp_path])
    assert report.errors == [
        FileError(
            str(deep),
            "its syntax tree is 2003 levels deep; shapelint analyses up to 400, so it was skipped",
        )
    ]
    assert {Path(f.path).name for f in report.findings} == {"seed.py"}


def test_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    (tmp_path / "loop").symlink_to(tmp_path)  # a folder that contains itself
    shutil.copy(SEED, tmp_path / "seed.py")
    report = check_paths([tmp_path])
    assert sorted((Path(e.path).name, e.message) for e in report.errors) == [
        ("a.py", "cannot read file: Too many levels of symbolic links"),
        ("b.py", "cannot read file: Too many levels of symbolic links"),
    ]
    assert {Path(f.path).name for f in report.findings} == {"seed.py"}
    explicit = check_paths([tmp_path / "a.py"])
    assert explicit.errors == [FileError(str(tmp_path / "a.py"), "broken symbolic link")]


def test_a_thousand_files_with_one_broken(tmp_path: Path) -> None:
    for i in range(1000):
        (tmp_path / f"script_{i:04d}.py").write_text(SMALL)
    (tmp_path / "script_0500.py").write_bytes(b"import keras\n\xff\xfe\x00broken")
    report = check_paths([tmp_path], jobs=2)
    assert [Path(e.path).name for e in report.errors] == ["script_0500.py"]
    assert report.files_checked == 999
    assert len({f.path for f in report.findings}) == 999
    assert len(report.findings) == 999 * 2


def _stdlib() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


EVERY_RULE = frozenset(rule.code for rule in RULES)


def _every_rule(text: str, path: str, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """The findings of every rule, the default-off ones included, on a file analysed even
    when it does not mention Keras (``check`` skips such files before parsing them)."""
    monkeypatch.setattr(pipeline, "mentions_keras", lambda text: True)
    return lint_text(text, path, select=EVERY_RULE)


def test_the_sweep_analyses_files_without_keras_and_runs_every_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert lint_text("x = (\n", "broken.py") == []
    (broken,) = _every_rule("x = (\n", "broken.py", monkeypatch)
    assert broken.code == "SL000"
    unguarded = FIXTURES / "rules" / "sl009" / "loaded_at_run_time.py"
    assert "SL009" in {f.code for f in _every_rule(unguarded.read_text(), "x.py", monkeypatch)}


@pytest.mark.slow
def test_stdlib_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every 4th standard-library file, analysed by the extractor and every rule although
    none of them builds a Keras model: nothing crashes and nothing is found."""
    files = sorted(p for p in _stdlib().rglob("*.py") if "site-packages" not in p.parts)[::4]
    analysed = 0
    failures = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            compile(text, str(path), "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        except (UnicodeDecodeError, OSError, SyntaxError, ValueError):
            continue  # test data of the stdlib's own: unreadable or deliberately broken
        try:
            findings = _every_rule(text, str(path), monkeypatch)
        except Unanalysable:
            continue
        except Exception as error:  # noqa: BLE001 - collect every crash, then report
            failures.append(f"{path}: {type(error).__name__}: {error}")
            continue
        analysed += 1
        failures += [f"{f.path}:{f.line}: {f.code} {f.message}" for f in findings]
    assert analysed > 300
    assert failures == []


FIXTURE_TEXTS = [p.read_text() for p in sorted(FIXTURES.rglob("*.py"))]


def _check_twice(source: str) -> None:
    first = check_source(source, "fuzz.py")
    assert check_source(source, "fuzz.py") == first


def _fix_twice(source: str) -> None:
    """Fixing never raises or breaks the syntax (fix_source raises FixError if it would),
    and fixing the result again changes nothing."""
    fixed = fix_source(source, "fuzz.py", unsafe=True)
    assert fix_source(fixed.text, "fuzz.py", unsafe=True).text == fixed.text


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    source=st.sampled_from(FIXTURE_TEXTS),
    cut=st.integers(min_value=0, max_value=4000),
    line=st.integers(min_value=0, max_value=60),
    action=st.sampled_from(["truncate", "drop", "duplicate", "digits", "insert"]),
    token=st.sampled_from(["(", ")", "stateful=True", "batch_size=", "0", "-1", ":", "[", "**"]),
)
def test_mutated_fixtures_never_crash(
    source: str, cut: int, line: int, action: str, token: str
) -> None:
    lines = source.splitlines()
    index = line % max(len(lines), 1)
    if action == "truncate":
        mutated = source[: cut % (len(source) + 1)]
    elif action == "drop":
        mutated = "\n".join(lines[:index] + lines[index + 1 :])
    elif action == "duplicate":
        mutated = "\n".join(lines[: index + 1] + lines[index:])
    elif action == "digits":
        mutated = source.replace("30", str(cut)).replace("7", str(line))
    else:
        position = cut % (len(source) + 1)
        mutated = source[:position] + token + source[position:]
    _check_twice(mutated)
    _fix_twice(mutated)


@settings(
    max_examples=int(os.environ.get("SHAPELINT_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(program=hypothesmith.from_grammar())
def test_generated_programs_never_crash(program: str) -> None:
    _check_twice("import keras\n" + program)
