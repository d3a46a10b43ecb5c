"""The summary comment on a pull or merge request: new, fixed, still open, suppressed.

The comment carries its own memory: a hidden marker lists every finding it has shown open on this
request, so an update can say what is new and what was fixed (and keeps saying so on a re-run)
without any server-side state. The marker is
base64 JSON inside an HTML comment (``--`` would end the comment early).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass

from shieldwall.ci.report import ReportFinding

__all__ = ["MARKER", "CommentDiff", "Remembered", "diff_findings", "remembered", "render_comment"]

MARKER = "<!-- shieldwall:summary -->"
_STATE = re.compile(r"<!-- shieldwall:state ([A-Za-z0-9+/=]*) -->")
_MAX_ROWS = 50  # forges cap comment size (GitHub 65,536 characters)
_SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


@dataclass(frozen=True, slots=True)
class Remembered:
    """An open finding as a previous comment recorded it."""

    fingerprint: str
    rule: str
    where: str
    severity: str


@dataclass(frozen=True, slots=True)
class CommentDiff:
    """What changed since the previous comment."""

    new: tuple[ReportFinding, ...]
    still_open: tuple[ReportFinding, ...]
    fixed: tuple[Remembered, ...]
    suppressed: tuple[ReportFinding, ...]


def remembered(body: str) -> tuple[Remembered, ...]:
    """The open findings recorded in a previous comment's body (none if it has no valid state)."""
    match = _STATE.search(body)
    if not match:
        return ()
    try:
        items = json.loads(base64.b64decode(match.group(1), validate=True))
        return tuple(Remembered(i["f"], i["r"], i["w"], i["s"]) for i in items)
    except (binascii.Error, ValueError, KeyError, TypeError):
        return ()  # a hand-edited or truncated comment: start afresh rather than fail the job


def diff_findings(findings: list[ReportFinding], previous: tuple[Remembered, ...]) -> CommentDiff:
    """Split findings into new / still open / suppressed, and find what was fixed."""
    active = [f for f in findings if not f.suppressed]
    seen_before = {r.fingerprint for r in previous}
    now = {f.fingerprint for f in active}
    return CommentDiff(
        new=tuple(f for f in active if f.fingerprint not in seen_before),
        still_open=tuple(f for f in active if f.fingerprint in seen_before),
        fixed=tuple(r for r in previous if r.fingerprint not in now),
        suppressed=tuple(f for f in findings if f.suppressed),
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")[:200]


def _rows(findings: tuple[ReportFinding, ...], *, reason: bool = False) -> list[str]:
    ordered = sorted(findings, key=lambda f: (_SEVERITY_ORDER.get(f.severity, 9), f.where))
    head = "| severity | rule | where | " + ("reason |" if reason else "message |")
    rows = [head, "|---|---|---|---|"]
    for f in ordered[:_MAX_ROWS]:
        last = (f.suppression.reason if f.suppression else "") if reason else f.message
        rows.append(f"| {f.severity} | `{f.rule.id}` | `{_cell(f.where)}` | {_cell(last or '-')} |")
    if len(ordered) > _MAX_ROWS:
        rows.append(f"\n…and {len(ordered) - _MAX_ROWS} more; see the full report.")
    return rows


def _state(diff: CommentDiff) -> str:
    # Everything ever shown open on this request: a fixed finding stays "fixed" on re-runs.
    items = [
        {"f": f.fingerprint, "r": f.rule.id, "w": f.where, "s": f.severity}
        for f in (*diff.new, *diff.still_open)
    ]
    items += [{"f": r.fingerprint, "r": r.rule, "w": r.where, "s": r.severity} for r in diff.fixed]
    encoded = base64.b64encode(json.dumps(items, separators=(",", ":")).encode()).decode()
    return f"<!-- shieldwall:state {encoded} -->"


def render_comment(diff: CommentDiff) -> str:
    """The comment body in GitHub/GitLab Markdown, with the marker and state for next time."""
    open_count = len(diff.new) + len(diff.still_open)
    verdict = "no open findings" if open_count == 0 else f"{open_count} open finding(s)"
    lines = [
        MARKER,
        "## shieldwall security scan",
        "",
        f"**{verdict}** · {len(diff.new)} new · {len(diff.fixed)} fixed · "
        f"{len(diff.still_open)} still open · {len(diff.suppressed)} suppressed",
        "",
    ]
    if diff.new:
        lines += ["### New", "", *_rows(diff.new), ""]
    if diff.fixed:
        lines += ["### Fixed", ""]
        lines += [f"- `{r.rule}` at `{_cell(r.where)}`" for r in diff.fixed[:_MAX_ROWS]]
        lines.append("")
    if diff.still_open:
        lines += ["### Still open", "", *_rows(diff.still_open), ""]
    if diff.suppressed:
        lines += [
            "<details><summary>Suppressed (with reasons)</summary>",
            "",
            *_rows(diff.suppressed, reason=True),
            "",
            "</details>",
            "",
        ]
    lines.append(_state(diff))
    return "\n".join(lines) + "\n"
