"""The POST every HTTP channel makes, with foreign errors translated to ``DeliveryError``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


class _ThreadUrlFilter(logging.Filter):
    """Shows only scheme and host of the URLs in one thread's httpx records."""

    def __init__(self, thread: int) -> None:
        super().__init__()
        self._thread = thread

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread == self._thread and isinstance(record.args, tuple):
            record.args = tuple(
                safe_target(str(arg)) if isinstance(arg, httpx.URL) else arg for arg in record.args
            )
        return True


@contextmanager
def urls_hidden_from_logs() -> Iterator[None]:
    """httpx logs every request's URL at INFO, and Slack and Teams URLs carry their secret in
    the path: while this thread delivers, its httpx records keep scheme and host only."""
    logger = logging.getLogger("httpx")
    hidden = _ThreadUrlFilter(threading.get_ident())
    logger.addFilter(hidden)
    try:
        yield
    finally:
        logger.removeFilter(hidden)
