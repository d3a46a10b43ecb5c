"""Lifecycle transitions that follow from scans and time: fixed, reopened, expired acceptances.

Every transition writes an audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, literal, select, update
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record_many
from shieldwall.hub.db.dialect import upsert_insert
from shieldwall.hub.db.models import (
    Branch,
    BranchSource,
    Finding,
    FindingCount,
    FindingSource,
    MetricSnapshot,
    RiskAcceptance,
    Scan,
)
from shieldwall.hub.enums import ACTIVE_STATUSES, FindingStatus
from shieldwall.hub.metrics import counters
from shieldwall.hub.scans.branches import still_present

_CHUNK = 1000


def close_missing(
    session: Session,
    scan: Scan,
    covered: Sequence[str],
    now: datetime,
    actor: str,
    sources: Table,
) -> list[int]:
    """Mark fixed on the scan's branch what its complete scan no longer reports.

    A (finding, scanner) present on this branch, whose scanner this scan covers but which is
    absent from the staged report, stops being present there; a finding no scanner reports on
    the branch any more is fixed on it, and fixed project-wide once no branch reports it.
    False positives and accepted risks are left alone: they are decisions, not detections.
    Returns the findings fixed on the branch.
    """
    in_report = (
        select(literal(1))
        .select_from(sources)
        .join(
            Finding,
            (Finding.project_id == scan.project_id) & (Finding.fingerprint == sources.c.key),
        )
        .where(Finding.id == BranchSource.finding_id, sources.c.scanner == BranchSource.scanner)
        .correlate(BranchSource)
    )
    active = (
        select(literal(1))
        .where(Finding.id == BranchSource.finding_id, Finding.status.in_(ACTIVE_STATUSES))
        .correlate(BranchSource)
    )
    stale = session.execute(
        update(cast(Table, BranchSource.__table__))
        .where(
            BranchSource.branch_id == scan.branch_id,
            BranchSource.present.is_(True),
            BranchSource.scanner.in_(list(covered)),
            active.exists(),
            ~in_report.exists(),
        )
        .values(present=False, fixed_at=now)
        .returning(BranchSource.finding_id, BranchSource.scanner)
    ).all()
    if not stale:
        return []
    candidates = sorted({int(f) for f, _ in stale})
    on_branch = set(candidates) - still_present(session, candidates, scan.branch_id)
    fixed = sorted(on_branch - still_present(session, sorted(on_branch), None))
    _clear_sources(session, [(int(f), str(s)) for f, s in stale])
    counters.adjust(session, fixed, -1)
    for start in range(0, len(fixed), _CHUNK):
        session.execute(
            update(cast(Table, Finding.__table__))
            .where(Finding.id.in_(fixed[start : start + _CHUNK]))
            .values(status=FindingStatus.FIXED.value, fixed_at=now)
        )
    counters.adjust(session, fixed, 1)
    project_fixed = set(fixed)
    record_many(
        session,
        (
            EventSpec(
                actor=actor,
                action="finding.fixed" if fid in project_fixed else "finding.fixed_on_branch",
                object_type="finding",
                object_id=str(fid),
                project_id=scan.project_id,
                details={
                    "scan": scan.id,
                    "branch_id": scan.branch_id,
                    "reason": "absent from a complete scan",
                },
            )
            for fid in sorted(on_branch)
        ),
    )
    return sorted(on_branch)


def forget_branch(session: Session, scan_branch: Branch, now: datetime, actor: str) -> list[int]:
    """Drop a deleted (or merged) branch's state; what no other branch reports becomes fixed.

    The branch and its scans stay as history; a later upload to the same name starts afresh.
    Returns the findings fixed project-wide.
    """
    gone = session.execute(
        delete(cast(Table, BranchSource.__table__))
        .where(BranchSource.branch_id == scan_branch.id)
        .returning(BranchSource.finding_id, BranchSource.scanner, BranchSource.present)
    ).all()
    was_present = sorted({int(f) for f, _, present in gone if present})
    elsewhere = still_present(session, was_present, None)
    fixed = sorted(
        int(f)
        for f in session.scalars(
            select(Finding.id).where(
                Finding.id.in_(sorted(set(was_present) - elsewhere)),
                Finding.status.in_(ACTIVE_STATUSES),
            )
        )
    )
    _clear_sources(session, [(int(f), str(s)) for f, s, present in gone if present])
    counters.adjust(session, fixed, -1)
    for start in range(0, len(fixed), _CHUNK):
        session.execute(
            update(cast(Table, Finding.__table__))
            .where(Finding.id.in_(fixed[start : start + _CHUNK]))
            .values(status=FindingStatus.FIXED.value, fixed_at=now)
        )
    counters.adjust(session, fixed, 1)
    details = {"branch_id": scan_branch.id, "reason": "branch deleted"}
    record_many(
        session,
        [
            EventSpec(
                actor=actor,
                action="branch.deleted",
                object_type="branch",
                object_id=str(scan_branch.id),
                project_id=scan_branch.project_id,
                details={"name": scan_branch.name, "fixed": len(fixed)},
            ),
            *(
                EventSpec(
                    actor=actor,
                    action="finding.fixed",
                    object_type="finding",
                    object_id=str(fid),
                    project_id=scan_branch.project_id,
                    details=details,
                )
                for fid in fixed
            ),
        ],
    )
    return fixed


def _clear_sources(session: Session, pairs: list[tuple[int, str]]) -> None:
    """A scanner's source of a finding is present while some branch still has it from it."""
    ids = sorted({f for f, _ in pairs})
    kept: set[tuple[int, str]] = set()
    for start in range(0, len(ids), _CHUNK):
        kept.update(
            (int(f), str(s))
            for f, s in session.execute(
                select(BranchSource.finding_id, BranchSource.scanner).where(
                    BranchSource.present.is_(True),
                    BranchSource.finding_id.in_(ids[start : start + _CHUNK]),
                )
            )
        )
    gone = [{"fid": f, "sc": s} for f, s in sorted(set(pairs) - kept)]
    if gone:
        table = cast(Table, FindingSource.__table__)
        session.execute(
            update(table)
            .where(table.c.finding_id == bindparam("fid"), table.c.scanner == bindparam("sc"))
            .values(present=False),
            gone,
        )


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
    counters.adjust(session, finding_ids, -1)
    session.execute(
        update(Finding).where(Finding.id.in_(finding_ids)).values(status=FindingStatus.OPEN.value)
    )
    counters.adjust(session, finding_ids, 1)
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
    # The maintained counters hold the answer: no scan of the project's findings.
    counts = dict(
        session.execute(
            select(FindingCount.severity, func.sum(FindingCount.count))
            .where(
                FindingCount.project_id == project_id,
                FindingCount.status.in_(ACTIVE_STATUSES),
            )
            .group_by(FindingCount.severity)
        ).all()
    )
    day = now.date()
    for severity in ("critical", "high", "medium", "low", "info"):
        stmt = upsert_insert(session, MetricSnapshot).values(
            project_id=project_id,
            day=day,
            severity=severity,
            open_count=int(counts.get(severity) or 0),
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["project_id", "day", "severity"],
                set_={"open_count": int(counts.get(severity) or 0)},
            )
        )
