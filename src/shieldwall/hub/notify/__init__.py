"""Notifications: rules that pick events, and channels (signed webhook, Slack, Teams, SMTP)."""

from __future__ import annotations

from shieldwall.hub.notify.chat import SlackChannel, TeamsChannel
from shieldwall.hub.notify.contract import (
    Channel,
    DeliveryError,
    EventKind,
    FindingRef,
    Notification,
)
from shieldwall.hub.notify.delivery import DeliveryStatus, deliver
from shieldwall.hub.notify.rules import NotificationRule, events_for_scan, sla_breaches
from shieldwall.hub.notify.smtp import SmtpChannel
from shieldwall.hub.notify.webhook import WebhookChannel

__all__ = [
    "Channel",
    "DeliveryError",
    "DeliveryStatus",
    "EventKind",
    "FindingRef",
    "Notification",
    "NotificationRule",
    "SlackChannel",
    "SmtpChannel",
    "TeamsChannel",
    "WebhookChannel",
    "deliver",
    "events_for_scan",
    "sla_breaches",
]
