"""Notifying sinks (Slack, Teams, e-mail): rate limited, so a flood becomes one digest message.

Each sink may send at most ``rate_limit`` messages per ``rate_window`` seconds (a sliding
window). While under the limit, each alert is one message; when more alerts wait than the
window allows, the last free message carries all the rest as one digest with their count. What
cannot be sent yet waits for the next call (the daemon calls every cycle); ``close`` sends what
still waits as one digest, ignoring the limit, so nothing is lost at shutdown. Retryable delivery
failures (network, 5xx, 429, SMTP 4xx) are retried with backoff, then kept queued.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from shieldwall.hub.notify.contract import DeliveryError
from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.errors import SinkError

MAX_QUEUE = 10_000


class AlertMessenger(Protocol):
    """Formats and delivers one message about one or more alerts."""

    @property
    def target(self) -> str:
        """Where it delivers, safe to log."""
        ...

    def deliver(self, alerts: Sequence[Alert], digest: bool) -> None:
        """Send one message; raise :class:`DeliveryError` when it fails."""
        ...


@dataclass(slots=True)
class RateLimitedSink:
    """An :class:`AlertSink` sending through a messenger under a rate limit."""

    messenger: AlertMessenger
    rate_limit: int = 10
    rate_window: float = 60.0
    retries: int = 2
    backoff: float = 0.5
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    sent_at: deque[float] = field(default_factory=deque)
    queue: deque[Alert] = field(default_factory=deque)
    dropped: int = 0
    messages: int = 0

    def send(self, alerts: Sequence[Alert]) -> None:
        """Queue the alerts and send what the rate limit allows."""
        for alert in alerts:
            if len(self.queue) >= MAX_QUEUE:
                self.queue.popleft()
                self.dropped += 1
            self.queue.append(alert)
        self._flush(limited=True)

    def _budget(self) -> int:
        now = self.clock()
        while self.sent_at and now - self.sent_at[0] >= self.rate_window:
            self.sent_at.popleft()
        return self.rate_limit - len(self.sent_at)

    def _flush(self, *, limited: bool) -> bool:
        while self.queue:
            budget = self._budget() if limited else 1
            if budget <= 0:
                return True  # wait for the window to move on
            if len(self.queue) <= budget:
                chunk, digest = [self.queue[0]], False
            elif budget == 1:
                chunk, digest = list(self.queue), True
            else:
                chunk, digest = [self.queue[0]], False
            if not self._deliver(chunk, digest):
                return False
            for _ in chunk:
                self.queue.popleft()
        return True

    def _deliver(self, chunk: list[Alert], digest: bool) -> bool:
        for attempt in range(self.retries + 1):
            try:
                self.messenger.deliver(chunk, digest)
            except DeliveryError as exc:
                if not exc.retryable:
                    raise SinkError(f"{self.messenger.target}: {exc}") from exc
                if attempt < self.retries:
                    self.sleep(self.backoff * 2**attempt)
                continue
            self.sent_at.append(self.clock())
            self.messages += 1
            return True
        return False

    def close(self) -> None:
        """Send what still waits as one digest; raise if it stays undelivered."""
        if not self._flush(limited=False) or self.dropped:
            raise SinkError(
                f"{self.messenger.target}: {len(self.queue)} alerts undelivered, "
                f"{self.dropped} dropped (queue full)"
            )
