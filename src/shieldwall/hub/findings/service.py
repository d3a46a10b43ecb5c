"""Finding queries. Never imports FastAPI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import (
    AuditEvent,
    Comment,
    Finding,
    FindingSource,
    Occurrence,
    Project,
    RiskAcceptance,
    User,
)
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import ACTIVE_STATUSES, Permission
from shieldwall.hub.errors import NotFoundError
from shieldwall.hub.pagination import Page, paginate
from shieldwall.hub.permissions import Principal, readable_project_ids, require


class SortKey(StrEnum):
    """Orders a findings list may be sorted in."""

    NEWEST = "newest"
    OLDEST = "oldest"
    SEVERITY = "severity"
    SLA = "sla"


@dataclass(frozen=True, slots=True)
class FindingFilter:
    """Every filter of the findings list; empty means "any"."""

    project: str | None = None
    severity: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    scanner: str | None = None
    cwe: str | None = None
    rule: str | None = None
    text: str | None = None
    min_age_days: int | None = None
    max_age_days: int | None = None
    overdue: bool | None = None
    regression: bool | None = None
    assignee: str | None = None
    sort: SortKey = SortKey.NEWEST
    ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class FindingDetail:
    """A finding with its sources, comments, acceptances and history."""

    finding: Finding
    project: str
    sources: list[FindingSource]
    comments: list[Comment]
    acceptances: list[RiskAcceptance]
    history: list[AuditEvent]
    scans: list[int]


def _filtered(session: Session, principal: Principal, flt: FindingFilter) -> Select[Finding]:
    query = select(Finding)
    if flt.project:
        project_id = session.scalar(select(Project.id).where(Project.name == flt.project))
        if project_id is None:
            raise NotFoundError("not found")
        require(session, principal, project_id, Permission.READ)
        query = query.where(Finding.project_id == project_id)
    else:
        allowed = readable_project_ids(session, principal)
        if allowed is not None:
            query = query.where(Finding.project_id.in_(allowed))
    now = utcnow()
    if flt.severity:
        query = query.where(Finding.severity.in_(flt.severity))
    if flt.status:
        query = query.where(Finding.status.in_(flt.status))
    if flt.scanner:
        query = query.where(
            Finding.id.in_(
                select(FindingSource.finding_id).where(FindingSource.scanner == flt.scanner)
            )
        )
    if flt.cwe:
        cwe = flt.cwe.upper()
        query = query.where(Finding.cwe == (cwe if cwe.startswith("CWE-") else f"CWE-{cwe}"))
    if flt.rule:
        query = query.where(Finding.rule_id == flt.rule)
    if flt.text:
        # Escape LIKE wildcards so user text is matched literally.
        needle = "%" + flt.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                Finding.title.ilike(needle, escape="\\"),
                Finding.message.ilike(needle, escape="\\"),
                Finding.path.ilike(needle, escape="\\"),
                Finding.rule_id.ilike(needle, escape="\\"),
            )
        )
    if flt.min_age_days is not None:
        query = query.where(Finding.first_seen <= now - timedelta(days=flt.min_age_days))
    if flt.max_age_days is not None:
        query = query.where(Finding.first_seen >= now - timedelta(days=flt.max_age_days))
    if flt.overdue is not None:
        overdue = (Finding.status.in_(ACTIVE_STATUSES)) & (Finding.sla_due < now)
        query = query.where(overdue if flt.overdue else ~overdue | Finding.sla_due.is_(None))
    if flt.regression is not None:
        query = query.where(Finding.regression.is_(flt.regression))
    if flt.assignee:
        query = query.where(
            Finding.assignee_id.in_(select(User.id).where(User.username == flt.assignee))
        )
    if flt.ids:
        query = query.where(Finding.id.in_(flt.ids))
    return _sorted(query, flt.sort)


def _sorted(query: Select[Finding], key: SortKey) -> Select[Finding]:
    match key:
        case SortKey.NEWEST:
            return query.order_by(Finding.id.desc())
        case SortKey.OLDEST:
            return query.order_by(Finding.id)
        case SortKey.SEVERITY:
            return query.order_by(Finding.severity_rank.desc(), Finding.id.desc())
        case SortKey.SLA:
            return query.order_by(Finding.sla_due.is_(None), Finding.sla_due, Finding.id)


def list_findings(
    session: Session, principal: Principal, flt: FindingFilter, page: int, size: int
) -> Page[Finding]:
    """A page of the findings the caller may read that match the filter."""
    return paginate(session, _filtered(session, principal, flt), page, size)


def get_finding(
    session: Session, principal: Principal, finding_id: int, needed: Permission = Permission.READ
) -> Finding:
    """One finding, if the caller has ``needed`` on its project (404 otherwise)."""
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFoundError("not found")
    require(session, principal, finding.project_id, needed)
    return finding


def finding_detail(session: Session, principal: Principal, finding_id: int) -> FindingDetail:
    """The finding with everything known about it."""
    finding = get_finding(session, principal, finding_id)
    project = session.get(Project, finding.project_id)
    return FindingDetail(
        finding=finding,
        project=project.name if project else "",
        sources=list(
            session.scalars(select(FindingSource).where(FindingSource.finding_id == finding.id))
        ),
        comments=list(
            session.scalars(
                select(Comment).where(Comment.finding_id == finding.id).order_by(Comment.id)
            )
        ),
        acceptances=list(
            session.scalars(
                select(RiskAcceptance)
                .where(RiskAcceptance.finding_id == finding.id)
                .order_by(RiskAcceptance.id)
            )
        ),
        history=list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_type == "finding", AuditEvent.object_id == str(finding.id))
                .order_by(AuditEvent.id)
            )
        ),
        scans=list(
            session.scalars(
                select(Occurrence.scan_id)
                .where(Occurrence.finding_id == finding.id)
                .order_by(Occurrence.scan_id)
            )
        ),
    )


def count_by_status(session: Session, project_id: int) -> dict[str, int]:
    """Findings per status in a project."""
    rows = session.execute(
        select(Finding.status, func.count())
        .where(Finding.project_id == project_id)
        .group_by(Finding.status)
    ).all()
    return {str(status): int(count) for status, count in rows}
