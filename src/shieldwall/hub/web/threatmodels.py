"""Read-only pages of threat models: a project's models, a model's versions, threats and diffs.

Uploads go through the API (``shieldwall threatmodel check --upload``); these pages only read,
so they carry no form that changes anything.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from shieldwall.hub.db.models import Project
from shieldwall.hub.deps import SessionDep
from shieldwall.hub.errors import InvalidRequestError
from shieldwall.hub.threatmodels import service
from shieldwall.hub.threatmodels.linking import findings_for_threats
from shieldwall.hub.web.auth import ViewerDep
from shieldwall.hub.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/projects/{name}/threatmodels", response_class=HTMLResponse)
def models_page(name: str, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The project's threat models with their newest version."""
    models = service.list_models(session, viewer.principal, name)
    latest = {
        m.id: service.get_version(session, m, "latest") for m in models if m.latest_version > 0
    }
    return render("threatmodels.html", viewer=viewer, project=name, models=models, latest=latest)


@router.get("/projects/{name}/threatmodels/{model}", response_class=HTMLResponse)
def model_page(
    name: str,
    model: str,
    session: SessionDep,
    viewer: ViewerDep,
    version: str = "latest",
    base: str | None = None,
) -> HTMLResponse:
    """One model: its versions, the threats of one version with status and linked findings,
    and what changed since the version before it (or since ``base``)."""
    project, found = service.get_model(session, viewer.principal, name, model)
    shown = service.get_version(session, found, version)
    threats = service.threats_of(session, shown)
    linked = findings_for_threats(
        session, project.id, service.parse_source(shown.source, shown.path), threats
    )
    diff = None
    if base is not None or shown.number > 1:
        try:
            diff = service.diff_versions(session, found, base, str(shown.number))
        except InvalidRequestError:
            diff = None
    versions = service.list_versions(session, found, 1, 100)
    return render(
        "threatmodel.html",
        viewer=viewer,
        project=project.name,
        model=found,
        shown=shown,
        threats=threats,
        linked=linked,
        diff=diff,
        versions=versions.items,
    )


@router.get("/findings/{finding_id}/threats", response_class=HTMLResponse)
def finding_threats_page(finding_id: int, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The other direction: the modelled threats a finding evidences."""
    rows = service.threats_of_finding(session, viewer.principal, finding_id)
    project = session.get(Project, rows[0][0].project_id) if rows else None
    return render(
        "finding_threats.html",
        viewer=viewer,
        finding_id=finding_id,
        rows=rows,
        project=project.name if project else "",
    )
