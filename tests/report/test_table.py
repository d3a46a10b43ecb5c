"""The terminal table: grouped by severity, summary line, colours only on request."""

from __future__ import annotations

import dataclasses
import re

from shieldwall.core import Finding, ScanResult, SourceLocation
from shieldwall.report import TableReporter
from shieldwall.report.table import MAX_ROWS
from tests.golden import Golden
from tests.report.sample import SQLI, render

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_golden(result: ScanResult, golden: Golden) -> None:
    golden.check("report/result.table.txt", render(TableReporter(), result))


def test_golden_clean(clean: ScanResult, golden: Golden) -> None:
    golden.check("report/clean.table.txt", render(TableReporter(), clean))


def test_grouped_by_severity_highest_first(result: ScanResult) -> None:
    text = render(TableReporter(), result)
    headings = re.findall(
        r"^(CRITICAL|HIGH|MEDIUM|LOW|INFO|SUPPRESSED|ERRORS) \((\d+)\)$", text, re.M
    )
    assert headings == [
        ("CRITICAL", "2"),
        ("HIGH", "2"),
        ("LOW", "1"),
        ("SUPPRESSED", "4"),
        ("ERRORS", "2"),
    ]


def test_summary_line_counts_every_severity_and_suppressed(result: ScanResult) -> None:
    text = render(TableReporter(), result)
    assert (
        "Summary: 5 active — 2 critical, 2 high, 0 medium, 1 low, 0 info · 4 suppressed · 2 errors"
        in text
    )


def test_trace_and_fix_are_shown(result: ScanResult) -> None:
    text = render(TableReporter(), result)
    assert "1. app/views.py:40 source: request.args" in text
    assert "3. app/views.py:42 sink: execute" in text
    assert "fix: Upgrade jinja2: upgrade to 2.10.1 or 3.1.3" in text


def test_no_colour_unless_asked(result: ScanResult) -> None:
    plain = render(TableReporter(), result)
    coloured = render(TableReporter(), result, color=True)
    assert "\x1b[" not in plain
    assert ANSI.search(coloured)
    # same words either way
    assert "SW-DAST-001" in ANSI.sub("", coloured)


def test_markup_and_escape_sequences_in_findings_are_inert(result: ScanResult) -> None:
    hostile = Finding.create(
        rule=SQLI,
        message="[bold red]not markup[/] :smile: \x1b[2J cleared?",
        location=SourceLocation("[link=http://x]a.py", 1),
    )
    text = render(TableReporter(), dataclasses.replace(result, findings=(hostile,)), color=True)
    plain = ANSI.sub("", text)
    assert "[bold red]not markup[/] :smile:" in plain
    assert "[link=http://x]a.py:1" in plain
    assert "\x1b[2J" not in text
    assert "\ufffd[2J cleared?" in plain


def test_no_trailing_blanks(result: ScanResult) -> None:
    assert all(line == line.rstrip() for line in render(TableReporter(), result).splitlines())


def test_long_groups_are_cut_with_a_note(result: ScanResult) -> None:
    many = tuple(
        Finding.create(rule=SQLI, message=f"finding {n}", location=SourceLocation("a.py", n))
        for n in range(1, MAX_ROWS + 6)
    )
    text = render(TableReporter(), dataclasses.replace(result, findings=many))
    assert f"a.py:{MAX_ROWS} " in text
    assert f"a.py:{MAX_ROWS + 1} " not in text
    assert "… and 5 more high findings not shown; --format json, sarif or html lists all." in text
    assert f"Summary: {MAX_ROWS + 5} active" in text
