"""The notification delivery log: every attempt to deliver, with its outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shieldwall.hub.db.base import Base
from shieldwall.hub.db.types import utcnow


class NotificationDelivery(Base):
    """One notification to one channel: queued, delivered or failed after its retries."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (Index(None, "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(500))
    event: Mapped[str] = mapped_column(String(50))
    project: Mapped[str] = mapped_column(String(150))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
