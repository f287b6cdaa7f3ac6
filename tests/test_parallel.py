"""Worker processes: forked only where that is safe, and a dead worker loses no file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from shapelint import check_paths
from shapelint.parallel import run_in_processes, start_method
from tests.conftest import FIXTURES

SMALL = (FIXTURES / "rules" / "sl001" / "remainder_of_one.py").read_text()
ROOT = Path(__file__).resolve().parent.parent


def _fresh(code: str) -> str:
    """What a new interpreter prints, run from the repository's root."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_a_single_threaded_process_forks() -> None:
    assert _fresh("from shapelint.parallel import start_method; print(start_method())") == (
        "fork\n"
    )


def test_a_process_with_another_thread_starts_clean_workers() -> None:
    printed = _fresh(
        """
        import threading
        from shapelint.parallel import start_method
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        print(start_method())
        stop.set()
        """
    )
    assert printed == "clean\n"


@pytest.mark.parametrize("runtime", ["tensorflow", "tf_keras", "torch", "jax"])
def test_a_process_with_a_native_runtime_loaded_starts_clean_workers(runtime: str) -> None:
    printed = _fresh(
        f"""
        import sys, types
        sys.modules[{runtime!r}] = types.ModuleType({runtime!r})
        from shapelint.parallel import start_method
        print(start_method())
        """
    )
    assert printed == "clean\n"


def _doubled(job: tuple[int, int]) -> int:
    """Doubles the value; a worker process (not the caller) dies on the value 3."""
    value, caller = job
    if value == 3 and os.getpid() != caller:
        os._exit(1)
    return value * 2


@pytest.mark.parametrize("method", ["fork", "clean"])
def test_every_result_in_order(method: str) -> None:
    work = [(value, 0) for value in range(50) if value != 3]
    assert run_in_processes(_doubled, work, 2, method) == [v * 2 for v, _ in work]


@pytest.mark.parametrize("method", ["fork", "clean"])
def test_a_worker_that_dies_loses_nothing(method: str) -> None:
    caller = os.getpid()
    work = [(value, caller) for value in range(50)]
    assert run_in_processes(_doubled, work, 2, method) == [value * 2 for value in range(50)]


def test_check_paths_beside_another_thread(tmp_path: Path) -> None:
    for i in range(40):
        (tmp_path / f"script_{i:02d}.py").write_text(SMALL)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() == "clean"
        report = check_paths([tmp_path], jobs=2)
    finally:
        stop.set()
        thread.join()
    assert report.errors == []
    assert report.files_checked == 40
    assert [(Path(f.path).name, f.code, f.line) for f in report.findings] == [
        (f"script_{i:02d}.py", code, line)
        for i in range(40)
        for code, line in [("SL001", 11), ("SL001", 12)]
    ]


def test_clean_workers_never_run_the_callers_script(tmp_path: Path) -> None:
    """A script that calls check_paths without an ``if __name__ == "__main__"`` guard
    runs once: multiprocessing's spawn and fork server would run it again in every
    worker."""
    for i in range(20):
        (tmp_path / f"script_{i:02d}.py").write_text(SMALL)
    caller = tmp_path / "caller.py"
    caller.write_text(
        textwrap.dedent(
            f"""
            import threading
            from shapelint import check_paths
            from shapelint.parallel import start_method
            print("the caller ran")
            stop = threading.Event()
            threading.Thread(target=stop.wait).start()
            report = check_paths([{str(tmp_path)!r}], jobs=2)
            print(start_method(), report.files_checked, len(report.findings))
            stop.set()
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(caller)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout == "the caller ran\nclean 21 40\n", done.stderr
