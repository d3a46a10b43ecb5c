"""Read-only queries the pages need beyond the API services. Never imports FastAPI."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import (
    Branch,
    Finding,
    FindingCount,
    FindingDaily,
    Project,
    Scan,
    User,
)
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


def overview(session: Session, principal: Principal) -> Overview:
    """Open findings by scanner, top projects and rules, and what is new since last week.

    Read from the counters maintained at import and triage (``finding_counts``,
    ``finding_daily``): a few hundred rows whatever the number of findings. Only the partial
    day at the start of the week is counted from the findings, through the first_seen index.
    """
    allowed = readable_project_ids(session, principal)

    def scoped(column: Any) -> Any:
        return True if allowed is None else column.in_(allowed)

    rows = session.execute(
        select(
            FindingCount.project_id,
            FindingCount.scanner,
            FindingCount.rule_id,
            func.max(FindingCount.title),
            func.sum(FindingCount.count),
        )
        .where(scoped(FindingCount.project_id), FindingCount.status.in_(ACTIVE_STATUSES))
        .group_by(FindingCount.project_id, FindingCount.scanner, FindingCount.rule_id)
    ).all()
    by_scanner: Counter[str] = Counter()
    by_project: Counter[int] = Counter()
    by_rule: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for project_id, scanner, rule_id, title, open_count in rows:
        if open_count:
            by_scanner[str(scanner)] += int(open_count)
            by_project[int(project_id)] += int(open_count)
            by_rule[str(rule_id)] += int(open_count)
            titles[str(rule_id)] = max(titles.get(str(rule_id), ""), str(title))
    since = utcnow() - timedelta(days=7)
    next_midnight = datetime.combine(since.date() + timedelta(days=1), time(), tzinfo=UTC)
    whole_days = session.scalar(
        select(func.coalesce(func.sum(FindingDaily.new), 0)).where(
            scoped(FindingDaily.project_id), FindingDaily.day > since.date()
        )
    )
    partial_day = session.scalar(
        select(func.count()).where(
            scoped(Finding.project_id),
            Finding.first_seen >= since,
            Finding.first_seen < next_midnight,
        )
    )
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
        new_last_week=int(whole_days or 0) + int(partial_day or 0),
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
