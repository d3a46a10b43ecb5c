"""Slack- and Microsoft Teams-compatible incoming webhooks.

Both take the secret in the URL. Finding titles come from scanned code, so they are escaped for
each format: Slack's mrkdwn treats ``<``, ``>`` and ``&`` as control characters
(https://api.slack.com/reference/surfaces/formatting#escaping); Teams renders a subset of Markdown.
"""

from __future__ import annotations

import json
import re

import httpx

from shieldwall.hub.notify.contract import Notification
from shieldwall.hub.notify.http import post, safe_target

MAX_LISTED = 10
_TEAMS_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def slack_escape(text: str) -> str:
    """Escape Slack mrkdwn control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def teams_escape(text: str) -> str:
    """Backslash-escape Markdown so titles cannot add links or formatting."""
    return _TEAMS_MARKDOWN.sub(r"\\\1", text)


def slack_payload(notification: Notification) -> dict[str, object]:
    """A Slack message with a fallback ``text`` and one line per finding."""
    lines = [
        f"• *{slack_escape(f.severity)}* <{f.url}|{slack_escape(f.title)}>"
        for f in notification.findings[:MAX_LISTED]
    ]
    more = len(notification.findings) - MAX_LISTED
    if more > 0:
        lines.append(f"… and {more} more")
    head = f"*{slack_escape(notification.project)}*: {slack_escape(notification.summary)}"
    return {
        "text": head,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": head}},
            *(
                [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]
                if lines
                else []
            ),
        ],
    }


def teams_payload(notification: Notification) -> dict[str, object]:
    """A Teams connector ``MessageCard`` (accepted by incoming webhooks and Workflows)."""
    facts = [
        {"name": teams_escape(f.severity), "value": f"[{teams_escape(f.title)}]({f.url})"}
        for f in notification.findings[:MAX_LISTED]
    ]
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": teams_escape(notification.summary),
        "title": f"{teams_escape(notification.project)}: {teams_escape(notification.summary)}",
        "sections": [{"facts": facts}] if facts else [],
    }


class _ChatChannel:
    kind = "chat"

    def __init__(self, url: str, client: httpx.Client) -> None:
        self._url = url
        self._client = client

    @property
    def target(self) -> str:
        """Host only: the path is the secret."""
        return safe_target(self._url)

    def payload(self, notification: Notification) -> dict[str, object]:
        raise NotImplementedError

    def send(self, notification: Notification) -> None:
        """POST the service's JSON."""
        body = json.dumps(self.payload(notification)).encode()
        post(self._client, self._url, body, {"content-type": "application/json"})


class SlackChannel(_ChatChannel):
    """A Slack incoming webhook (also Mattermost and Rocket.Chat, which accept the same shape)."""

    kind = "slack"

    def payload(self, notification: Notification) -> dict[str, object]:
        """Slack's shape."""
        return slack_payload(notification)


class TeamsChannel(_ChatChannel):
    """A Microsoft Teams incoming webhook."""

    kind = "teams"

    def payload(self, notification: Notification) -> dict[str, object]:
        """Teams' shape."""
        return teams_payload(notification)
