"""The POST every HTTP channel makes, with foreign errors translated to ``DeliveryError``."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from shieldwall.hub.notify.contract import DeliveryError

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def post(client: httpx.Client, url: str, body: bytes, headers: dict[str, str]) -> None:
    """POST ``body``; 5xx, 429 and network errors are retryable, other 4xx are not."""
    try:
        response = client.post(url, content=body, headers=headers, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{safe_target(url)}: {type(exc).__name__}") from exc
    if response.status_code >= 300:
        retryable = response.status_code >= 500 or response.status_code == 429
        raise DeliveryError(
            f"{safe_target(url)} answered {response.status_code}", retryable=retryable
        )


def safe_target(url: str) -> str:
    """Scheme, host and port only: Slack and Teams URLs carry their secret in the path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
