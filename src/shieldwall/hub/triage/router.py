"""HTTP endpoints for triage and comments."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, status

from shieldwall.hub.deps import CurrentUser, SessionDep, StateDep
from shieldwall.hub.findings.schemas import CommentPublic
from shieldwall.hub.notify.dispatch import mentioned_names
from shieldwall.hub.triage import service
from shieldwall.hub.triage.schemas import BulkTriageBody, CommentCreate, TriageBody, TriagePublic
from shieldwall.hub.triage.service import TriageRequest

router = APIRouter(tags=["triage"])


@router.post("/findings/{finding_id}/triage")
def triage_one(
    finding_id: int, body: TriageBody, session: SessionDep, me: CurrentUser, state: StateDep
) -> TriagePublic:
    """Confirm, mark false positive, accept the risk, reopen or assign one finding."""
    request = TriageRequest(
        finding_ids=[finding_id],
        action=body.action,
        reason=body.reason,
        expires_at=body.expires_at,
        assignee=body.assignee,
    )
    return TriagePublic(changed=service.triage(session, me, request, state.org_policy))


@router.post("/triage")
def triage_bulk(
    body: BulkTriageBody, session: SessionDep, me: CurrentUser, state: StateDep
) -> TriagePublic:
    """The same action on many findings, all or nothing."""
    request = TriageRequest(
        finding_ids=body.finding_ids,
        action=body.action,
        reason=body.reason,
        expires_at=body.expires_at,
        assignee=body.assignee,
    )
    return TriagePublic(changed=service.triage(session, me, request, state.org_policy))


@router.post("/findings/{finding_id}/comments", status_code=status.HTTP_201_CREATED)
def comment(
    finding_id: int,
    body: CommentCreate,
    session: SessionDep,
    me: CurrentUser,
    state: StateDep,
    background: BackgroundTasks,
) -> CommentPublic:
    """Comment on a finding; users it @mentions are notified (after the commit)."""
    added = service.add_comment(session, me, finding_id, body.body)
    if mentioned_names(added.body):
        background.add_task(state.jobs.submit_mentions, added.id)
    return CommentPublic.model_validate(added)
