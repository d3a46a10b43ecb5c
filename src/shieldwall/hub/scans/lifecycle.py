"""Lifecycle transitions that follow from scans and time: fixed, reopened, expired acceptances.

Every transition writes an audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record_many
from shieldwall.hub.db.dialect import upsert_insert
from shieldwall.hub.db.models import (
    Finding,
    FindingSource,
    MetricSnapshot,
    Occurrence,
    RiskAcceptance,
    Scan,
)
from shieldwall.hub.enums import ACTIVE_STATUSES, FindingStatus

_CHUNK = 1000


def close_missing(
    session: Session, scan: Scan, covered: Sequence[str], now: datetime, actor: str
) -> list[int]:
    """Mark fixed what a complete scan of a branch no longer reports.

    A source (finding × scanner) seen on this branch before, whose scanner this scan covers but
    which is absent from it, stops being present; a finding with no present source is fixed.
    False positives and accepted risks are left alone: they are decisions, not detections.
    """
    seen_on_branch = (
        select(Occurrence.finding_id)
        .join(Scan, Scan.id == Occurrence.scan_id)
        .where(Scan.branch_id == scan.branch_id, Scan.id != scan.id)
    )
    in_this_scan = select(Occurrence.finding_id).where(Occurrence.scan_id == scan.id)
    stale = session.execute(
        select(FindingSource.id, FindingSource.finding_id)
        .join(Finding, Finding.id == FindingSource.finding_id)
        .where(
            Finding.project_id == scan.project_id,
            Finding.status.in_(ACTIVE_STATUSES),
            FindingSource.present.is_(True),
            FindingSource.scanner.in_(list(covered)),
            FindingSource.finding_id.in_(seen_on_branch),
            FindingSource.finding_id.not_in(in_this_scan),
        )
    ).all()
    if not stale:
        return []
    source_ids = [s for s, _ in stale]
    candidates = sorted({f for _, f in stale})
    for start in range(0, len(source_ids), _CHUNK):
        session.execute(
            update(FindingSource)
            .where(FindingSource.id.in_(source_ids[start : start + _CHUNK]))
            .values(present=False)
        )
    fixed: list[int] = []
    for start in range(0, len(candidates), _CHUNK):
        chunk = candidates[start : start + _CHUNK]
        still_reported = exists().where(
            FindingSource.finding_id == Finding.id, FindingSource.present.is_(True)
        )
        fixed.extend(
            session.scalars(select(Finding.id).where(Finding.id.in_(chunk), ~still_reported))
        )
    for start in range(0, len(fixed), _CHUNK):
        session.execute(
            update(Finding)
            .where(Finding.id.in_(fixed[start : start + _CHUNK]))
            .values(status=FindingStatus.FIXED.value, fixed_at=now)
        )
    record_many(
        session,
        (
            EventSpec(
                actor=actor,
                action="finding.fixed",
                object_type="finding",
                object_id=str(fid),
                project_id=scan.project_id,
                details={"scan": scan.id, "reason": "absent from a complete scan"},
            )
            for fid in fixed
        ),
    )
    return fixed


def expire_acceptances(session: Session, now: datetime, actor: str = "system") -> list[int]:
    """Reopen findings whose risk acceptance has expired; idempotent."""
    expired = session.execute(
        select(RiskAcceptance.id, Finding.id, Finding.project_id)
        .join(Finding, Finding.id == RiskAcceptance.finding_id)
        .where(
            RiskAcceptance.revoked_at.is_(None),
            RiskAcceptance.expires_at.is_not(None),
            RiskAcceptance.expires_at <= now,
            Finding.status == FindingStatus.ACCEPTED.value,
        )
    ).all()
    if not expired:
        return []
    session.execute(
        update(RiskAcceptance)
        .where(RiskAcceptance.id.in_([a for a, _, _ in expired]))
        .values(revoked_at=now)
    )
    finding_ids = [f for _, f, _ in expired]
    session.execute(
        update(Finding).where(Finding.id.in_(finding_ids)).values(status=FindingStatus.OPEN.value)
    )
    record_many(
        session,
        (
            EventSpec(
                actor=actor,
                action="finding.acceptance_expired",
                object_type="finding",
                object_id=str(fid),
                project_id=pid,
                details={"acceptance": aid, "status": FindingStatus.OPEN.value},
            )
            for aid, fid, pid in expired
        ),
    )
    return finding_ids


def snapshot_open_counts(session: Session, project_id: int, now: datetime) -> None:
    """Record today's open findings per severity for the project (the trend chart's data)."""
    counts = dict(
        session.execute(
            select(Finding.severity, func.count())
            .where(Finding.project_id == project_id, Finding.status.in_(ACTIVE_STATUSES))
            .group_by(Finding.severity)
        ).all()
    )
    day = now.date()
    for severity in ("critical", "high", "medium", "low", "info"):
        stmt = upsert_insert(session, MetricSnapshot).values(
            project_id=project_id, day=day, severity=severity, open_count=counts.get(severity, 0)
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["project_id", "day", "severity"],
                set_={"open_count": counts.get(severity, 0)},
            )
        )
