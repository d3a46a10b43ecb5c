"""Alert logic: idempotent ingest, filtered lists, acknowledge/resolve/reopen, finding links.

Never imports FastAPI. Ingest is an upsert on ``(project, key)``: the monitor retries a batch it
could not confirm, and a retried alert (or the same alert grown by a flood) updates the stored one
instead of adding a second. Every state change is recorded in the audit chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.db.models import Finding, MonitorAlert, MonitorAlertFinding
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import Permission
from shieldwall.hub.errors import InvalidRequestError, NotFoundError
from shieldwall.hub.findings.service import get_finding
from shieldwall.hub.pagination import Page, paginate
from shieldwall.hub.permissions import Principal, readable_project_ids, require
from shieldwall.hub.projects.service import project_by_name

MAX_EVENTS = 50  # matched events kept per alert; the count says how many there were
MAX_BATCH = 1000


class AlertStatus(StrEnum):
    """Where an alert is in its handling."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class AlertIn:
    """One alert as the monitor sends it (validated by the router's schema)."""

    key: str
    rule_id: str
    rule_title: str
    severity: str
    source: str
    entity: str | None
    count: int
    first_seen: datetime | None
    last_seen: datetime | None
    events: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """How many alerts a batch created and how many it merged into stored ones."""

    created: int
    updated: int


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """List filters; empty means no filter."""

    project: str | None = None
    status: tuple[str, ...] = ()
    severity: tuple[str, ...] = ()
    rule_id: str | None = None


def _merge(stored: MonitorAlert, alert: AlertIn) -> None:
    # A retry sends the same count again; a grown alert sends a larger one: keep the larger.
    stored.count = max(stored.count, alert.count)
    if alert.last_seen and (stored.last_seen is None or alert.last_seen > stored.last_seen):
        stored.last_seen = alert.last_seen
    known = {(e.get("source"), e.get("line")) for e in stored.events}
    extra = [e for e in alert.events if (e.get("source"), e.get("line")) not in known]
    if extra:
        stored.events = [*stored.events, *extra][:MAX_EVENTS]
    stored.updated_at = utcnow()


def ingest(
    session: Session, principal: Principal, project_name: str, alerts: Sequence[AlertIn]
) -> IngestResult:
    """Store a batch of alerts for one project (upload permission), merging on their key."""
    if len(alerts) > MAX_BATCH:
        raise InvalidRequestError(f"send at most {MAX_BATCH} alerts per request")
    project = project_by_name(session, principal, project_name, Permission.UPLOAD)
    created = updated = 0
    for alert in alerts:
        stored = session.scalar(
            select(MonitorAlert).where(
                MonitorAlert.project_id == project.id, MonitorAlert.key == alert.key
            )
        )
        if stored is not None:
            _merge(stored, alert)
            updated += 1
            continue
        row = MonitorAlert(
            project_id=project.id,
            key=alert.key,
            rule_id=alert.rule_id,
            rule_title=alert.rule_title,
            severity=alert.severity,
            source=alert.source,
            entity=alert.entity,
            count=alert.count,
            first_seen=alert.first_seen,
            last_seen=alert.last_seen,
            events=alert.events[:MAX_EVENTS],
            status=AlertStatus.OPEN.value,
            resolution="",
        )
        try:
            with session.begin_nested():  # another request stored the same key meanwhile
                session.add(row)
        except IntegrityError:
            stored = session.scalars(
                select(MonitorAlert).where(
                    MonitorAlert.project_id == project.id, MonitorAlert.key == alert.key
                )
            ).one()
            _merge(stored, alert)
            updated += 1
            continue
        created += 1
    if created or updated:
        record(
            session,
            EventSpec(
                actor=principal.username,
                action="alerts.ingest",
                object_type="project",
                object_id=str(project.id),
                project_id=project.id,
                details={"created": created, "updated": updated},
            ),
        )
    return IngestResult(created, updated)


def _filtered(session: Session, principal: Principal, flt: AlertFilter) -> Select[MonitorAlert]:
    query = select(MonitorAlert)
    readable = readable_project_ids(session, principal)
    if readable is not None:
        query = query.where(MonitorAlert.project_id.in_(readable))
    if flt.project is not None:
        project = project_by_name(session, principal, flt.project)
        query = query.where(MonitorAlert.project_id == project.id)
    if flt.status:
        query = query.where(MonitorAlert.status.in_(flt.status))
    if flt.severity:
        query = query.where(MonitorAlert.severity.in_(flt.severity))
    if flt.rule_id:
        query = query.where(MonitorAlert.rule_id == flt.rule_id)
    return query.order_by(MonitorAlert.last_seen.desc(), MonitorAlert.id.desc())


def list_alerts(
    session: Session, principal: Principal, flt: AlertFilter, page: int, page_size: int
) -> Page[MonitorAlert]:
    """Alerts the caller may read, newest first."""
    return paginate(session, _filtered(session, principal, flt), page, page_size)


def get_alert(
    session: Session, principal: Principal, alert_id: int, needed: Permission = Permission.READ
) -> MonitorAlert:
    """One alert if the caller has ``needed`` on its project (404 when it cannot read it)."""
    alert = session.get(MonitorAlert, alert_id)
    if alert is None:
        raise NotFoundError("not found")
    require(session, principal, alert.project_id, needed)
    return alert


def linked_findings(session: Session, alert: MonitorAlert) -> list[Finding]:
    """The findings linked to an alert."""
    query = (
        select(Finding)
        .join(MonitorAlertFinding, MonitorAlertFinding.finding_id == Finding.id)
        .where(MonitorAlertFinding.alert_id == alert.id)
        .order_by(Finding.id)
    )
    return list(session.scalars(query))


def _audit(session: Session, principal: Principal, alert: MonitorAlert, action: str) -> None:
    record(
        session,
        EventSpec(
            actor=principal.username,
            action=f"alert.{action}",
            object_type="monitor_alert",
            object_id=str(alert.id),
            project_id=alert.project_id,
            details={"status": alert.status},
        ),
    )


def set_status(
    session: Session, principal: Principal, alert_id: int, target: AlertStatus, note: str = ""
) -> MonitorAlert:
    """Acknowledge, resolve or reopen an alert (triage permission)."""
    alert = get_alert(session, principal, alert_id, Permission.TRIAGE)
    now = utcnow()
    match target:
        case AlertStatus.ACKNOWLEDGED:
            if alert.status == AlertStatus.RESOLVED.value:
                raise InvalidRequestError("a resolved alert must be reopened first")
            alert.acknowledged_by, alert.acknowledged_at = principal.username, now
        case AlertStatus.RESOLVED:
            alert.resolved_by, alert.resolved_at = principal.username, now
            alert.resolution = note
        case AlertStatus.OPEN:
            alert.resolved_by = alert.resolved_at = None
            alert.acknowledged_by = alert.acknowledged_at = None
    alert.status = target.value
    alert.updated_at = now
    _audit(session, principal, alert, target.value)
    return alert


def link_finding(
    session: Session, principal: Principal, alert_id: int, finding_id: int
) -> MonitorAlert:
    """Link a finding of the same project to the alert (idempotent)."""
    alert = get_alert(session, principal, alert_id, Permission.TRIAGE)
    finding = get_finding(session, principal, finding_id)
    if finding.project_id != alert.project_id:
        raise InvalidRequestError("the finding belongs to another project")
    exists = session.scalar(
        select(MonitorAlertFinding).where(
            MonitorAlertFinding.alert_id == alert.id,
            MonitorAlertFinding.finding_id == finding.id,
        )
    )
    if exists is None:
        session.add(
            MonitorAlertFinding(
                alert_id=alert.id, finding_id=finding.id, linked_by=principal.username
            )
        )
        session.flush()
        _audit(session, principal, alert, f"link:{finding.id}")
    return alert


def unlink_finding(
    session: Session, principal: Principal, alert_id: int, finding_id: int
) -> MonitorAlert:
    """Remove a link (404 when there is none)."""
    alert = get_alert(session, principal, alert_id, Permission.TRIAGE)
    link = session.scalar(
        select(MonitorAlertFinding).where(
            MonitorAlertFinding.alert_id == alert.id, MonitorAlertFinding.finding_id == finding_id
        )
    )
    if link is None:
        raise NotFoundError("not found")
    session.delete(link)
    session.flush()
    _audit(session, principal, alert, f"unlink:{finding_id}")
    return alert
