"""Threats as core Findings, so every report writer (SARIF, JSON, HTML, ...) carries them.

Each finding points at the model line of its element. A threat that is mitigated, accepted or a
false positive becomes a suppressed finding (kept and shown, not counted by the gate); an evidenced
threat is raised to high likelihood, because a scanner has shown it is real.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from shieldwall import __version__
from shieldwall.core.finding import Finding, Suppression, SuppressionKind
from shieldwall.core.frozen import FrozenDict
from shieldwall.core.location import SourceLocation
from shieldwall.core.result import ScanResult
from shieldwall.core.severity import Confidence
from shieldwall.threatmodel.claims import CLAIM_RULE_IDS
from shieldwall.threatmodel.engine import Analysis, Threat
from shieldwall.threatmodel.rules import SCANNER, risk_severity
from shieldwall.threatmodel.vocabulary import Level, ThreatStatus

CLAIM_IDS = frozenset(CLAIM_RULE_IDS.values())


def threat_to_finding(threat: Threat, model_path: str) -> Finding:
    """The finding that stands for ``threat`` in reports."""
    rule = threat.rule
    likelihood = Level.HIGH if threat.evidenced else rule.likelihood
    element = threat.element
    message = f"{rule.rule.title}: {element.type.value} '{element.name}'"
    if threat.evidenced and rule.id in CLAIM_IDS:
        # A contradicted claim names both places: the model line (the location) and the IaC.
        message += " contradicted by " + "; ".join(
            f"{f.message} ({f.where})" for f in threat.evidence[:5]
        )
    elif threat.evidenced:
        message += f" (evidenced by {len(threat.evidence)} finding(s))"
    finding = Finding.create(
        rule=rule.rule,
        message=message,
        location=SourceLocation(path=model_path, start_line=element.line, snippet=element.id),
        severity=risk_severity(likelihood, rule.impact),
        confidence=Confidence.HIGH if threat.evidenced else Confidence.MEDIUM,
        identity=threat.id,
        properties={
            "threat_id": threat.id,
            "element": element.id,
            "element_type": element.type.value,
            "stride": rule.stride.value,
            "likelihood": likelihood.value,
            "impact": rule.impact.value,
            "capec": [f"CAPEC-{c}" for c in rule.capec],
            "status": threat.status.value,
            "status_note": threat.status_note,
            "blocking": threat.blocking,
            "evidence": [
                {"rule": f.rule_id, "location": f.where, "message": f.message, "cwe": sorted(f.cwe)}
                for f in threat.evidence
            ],
        },
    )
    suppression = _suppression(threat)
    return dataclasses.replace(finding, suppression=suppression) if suppression else finding


def _suppression(threat: Threat) -> Suppression | None:
    if threat.blocking or threat.status is ThreatStatus.OPEN:
        return None
    # Statuses kept in the model (or implied by its controls) are the model's own, "inline";
    # a sidecar risk file plays the part of an ignore list.
    kind = SuppressionKind.IGNORE if threat.status_source == "sidecar" else SuppressionKind.INLINE
    expires = threat.risk.expires.isoformat() if threat.risk and threat.risk.expires else None
    return Suppression(kind=kind, reason=threat.status_note or threat.status.value, expires=expires)


def analysis_to_result(analysis: Analysis, *, started_at: str = "") -> ScanResult:
    """A ScanResult of the threats, for the report writers and the gate."""
    path = analysis.model.path
    findings = tuple(
        sorted(
            (threat_to_finding(t, path) for t in analysis.threats),
            key=lambda f: (f.location.path, _line(f), f.rule.id),
        )
    )
    return ScanResult(
        target=path,
        findings=findings,
        rules=FrozenDict({t.rule.rule.id: t.rule.rule for t in analysis.threats}),
        analyzers=(SCANNER,),
        warnings=analysis.warnings,
        started_at=started_at,
        tool_version=__version__,
    )


def _line(finding: Finding) -> int:
    location = finding.location
    return location.start_line if isinstance(location, SourceLocation) else 0


def blocking_threats(threats: Sequence[Threat]) -> tuple[Threat, ...]:
    """Threats the gate counts: open, or mitigated but contradicted by evidence."""
    return tuple(t for t in threats if t.blocking)
