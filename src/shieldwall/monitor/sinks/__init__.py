"""Alert sinks: where alerts go (stdout or a file as JSON lines, an HMAC-signed webhook, the hub,
Slack, Teams, e-mail)."""

from __future__ import annotations

from shieldwall.monitor.sinks.base import AlertSink
from shieldwall.monitor.sinks.hub import HubSink
from shieldwall.monitor.sinks.jsonl import JsonLinesSink
from shieldwall.monitor.sinks.webhook import WebhookSink, sign

__all__ = ["AlertSink", "HubSink", "JsonLinesSink", "WebhookSink", "sign"]
