"""Benchmark scripts must not shadow standard-library modules when run as scripts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_no_benchmark_script_is_named_after_a_stdlib_module() -> None:
    """``python benchmarks/X.py`` puts benchmarks/ first on sys.path: X must not hide stdlib X."""
    names = {path.stem for path in BENCHMARKS.glob("*.py")}
    assert names, "no benchmark scripts found"
    assert names.isdisjoint(sys.stdlib_module_names), sorted(names & sys.stdlib_module_names)


def test_stdlib_secrets_is_the_real_one_from_the_benchmarks_folder() -> None:
    """A script run from benchmarks/ gets the standard library's ``secrets``, not a benchmark."""
    code = "import secrets; print(secrets.token_hex(4)); print(secrets.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCHMARKS, capture_output=True, text=True, check=True
    )
    token, origin = done.stdout.split()
    assert len(token) == 8
    assert Path(origin).parent != BENCHMARKS
