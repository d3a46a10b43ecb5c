"""Pages of monitoring alerts: the list, one alert with its matched events, and the form posts
that acknowledge, resolve, reopen and link it to findings (each with the session's CSRF token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import HTMLResponse, RedirectResponse

from shieldwall.hub.alerts import service
from shieldwall.hub.alerts.service import AlertFilter, AlertStatus
from shieldwall.hub.db.models import Project
from shieldwall.hub.deps import SessionDep
from shieldwall.hub.errors import InvalidRequestError
from shieldwall.hub.web.auth import ViewerDep
from shieldwall.hub.web.rendering import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
_ACTIONS = {
    "acknowledge": AlertStatus.ACKNOWLEDGED,
    "resolve": AlertStatus.RESOLVED,
    "reopen": AlertStatus.OPEN,
}


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    session: SessionDep,
    viewer: ViewerDep,
    status: str = "",
    project: str = "",
    page: int = 1,
) -> HTMLResponse:
    """Alerts of the projects the viewer may read, newest first."""
    wanted = tuple(s for s in status.split(",") if s in {a.value for a in AlertStatus})
    flt = AlertFilter(project=project or None, status=wanted)
    result = service.list_alerts(session, viewer.principal, flt, page, PAGE_SIZE)
    names = dict(session.query(Project.id, Project.name).all())
    return render(
        "alerts.html",
        viewer=viewer,
        alerts=result.items,
        total=result.total,
        page=result.page,
        pages=max(1, -(-result.total // PAGE_SIZE)),
        names=names,
        status=status,
        project=project,
    )


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(alert_id: int, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """One alert: rule, counts, its matched events (fields and raw lines) and linked findings."""
    alert = service.get_alert(session, viewer.principal, alert_id)
    project = session.get(Project, alert.project_id)
    return render(
        "alert.html",
        viewer=viewer,
        alert=alert,
        project=project.name if project else "",
        findings=service.linked_findings(session, alert),
    )


@router.post("/alerts/{alert_id}/status")
def alert_status(
    alert_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    action: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    """Acknowledge, resolve (with a note) or reopen."""
    viewer.check_csrf(csrf_token)
    target = _ACTIONS.get(action)
    if target is None:
        raise InvalidRequestError(f"unknown action {action!r}")
    service.set_status(session, viewer.principal, alert_id, target, note)
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)


@router.post("/alerts/{alert_id}/findings")
def alert_link(
    alert_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    finding_id: Annotated[int, Form()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    unlink: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    """Link (or unlink) a finding of the same project."""
    viewer.check_csrf(csrf_token)
    if unlink:
        service.unlink_finding(session, viewer.principal, alert_id, finding_id)
    else:
        service.link_finding(session, viewer.principal, alert_id, finding_id)
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)
