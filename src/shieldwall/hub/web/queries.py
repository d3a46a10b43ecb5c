"""Read-only queries the pages need beyond the API services. Never imports FastAPI."""

from __future__ import annotations

from collections import Counter
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
    """Open findings by scanner, top projects and rules, and what is new since last week.

    One scan of the findings table grouped by (project, scanner, rule), folded here: at a
    million findings each separate GROUP BY costs a full scan, so four queries cost four.
    """
    allowed = readable_project_ids(session, principal)
    active = Finding.status.in_(ACTIVE_STATUSES)
    since = utcnow() - timedelta(days=7)
    rows = session.execute(
        _scoped(
            select(
                Finding.project_id,
                Finding.scanner,
                Finding.rule_id,
                func.max(Finding.title),
                func.count().filter(active),
                func.count().filter(Finding.first_seen >= since),
            ),
            allowed,
        ).group_by(Finding.project_id, Finding.scanner, Finding.rule_id)
    ).all()
    by_scanner: Counter[str] = Counter()
    by_project: Counter[int] = Counter()
    by_rule: Counter[str] = Counter()
    titles: dict[str, str] = {}
    new = 0
    for project_id, scanner, rule_id, title, open_count, new_count in rows:
        new += int(new_count)
        if open_count:
            by_scanner[str(scanner)] += int(open_count)
            by_project[int(project_id)] += int(open_count)
            by_rule[str(rule_id)] += int(open_count)
            titles[str(rule_id)] = max(titles.get(str(rule_id), ""), str(title))
    names = project_names(session, set(by_project))
    project_count = select(func.count()).select_from(Project)
    if allowed is not None:
        project_count = project_count.where(Project.id.in_(allowed))
    projects = session.scalar(project_count)
    top_projects = sorted(((names.get(p, ""), n) for p, n in by_project.items()), key=_rank)
    top_rules = sorted(by_rule.items(), key=_rank)[:TOP]
    return Overview(
        by_scanner=dict(sorted(by_scanner.items(), key=_rank)),
        top_projects=top_projects[:TOP],
        top_rules=[(rule, titles[rule], n) for rule, n in top_rules],
        new_last_week=new,
        projects=int(projects or 0),
    )


def _rank(item: tuple[str, int]) -> tuple[int, str]:
    """Largest count first, then by name."""
    return (-item[1], item[0])


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
