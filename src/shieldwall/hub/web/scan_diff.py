"""What one scan changed: the findings it saw first, the ones it fixed and the ones it brought
back. Read-only; never imports FastAPI.

New findings come from the occurrences (no earlier scan saw them); fixed and regressed ones from
the audit log, whose events name their scan, so the diff stays true after later scans change
the findings again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from shieldwall.hub.db.models import AuditEvent, Finding, Occurrence, Scan

LIMIT = 200
_AUDIT_WINDOW = 20000


@dataclass(frozen=True, slots=True)
class ScanDiff:
    """Findings per change, each list capped at :data:`LIMIT` (the scan row has the totals)."""

    new: list[Finding]
    fixed: list[Finding]
    regressed: list[Finding]


def scan_diff(session: Session, scan: Scan) -> ScanDiff:
    """The scan's new, fixed and regressed findings."""
    earlier = aliased(Occurrence)
    seen_before = (
        select(earlier.finding_id)
        .where(earlier.finding_id == Occurrence.finding_id, earlier.scan_id < scan.id)
        .exists()
    )
    new = list(
        session.scalars(
            select(Finding)
            .join(Occurrence, Occurrence.finding_id == Finding.id)
            .where(Occurrence.scan_id == scan.id, ~seen_before)
            .order_by(Finding.severity_rank.desc(), Finding.id)
            .limit(LIMIT)
        )
    )
    changed: dict[str, list[int]] = {"finding.fixed": [], "finding.reopened": []}
    events = session.execute(
        select(AuditEvent.action, AuditEvent.object_id, AuditEvent.details)
        .where(
            AuditEvent.project_id == scan.project_id,
            AuditEvent.object_type == "finding",
            AuditEvent.action.in_(list(changed)),
            AuditEvent.at >= scan.imported_at,
        )
        .order_by(AuditEvent.id)
        .limit(_AUDIT_WINDOW)
    ).all()
    for action, object_id, details in events:
        if details.get("scan") == scan.id and len(changed[action]) < LIMIT:
            changed[action].append(int(object_id))
    return ScanDiff(
        new=new,
        fixed=_findings(session, changed["finding.fixed"]),
        regressed=_findings(session, changed["finding.reopened"]),
    )


def _findings(session: Session, ids: list[int]) -> list[Finding]:
    if not ids:
        return []
    return list(
        session.scalars(
            select(Finding)
            .where(Finding.id.in_(ids))
            .order_by(Finding.severity_rank.desc(), Finding.id)
        )
    )
