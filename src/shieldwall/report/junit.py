"""JUnit XML: one test case per rule that ran, so CI systems show security checks as tests.

A rule's test case fails with its active findings listed; suppressed findings are written to its
``system-out`` and do not fail it. Files that could not be analysed are test cases with an
``error``; skipped files are ``skipped`` test cases, so nothing disappears from the CI view.
The layout follows the de-facto schema read by Jenkins, GitLab and GitHub test reporters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import IO, Any, ClassVar

# Only builds and serialises XML; nothing is parsed here, so XXE and entity bombs cannot apply.
from xml.etree import ElementTree as ET

from shieldwall.core.finding import Finding
from shieldwall.core.result import ScanResult
from shieldwall.core.rule import Rule
from shieldwall.report.summary import location_label, rules_that_ran

# XML 1.0 forbids most control characters even when escaped; a scanned file may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with characters that XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _finding_line(finding: Finding) -> str:
    line = f"{location_label(finding.location)} [{finding.severity.value}] {finding.message}"
    if finding.fix is not None and finding.fix.fixed_versions:
        line += f" (fixed in {', '.join(finding.fix.fixed_versions)})"
    return line


def _suppressed_line(finding: Finding) -> str:
    supp = finding.suppression
    how = "" if supp is None else f" ({supp.kind.value}{': ' + supp.reason if supp.reason else ''})"
    return f"suppressed{how}: {location_label(finding.location)} {finding.message}"


def _testcase(suite: ET.Element, rule: Rule, findings: list[Finding]) -> tuple[int, int]:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": f"shieldwall.{rule.scanner}",
            "name": xml_text(f"{rule.id} {rule.title}"),
            "time": "0",
        },
    )
    active = [f for f in findings if not f.suppressed]
    suppressed = [f for f in findings if f.suppressed]
    if active:
        worst = max(active, key=lambda f: f.severity.rank).severity
        count = f"{len(active)} finding{'s' if len(active) != 1 else ''}"
        failure = ET.SubElement(
            case, "failure", {"message": xml_text(f"{count}: {rule.title}"), "type": worst.value}
        )
        failure.text = xml_text("\n".join(_finding_line(f) for f in active))
    if suppressed:
        out = ET.SubElement(case, "system-out")
        out.text = xml_text("\n".join(_suppressed_line(f) for f in suppressed))
    return 1, 1 if active else 0


def _suite(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, "testsuite", {"name": name})


def _set_counts(element: ET.Element, tests: int, failures: int, errors: int, skipped: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("skipped", str(skipped))


def junit_tree(result: ScanResult) -> ET.Element:
    """The ``<testsuites>`` element of a scan."""
    root = ET.Element("testsuites", {"name": "shieldwall"})
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_rule[finding.rule.id].append(finding)
    by_scanner: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules_that_ran(result):
        by_scanner[rule.scanner].append(rule)
    totals = [0, 0, 0, 0]
    for scanner in sorted(by_scanner):
        suite = _suite(root, f"shieldwall.{scanner}")
        tests = failures = 0
        for rule in by_scanner[scanner]:
            ran, failed = _testcase(suite, rule, by_rule.get(rule.id, []))
            tests, failures = tests + ran, failures + failed
        _set_counts(suite, tests, failures, 0, 0)
        totals[0], totals[1] = totals[0] + tests, totals[1] + failures
    if result.errors or result.skipped:
        suite = _suite(root, "shieldwall.files")
        for error in result.errors:
            case = ET.SubElement(
                suite,
                "testcase",
                {"classname": "shieldwall.files", "name": xml_text(error.path), "time": "0"},
            )
            ET.SubElement(
                case,
                "error",
                {"message": xml_text(error.message), "type": error.analyzer or "scan"},
            )
        for skipped in result.skipped:
            case = ET.SubElement(
                suite,
                "testcase",
                {"classname": "shieldwall.files", "name": xml_text(skipped.path), "time": "0"},
            )
            reason = skipped.reason.value + (f": {skipped.detail}" if skipped.detail else "")
            ET.SubElement(case, "skipped", {"message": xml_text(reason)})
        count = len(result.errors) + len(result.skipped)
        _set_counts(suite, count, 0, len(result.errors), len(result.skipped))
        totals = [totals[0] + count, totals[1], len(result.errors), len(result.skipped)]
    _set_counts(root, *totals)
    root.set("time", f"{result.stats.duration_seconds:.3f}")
    return root


class JunitReporter:
    """JUnit XML with one test case per rule that ran."""

    format: ClassVar[str] = "junit"
    binary: ClassVar[bool] = False
    description: ClassVar[str] = "JUnit XML for CI test views: one test case per rule"

    def write(self, result: ScanResult, stream: IO[Any], *, color: bool = False) -> None:
        """Write the XML document (UTF-8 declared; the caller opens the stream as UTF-8)."""
        del color
        root = junit_tree(result)
        ET.indent(root)
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        stream.write(ET.tostring(root, encoding="unicode"))
        stream.write("\n")
