"""Slack- and Teams-compatible messages about alerts, with their matched events attached.

Escaping and the POST are the hub notifier's (:mod:`shieldwall.hub.notify.chat`): rule titles
and log lines are attacker-influenced text, so they are escaped for each format, and raw lines
are shown in code blocks, truncated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import httpx

from shieldwall.hub.notify.chat import slack_escape, teams_escape
from shieldwall.hub.notify.http import post, safe_target
from shieldwall.monitor.alerts import Alert

EVENTS_SHOWN = 3
LINE_CHARS = 300
DIGEST_LISTED = 10


def headline(alert: Alert) -> str:
    """One line about an alert (unescaped)."""
    entity = f" {alert.entity}" if alert.entity else ""
    return f"[{alert.severity}] {alert.rule_id} {alert.rule_title} x{alert.count}{entity}"


def digest_title(alerts: Sequence[Alert]) -> str:
    """The title of a digest message."""
    total = sum(a.count for a in alerts)
    rules = len({a.rule_id for a in alerts})
    return f"{len(alerts)} alerts ({total} detections, {rules} rules) held back by the rate limit"


def _raw_lines(alert: Alert) -> list[str]:
    return [e.raw[:LINE_CHARS].replace("```", "'''") for e in alert.events[:EVENTS_SHOWN]]


def slack_alert_payload(alerts: Sequence[Alert], digest: bool) -> dict[str, object]:
    """A Slack message: one alert with its events, or a digest listing alerts."""
    if digest:
        head = f"*{slack_escape(digest_title(alerts))}*"
        lines = [f"• {slack_escape(headline(a))}" for a in alerts[:DIGEST_LISTED]]
        if len(alerts) > DIGEST_LISTED:
            lines.append(f"… and {len(alerts) - DIGEST_LISTED} more")
        body = "\n".join(lines)
    else:
        alert = alerts[0]
        head = f"*{slack_escape(headline(alert))}*\nsource: {slack_escape(alert.source)}"
        body = "```" + slack_escape("\n".join(_raw_lines(alert))) + "```"
    return {
        "text": head,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": head}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        ],
    }


def teams_alert_payload(alerts: Sequence[Alert], digest: bool) -> dict[str, object]:
    """A Teams ``MessageCard``: one alert with its events as facts, or a digest."""
    if digest:
        title = digest_title(alerts)
        facts = [
            {"name": teams_escape(str(a.severity)), "value": teams_escape(headline(a))}
            for a in alerts[:DIGEST_LISTED]
        ]
    else:
        alert = alerts[0]
        title = headline(alert)
        facts = [{"name": "source", "value": teams_escape(alert.source)}] + [
            {"name": f"event {i}", "value": teams_escape(line)}
            for i, line in enumerate(_raw_lines(alert), 1)
        ]
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": teams_escape(title),
        "title": teams_escape(title),
        "sections": [{"facts": facts}],
    }


class ChatMessenger:
    """Posts alert messages to a Slack or Teams incoming webhook."""

    def __init__(self, kind: str, url: str, client: httpx.Client) -> None:
        if kind not in ("slack", "teams"):
            raise ValueError(f"unknown chat kind {kind!r}")
        self.kind = kind
        self._url = url
        self._client = client

    @property
    def target(self) -> str:
        """Host only: the path is the secret."""
        return f"{self.kind} {safe_target(self._url)}"

    def deliver(self, alerts: Sequence[Alert], digest: bool) -> None:
        """POST one message."""
        payload = (
            slack_alert_payload(alerts, digest)
            if self.kind == "slack"
            else teams_alert_payload(alerts, digest)
        )
        post(
            self._client,
            self._url,
            json.dumps(payload).encode(),
            {"content-type": "application/json"},
        )
