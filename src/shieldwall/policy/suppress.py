"""Suppression in order: inline comment, then baseline, then the ignore list.

Suppressed findings are kept and marked; nothing is dropped here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from shieldwall.core.config.schema import IgnoreEntry
from shieldwall.core.finding import Finding, Suppression, SuppressionKind
from shieldwall.core.location import SourceLocation
from shieldwall.policy.baseline import Baseline
from shieldwall.policy.ignorelist import IgnoreMatcher
from shieldwall.policy.inline import SourceLines, directive_for, parse_directive


@dataclass(frozen=True, slots=True)
class SuppressionOutcome:
    """The marked findings and any warnings (expired ignore entries)."""

    findings: tuple[Finding, ...]
    warnings: tuple[str, ...]


def suppress(
    findings: Sequence[Finding],
    *,
    root: Path,
    baseline: Baseline | None,
    ignore: Sequence[IgnoreEntry],
    today: date,
    inline: bool = True,
) -> SuppressionOutcome:
    """Mark each finding with the first suppression that applies to it."""
    lines = SourceLines(root)
    matcher = IgnoreMatcher.build(ignore, today)
    marked = []
    for finding in findings:
        suppression = finding.suppression or _find(finding, lines, baseline, matcher, inline)
        marked.append(
            dataclasses.replace(finding, suppression=suppression)
            if suppression is not finding.suppression
            else finding
        )
    return SuppressionOutcome(tuple(marked), tuple(matcher.warnings()))


def _find(
    finding: Finding,
    lines: SourceLines,
    baseline: Baseline | None,
    matcher: IgnoreMatcher,
    inline: bool,
) -> Suppression | None:
    location = finding.location
    if inline and isinstance(location, SourceLocation):
        # A finding from git history or the index is about content that may differ from the
        # work tree: its own snippet (the line as committed) is what the directive must be on.
        directive = (
            parse_directive(location.snippet)
            if finding.properties.get("commit") or finding.properties.get("staged")
            else directive_for(lines, location.path, location.start_line)
        )
        if directive is not None and directive.covers(finding.rule.id, finding.rule.aliases):
            return Suppression(SuppressionKind.INLINE, directive.reason)
    if baseline is not None and baseline.covers(finding):
        return Suppression(SuppressionKind.BASELINE, f"in baseline {baseline.path}")
    entry = matcher.match(finding)
    if entry is not None:
        expires = entry.expires.isoformat() if entry.expires else None
        return Suppression(SuppressionKind.IGNORE, entry.reason, expires)
    return None
