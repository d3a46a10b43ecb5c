"""Per-branch state: which findings each branch reports, and what is new or back on it.

A finding is reported on a branch by one or more scanners (``BranchSource`` rows). It is new
on a branch the first time the branch reports it, fixed on the branch when a complete scan of
the branch no longer reports it from any scanner, and a regression on the branch when it comes
back after that. The project-wide status follows: fixed once no branch reports it any more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, case, func, literal, null, or_, select, update
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec
from shieldwall.hub.db.dialect import upsert_insert
from shieldwall.hub.db.models import BranchSource, Finding, Scan
from shieldwall.hub.db.types import UTCDateTime

_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class BranchOutcome:
    """What a scan changed on its branch."""

    new: int
    returned: list[int]


def record_branch(
    session: Session, project_id: int, scan: Scan, sources: Table, now: datetime
) -> BranchOutcome:
    """Mark every (finding, scanner) of the staged report present on the scan's branch."""
    present = case((BranchSource.present.is_(True), 1), else_=0)
    rows_on_branch = func.count(BranchSource.finding_id)
    classify = (
        select(Finding.id, rows_on_branch)
        .select_from(sources)
        .join(
            Finding,
            (Finding.project_id == project_id) & (Finding.fingerprint == sources.c.key),
        )
        .outerjoin(
            BranchSource,
            (BranchSource.finding_id == Finding.id) & (BranchSource.branch_id == scan.branch_id),
        )
        .group_by(Finding.id)
        .having(or_(rows_on_branch == 0, func.sum(present) == 0))
    )
    new = 0
    returned: list[int] = []
    for fid, count in session.execute(classify):
        if count == 0:
            new += 1
        else:
            returned.append(int(fid))
    source = (
        select(
            Finding.id,
            literal(scan.branch_id),
            sources.c.scanner,
            literal(True),
            literal(now, UTCDateTime()),
            null(),
            literal(False),
        )
        .join(Finding, Finding.fingerprint == sources.c.key)
        .where(Finding.project_id == project_id)
    )
    columns = ["finding_id", "branch_id", "scanner", "present", "first_seen", "fixed_at"]
    stmt = upsert_insert(session, BranchSource).from_select([*columns, "regression"], source)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["finding_id", "branch_id", "scanner"],
            set_={"present": True, "fixed_at": None},
            where=BranchSource.present.is_(False),
        )
    )
    for start in range(0, len(returned), _CHUNK):
        session.execute(
            update(cast(Table, BranchSource.__table__))
            .where(
                BranchSource.branch_id == scan.branch_id,
                BranchSource.finding_id.in_(returned[start : start + _CHUNK]),
            )
            .values(regression=True)
        )
    return BranchOutcome(new=new, returned=returned)


def still_present(session: Session, finding_ids: Sequence[int], branch_id: int | None) -> set[int]:
    """Those of the findings reported by a branch (or, with ``None``, by any branch)."""
    found: set[int] = set()
    ids = sorted(set(finding_ids))
    for start in range(0, len(ids), _CHUNK):
        query = select(BranchSource.finding_id).where(
            BranchSource.present.is_(True),
            BranchSource.finding_id.in_(ids[start : start + _CHUNK]),
        )
        if branch_id is not None:
            query = query.where(BranchSource.branch_id == branch_id)
        found.update(int(f) for f in session.scalars(query))
    return found


def branch_events(
    scan: Scan, actor: str, returned: Sequence[int], events: Sequence[EventSpec]
) -> list[EventSpec]:
    """Audit events for findings back on the branch that were not reopened project-wide."""
    reopened = {e.object_id for e in events if e.action == "finding.reopened"}
    return [
        EventSpec(
            actor=actor,
            action="finding.reopened_on_branch",
            object_type="finding",
            object_id=str(fid),
            project_id=scan.project_id,
            details={"branch_id": scan.branch_id, "scan": scan.id, "reason": "regression"},
        )
        for fid in returned
        if str(fid) not in reopened
    ]
