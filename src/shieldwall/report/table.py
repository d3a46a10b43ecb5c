"""The terminal table: findings by severity, then suppressed ones, errors and a summary line.

Every piece of scanned text goes in as a Rich ``Text`` object, never as markup, so a message that
contains ``[bold]`` or an escape sequence prints as written. Colours only when ``color=True``.
"""

from __future__ import annotations

import io
import shutil
from collections import Counter
from typing import IO, Any, ClassVar

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from shieldwall.core.finding import Finding
from shieldwall.core.result import ScanResult
from shieldwall.core.severity import Severity
from shieldwall.report.summary import SEVERITIES_DESC, error_text, location_label, summarise

# Wide enough for a path, a rule id and a readable message when the output is a file or a pipe.
FILE_WIDTH = 120
# Rich lays out about a thousand table rows a second; past this many rows per group the table
# says how many more there are and points to the complete formats, so that a scan with 20,000
# findings does not spend half a minute printing what nobody scrolls through.
MAX_ROWS = 200

SEVERITY_STYLE: dict[Severity, str] = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def _clean(text: str) -> Text:
    # Control characters (ANSI escapes from a scanned file) must not reach the terminal.
    printable = "".join(ch if ch.isprintable() or ch in "\n\t" else "\ufffd" for ch in text)
    return Text(printable)


def _details(finding: Finding) -> Text:
    text = _clean(finding.message)
    fix = finding.fix
    if fix is not None:
        advice = fix.description
        if fix.fixed_versions:
            advice = f"{advice}: " if advice else ""
            advice += "upgrade to " + " or ".join(fix.fixed_versions)
        if fix.replacement is not None:
            advice = f"{advice}: " if advice else ""
            advice += fix.replacement
        text.append("\nfix: ", style="green")
        text.append_text(_clean(advice))
    for n, step in enumerate(finding.trace, start=1):
        text.append(f"\n  {n}. ", style="dim")
        text.append_text(_clean(f"{step.location.path}:{step.location.start_line} {step.message}"))
    return text


def _severity_table(findings: list[Finding]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Location", overflow="fold", ratio=2)
    table.add_column("Finding", overflow="fold", ratio=4)
    for finding in findings:
        rule = Text(finding.rule.id, style="bold")
        rule.append(f"\n{finding.scanner}", style="dim")
        table.add_row(rule, _clean(location_label(finding.location)), _details(finding))
    return table


def _suppressed_table(findings: tuple[Finding, ...]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Location", overflow="fold", ratio=2)
    table.add_column("Suppressed by", overflow="fold", ratio=4)
    for finding in findings:
        supp = finding.suppression
        how = "" if supp is None else supp.kind.value + (f": {supp.reason}" if supp.reason else "")
        how += f" (until {supp.expires})" if supp is not None and supp.expires else ""
        table.add_row(finding.rule.id, _clean(location_label(finding.location)), _clean(how))
    return table


def _more(count: int, what: str) -> list[Text]:
    if count <= MAX_ROWS:
        return []
    note = (
        f"… and {count - MAX_ROWS} more {what} not shown; --format json, sarif or html lists all."
    )
    return [Text(note, style="dim")]


def _sections(result: ScanResult) -> list[Any]:
    parts: list[Any] = []
    active = result.active
    for severity in SEVERITIES_DESC:
        group = [f for f in active if f.severity is severity]
        if group:
            title = Text(f"{severity.value.upper()} ({len(group)})", SEVERITY_STYLE[severity])
            parts += [title, _severity_table(group[:MAX_ROWS])]
            parts += [*_more(len(group), f"{severity.value} findings"), Text("")]
    if not active:
        parts += [Text("No active findings.", style="green"), Text("")]
    if result.suppressed:
        parts += [Text(f"SUPPRESSED ({len(result.suppressed)})", style="dim")]
        parts += [_suppressed_table(result.suppressed[:MAX_ROWS])]
        parts += [*_more(len(result.suppressed), "suppressed findings"), Text("")]
    if result.errors:
        parts.append(Text(f"ERRORS ({len(result.errors)})", style="bold magenta"))
        for error in result.errors[:MAX_ROWS]:
            who = f" [{error.analyzer}]" if error.analyzer else ""
            parts.append(_clean(f"  {error_text(error)}{who}"))
        parts += [*_more(len(result.errors), "errors"), Text("")]
    if result.skipped:
        reasons = Counter(s.reason.value for s in result.skipped)
        listed = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
        parts.append(Text(f"Skipped {len(result.skipped)} files ({listed})", style="dim"))
    parts.extend(Text("warning: ", style="yellow") + _clean(w) for w in result.warnings)
    return parts


def _summary_line(result: ScanResult) -> Text:
    summary = summarise(result)
    line = Text()
    line.append("Summary: ", style="bold")
    line.append(f"{summary.active} active — ")
    for n, (severity, count) in enumerate(summary.by_severity.items()):
        if n:
            line.append(", ")
        line.append(f"{count} {severity.value}", style=SEVERITY_STYLE[severity] if count else "")
    line.append(f" · {summary.suppressed} suppressed · {summary.errors} errors")
    stats = result.stats
    line.append(
        f"\n{stats.files_scanned} files scanned in {stats.duration_seconds:.2f}s", style="dim"
    )
    return line


class TableReporter:
    """A human-readable table for the terminal, grouped by severity."""

    format: ClassVar[str] = "table"
    binary: ClassVar[bool] = False
    description: ClassVar[str] = "a table for people, grouped by severity (the default on a TTY)"

    def write(self, result: ScanResult, stream: IO[Any], *, color: bool = False) -> None:
        """Write the table; ANSI colours only when ``color`` is set."""
        is_tty = bool(getattr(stream, "isatty", lambda: False)())
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            width=shutil.get_terminal_size().columns if is_tty else FILE_WIDTH,
            color_system="standard" if color else None,
            force_terminal=color,
            no_color=not color,
            markup=False,
            highlight=False,
            emoji=False,
        )
        header = Text(f"shieldwall {result.tool_version} · {result.target}", style="bold")
        console.print(Group(header, Text(""), *_sections(result), _summary_line(result)))
        # Rich pads every cell to the column width; trailing blanks only bloat files and diffs.
        stream.writelines(line.rstrip(" ") + "\n" for line in buffer.getvalue().splitlines())
