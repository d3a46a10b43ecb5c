"""The findings of one scan as they arrive: one per (rule, method, endpoint, parameter)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shieldwall.core.finding import Finding
from shieldwall.core.location import UrlLocation


@dataclass(slots=True)
class FindingSet:
    """Findings deduplicated on (rule, method, endpoint, parameter), in arrival order."""

    _by_key: dict[tuple[str, str, str, str], Finding] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        """Keep the first finding for its key."""
        location = finding.location
        assert isinstance(location, UrlLocation)  # noqa: S101 - DAST findings are URL findings
        key = (finding.rule.id, location.method, location.url, location.parameter or "")
        self._by_key.setdefault(key, finding)

    def extend(self, findings: list[Finding]) -> None:
        """Add several findings."""
        for finding in findings:
            self.add(finding)

    def all(self) -> tuple[Finding, ...]:
        """Every finding, sorted by URL, rule and parameter for stable reports."""
        return tuple(
            sorted(
                self._by_key.values(),
                key=lambda f: (f.location.path, f.rule.id, str(f.properties.get("where", ""))),
            )
        )
