"""Merging: drop exact duplicates, keep identical-looking issues apart, order deterministically."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from shieldwall.core.finding import Finding
from shieldwall.core.fingerprint import compute_fingerprint
from shieldwall.core.location import location_line


def sort_key(finding: Finding) -> tuple[str, int, str, str, str]:
    """Path, line, rule id, scanner, fingerprint: the order every report shows."""
    return (
        finding.location.path,
        location_line(finding.location) or 0,
        finding.rule.id,
        finding.scanner,
        finding.fingerprint,
    )


def merge_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Deduplicate and order findings.

    Two findings with the same fingerprint at the same place are one (reported twice, e.g. by two
    analyzers that share a rule). The same fingerprint at different places are different issues
    with identical content (two identical ``eval(x)`` lines in a file): the second and later ones,
    in file order, get an occurrence-qualified fingerprint so that they stay apart in the hub.
    """
    unique: dict[tuple[str, str, int], Finding] = {}
    for finding in sorted(findings, key=sort_key):
        place = (finding.fingerprint, finding.location.path, location_line(finding.location) or 0)
        unique.setdefault(place, finding)
    seen: dict[str, int] = {}
    merged: list[Finding] = []
    for finding in unique.values():
        occurrence = seen.get(finding.fingerprint, 0) + 1
        seen[finding.fingerprint] = occurrence
        if occurrence > 1:
            fingerprint = compute_fingerprint(finding.rule.id, finding.fingerprint, str(occurrence))
            finding = dataclasses.replace(finding, fingerprint=fingerprint)
        merged.append(finding)
    return tuple(merged)
