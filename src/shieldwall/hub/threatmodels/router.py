"""HTTP endpoints for threat models: upload a version, list, show threats, diff two versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from shieldwall.hub.db.models import ThreatModelVersion, ThreatRecord
from shieldwall.hub.deps import CurrentUser, SessionDep, StateDep
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.schemas import PagePublic
from shieldwall.hub.threatmodels import service
from shieldwall.hub.threatmodels.linking import findings_for_threats
from shieldwall.hub.threatmodels.schemas import (
    DiffPublic,
    FindingThreat,
    LinkedFinding,
    StatusChange,
    ThreatModelPublic,
    ThreatPublic,
    UploadPublic,
    VersionDetail,
    VersionPublic,
)

router = APIRouter(tags=["threat models"])
_BASE = "/projects/{name}/threatmodels"


async def _read_body(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ImportFormatError(f"the upload is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(_BASE, status_code=status.HTTP_201_CREATED)
async def upload(
    name: str,
    request: Request,
    response: Response,
    session: SessionDep,
    me: CurrentUser,
    state: StateDep,
    model: str | None = None,
    commit: str | None = None,
    branch: str | None = None,
) -> UploadPublic:
    """Upload a model version: the CLI's JSON document or the bare YAML (analysed here).

    201 for a new version, 200 when the same content is already a version of the model.
    """
    data = await _read_body(request, state.settings.max_upload_bytes)
    outcome = await run_in_threadpool(
        service.upload_version,
        session,
        me,
        project=name,
        data=data,
        name=model,
        commit=commit,
        branch=branch,
    )
    if outcome.duplicate:
        response.status_code = status.HTTP_200_OK
    return UploadPublic(
        model=outcome.model.name,
        version=VersionPublic.model_validate(outcome.version),
        duplicate=outcome.duplicate,
    )


@router.get(_BASE)
def list_models(name: str, session: SessionDep, me: CurrentUser) -> list[ThreatModelPublic]:
    """The project's threat models."""
    return [ThreatModelPublic.model_validate(m) for m in service.list_models(session, me, name)]


@router.get(_BASE + "/{model}/versions")
def list_versions(
    name: str,
    model: str,
    session: SessionDep,
    me: CurrentUser,
    page: int = 1,
    page_size: int = 50,
) -> PagePublic[VersionPublic]:
    """The model's versions, newest first."""
    _, found = service.get_model(session, me, name, model)
    result = service.list_versions(session, found, page, page_size)
    return PagePublic(
        items=[VersionPublic.model_validate(v) for v in result.items],
        total=result.total,
        page=result.page,
        page_size=result.page_size,
    )


@router.get(_BASE + "/{model}/versions/{number}")
def get_version(
    name: str, model: str, number: str, session: SessionDep, me: CurrentUser
) -> VersionDetail:
    """One version (``latest`` for the newest) with its YAML source."""
    _, found = service.get_model(session, me, name, model)
    version = service.get_version(session, found, number)
    public = VersionPublic.model_validate(version)
    return VersionDetail(**public.model_dump(), model=found.name, source=version.source)


@router.get(_BASE + "/{model}/versions/{number}/threats")
def list_threats(
    name: str,
    model: str,
    number: str,
    session: SessionDep,
    me: CurrentUser,
    threat_status: Annotated[str | None, Query(alias="status")] = None,
    severity: str | None = None,
) -> list[ThreatPublic]:
    """The version's threats with their status and the hub findings that evidence them."""
    project, found = service.get_model(session, me, name, model)
    version = service.get_version(session, found, number)
    threats = service.threats_of(session, version, status=threat_status, severity=severity)
    return _threats_public(session, project.id, version, threats)


def _threats_public(
    session: Session, project_id: int, version: ThreatModelVersion, threats: list[ThreatRecord]
) -> list[ThreatPublic]:
    parsed = service.parse_source(version.source, version.path)
    linked = findings_for_threats(session, project_id, parsed, threats)
    out = []
    for threat in threats:
        public = ThreatPublic.model_validate(threat)
        public.findings = [
            LinkedFinding(
                id=f.id,
                rule_id=f.rule_id,
                title=f.title,
                severity=f.severity,
                status=f.status,
                cwe=f.cwe,
                path=f.path,
                line=f.line,
            )
            for f in linked.get(threat.threat_id, [])
        ]
        out.append(public)
    return out


@router.get(_BASE + "/{model}/diff")
def diff(
    name: str,
    model: str,
    session: SessionDep,
    me: CurrentUser,
    base: str | None = None,
    head: str | None = None,
) -> DiffPublic:
    """What changed between two versions (default: the newest and the one before it)."""
    _, found = service.get_model(session, me, name, model)
    result = service.diff_versions(session, found, base, head)
    changes = result.changes
    return DiffPublic(
        model=found.name,
        base=result.base.number,
        head=result.head.number,
        added_elements=list(changes.added_elements),
        removed_elements=list(changes.removed_elements),
        changed_elements=list(changes.changed_elements),
        new_crossing_flows=list(changes.new_crossing_flows),
        new_threats=list(changes.new_threats),
        resolved_threats=list(changes.resolved_threats),
        status_changes=[
            StatusChange(threat_id=t, before=b, after=a) for t, b, a in result.status_changes
        ],
        severity_changes=[
            StatusChange(threat_id=t, before=b, after=a) for t, b, a in result.severity_changes
        ],
    )


@router.get("/findings/{finding_id}/threats")
def finding_threats(finding_id: int, session: SessionDep, me: CurrentUser) -> list[FindingThreat]:
    """The threats of the project's threat models (newest versions) this finding evidences."""
    return [
        FindingThreat(
            model=model_row.name,
            version=version.number,
            threat_id=t.threat_id,
            title=t.title,
            element=t.element,
            severity=t.severity,
            status=t.status,
        )
        for model_row, version, t in service.threats_of_finding(session, me, finding_id)
    ]
