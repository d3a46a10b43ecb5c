"""Findings opened and fixed per day, for the dashboard's flow chart. Never imports FastAPI.

Summed from the scans' own counts (new + regressed, fixed), so it reads the scans table — a few
rows per import — instead of grouping a million findings by day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import Scan
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.permissions import Principal, readable_project_ids


def opened_vs_fixed(
    session: Session, principal: Principal, days: int = 30, project_id: int | None = None
) -> list[dict[str, object]]:
    """One point per day of the last ``days``: ``{"day", "opened", "fixed"}``."""
    today = utcnow().date()
    first = today - timedelta(days=days - 1)
    day = func.date(Scan.imported_at)
    query = (
        select(day, func.sum(Scan.new + Scan.reopened), func.sum(Scan.fixed))
        .where(Scan.imported_at >= datetime.combine(first, time(), tzinfo=UTC))
        .group_by(day)
    )
    allowed = readable_project_ids(session, principal)
    if allowed is not None:
        query = query.where(Scan.project_id.in_(allowed))
    if project_id is not None:
        query = query.where(Scan.project_id == project_id)
    by_day = {str(d)[:10]: (int(o or 0), int(f or 0)) for d, o, f in session.execute(query).all()}
    points: list[dict[str, object]] = []
    for offset in range(days):
        current: date = first + timedelta(days=offset)
        opened, fixed = by_day.get(current.isoformat(), (0, 0))
        points.append({"day": current.isoformat(), "opened": opened, "fixed": fixed})
    return points
