"""A short Markdown report for a pull-request comment: counts, the top findings, what failed.

Everything that came from a scanned file or a scanner is escaped: in a PR comment, a message
with ``|`` would break the table, ``<img src=...>`` would render, ``[x](url)`` would become a link.
"""

from __future__ import annotations

import re
from typing import IO, Any, ClassVar

from shieldwall.core.finding import Finding
from shieldwall.core.result import ScanResult
from shieldwall.report.summary import (
    by_severity,
    error_text,
    location_label,
    no_controls,
    scrub,
    summarise,
)

# How many findings a comment lists; the rest are counted and left to the full report.
TOP_FINDINGS = 10
MAX_CELL = 200
# A comment must stay short (GitHub caps comments at 65,536 characters): list only so many errors.
MAX_LISTED = 20

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can format
# text in the middle of a table cell (``#``, ``-`` or ``1.`` only matter at the start of a line,
# and ``(``/``!`` only next to an unescaped ``[``). ``@`` so a message cannot mention people;
# ``#`` because a list item that starts with it becomes a heading.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~@#])")


def md_escape(text: str) -> str:
    """``text`` safe inside a Markdown table cell: one line, no markup, no HTML."""
    flat = " ".join(no_controls(text).split())
    if len(flat) > MAX_CELL:
        flat = flat[: MAX_CELL - 1] + "…"
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _finding_row(finding: Finding) -> str:
    cells = (
        finding.severity.value,
        f"{md_escape(finding.rule.id)} {md_escape(finding.rule.title)}",
        md_escape(location_label(finding.location)),
        md_escape(finding.message),
    )
    return "| " + " | ".join(cells) + " |"


def _summary_table(result: ScanResult) -> list[str]:
    summary = summarise(result)
    lines = ["| Severity | Findings |", "|---|---:|"]
    lines += [f"| {sev.value.capitalize()} | {n} |" for sev, n in summary.by_severity.items()]
    lines.append(f"| **Total** | **{summary.active}** |")
    return lines


def _details(title: str, items: list[str]) -> list[str]:
    if len(items) > MAX_LISTED:
        items = [*items[:MAX_LISTED], f"- …and {len(items) - MAX_LISTED} more"]
    return ["<details>", f"<summary>{title}</summary>", "", *items, "", "</details>", ""]


def markdown_lines(result: ScanResult) -> list[str]:
    """The comment, line by line."""
    summary = summarise(result)
    verdict = "no active findings" if not summary.active else f"{summary.active} active findings"
    lines = [f"## shieldwall: {verdict}", "", f"Target: {md_escape(result.target)}", ""]
    lines += [*_summary_table(result), ""]
    notes = [f"{summary.suppressed} suppressed"]
    if summary.errors:
        notes.append(f"{summary.errors} files could not be analysed")
    if summary.skipped:
        notes.append(f"{summary.skipped} skipped")
    lines += [" · ".join(notes), ""]
    active = by_severity(result.active)
    if active:
        lines += [
            "### Top findings",
            "",
            "| Severity | Rule | Location | Finding |",
            "|---|---|---|---|",
        ]
        lines += [_finding_row(f) for f in active[:TOP_FINDINGS]]
        lines.append("")
        if len(active) > TOP_FINDINGS:
            lines += [f"…and {len(active) - TOP_FINDINGS} more in the full report.", ""]
    if result.errors:
        items = [f"- {md_escape(error_text(e))}" for e in result.errors]
        lines += _details(f"{len(result.errors)} files could not be analysed", items)
    if result.warnings:
        lines += _details("Warnings", [f"- {md_escape(w)}" for w in result.warnings])
    lines.append(f"<sub>shieldwall {md_escape(result.tool_version)}</sub>")
    return lines


class MarkdownReporter:
    """A short summary for a pull-request comment."""

    format: ClassVar[str] = "markdown"
    binary: ClassVar[bool] = False
    description: ClassVar[str] = "a short summary with the top findings, for a PR comment"

    def write(self, result: ScanResult, stream: IO[Any], *, color: bool = False) -> None:
        """Write the Markdown."""
        del color
        stream.write(scrub("\n".join(markdown_lines(result))) + "\n")
