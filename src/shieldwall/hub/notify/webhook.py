"""Generic JSON webhook, signed with HMAC-SHA256 over the timestamp and the body.

The receiver recomputes ``HMAC(secret, f"{timestamp}.{body}")``, compares it in constant time with
``X-Shieldwall-Signature`` (``sha256=<hex>``) and rejects timestamps older than a few minutes,
which stops replays (the same scheme as Stripe's and Slack's request signing).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable

import httpx

from shieldwall.hub.notify.contract import Notification
from shieldwall.hub.notify.http import post, safe_target

SIGNATURE_HEADER = "X-Shieldwall-Signature"
TIMESTAMP_HEADER = "X-Shieldwall-Timestamp"
MAX_SKEW_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for a body sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, presented: str, now: float) -> bool:
    """A receiver's check: right signature and a fresh timestamp."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), presented)


class WebhookChannel:
    """POSTs the notification's JSON to a URL with a signature."""

    kind = "webhook"

    def __init__(
        self,
        url: str,
        secret: str,
        client: httpx.Client,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._url = url
        self._secret = secret
        self._client = client
        self._clock = clock

    @property
    def target(self) -> str:
        """Host of the receiver."""
        return safe_target(self._url)

    def send(self, notification: Notification) -> None:
        """Sign and POST."""
        body = json.dumps(notification.as_json(), separators=(",", ":")).encode()
        stamp = int(self._clock())
        headers = {
            "content-type": "application/json",
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: signature(self._secret, stamp, body),
        }
        post(self._client, self._url, body, headers)
