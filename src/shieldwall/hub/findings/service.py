"""Finding queries. Never imports FastAPI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import (
    AuditEvent,
    Branch,
    BranchSource,
    Comment,
    Finding,
    FindingCount,
    FindingSource,
    Occurrence,
    Project,
    RiskAcceptance,
    User,
)
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import ACTIVE_STATUSES, FindingStatus, Permission
from shieldwall.hub.errors import NotFoundError
from shieldwall.hub.pagination import Page, paginate
from shieldwall.hub.permissions import Principal, readable_project_ids, require

# The expression the trigram index of migration 0004 is built on (PostgreSQL).
SEARCH_EXPRESSION = (
    "(findings.title || chr(1) || findings.message || chr(1) || findings.path || chr(1) "
    "|| findings.rule_id)"
)


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
    branch: str | None = None
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
    branch_ids = _branch_ids(session, flt) if flt.branch else None
    if branch_ids is not None:
        query = query.where(_on_branch(branch_ids))
    if flt.status:
        query = query.where(_status_clause(flt.status, branch_ids))
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
        query = _with_text(session, query, flt.text)
    if flt.min_age_days is not None:
        query = query.where(Finding.first_seen <= now - timedelta(days=flt.min_age_days))
    if flt.max_age_days is not None:
        query = query.where(Finding.first_seen >= now - timedelta(days=flt.max_age_days))
    if flt.overdue is not None:
        overdue = (Finding.status.in_(ACTIVE_STATUSES)) & (Finding.sla_due < now)
        query = query.where(overdue if flt.overdue else ~overdue | Finding.sla_due.is_(None))
    if flt.regression is not None:
        regressed: Any = Finding.regression.is_(True)
        if branch_ids is not None:
            regressed = _on_branch(branch_ids, BranchSource.regression.is_(True))
        query = query.where(regressed if flt.regression else ~regressed)
    if flt.assignee:
        query = query.where(
            Finding.assignee_id.in_(select(User.id).where(User.username == flt.assignee))
        )
    if flt.ids:
        query = query.where(Finding.id.in_(flt.ids))
    return _sorted(query, flt.sort)


# Up to this many text matches are fetched once and reused by id; more go through a CTE.
_TEXT_IDS = 10000
# Filters the maintained counters can answer a total for without counting the findings.
_COUNTED_FIELDS = frozenset({"project", "severity", "status", "rule", "sort"})


def _with_text(session: Session, query: Select[Finding], text: str) -> Select[Finding]:
    """Case-insensitive substring match over title, message, path and rule id.

    On PostgreSQL one expression joins the four columns with a separator (a control character,
    stripped from the search) so that the trigram index of migration 0004 serves the search.
    The matches are a materialised CTE: otherwise the planner, which cannot estimate how rare a
    substring is, walks the newest-first index over every finding looking for a few matches.
    """
    clean = "".join(c for c in text if c.isprintable())
    # Escape LIKE wildcards so user text is matched literally.
    needle = "%" + clean.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if session.get_bind().dialect.name == "postgresql":
        matching = select(Finding.id).where(
            literal_column(SEARCH_EXPRESSION).ilike(needle, escape="\\")
        )
        # The index scan is the cost (common trigrams have long posting lists): run it once
        # and reuse the ids for the page and its total, unless there are very many.
        ids = list(session.scalars(matching.limit(_TEXT_IDS + 1)))
        if len(ids) <= _TEXT_IDS:
            return query.where(Finding.id.in_(ids))
        matches = matching.cte("text_matches").prefix_with("MATERIALIZED")
        return query.join(matches, matches.c.id == Finding.id)
    return query.where(
        or_(
            Finding.title.ilike(needle, escape="\\"),
            Finding.message.ilike(needle, escape="\\"),
            Finding.path.ilike(needle, escape="\\"),
            Finding.rule_id.ilike(needle, escape="\\"),
        )
    )


def _branch_ids(session: Session, flt: FindingFilter) -> list[int]:
    query = select(Branch.id).where(Branch.name == flt.branch)
    if flt.project:
        query = query.join(Project, Project.id == Branch.project_id).where(
            Project.name == flt.project
        )
    return list(session.scalars(query))


def _on_branch(branch_ids: list[int], *extra: Any) -> Any:
    """The finding is reported (or was) on one of the branches."""
    return (
        select(literal(1))
        .where(
            BranchSource.finding_id == Finding.id,
            BranchSource.branch_id.in_(branch_ids),
            *extra,
        )
        .exists()
    )


def _status_clause(statuses: tuple[str, ...], branch_ids: list[int] | None) -> Any:
    """Project-wide statuses, or with a branch its own: fixed there when it no longer has it.

    Triage decisions (false positive, accepted) hold on every branch.
    """
    if branch_ids is None:
        return Finding.status.in_(statuses)
    present = _on_branch(branch_ids, BranchSource.present.is_(True))
    clauses = []
    for status in statuses:
        if status == FindingStatus.FIXED.value:
            clauses.append(Finding.status.in_((*ACTIVE_STATUSES, status)) & ~present)
        elif status in ACTIVE_STATUSES:
            clauses.append((Finding.status == status) & present)
        else:
            clauses.append(Finding.status == status)
    return or_(*clauses)


def branch_states(
    session: Session, findings: Sequence[Finding], branch: str, project: str | None
) -> dict[int, tuple[str, bool]]:
    """(status, regression) of each finding on the branch, for findings listed with a branch."""
    branch_ids = _branch_ids(session, FindingFilter(project=project, branch=branch))
    ids = [f.id for f in findings]
    present: set[int] = set()
    regressed: set[int] = set()
    if ids and branch_ids:
        for fid, is_present, regression in session.execute(
            select(BranchSource.finding_id, BranchSource.present, BranchSource.regression).where(
                BranchSource.finding_id.in_(ids), BranchSource.branch_id.in_(branch_ids)
            )
        ):
            if is_present:
                present.add(int(fid))
            if regression:
                regressed.add(int(fid))
    states: dict[int, tuple[str, bool]] = {}
    for finding in findings:
        status = finding.status
        if status in (*ACTIVE_STATUSES, FindingStatus.FIXED.value):
            status = status if finding.id in present else FindingStatus.FIXED.value
        states[finding.id] = (status, finding.id in regressed)
    return states


def _counted_total(session: Session, principal: Principal, flt: FindingFilter) -> int | None:
    """The list's total from the maintained counters, when the filter is one they count."""
    used = {
        name
        for name in FindingFilter.__slots__
        if getattr(flt, name) not in (None, (), SortKey.NEWEST)
    }
    if not used <= _COUNTED_FIELDS:
        return None
    query = select(func.coalesce(func.sum(FindingCount.count), 0))
    if flt.project:
        query = query.join(Project, Project.id == FindingCount.project_id).where(
            Project.name == flt.project
        )
    else:
        allowed = readable_project_ids(session, principal)
        if allowed is not None:
            query = query.where(FindingCount.project_id.in_(allowed))
    if flt.severity:
        query = query.where(FindingCount.severity.in_(flt.severity))
    if flt.status:
        query = query.where(FindingCount.status.in_(flt.status))
    if flt.rule:
        query = query.where(FindingCount.rule_id == flt.rule)
    return int(session.scalar(query) or 0)


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
    query = _filtered(session, principal, flt)
    return paginate(session, query, page, size, total=_counted_total(session, principal, flt))


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
