"""Modules of any Python version parse; what cannot be parsed is reported, never skipped."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shieldwall.analyzers.sast import SastConfig
from shieldwall.analyzers.sast.parsing import parse_module
from shieldwall.core.errors import AnalysisError
from tests.analyzers.sast.helpers import hits, scan

PY312 = """\
import os
from flask import request

type Pair[T] = tuple[T, T]


def first[T](items: list[T]) -> T:
    return items[0]


class Box[T]:
    def get(self) -> str:
        return f"{self.__class__.__name__!r:>{10}}"


def handler():
    name = request.args["name"]
    label = f"{request.args["x"]}"
    os.system(f"echo {name}")
    return label
"""


def test_pep701_type_statements_and_type_params_parse_on_311() -> None:
    with pytest.raises(SyntaxError):
        ast.parse(PY312)  # the running interpreter alone cannot read it
    parsed = parse_module(PY312, "new.py")
    assert parsed.downgraded
    names = [type(node).__name__ for node in parsed.tree.body]
    assert names == ["Import", "ImportFrom", "Assign", "FunctionDef", "ClassDef", "FunctionDef"]
    handler = parsed.tree.body[-1]
    assert isinstance(handler, ast.FunctionDef)
    label = handler.body[1]
    assert isinstance(label, ast.Assign) and isinstance(label.value, ast.JoinedStr)
    assert handler.body[2].lineno == 19  # lines are preserved by the rewrite


def test_findings_in_newer_syntax_point_at_the_right_line(tmp_path: Path) -> None:
    findings, errors = scan(tmp_path, {"new.py": PY312})
    assert not errors
    assert ("SW-PY-002", "new.py", 19) in hits(findings)


def test_multiline_fstring_keeps_following_lines() -> None:
    source = 'x = (f"{a["k"]}"\n     "tail" f"""multi\nline {b}""")\ny = 1\n'
    parsed = parse_module(source, "m.py")
    assert parsed.tree.body[1].lineno == 4


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def broken(:\n    pass\n", "syntax error"),
        ("x = 1\x00\n", "NUL"),
        ("x = " + "(" * 300 + ")" * 300 + "\n", "line 1"),
    ],
)
def test_unparseable_modules_raise_clear_errors(source: str, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        parse_module(source, "bad.py")


def test_line_limit() -> None:
    with pytest.raises(AnalysisError, match="over the limit"):
        parse_module("x = 1\n" * 20, "big.py", max_lines=10)


def test_bad_files_are_scan_errors_and_the_rest_goes_on(tmp_path: Path) -> None:
    sources: dict[str, str | bytes] = {
        "broken.py": "def f(:\n",
        "binary.py": b"\xff\xfe\x00garbage",
        "latin.py": b"# -*- coding: latin-1 -*-\nname = '\xe9'\n"
        b"import os\nos.system(name + input())\n",
        "ok.py": "import os\nimport sys\nos.system(sys.argv[1])\n",
    }
    findings, errors = scan(tmp_path, sources)
    assert {e.path for e in errors} == {"broken.py", "binary.py"}
    assert all(e.analyzer == "sast" and e.message for e in errors)
    assert ("SW-PY-002", "ok.py", 3) in hits(findings)
    assert ("SW-PY-002", "latin.py", 4) in hits(findings)


@pytest.mark.parametrize(
    ("terms", "error"),
    [
        (500, None),
        (2500, "deep.f: too deeply nested to analyse"),
        (20000, "too deeply nested to parse"),
    ],
)
def test_deeply_nested_expressions_are_bounded(
    tmp_path: Path, terms: int, error: str | None
) -> None:
    chain = " + ".join(["x"] * terms)
    findings, errors = scan(
        tmp_path,
        {"deep.py": f"import os\ndef f(x):\n    os.system({chain})\n", "ok.py": "eval(input())\n"},
    )
    assert ("SW-PY-003", "ok.py", 1) in hits(findings)  # the rest of the scan goes on
    if error is None:
        assert not errors
        assert ("SW-PY-046", "deep.py", 3) in hits(findings)
    else:
        assert errors and all(e.path == "deep.py" for e in errors)
        assert error in errors[0].message


def test_huge_generated_module_is_analysed(tmp_path: Path) -> None:
    body = "\n".join(f"def f{i}(a):\n    return f{i - 1}(a) if {i} else a" for i in range(1, 3000))
    source = "import os\n\ndef f0(a):\n    return a\n" + body + "\n\nos.system(f2999(input()))\n"
    findings, errors = scan(tmp_path, {"gen.py": source})
    assert not errors
    assert any(f.rule.id == "SW-PY-002" for f in findings)


def test_project_over_the_taint_budget_falls_back_to_pattern_rules(tmp_path: Path) -> None:
    source = "import os, sys, hashlib\nos.system(sys.argv[1])\nhashlib.md5(b'x')\n"
    findings, errors = scan(tmp_path, {"m.py": source}, SastConfig(max_taint_bytes=10))
    assert [e.message for e in errors if "max_taint_bytes" in e.message]
    assert {r for r, _, _ in hits(findings)} == {"SW-PY-020", "SW-PY-046"}
