"""Every format written by a real ``shieldwall scan`` run, checked against its schema or parser."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import defusedxml.ElementTree as SafeET
import jsonschema
import pytest

from shieldwall.report import parse_report

# A real CLI process: importing every analyzer alone takes ~2 CPU-seconds.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
SECRET = "AKIAZ7QWERTYUIOPASDF"  # shieldwall: ignore[SW-SEC-010] fake key for the leak test
FORMATS = {
    "json": "r.json",
    "sarif": "r.sarif",
    "junit": "r.xml",
    "markdown": "r.md",
    "html": "r.html",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    src = tmp_path_factory.mktemp("src")
    (src / "settings.py").write_text(
        f'AWS_ACCESS_KEY_ID = "{SECRET}"\n'
        'password = "hunter2hunter2"  # shieldwall: ignore[SW-SEC-002] test fixture\n',
        encoding="utf-8",
    )
    (src / "notes.txt").write_bytes(b"caf\xe9 \xff\xfe not utf-8\n")
    out = tmp_path_factory.mktemp("out")
    args = [sys.executable, "-m", "shieldwall", "scan", str(src), "--scanners", "secrets"]
    for fmt, name in FORMATS.items():
        args += ["--format", fmt, "-o", str(out / name)]
    args += ["--format", "table", "--no-progress", "--jobs", "1"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    # The AWS key is high, so the gate fails (1); a crash would also exit 1, hence the file check.
    assert done.returncode == 1, done.stderr
    missing = [name for name in FORMATS.values() if not (out / name).exists()]
    assert not missing, f"reports not written: {missing}\n{done.stderr}"
    written = {fmt: (out / name).read_text(encoding="utf-8") for fmt, name in FORMATS.items()}
    written["table"] = done.stdout
    return written


def test_no_secret_in_any_report(reports: dict[str, str]) -> None:
    for fmt, text in reports.items():
        assert SECRET not in text, fmt


def test_json_report_is_valid_and_readable(reports: dict[str, str]) -> None:
    schema = json.loads((ROOT / "docs" / "json-schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(reports["json"]))
    result = parse_report(reports["json"])
    assert result.tool_version
    assert any(f.rule.id == "SW-SEC-010" and not f.suppressed for f in result.findings)


def test_sarif_report_is_valid(reports: dict[str, str]) -> None:
    schema = json.loads(
        (ROOT / "tests" / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(
            encoding="utf-8"
        )
    )
    log = json.loads(reports["sarif"])
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(log)] == []
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")


def test_junit_report_parses(reports: dict[str, str]) -> None:
    root = SafeET.fromstring(reports["junit"].encode("utf-8"))
    assert root.tag == "testsuites"
    assert int(root.get("failures", "0")) >= 1


def test_human_formats_show_the_finding(reports: dict[str, str]) -> None:
    for fmt in ("table", "markdown", "html"):
        assert "SW-SEC-010" in reports[fmt], fmt
