"""Triage decisions on one or many findings. Never imports FastAPI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shieldwall.ci.enforce import suppression_problem
from shieldwall.ci.orgpolicy import OrgPolicy
from shieldwall.hub.audit.service import EventSpec, record, record_many
from shieldwall.hub.db.models import Comment, Finding, RiskAcceptance, Team, TeamMember, User
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import FindingStatus, Permission
from shieldwall.hub.errors import InvalidRequestError, NotFoundError
from shieldwall.hub.findings.service import get_finding
from shieldwall.hub.metrics import counters
from shieldwall.hub.permissions import Principal, require
from shieldwall.hub.scans.lifecycle import snapshot_open_counts

MAX_BULK = 1000


class TriageAction(StrEnum):
    """What a triage request does to each finding."""

    CONFIRM = "confirm"
    FALSE_POSITIVE = "false_positive"
    ACCEPT_RISK = "accept_risk"
    REOPEN = "reopen"
    ASSIGN = "assign"


_TARGET = {
    TriageAction.CONFIRM: FindingStatus.CONFIRMED,
    TriageAction.FALSE_POSITIVE: FindingStatus.FALSE_POSITIVE,
    TriageAction.ACCEPT_RISK: FindingStatus.ACCEPTED,
    TriageAction.REOPEN: FindingStatus.OPEN,
}


@dataclass(frozen=True, slots=True)
class TriageRequest:
    """One triage action over findings."""

    finding_ids: Sequence[int]
    action: TriageAction
    reason: str = ""
    expires_at: datetime | None = None
    assignee: str | None = None


def triage(
    session: Session,
    principal: Principal,
    request: TriageRequest,
    policy: OrgPolicy | None = None,
) -> list[int]:
    """Apply the action to every finding, all or nothing; returns the ids that changed.

    Every finding is checked for the triage permission first; one the caller cannot see makes
    the whole request fail with 404, so a bulk request reveals nothing about other projects.
    A risk acceptance that breaks the organisation ``policy`` is refused as a whole.
    """
    ids = list(dict.fromkeys(request.finding_ids))
    if not ids or len(ids) > MAX_BULK:
        raise InvalidRequestError(f"give 1 to {MAX_BULK} finding ids")
    if request.action in (TriageAction.FALSE_POSITIVE, TriageAction.ACCEPT_RISK) and not (
        request.reason.strip()
    ):
        raise InvalidRequestError("a false positive or an accepted risk needs a reason")
    now = utcnow()
    if (
        request.action is TriageAction.ACCEPT_RISK
        and request.expires_at
        and request.expires_at <= now
    ):
        raise InvalidRequestError("the acceptance must expire in the future")
    findings = list(session.scalars(select(Finding).where(Finding.id.in_(ids))))
    if len(findings) != len(ids):
        raise NotFoundError("not found")
    for project_id in {f.project_id for f in findings}:
        require(session, principal, project_id, Permission.TRIAGE)
    if policy is not None and request.action is TriageAction.ACCEPT_RISK:
        _check_acceptance(session, principal, policy, findings, request, now)
    assignee_id = _assignee_id(session, request)
    events: list[EventSpec] = []
    changed: list[int] = []
    counters.adjust(session, ids, -1)  # uncount before, count after: the counters stay exact
    for finding in findings:
        event = _apply(session, principal, finding, request, assignee_id, now)
        if event is not None:
            events.append(event)
            changed.append(finding.id)
    counters.adjust(session, ids, 1)
    record_many(session, events)
    for project_id in {f.project_id for f in findings}:
        snapshot_open_counts(session, project_id, now)
    return changed


def _check_acceptance(
    session: Session,
    principal: Principal,
    policy: OrgPolicy,
    findings: Sequence[Finding],
    request: TriageRequest,
    now: datetime,
) -> None:
    """Refuse the acceptance when the policy forbids it for any of the findings."""
    teams = session.scalars(
        select(Team.name).join(TeamMember).where(TeamMember.user_id == principal.user_id)
    )
    names = {principal.username, *teams}
    expires = request.expires_at.date() if request.expires_at else None
    for rule_id in sorted({f.rule_id for f in findings}):
        problem = suppression_problem(
            policy, rule_id, request.reason, expires, now.date(), approver=names
        )
        if problem:
            raise InvalidRequestError(f"the organisation policy refuses this acceptance: {problem}")


def _assignee_id(session: Session, request: TriageRequest) -> int | None:
    if request.action is not TriageAction.ASSIGN or not request.assignee:
        return None
    user_id = session.scalar(select(User.id).where(User.username == request.assignee))
    if user_id is None:
        raise InvalidRequestError(f"no user {request.assignee!r}")
    return user_id


def _apply(
    session: Session,
    principal: Principal,
    finding: Finding,
    request: TriageRequest,
    assignee_id: int | None,
    now: datetime,
) -> EventSpec | None:
    details: dict[str, object] = {"reason": request.reason[:2000]}
    if request.action is TriageAction.ASSIGN:
        if finding.assignee_id == assignee_id:
            return None
        details.update({"from": finding.assignee_id, "to": request.assignee})
        finding.assignee_id = assignee_id
        action = "finding.assigned"
    else:
        target = _TARGET[request.action]
        if finding.status == target.value and request.action is not TriageAction.ACCEPT_RISK:
            return None
        if finding.status == FindingStatus.FIXED.value and target is not FindingStatus.OPEN:
            raise InvalidRequestError(f"finding {finding.id} is fixed; reopen it first")
        details.update({"from": finding.status, "to": target.value})
        if finding.status == FindingStatus.ACCEPTED.value:
            _revoke_acceptances(session, finding.id, now)
        if request.action is TriageAction.ACCEPT_RISK:
            acceptance = RiskAcceptance(
                finding_id=finding.id,
                justification=request.reason[:2000],
                approver_id=principal.user_id,
                expires_at=request.expires_at,
            )
            session.add(acceptance)
            details["expires_at"] = request.expires_at.isoformat() if request.expires_at else None
        if target is FindingStatus.OPEN and finding.status == FindingStatus.FIXED.value:
            finding.fixed_at = None
        finding.status = target.value
        action = "finding.status_changed"
    return EventSpec(
        actor=principal.username,
        action=action,
        object_type="finding",
        object_id=str(finding.id),
        project_id=finding.project_id,
        details=details,
    )


def _revoke_acceptances(session: Session, finding_id: int, now: datetime) -> None:
    session.execute(
        update(RiskAcceptance)
        .where(RiskAcceptance.finding_id == finding_id, RiskAcceptance.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def add_comment(session: Session, principal: Principal, finding_id: int, body: str) -> Comment:
    """Comment on a finding (needs the comment permission)."""
    text = body.strip()
    if not text or len(text) > 10000:
        raise InvalidRequestError("a comment has 1 to 10,000 characters")
    finding = get_finding(session, principal, finding_id)
    require(session, principal, finding.project_id, Permission.COMMENT)
    comment = Comment(finding_id=finding.id, author_id=principal.user_id, body=text)
    session.add(comment)
    session.flush()
    record(
        session,
        EventSpec(
            actor=principal.username,
            action="finding.commented",
            object_type="finding",
            object_id=str(finding.id),
            project_id=finding.project_id,
            details={"comment": comment.id},
        ),
    )
    return comment
