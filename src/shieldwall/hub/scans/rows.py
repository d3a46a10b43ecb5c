"""A core Finding turned into the hub's row, with the key the hub deduplicates on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from shieldwall.core.finding import Finding, SuppressionKind
from shieldwall.core.location import PackageLocation, location_line
from shieldwall.hub.enums import FindingStatus
from shieldwall.report.json import jsonable, location_to_dict


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One imported finding: its key, source and suppression; its columns built on demand.

    A re-import mostly reports findings the hub already holds, whose columns it does not write:
    :func:`row_values` is called only for the findings that are new to the project.
    """

    key: str
    finding: Finding
    severity: str
    scanner: str
    rule_id: str
    native_fingerprint: str
    suppressed_status: FindingStatus | None
    suppression_reason: str


def dedupe_key(finding: Finding) -> str:
    """One key per issue per project.

    A package vulnerability is keyed by ecosystem, package and canonical advisory id, so the same
    CVE in the same package from two scanners is one finding; everything else by its fingerprint.
    """
    vuln_id = finding.properties.get("vuln_id")
    if isinstance(finding.location, PackageLocation) and isinstance(vuln_id, str) and vuln_id:
        location = finding.location
        text = f"vuln|{location.ecosystem}|{location.name.lower()}|{vuln_id}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]
    return str(finding.fingerprint)


def _suppressed_status(finding: Finding) -> FindingStatus | None:
    if finding.suppression is None:
        return None
    # A VEX "not affected" is a statement that the finding does not apply: a false positive.
    # Other suppressions (inline, baseline, ignore list) are decisions to live with it.
    if finding.suppression.kind is SuppressionKind.VEX:
        return FindingStatus.FALSE_POSITIVE
    return FindingStatus.ACCEPTED


def to_row(finding: Finding) -> FindingRow:
    """The row for a finding (secrets were redacted when the finding was created)."""
    return FindingRow(
        key=dedupe_key(finding),
        finding=finding,
        severity=finding.severity.value,
        scanner=finding.scanner,
        rule_id=finding.rule.id,
        native_fingerprint=str(finding.fingerprint),
        suppressed_status=_suppressed_status(finding),
        suppression_reason=finding.suppression.reason if finding.suppression else "",
    )


def row_values(finding: Finding) -> dict[str, Any]:
    """The finding's column values."""
    location = finding.location
    props = jsonable(finding.properties)
    cvss = props.get("cvss_score")
    aliases = props.get("aliases")
    fix = None
    if finding.fix is not None:
        fix = {
            "fixed_versions": list(finding.fix.fixed_versions),
            "replacement": finding.fix.replacement,
            "description": finding.fix.description,
        }
    return {
        "rule_id": finding.rule.id,
        "title": finding.rule.title,
        "scanner": finding.scanner,
        "severity": finding.severity.value,
        "severity_rank": finding.severity.rank,
        "confidence": finding.confidence.value,
        "message": finding.message,
        "cwe": finding.rule.cwe[0] if finding.rule.cwe else None,
        "cvss": float(cvss) if isinstance(cvss, int | float) else None,
        "vuln_id": props.get("vuln_id") if isinstance(props.get("vuln_id"), str) else None,
        "aliases": [str(a) for a in aliases] if isinstance(aliases, list) else [],
        "location_kind": location.kind,
        "path": location.path,
        "line": location_line(location),
        "package": location.name if isinstance(location, PackageLocation) else None,
        "package_version": location.version if isinstance(location, PackageLocation) else None,
        "location": location_to_dict(location),
        "fix": fix,
        "properties": {
            **props,
            "description": finding.rule.description,
            "remediation": finding.rule.remediation,
            "references": list(finding.rule.references),
        },
    }
