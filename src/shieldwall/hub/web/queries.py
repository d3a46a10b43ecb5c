"""Read-only queries the pages need beyond the API services. Never imports FastAPI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import Branch, Finding, Project, Scan, User
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import ACTIVE_STATUSES
from shieldwall.hub.permissions import Principal, readable_project_ids

TOP = 5


@dataclass(frozen=True, slots=True)
class Overview:
    """Dashboard figures that the metrics service does not compute."""

    by_scanner: dict[str, int]
    top_projects: list[tuple[str, int]]
    top_rules: list[tuple[str, str, int]]
    new_last_week: int
    projects: int


def _scoped(query: Any, allowed: set[int] | None) -> Any:
    return query if allowed is None else query.where(Finding.project_id.in_(allowed))


def overview(session: Session, principal: Principal) -> Overview:
    """Open findings by scanner, top projects and rules, and what is new since last week."""
    allowed = readable_project_ids(session, principal)
    active = Finding.status.in_(ACTIVE_STATUSES)
    count = func.count().label("n")
    by_scanner = session.execute(
        _scoped(select(Finding.scanner, count).where(active), allowed)
        .group_by(Finding.scanner)
        .order_by(count.desc())
    ).all()
    top_projects = session.execute(
        _scoped(
            select(Project.name, count)
            .select_from(Finding)
            .join(Project, Project.id == Finding.project_id)
            .where(active),
            allowed,
        )
        .group_by(Project.name)
        .order_by(count.desc(), Project.name)
        .limit(TOP)
    ).all()
    top_rules = session.execute(
        _scoped(select(Finding.rule_id, func.max(Finding.title), count).where(active), allowed)
        .group_by(Finding.rule_id)
        .order_by(count.desc(), Finding.rule_id)
        .limit(TOP)
    ).all()
    since = utcnow() - timedelta(days=7)
    new = session.scalar(
        _scoped(
            select(func.count()).select_from(Finding).where(Finding.first_seen >= since), allowed
        )
    )
    project_count = select(func.count()).select_from(Project)
    if allowed is not None:
        project_count = project_count.where(Project.id.in_(allowed))
    projects = session.scalar(project_count)
    return Overview(
        by_scanner={str(s): int(n) for s, n in by_scanner},
        top_projects=[(str(p), int(n)) for p, n in top_projects],
        top_rules=[(str(r), str(t), int(n)) for r, t, n in top_rules],
        new_last_week=int(new or 0),
        projects=int(projects or 0),
    )


def usernames(session: Session, ids: set[int]) -> dict[int, str]:
    """User names by id (for assignees, comment authors, approvers)."""
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(ids))).all()
    return {int(i): str(n) for i, n in rows}


def project_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Project names by id."""
    if not ids:
        return {}
    rows = session.execute(select(Project.id, Project.name).where(Project.id.in_(ids))).all()
    return {int(i): str(n) for i, n in rows}


def scans_by_id(session: Session, ids: list[int]) -> list[tuple[Scan, str]]:
    """Scans with their branch names, newest first."""
    if not ids:
        return []
    rows = session.execute(
        select(Scan, Branch.name)
        .join(Branch, Branch.id == Scan.branch_id)
        .where(Scan.id.in_(ids))
        .order_by(Scan.id.desc())
    ).all()
    return [(scan, str(branch)) for scan, branch in rows]
