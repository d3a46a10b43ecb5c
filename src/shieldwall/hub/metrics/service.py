"""Metrics over the findings the caller may read. Never imports FastAPI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import Finding, FindingCount, FindingDaily, MetricSnapshot, Project
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import ACTIVE_STATUSES, FindingStatus, Permission
from shieldwall.hub.errors import NotFoundError
from shieldwall.hub.permissions import Principal, readable_project_ids, require

SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True, slots=True)
class Metrics:
    """The dashboard's numbers."""

    open_by_severity: dict[str, int]
    trend: list[dict[str, Any]]
    mean_days_to_remediate: float | None
    fixed_last_period: int
    open_overdue: int
    open_within_sla: int
    fixed_within_sla: int
    fixed_late: int

    @property
    def sla_compliance(self) -> float | None:
        """Share of findings handled within SLA: fixed in time, or open and not yet due."""
        total = self.fixed_within_sla + self.fixed_late + self.open_overdue + self.open_within_sla
        if total == 0:
            return None
        return round((self.fixed_within_sla + self.open_within_sla) / total, 4)


def _scope(session: Session, principal: Principal, project: str | None) -> list[int] | None:
    if project:
        project_id = session.scalar(select(Project.id).where(Project.name == project))
        if project_id is None:
            raise NotFoundError("not found")
        require(session, principal, project_id, Permission.READ)
        return [project_id]
    allowed = readable_project_ids(session, principal)
    return None if allowed is None else sorted(allowed)


def _days_between(session: Session, later: Any, earlier: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def compute(session: Session, principal: Principal, project: str | None, days: int = 30) -> Metrics:
    """Every dashboard number for one project or all readable projects.

    Whole days come from the maintained counters (``finding_daily``, ``finding_counts``); only
    the partial day at each end of a period is counted from the findings, through an index on
    the timestamp, so the cost does not grow with the number of findings.
    """
    project_ids = _scope(session, principal, project)
    now = utcnow()
    since = now - timedelta(days=days)
    today = now.date()

    def scoped(column: Any) -> Any:
        return True if project_ids is None else column.in_(project_ids)

    open_rows = session.execute(
        select(FindingCount.severity, func.sum(FindingCount.count))
        .where(scoped(FindingCount.project_id), FindingCount.status.in_(ACTIVE_STATUSES))
        .group_by(FindingCount.severity)
    ).all()
    by_severity = dict.fromkeys(SEVERITIES, 0) | {str(s): int(c or 0) for s, c in open_rows}
    day = FindingDaily.day
    due_total, due_before_today = session.execute(
        select(
            func.coalesce(func.sum(FindingDaily.due_open), 0),
            func.coalesce(func.sum(case((day < today, FindingDaily.due_open), else_=0)), 0),
        ).where(scoped(FindingDaily.project_id))
    ).one()
    # Due earlier today: overdue already, but in today's bucket.
    due_today = session.scalar(
        select(func.count()).where(
            scoped(Finding.project_id),
            Finding.status.in_(ACTIVE_STATUSES),
            Finding.sla_due >= _midnight(today),
            Finding.sla_due < now,
        )
    )
    open_overdue = int(due_before_today) + int(due_today or 0)
    # Fixed after `since`: whole days after since's day from the counters, the rest of since's
    # day from the findings.
    fixed_total, fixed_late, fix_days = session.execute(
        select(
            func.coalesce(func.sum(FindingDaily.fixed), 0),
            func.coalesce(func.sum(FindingDaily.fixed_late), 0),
            func.coalesce(func.sum(FindingDaily.fix_days), 0.0),
        ).where(scoped(FindingDaily.project_id), day > since.date())
    ).one()
    late = case((Finding.fixed_at > Finding.sla_due, 1), else_=0)
    part_total, part_late, part_days = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(late), 0),
            func.coalesce(
                func.sum(_days_between(session, Finding.fixed_at, Finding.first_seen)), 0
            ),
        ).where(
            scoped(Finding.project_id),
            Finding.status == FindingStatus.FIXED.value,
            Finding.fixed_at >= since,
            Finding.fixed_at < _midnight(since.date() + timedelta(days=1)),
        )
    ).one()
    fixed_count = int(fixed_total) + int(part_total)
    late_count = int(fixed_late) + int(part_late)
    total_days = float(fix_days) + float(part_days)
    return Metrics(
        open_by_severity=by_severity,
        trend=_trend(session, project_ids, since.date(), today),
        mean_days_to_remediate=round(total_days / fixed_count, 2) if fixed_count else None,
        fixed_last_period=fixed_count,
        open_overdue=open_overdue,
        open_within_sla=int(due_total) - open_overdue,
        fixed_within_sla=fixed_count - late_count,
        fixed_late=late_count,
    )


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _trend(
    session: Session, project_ids: list[int] | None, first: date, last: date
) -> list[dict[str, Any]]:
    """Open findings per severity per day, carrying each project's last snapshot forward."""
    query = select(
        MetricSnapshot.project_id,
        MetricSnapshot.day,
        MetricSnapshot.severity,
        MetricSnapshot.open_count,
    ).where(MetricSnapshot.day <= last)
    if project_ids is not None:
        query = query.where(MetricSnapshot.project_id.in_(project_ids))
    latest_before: dict[tuple[int, str], int] = {}
    by_day: dict[date, dict[tuple[int, str], int]] = {}
    for pid, day, severity, count in session.execute(query.order_by(MetricSnapshot.day)):
        if day < first:
            latest_before[(pid, severity)] = count
        else:
            by_day.setdefault(day, {})[(pid, severity)] = count
    current = dict(latest_before)
    points = []
    day = first
    while day <= last:
        current.update(by_day.get(day, {}))
        totals = dict.fromkeys(SEVERITIES, 0)
        for (_, severity), count in current.items():
            totals[severity] = totals.get(severity, 0) + count
        points.append({"day": day.isoformat(), **totals})
        day += timedelta(days=1)
    return points
