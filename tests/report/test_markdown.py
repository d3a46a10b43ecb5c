"""The Markdown PR comment: short, a summary table, the top findings, everything escaped."""

from __future__ import annotations

import dataclasses

from shieldwall.core import Finding, ScanError, ScanResult, Severity, SourceLocation
from shieldwall.report import MarkdownReporter
from shieldwall.report.markdown import TOP_FINDINGS, md_escape
from tests.golden import Golden
from tests.report.sample import SQLI, render


def test_golden(result: ScanResult, golden: Golden) -> None:
    golden.check("report/result.md", render(MarkdownReporter(), result))


def test_golden_clean(clean: ScanResult, golden: Golden) -> None:
    golden.check("report/clean.md", render(MarkdownReporter(), clean))


def test_summary_table(result: ScanResult) -> None:
    text = render(MarkdownReporter(), result)
    assert "| Critical | 2 |" in text
    assert "| Medium | 0 |" in text
    assert "| **Total** | **5** |" in text
    assert "4 suppressed" in text


def test_top_findings_are_the_most_severe_and_capped(result: ScanResult) -> None:
    many = tuple(
        Finding.create(
            rule=SQLI,
            message=f"finding {n}",
            location=SourceLocation("a.py", n),
            severity=Severity.CRITICAL if n == 14 else Severity.LOW,
        )
        for n in range(1, 15)
    )
    text = render(MarkdownReporter(), dataclasses.replace(result, findings=many))
    rows = [line for line in text.splitlines() if line.startswith(("| critical", "| low"))]
    assert len(rows) == TOP_FINDINGS
    assert rows[0].startswith("| critical") and "finding 14" in rows[0]
    assert f"…and {14 - TOP_FINDINGS} more in the full report." in text


def test_cells_cannot_break_the_table_or_inject_markup() -> None:
    hostile = "a | b\nnew line <img src=x onerror=alert(1)> [link](javascript:x) **bold** @team"
    cell = md_escape(hostile)
    assert "\n" not in cell
    assert "<img" not in cell
    assert "&lt;img" in cell
    assert "\\|" in cell and " | " not in cell
    assert "\\[link\\]" in cell
    assert "\\*\\*bold\\*\\*" in cell
    assert "\\@team" in cell


def test_long_cells_are_cut() -> None:
    assert len(md_escape("x" * 1000)) <= 200


def test_error_list_is_capped(result: ScanResult) -> None:
    errors = tuple(ScanError(f"f{n}.py", "unreadable", "sast") for n in range(50))
    text = render(MarkdownReporter(), dataclasses.replace(result, errors=errors))
    assert "<summary>50 files could not be analysed</summary>" in text
    assert "- f19.py: unreadable" in text
    assert "f20.py" not in text
    assert "- …and 30 more" in text
