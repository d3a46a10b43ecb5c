"""Threats and hub findings, both ways: the findings evidencing a threat, the threats of a finding.

The same rule as ``shieldwall threatmodel check --findings``: a finding belongs to a component
when it is located in the component's code, IaC resources or images, and it evidences a threat of
that component when they share a specific CWE id. Computed when read, so findings imported after
the model was uploaded count too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import Finding, ThreatModelRecord, ThreatModelVersion, ThreatRecord
from shieldwall.hub.enums import ACTIVE_STATUSES
from shieldwall.threatmodel.engine import PILLARS
from shieldwall.threatmodel.evidence import ScannerFinding, belongs_to
from shieldwall.threatmodel.model import ThreatModel
from shieldwall.threatmodel.vocabulary import ElementType

# A threat page lists evidence, not every finding of a big project: the most severe come first.
MAX_LINKED_FINDINGS = 5000


def scanner_finding(finding: Finding) -> ScannerFinding:
    """A hub finding in the form linking needs."""
    location = finding.location or {}
    properties = finding.properties or {}
    image = location.get("image") if finding.location_kind == "image" else ""
    resource = properties.get("resource") or properties.get("address") or ""
    return ScannerFinding(
        rule_id=finding.rule_id,
        title=finding.title,
        severity=finding.severity,
        message=finding.message,
        path=finding.path.removeprefix("./"),
        line=finding.line,
        cwe=frozenset({finding.cwe.upper()}) if finding.cwe else frozenset(),
        fingerprint=finding.fingerprint,
        image=str(image or ""),
        resource=str(resource),
    )


def _specific(cwe: Iterable[str]) -> set[str]:
    return {c.upper() for c in cwe} - PILLARS


def findings_for_threats(
    session: Session, project_id: int, model: ThreatModel, threats: Sequence[ThreatRecord]
) -> dict[str, list[Finding]]:
    """The active hub findings that evidence each component threat (threat id to findings)."""
    components = {c.id: c for c in model.components}
    targets = [
        t
        for t in threats
        if t.element_type == ElementType.COMPONENT.value and t.element in components
    ]
    wanted = set().union(*(_specific(t.cwe) for t in targets)) if targets else set()
    if not wanted:
        return {}
    rows = session.scalars(
        select(Finding)
        .where(
            Finding.project_id == project_id,
            Finding.status.in_(ACTIVE_STATUSES),
            Finding.cwe.in_(sorted(wanted)),
        )
        .order_by(Finding.severity_rank.desc(), Finding.id)
        .limit(MAX_LINKED_FINDINGS)
    ).all()
    converted = [(row, scanner_finding(row)) for row in rows]
    linked: dict[str, list[Finding]] = {}
    for threat in targets:
        component = components[threat.element]
        cwe = _specific(threat.cwe)
        hits = [row for row, sf in converted if sf.cwe & cwe and belongs_to(sf, component)]
        if hits:
            linked[threat.threat_id] = hits
    return linked


def threats_for_finding(
    session: Session, finding: Finding, parse: Callable[[str, str], ThreatModel]
) -> list[tuple[ThreatModelRecord, ThreatModelVersion, ThreatRecord]]:
    """The threats, in the newest version of each model of the finding's project, it evidences."""
    if not finding.cwe or finding.cwe.upper() in PILLARS:
        return []
    linked = scanner_finding(finding)
    out: list[tuple[ThreatModelRecord, ThreatModelVersion, ThreatRecord]] = []
    pairs = session.execute(
        select(ThreatModelRecord, ThreatModelVersion)
        .join(ThreatModelVersion, ThreatModelVersion.model_id == ThreatModelRecord.id)
        .where(
            ThreatModelRecord.project_id == finding.project_id,
            ThreatModelVersion.number == ThreatModelRecord.latest_version,
        )
        .order_by(ThreatModelRecord.name)
    ).all()
    for model_row, version in pairs:
        model = parse(version.source, version.path)
        owners = [c.id for c in model.components if belongs_to(linked, c)]
        if not owners:
            continue
        threats = session.scalars(
            select(ThreatRecord)
            .where(
                ThreatRecord.version_id == version.id,
                ThreatRecord.element_type == ElementType.COMPONENT.value,
                ThreatRecord.element.in_(owners),
            )
            .order_by(ThreatRecord.severity_rank.desc(), ThreatRecord.threat_id)
        ).all()
        out.extend((model_row, version, t) for t in threats if linked.cwe & _specific(t.cwe))
    return out
