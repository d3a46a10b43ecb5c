"""Alerts raised by ``shieldwall monitor`` and stored in the hub, and their links to findings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shieldwall.hub.db.base import Base
from shieldwall.hub.db.types import utcnow


class MonitorAlert(Base):
    """One alert of one project; ``key`` is the monitor's idempotency key (upserts merge on it)."""

    __tablename__ = "monitor_alerts"
    __table_args__ = (
        UniqueConstraint("project_id", "key"),
        Index(None, "project_id", "status", "last_seen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(200), index=True)
    rule_title: Mapped[str] = mapped_column(String(500))
    severity: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(1000))
    entity: Mapped[str | None] = mapped_column(String(500))
    count: Mapped[int] = mapped_column(default=1)
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None]
    events: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="open")
    acknowledged_by: Mapped[str | None] = mapped_column(String(150))
    acknowledged_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(150))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MonitorAlertFinding(Base):
    """A link from an alert to a finding of the same project (the weakness it exploited)."""

    __tablename__ = "monitor_alert_findings"
    __table_args__ = (UniqueConstraint("alert_id", "finding_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("monitor_alerts.id", ondelete="CASCADE"), index=True
    )
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), index=True
    )
    linked_by: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
