"""The sinks a ``monitor.yaml`` names, built with their secrets from the environment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from typing import TextIO

import httpx

from shieldwall.core.errors import ConfigError
from shieldwall.hub.notify.smtp import SmtpChannel
from shieldwall.monitor.config import (
    ChatSinkConfig,
    EmailSinkConfig,
    FileSinkConfig,
    HubSinkConfig,
    SinkConfig,
    StdoutSinkConfig,
    WebhookSinkConfig,
)
from shieldwall.monitor.sinks.base import AlertSink
from shieldwall.monitor.sinks.chat import ChatMessenger
from shieldwall.monitor.sinks.email import EmailMessenger
from shieldwall.monitor.sinks.hub import HubSink
from shieldwall.monitor.sinks.jsonl import JsonLinesSink
from shieldwall.monitor.sinks.notify import RateLimitedSink
from shieldwall.monitor.sinks.webhook import WebhookSink

HTTP_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def _secret(environ: Mapping[str, str], name: str, what: str) -> str:
    value = environ.get(name, "")
    if not value:
        raise ConfigError(f"the {what} sink needs ${name} to be set")
    return value


def build_sink(
    config: SinkConfig, stack: ExitStack, environ: Mapping[str, str], stdout: TextIO
) -> AlertSink:
    """One sink; files and HTTP clients are closed with ``stack``."""
    match config:
        case StdoutSinkConfig():
            return JsonLinesSink(stdout)
        case FileSinkConfig():
            config.path.parent.mkdir(parents=True, exist_ok=True)
            return JsonLinesSink(stack.enter_context(config.path.open("a", encoding="utf-8")))
        case WebhookSinkConfig():
            secret = _secret(environ, config.secret_env, "webhook")
            client = stack.enter_context(httpx.Client(timeout=HTTP_TIMEOUT))
            return WebhookSink(client, config.url, secret.encode())
        case HubSinkConfig():
            token = _secret(environ, config.token_env, "hub")
            client = stack.enter_context(httpx.Client(timeout=HTTP_TIMEOUT))
            return HubSink.to_project(client, config.url, config.project, token)
        case ChatSinkConfig():
            url = _secret(environ, config.url_env, config.kind)
            client = stack.enter_context(httpx.Client(timeout=HTTP_TIMEOUT))
            return RateLimitedSink(
                ChatMessenger(config.kind, url, client), config.rate_limit, config.rate_window
            )
        case EmailSinkConfig():
            password = environ.get(config.password_env, "") if config.password_env else None
            channel = SmtpChannel(
                config.host,
                config.port,
                config.sender,
                tuple(config.recipients),
                starttls=config.starttls,
                username=config.username,
                password=password,
            )
            return RateLimitedSink(EmailMessenger(channel), config.rate_limit, config.rate_window)


def build_sinks(
    configs: Sequence[SinkConfig], stack: ExitStack, environ: Mapping[str, str], stdout: TextIO
) -> list[AlertSink]:
    """Every configured sink."""
    return [build_sink(c, stack, environ, stdout) for c in configs]
