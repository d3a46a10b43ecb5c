"""Bad input: syntax errors, bad encodings, binaries, YAML bombs, huge and deep input."""

from __future__ import annotations

import time

from tests.analyzers.iac.conftest import Run, pairs

GOOD_TF = 'resource "aws_db_instance" "db" {\n  publicly_accessible = true\n}\n'


def test_a_syntax_error_names_file_and_line_and_the_rest_is_analysed(run_iac: Run) -> None:
    findings, errors = run_iac({"good.tf": GOOD_TF, "broken.tf": 'resource "a" "b" {\n  x = \n}\n'})
    assert [(e.path, e.analyzer) for e in errors] == [("broken.tf", "iac")]
    assert "line 2" in errors[0].message and "broken.tf" in errors[0].message
    assert ("SW-IAC-021", 2) in pairs(findings)


def test_invalid_utf8_and_binary_files_are_errors_not_crashes(run_iac: Run) -> None:
    findings, errors = run_iac(
        {
            "latin1.tf": b'resource "a" "b" {\n  name = "caf\xe9"\n}\n',
            "blob.yaml": b"\x00\x01\x02binary",
            "ok.tf": GOOD_TF,
        }
    )
    messages = {e.path: e.message for e in errors}
    assert "not valid UTF-8" in messages["latin1.tf"]
    assert "binary" in messages["blob.yaml"]
    assert ("SW-IAC-021", 2) in pairs(findings)


def test_yaml_syntax_error_has_a_line(run_iac: Run) -> None:
    _, errors = run_iac({"bad.yaml": "apiVersion: v1\nkind: Pod\nspec: [unclosed\n"})
    assert len(errors) == 1 and "YAML syntax error at line" in errors[0].message


def test_yaml_alias_bomb_is_refused_quickly(run_iac: Run) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    findings, errors = run_iac({"bomb.yaml": "\n".join(lines) + "\n"})
    # Refused before conversion: milliseconds; expanding it would take minutes and gigabytes.
    assert time.perf_counter() - started < 10
    assert findings == []
    assert len(errors) == 1 and "alias bomb" in errors[0].message


def test_self_referencing_anchor_is_refused(run_iac: Run) -> None:
    _, errors = run_iac({"cycle.yaml": "a: &x\n  b: *x\n"})
    assert len(errors) == 1 and "refers to itself" in errors[0].message


def test_many_documents_and_a_large_manifest_stay_fast(run_iac: Run) -> None:
    doc = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p%d}\nspec:\n  hostNetwork: true\n"
        "  containers:\n    - name: c\n      image: nginx:1.27\n"
    )
    text = "---\n".join(doc % i for i in range(500))
    started = time.perf_counter()
    findings, errors = run_iac({"many.yaml": text})
    assert not errors
    assert sum(1 for f in findings if f.rule.id == "SW-IAC-320") == 500
    # About 0.5 s when idle; the bound catches quadratic blow-ups, not a busy CI machine.
    assert time.perf_counter() - started < 30


def test_deeply_nested_hcl_is_an_error_for_that_file_only(run_iac: Run) -> None:
    deep = "locals {\n  a = " + "[" * 300 + "]" * 300 + "\n}\n"
    findings, errors = run_iac({"deep.tf": deep, "ok.tf": GOOD_TF})
    assert [e.path for e in errors] == ["deep.tf"]
    assert ("SW-IAC-021", 2) in pairs(findings)


def test_cyclic_locals_are_unknown_not_infinite(run_iac: Run) -> None:
    findings, errors = run_iac(
        {
            "main.tf": (
                "locals {\n  a = local.b\n  b = local.a\n}\n"
                'resource "aws_db_instance" "db" {\n  publicly_accessible = local.a\n}\n'
            )
        }
    )
    assert not errors and not [f for f in findings if f.rule.id == "SW-IAC-021"]


def test_empty_and_comment_only_files(run_iac: Run) -> None:
    findings, errors = run_iac({"empty.tf": "", "c.yaml": "# nothing\n", "Dockerfile": "# empty\n"})
    assert findings == [] and errors == []
