"""JUnit XML: one test case per rule that ran, failures for active findings, parseable."""

from __future__ import annotations

import dataclasses
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from shieldwall.core import Finding, ScanResult, SourceLocation
from shieldwall.report import JunitReporter
from shieldwall.report.junit import xml_text
from tests.golden import Golden
from tests.report.sample import SECRET, SQLI, render


def _parse(result: ScanResult) -> Element:
    return SafeET.fromstring(render(JunitReporter(), result).encode("utf-8"))


def _cases(root: Element) -> dict[str, Element]:
    return {case.get("name", ""): case for case in root.iter("testcase")}


def test_golden(result: ScanResult, golden: Golden) -> None:
    golden.check("report/result.junit.xml", render(JunitReporter(), result))


def test_one_case_per_rule_that_ran(result: ScanResult) -> None:
    root = _parse(result)
    rule_cases = [c for c in root.iter("testcase") if c.get("classname") != "shieldwall.files"]
    assert sorted(c.get("name", "").split()[0] for c in rule_cases) == sorted(result.rules)
    suites = [s.get("name") for s in root.iter("testsuite")]
    assert suites == [
        "shieldwall.dast",
        "shieldwall.deps",
        "shieldwall.iac",
        "shieldwall.image",
        "shieldwall.sast",
        "shieldwall.secrets",
        "shieldwall.files",
    ]


def test_failures_are_active_findings_only(result: ScanResult) -> None:
    cases = _cases(_parse(result))
    failed = sorted(name.split()[0] for name, c in cases.items() if c.find("failure") is not None)
    assert failed == sorted({f.rule.id for f in result.active})
    deps = cases["SW-DEP-001 Package with a known vulnerability"]
    failure = deps.find("failure")
    assert failure is not None
    assert failure.get("type") == "critical"
    assert failure.get("message") == "1 finding: Package with a known vulnerability"
    assert "fixed in 2.10.1, 3.1.3" in (failure.text or "")
    # its suppressed (VEX) finding is reported, not counted
    out = deps.find("system-out")
    assert out is not None
    assert "suppressed (vex: vulnerable_code_not_present)" in (out.text or "")
    only_suppressed = cases["SW-PY-002 Unsafe YAML load"]
    assert only_suppressed.find("failure") is None
    assert cases["SW-PY-003 Use of assert for access control"].find("*") is None


def test_errors_and_skipped_files(result: ScanResult) -> None:
    root = _parse(result)
    cases = _cases(root)
    error = cases["app/broken.py"].find("error")
    assert error is not None
    assert error.get("type") == "sast"
    skipped = cases["data/dump.sql"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "too-large: 12.0 MB > 5.0 MB"
    assert root.attrib == {
        "name": "shieldwall",
        "tests": "12",
        "failures": "5",
        "errors": "2",
        "skipped": "2",
        "time": "1.234",
    }


def test_clean_scan_has_only_passing_cases(clean: ScanResult) -> None:
    root = _parse(clean)
    assert root.get("failures") == "0"
    assert root.get("tests") == "1"
    assert [s.get("name") for s in root.iter("testsuite")] == ["shieldwall.sast"]


def test_control_characters_and_markup_stay_well_formed(result: ScanResult) -> None:
    nasty = Finding.create(
        rule=SQLI,
        message="bell\x07 nul\x00 esc\x1b[31m ]]> <tag attr='x'> & \udc80",
        location=SourceLocation("a.py", 1),
    )
    root = _parse(dataclasses.replace(result, findings=(nasty,)))
    failure = next(root.iter("failure"))
    assert failure.text == (
        "a.py:1 [high] bell\ufffd nul\ufffd esc\ufffd[31m ]]> <tag attr='x'> & \ufffd"
    )


def test_xml_text_keeps_ordinary_unicode() -> None:
    assert xml_text("naïve ☃ 😀\ttab\nline") == "naïve ☃ 😀\ttab\nline"


def test_secret_is_never_in_the_xml(result: ScanResult) -> None:
    assert SECRET not in render(JunitReporter(), result)
