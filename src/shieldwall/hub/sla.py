"""SLA due dates from the per-severity policy."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shieldwall.core.severity import Severity
from shieldwall.hub.db.models import Finding
from shieldwall.hub.enums import ACTIVE_STATUSES
from shieldwall.hub.metrics import counters
from shieldwall.hub.settings import SlaPolicy


def due_date(start: datetime, severity: Severity, policy: SlaPolicy) -> datetime | None:
    """When a finding of this severity first seen at ``start`` must be fixed."""
    days = policy.days(severity)
    return None if days is None else start + timedelta(days=days)


def recompute(session: Session, policy: SlaPolicy, project_id: int | None = None) -> int:
    """Recompute the due date of every active finding (after a policy change); idempotent."""
    query = select(Finding.id, Finding.first_seen, Finding.severity).where(
        Finding.status.in_(ACTIVE_STATUSES)
    )
    if project_id is not None:
        query = query.where(Finding.project_id == project_id)
    changed = 0
    rows = session.execute(query).all()
    for start in range(0, len(rows), 5000):
        params = [
            {"id": fid, "sla_due": due_date(first, Severity(sev), policy)}
            for fid, first, sev in rows[start : start + 5000]
        ]
        session.execute(update(Finding), params)
        changed += len(params)
    # Due dates moved between days: recompute the counters rather than track each move.
    counters.rebuild(session, project_id)
    return changed
