"""HTTP endpoints to list and read findings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from shieldwall.hub.deps import CurrentUser, SessionDep
from shieldwall.hub.enums import FindingStatus
from shieldwall.hub.findings import service
from shieldwall.hub.findings.schemas import (
    AcceptancePublic,
    CommentPublic,
    EventPublic,
    FindingDetailPublic,
    FindingPublic,
    SourcePublic,
)
from shieldwall.hub.findings.service import FindingFilter, SortKey
from shieldwall.hub.schemas import PagePublic

router = APIRouter(tags=["findings"])


@router.get("/findings")
def list_findings(
    session: SessionDep,
    me: CurrentUser,
    project: str | None = None,
    severity: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[FindingStatus] | None, Query()] = None,
    scanner: str | None = None,
    cwe: str | None = None,
    rule: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    min_age_days: int | None = None,
    max_age_days: int | None = None,
    overdue: bool | None = None,
    regression: bool | None = None,
    assignee: str | None = None,
    branch: Annotated[str | None, Query(max_length=255)] = None,
    sort: SortKey = SortKey.NEWEST,
    page: int = 1,
    page_size: int = 50,
) -> PagePublic[FindingPublic]:
    """Findings the caller may read, filtered; repeat ``severity``/``status`` for several.

    With ``branch``, only findings reported on that branch are listed, and ``status``,
    ``regression`` and the returned status are the branch's own.
    """
    flt = FindingFilter(
        project=project,
        severity=tuple(s.lower() for s in severity or ()),
        status=tuple(s.value for s in status or ()),
        scanner=scanner,
        cwe=cwe,
        rule=rule,
        text=q,
        min_age_days=min_age_days,
        max_age_days=max_age_days,
        overdue=overdue,
        regression=regression,
        assignee=assignee,
        branch=branch,
        sort=sort,
    )
    result = service.list_findings(session, me, flt, page, page_size)
    items = [FindingPublic.model_validate(f) for f in result.items]
    if branch:
        states = service.branch_states(session, result.items, branch, project)
        items = [
            item.model_copy(
                update={
                    "status": FindingStatus(states[item.id][0]),
                    "regression": states[item.id][1],
                }
            )
            for item in items
        ]
    return PagePublic(
        items=items,
        total=result.total,
        page=result.page,
        page_size=result.page_size,
    )


@router.get("/findings/{finding_id}")
def get_finding(finding_id: int, session: SessionDep, me: CurrentUser) -> FindingDetailPublic:
    """One finding with its sources, comments, acceptances, history and scans."""
    detail = service.finding_detail(session, me, finding_id)
    base = FindingPublic.model_validate(detail.finding).model_dump()
    return FindingDetailPublic(
        **base,
        project=detail.project,
        location=detail.finding.location,
        fix=detail.finding.fix,
        properties=detail.finding.properties,
        sources=[SourcePublic.model_validate(s) for s in detail.sources],
        comments=[CommentPublic.model_validate(c) for c in detail.comments],
        acceptances=[AcceptancePublic.model_validate(a) for a in detail.acceptances],
        history=[EventPublic.model_validate(e) for e in detail.history],
        scans=detail.scans,
    )
