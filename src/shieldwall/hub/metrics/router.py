"""HTTP endpoint for dashboard metrics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from shieldwall.hub.deps import CurrentUser, SessionDep
from shieldwall.hub.metrics import service

router = APIRouter(tags=["metrics"])


class MetricsPublic(BaseModel):
    """The dashboard's numbers."""

    open_by_severity: dict[str, int]
    trend: list[dict[str, Any]]
    mean_days_to_remediate: float | None
    fixed_last_period: int
    open_overdue: int
    open_within_sla: int
    fixed_within_sla: int
    fixed_late: int
    sla_compliance: float | None


@router.get("/metrics")
def metrics(
    session: SessionDep,
    me: CurrentUser,
    project: str | None = None,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> MetricsPublic:
    """Open by severity, the trend over ``days``, mean time to remediate, SLA compliance."""
    result = service.compute(session, me, project, days)
    return MetricsPublic(
        open_by_severity=result.open_by_severity,
        trend=result.trend,
        mean_days_to_remediate=result.mean_days_to_remediate,
        fixed_last_period=result.fixed_last_period,
        open_overdue=result.open_overdue,
        open_within_sla=result.open_within_sla,
        fixed_within_sla=result.fixed_within_sla,
        fixed_late=result.fixed_late,
        sla_compliance=result.sla_compliance,
    )
