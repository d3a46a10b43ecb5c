"""Metrics: open by severity, trend, mean time to remediate, SLA compliance."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import Finding
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.metrics.counters import rebuild
from shieldwall.hub.metrics.service import compute
from tests.hub.test_lifecycle import ADMIN, project, sarif, upload


def test_metrics_numbers(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B", "C", "D"))  # four high findings (level error)
    now = utcnow()
    with transaction(sessions) as session:
        # A was found 10 days ago and fixed 4 days later, within its 30-day SLA.
        session.execute(
            update(Finding)
            .where(Finding.rule_id == "A")
            .values(
                status="fixed",
                first_seen=now - timedelta(days=10),
                fixed_at=now - timedelta(days=6),
                sla_due=now + timedelta(days=20),
            )
        )
        # B was fixed late: 2 days after its due date, 6 days after it was found.
        session.execute(
            update(Finding)
            .where(Finding.rule_id == "B")
            .values(
                status="fixed",
                first_seen=now - timedelta(days=8),
                fixed_at=now - timedelta(days=2),
                sla_due=now - timedelta(days=4),
            )
        )
        # C is open and overdue.
        session.execute(
            update(Finding).where(Finding.rule_id == "C").values(sla_due=now - timedelta(days=1))
        )
        # The history above was written behind the counters' back: recompute them.
        rebuild(session)
    with sessions() as session:
        metrics = compute(session, ADMIN, "shop", days=30)
    assert metrics.open_by_severity == {"critical": 0, "high": 2, "medium": 0, "low": 0, "info": 0}
    assert metrics.mean_days_to_remediate == 5.0
    assert (metrics.fixed_within_sla, metrics.fixed_late) == (1, 1)
    assert (metrics.open_overdue, metrics.open_within_sla) == (1, 1)
    assert metrics.sla_compliance == 0.5
    assert len(metrics.trend) == 31
    assert metrics.trend[-1]["high"] == 4  # the snapshot taken at import time
