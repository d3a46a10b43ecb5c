"""HTTP endpoints for monitoring alerts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from shieldwall.hub.alerts import service
from shieldwall.hub.alerts.schemas import (
    AlertBatch,
    AlertDetail,
    AlertPublic,
    IngestPublic,
    LinkBody,
    LinkedFinding,
    ResolveBody,
)
from shieldwall.hub.alerts.service import AlertFilter, AlertStatus
from shieldwall.hub.db.models import MonitorAlert
from shieldwall.hub.deps import CurrentUser, SessionDep
from shieldwall.hub.schemas import PagePublic

router = APIRouter(tags=["alerts"])


def _detail(session: SessionDep, alert: MonitorAlert) -> AlertDetail:
    detail = AlertDetail.model_validate(alert)
    detail.findings = [
        LinkedFinding.model_validate(f) for f in service.linked_findings(session, alert)
    ]
    return detail


@router.post("/projects/{name}/alerts")
def ingest(
    name: str, body: AlertBatch, response: Response, session: SessionDep, me: CurrentUser
) -> IngestPublic:
    """Store alerts from ``shieldwall monitor`` (upsert on their key: retries are safe)."""
    result = service.ingest(session, me, name, [a.to_domain() for a in body.alerts])
    response.status_code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
    return IngestPublic(created=result.created, updated=result.updated)


@router.get("/alerts")
def list_alerts(
    session: SessionDep,
    me: CurrentUser,
    project: str | None = None,
    alert_status: Annotated[list[AlertStatus] | None, Query(alias="status")] = None,
    severity: Annotated[list[str] | None, Query()] = None,
    rule_id: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> PagePublic[AlertPublic]:
    """Alerts the caller may read, newest first; repeat ``status``/``severity`` for several."""
    flt = AlertFilter(
        project=project,
        status=tuple(s.value for s in alert_status or ()),
        severity=tuple(s.lower() for s in severity or ()),
        rule_id=rule_id,
    )
    result = service.list_alerts(session, me, flt, page, page_size)
    return PagePublic(
        items=[AlertPublic.model_validate(a) for a in result.items],
        total=result.total,
        page=result.page,
        page_size=result.page_size,
    )


@router.get("/alerts/{alert_id}")
def get_alert(alert_id: int, session: SessionDep, me: CurrentUser) -> AlertDetail:
    """One alert with its matched events and linked findings."""
    return _detail(session, service.get_alert(session, me, alert_id))


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(alert_id: int, session: SessionDep, me: CurrentUser) -> AlertDetail:
    """Someone is looking at it."""
    alert = service.set_status(session, me, alert_id, AlertStatus.ACKNOWLEDGED)
    return _detail(session, alert)


@router.post("/alerts/{alert_id}/resolve")
def resolve(
    alert_id: int, session: SessionDep, me: CurrentUser, body: ResolveBody | None = None
) -> AlertDetail:
    """Handled; the note says how."""
    note = body.note if body else ""
    return _detail(session, service.set_status(session, me, alert_id, AlertStatus.RESOLVED, note))


@router.post("/alerts/{alert_id}/reopen")
def reopen(alert_id: int, session: SessionDep, me: CurrentUser) -> AlertDetail:
    """Back to open."""
    return _detail(session, service.set_status(session, me, alert_id, AlertStatus.OPEN))


@router.post("/alerts/{alert_id}/findings")
def link(alert_id: int, body: LinkBody, session: SessionDep, me: CurrentUser) -> AlertDetail:
    """Link a finding of the same project (the weakness the attack aimed at)."""
    return _detail(session, service.link_finding(session, me, alert_id, body.finding_id))


@router.delete("/alerts/{alert_id}/findings/{finding_id}")
def unlink(alert_id: int, finding_id: int, session: SessionDep, me: CurrentUser) -> AlertDetail:
    """Remove a link."""
    return _detail(session, service.unlink_finding(session, me, alert_id, finding_id))
