"""A generic webhook: alerts POSTed as JSON, signed with HMAC-SHA256, retried, queue bounded.

The body is ``{"alerts": [...]}``; the ``X-Shieldwall-Signature`` header is ``sha256=<hex>`` of
the HMAC-SHA256 of the exact body bytes with the shared secret (the scheme GitHub webhooks use),
and ``X-Shieldwall-Timestamp`` is signed with it so a receiver can reject replays. A delivery
that fails (connection refused, timeout, 5xx, 429) is retried with exponential backoff; what
still fails stays queued (up to ``max_queue`` alerts, the oldest dropped and counted beyond it) and
is retried on the next send; ``close`` raises :class:`SinkError` naming how many are undelivered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from shieldwall.hub.notify.http import safe_target
from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.errors import SinkError

SIGNATURE_HEADER = "X-Shieldwall-Signature"
TIMESTAMP_HEADER = "X-Shieldwall-Timestamp"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value of a body sent at ``timestamp``."""
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@dataclass(slots=True)
class WebhookSink:
    """POSTs batches of alerts to one URL."""

    client: httpx.Client
    url: str
    secret: bytes
    retries: int = 3
    backoff: float = 0.5
    max_queue: int = 10_000
    batch: int = 100
    sleep: Callable[[float], None] = time.sleep
    dropped: int = 0
    _queue: deque[dict[str, Any]] = field(default_factory=deque)

    @property
    def pending(self) -> int:
        """Alerts queued and not yet delivered."""
        return len(self._queue)

    def send(self, alerts: Sequence[Alert]) -> None:
        """Queue the alerts and try to deliver everything queued."""
        for alert in alerts:
            if len(self._queue) >= self.max_queue:
                self._queue.popleft()
                self.dropped += 1
            self._queue.append(alert.to_json())
        self._flush()

    def _flush(self) -> bool:
        while self._queue:
            chunk = [self._queue[i] for i in range(min(self.batch, len(self._queue)))]
            if not self._post(chunk):
                return False
            for _ in chunk:
                self._queue.popleft()
        return True

    def _post(self, alerts: list[dict[str, Any]]) -> bool:
        body = json.dumps({"alerts": alerts}, sort_keys=True).encode()
        for attempt in range(self.retries + 1):
            headers = self.headers(body)
            try:
                response = self.client.post(self.url, content=body, headers=headers)
            except httpx.HTTPError:
                response = None
            if response is not None and response.status_code < 300:
                return True
            if (
                response is not None
                and 400 <= response.status_code < 500
                and response.status_code != 429
            ):
                raise SinkError(
                    f"{safe_target(self.url)} rejected the alerts: HTTP {response.status_code}"
                )
            if attempt < self.retries:
                self.sleep(self.backoff * 2**attempt)
        return False

    def headers(self, body: bytes) -> dict[str, str]:
        """The request headers of one delivery: JSON, timestamped and signed."""
        timestamp = str(int(time.time()))
        return {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.secret, timestamp, body),
        }

    def close(self) -> None:
        """Try once more to deliver; raise if alerts stay undelivered or were dropped."""
        if not self._flush() or self.dropped:
            raise SinkError(
                f"{safe_target(self.url)}: {len(self._queue)} alerts undelivered, "
                f"{self.dropped} dropped (queue full)"
            )
