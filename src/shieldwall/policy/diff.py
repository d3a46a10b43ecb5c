"""Diff-aware filtering: keep only the findings introduced since a git ref.

A finding is new when its file changed and:

* for a source region: the region (or a step of its trace) touches an added or modified line, and
  the same fingerprint was not already reported for that file at the ref (a reformatted line is
  not a new issue);
* for anything else (a package, a resource): its fingerprint was not reported at the ref, which
  is how a newly added or upgraded-to-a-vulnerable-version package is told from an old one.

Files added since the ref (or untracked) are new as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shieldwall.core.finding import Finding
from shieldwall.core.location import SourceLocation


@dataclass(frozen=True, slots=True)
class DiffScope:
    """What changed, with paths relative to the scan root, and what was there before."""

    changed_lines: Mapping[str, frozenset[int]]
    new_files: frozenset[str]
    old_fingerprints: frozenset[str]

    def is_new(self, finding: Finding) -> bool:
        """Whether the finding was introduced by the change."""
        path = finding.location.path
        if path in self.new_files:
            return True
        if path not in self.changed_lines:
            return False
        if finding.fingerprint in self.old_fingerprints:
            return False
        location = finding.location
        if isinstance(location, SourceLocation):
            return self._touches(location) or any(self._touches(s.location) for s in finding.trace)
        return True

    def _touches(self, location: SourceLocation) -> bool:
        lines = self.changed_lines.get(location.path, frozenset())
        return any(n in lines for n in range(location.start_line, location.last_line + 1))


def filter_to_diff(
    findings: Iterable[Finding], scope: DiffScope
) -> tuple[tuple[Finding, ...], int]:
    """The new findings, and how many older ones were left out."""
    kept = []
    dropped = 0
    for finding in findings:
        if scope.is_new(finding):
            kept.append(finding)
        else:
            dropped += 1
    return tuple(kept), dropped
