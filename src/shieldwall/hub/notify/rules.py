"""Notification rules, and the events a scan or the clock produces. Never imports FastAPI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import Finding, Occurrence, Project, Scan
from shieldwall.hub.enums import ACTIVE_STATUSES
from shieldwall.hub.metrics.service import SEVERITIES
from shieldwall.hub.notify.contract import EventKind, FindingRef, Notification


@dataclass(frozen=True, slots=True)
class NotificationRule:
    """Send ``event`` for ``project`` (any when None) at or above ``min_severity`` to a channel."""

    event: EventKind
    channel: str
    project: str | None = None
    min_severity: str = "info"

    def accepts(self, notification: Notification) -> bool:
        """Whether the rule wants this notification (after :meth:`narrow`)."""
        if notification.event is not self.event:
            return False
        if self.project is not None and self.project != notification.project:
            return False
        return bool(notification.findings) or notification.event is EventKind.SLA_BREACH

    def narrow(self, notification: Notification) -> Notification:
        """Keep only the findings at or above the rule's severity."""
        limit = SEVERITIES.index(self.min_severity) if self.min_severity in SEVERITIES else 4
        kept = tuple(
            f
            for f in notification.findings
            if f.severity in SEVERITIES and SEVERITIES.index(f.severity) <= limit
        )
        return replace(notification, findings=kept)


def _refs(findings: Iterable[Finding], base_url: str) -> tuple[FindingRef, ...]:
    base = base_url.rstrip("/")
    return tuple(
        FindingRef(f.id, f.title, f.severity, f"{base}/findings/{f.id}")
        for f in sorted(findings, key=lambda f: (-f.severity_rank, f.id))
    )


def events_for_scan(session: Session, scan_id: int, base_url: str) -> list[Notification]:
    """New findings (first seen in this scan) and regressions (reopened by it)."""
    scan = session.get(Scan, scan_id)
    if scan is None:
        return []
    project = session.get(Project, scan.project_id)
    name = project.name if project else ""
    first_scan = (
        select(Occurrence.finding_id)
        .group_by(Occurrence.finding_id)
        .having(func.min(Occurrence.scan_id) == scan_id)
    )
    seen_here = select(Occurrence.finding_id).where(Occurrence.scan_id == scan_id)
    new = list(
        session.scalars(
            select(Finding).where(
                Finding.id.in_(seen_here),
                Finding.id.in_(first_scan),
                Finding.status.in_(ACTIVE_STATUSES),
            )
        )
    )
    regressed = list(
        session.scalars(
            select(Finding).where(
                Finding.id.in_(seen_here),
                Finding.regression.is_(True),
                Finding.last_scan_id == scan_id,
                Finding.status.in_(ACTIVE_STATUSES),
                Finding.id.not_in(first_scan),
            )
        )
    )
    events = []
    if new:
        events.append(
            Notification(
                EventKind.NEW_FINDINGS, name, f"{len(new)} new findings", _refs(new, base_url)
            )
        )
    if regressed:
        events.append(
            Notification(
                EventKind.REGRESSION,
                name,
                f"{len(regressed)} findings are back",
                _refs(regressed, base_url),
            )
        )
    return events


def sla_breaches(session: Session, now: datetime, base_url: str) -> list[Notification]:
    """Open findings past their SLA due date, one notification per project."""
    rows = session.execute(
        select(Finding, Project.name)
        .join(Project, Project.id == Finding.project_id)
        .where(Finding.status.in_(ACTIVE_STATUSES), Finding.sla_due < now)
        .order_by(Project.name, Finding.id)
    ).all()
    by_project: dict[str, list[Finding]] = {}
    for finding, name in rows:
        by_project.setdefault(str(name), []).append(finding)
    return [
        Notification(
            EventKind.SLA_BREACH,
            name,
            f"{len(items)} findings past their SLA",
            _refs(items, base_url),
        )
        for name, items in by_project.items()
    ]
