"""Stored channels: validated specs in, working :class:`Channel` objects out.

What may be shown (the receiver's host, SMTP server and recipients) is kept in ``config``; what is
a credential (the full URL of a chat webhook, whose path is its secret; the signing key; the SMTP
password) is sealed in ``secret`` and never rendered back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import httpx

from shieldwall.hub.db.models import NotificationChannel
from shieldwall.hub.errors import InvalidRequestError
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.notify.chat import SlackChannel, TeamsChannel
from shieldwall.hub.notify.contract import Channel
from shieldwall.hub.notify.http import safe_target
from shieldwall.hub.notify.smtp import SmtpChannel
from shieldwall.hub.notify.webhook import WebhookChannel

MAX_RECIPIENTS = 50


class ChannelKind(StrEnum):
    """The services a channel can talk to."""

    WEBHOOK = "webhook"
    SLACK = "slack"
    TEAMS = "teams"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """A channel as entered in the settings form (before it is stored)."""

    name: str
    kind: ChannelKind
    url: str = ""
    signing_key: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    sender: str = ""
    recipients: tuple[str, ...] = ()
    starttls: bool = False
    username: str = ""
    password: str = ""


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRequestError("the channel URL must be an http(s) URL")
    return url.strip()


def _check_address(address: str) -> str:
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(c in address for c in " \r\n,<>"):
        raise InvalidRequestError(f"not an e-mail address: {address[:100]!r}")
    return address


def seal_spec(spec: ChannelSpec, box: SecretBox) -> tuple[dict[str, Any], str]:
    """The public ``config`` and the sealed ``secret`` of a spec; raises on invalid input."""
    match spec.kind:
        case ChannelKind.WEBHOOK:
            url = _check_url(spec.url)
            if not spec.signing_key:
                raise InvalidRequestError("a webhook needs a signing key")
            secret = {"url": url, "key": spec.signing_key}
            return {"target": safe_target(url)}, box.seal(json.dumps(secret))
        case ChannelKind.SLACK | ChannelKind.TEAMS:
            url = _check_url(spec.url)
            return {"target": safe_target(url)}, box.seal(json.dumps({"url": url}))
        case ChannelKind.EMAIL:
            if not spec.smtp_host.strip() or not 0 < spec.smtp_port < 65536:
                raise InvalidRequestError("an e-mail channel needs an SMTP host and port")
            recipients = tuple(_check_address(r) for r in spec.recipients if r.strip())
            if not recipients or len(recipients) > MAX_RECIPIENTS:
                raise InvalidRequestError(f"give 1 to {MAX_RECIPIENTS} recipients")
            config = {
                "target": f"smtp://{spec.smtp_host.strip()}:{spec.smtp_port}",
                "host": spec.smtp_host.strip(),
                "port": spec.smtp_port,
                "sender": _check_address(spec.sender),
                "recipients": list(recipients),
                "starttls": spec.starttls,
                "username": spec.username.strip(),
            }
            return config, box.seal(json.dumps({"password": spec.password}))
    raise InvalidRequestError(f"unknown channel kind {spec.kind!r}")  # pragma: no cover


def build_channel(
    row: NotificationChannel,
    box: SecretBox,
    client: httpx.Client,
    recipients: tuple[str, ...] | None = None,
) -> Channel:
    """A working channel for a stored row (``recipients`` overrides an e-mail channel's list)."""
    secret: dict[str, str] = json.loads(box.open(row.secret) or "{}")
    config = row.config
    match ChannelKind(row.kind):
        case ChannelKind.WEBHOOK:
            return WebhookChannel(secret["url"], secret["key"], client)
        case ChannelKind.SLACK:
            return SlackChannel(secret["url"], client)
        case ChannelKind.TEAMS:
            return TeamsChannel(secret["url"], client)
        case ChannelKind.EMAIL:
            return SmtpChannel(
                str(config["host"]),
                int(config["port"]),
                str(config["sender"]),
                recipients or tuple(config["recipients"]),
                starttls=bool(config.get("starttls")),
                username=str(config.get("username") or "") or None,
                password=secret.get("password") or None,
            )
