"""Deliver a notification to a channel with retries, and keep every outcome in the delivery log.

Each delivery gets a row first (``queued``) in its own transaction, so a crash mid-way still
leaves a trace; the row ends ``delivered`` or ``failed`` with the attempt count and last error.
Backoff doubles between attempts; a non-retryable error (a 4xx, an SMTP 5xx) stops at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import NotificationDelivery
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.notify.contract import Channel, DeliveryError, Notification
from shieldwall.hub.notify.http import urls_hidden_from_logs


class DeliveryStatus(StrEnum):
    """Where a delivery stands."""

    QUEUED = "queued"
    DELIVERED = "delivered"
    FAILED = "failed"


def deliver(
    sessions: sessionmaker[Session],
    channel: Channel,
    notification: Notification,
    *,
    attempts: int = 3,
    backoff_seconds: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Send with up to ``attempts`` tries; returns the delivery log row's id."""
    with transaction(sessions) as session:
        row = NotificationDelivery(
            channel_kind=channel.kind,
            target=channel.target[:500],
            event=notification.event.value,
            project=notification.project[:150],
            status=DeliveryStatus.QUEUED.value,
            attempts=0,
            last_error="",
        )
        session.add(row)
        session.flush()
        row_id = row.id
    tries, error = 0, ""
    status = DeliveryStatus.FAILED
    for attempt in range(1, max(attempts, 1) + 1):
        tries = attempt
        try:
            with urls_hidden_from_logs():
                channel.send(notification)
        except DeliveryError as exc:
            error = str(exc)[:2000]
            if not exc.retryable:
                break
            if attempt < attempts:
                sleep(backoff_seconds * 2 ** (attempt - 1))
            continue
        status, error = DeliveryStatus.DELIVERED, ""
        break
    with transaction(sessions) as session:
        stored = session.get(NotificationDelivery, row_id)
        if stored is not None:
            stored.status = status.value
            stored.attempts = tries
            stored.last_error = error
            stored.delivered_at = utcnow() if status is DeliveryStatus.DELIVERED else None
    return row_id
